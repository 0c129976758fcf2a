package org.jiesu.credit;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * 双随机 selection, exactly as published so anyone can re-run it (issue: commit-reveal draws):
 * {@code key} = UTF-8 of {@code secret + ":" + publicRandomness}; {@code rank(x)} = lowercase hex
 * HMAC-SHA256(key, UTF-8 x). Within each grade, candidates sorted by {@code rank(creditCode)} ascending, the
 * first ceil(ratio × count) are selected ({@code SAMPLED}); every flagged candidate not yet selected is
 * added ({@code FLAGGED}). For each selected entity, inspectors without a conflict on it, sorted by
 * {@code rank(creditCode + ":" + inspectorId)} ascending, the first {@code inspectorsPerEntity} are assigned.
 * Pure: no clock, no randomness of its own, no I/O.
 */
public final class Draw {

  /** The grade order of the published selection, best first. */
  public static final List<String> GRADES = List.of("A+", "A", "B", "C", "D");

  /** DESIGN §6 defaults: never 0. */
  public static final Map<String, Double> DEFAULT_RATIOS = Map.of("A+", 0.03, "A", 0.05, "B", 0.10, "C", 0.40,
      "D", 1.0);

  public record Candidate(String creditCode, String grade, boolean flagged) {}

  public record Inspector(String id, Set<String> conflicts) {
    public Inspector {
      conflicts = Set.copyOf(conflicts);
    }
  }

  public record Selected(String creditCode, String grade, String reason, List<String> inspectors) {}

  private Draw() {}

  /** The commitment published at creation: lowercase hex SHA-256 of the secret's UTF-8 bytes. */
  public static String commitment(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static List<Selected> select(String secret, String publicRandomness, List<Candidate> candidates,
      Map<String, Double> ratios, List<Inspector> inspectors, int inspectorsPerEntity) {
    Mac mac = mac(secret + ":" + publicRandomness);
    Map<String, List<Candidate>> byGrade = new LinkedHashMap<>();
    GRADES.forEach(g -> byGrade.put(g, new ArrayList<>()));
    for (Candidate c : candidates) {
      byGrade.computeIfAbsent(c.grade(), g -> new ArrayList<>()).add(c);
    }
    List<Selected> selection = new ArrayList<>();
    for (Map.Entry<String, List<Candidate>> grade : byGrade.entrySet()) {
      Map<String, String> ranks = new java.util.HashMap<>();
      grade.getValue().forEach(c -> ranks.put(c.creditCode(), rank(mac, c.creditCode())));
      List<Candidate> ranked = new ArrayList<>(grade.getValue());
      ranked.sort(Comparator.comparing((Candidate c) -> ranks.get(c.creditCode())).thenComparing(Candidate::creditCode));
      double ratio = ratios.getOrDefault(grade.getKey(), DEFAULT_RATIOS.getOrDefault(grade.getKey(), 1.0));
      int take = take(ratio, ranked.size());
      for (int i = 0; i < ranked.size(); i++) {
        Candidate c = ranked.get(i);
        if (i < take) {
          selection.add(new Selected(c.creditCode(), c.grade(), "SAMPLED", assign(mac, c, inspectors, inspectorsPerEntity)));
        } else if (c.flagged()) {
          selection.add(new Selected(c.creditCode(), c.grade(), "FLAGGED", assign(mac, c, inspectors, inspectorsPerEntity)));
        }
      }
    }
    return selection;
  }

  /**
   * ceil(ratio × count) in decimal arithmetic on the ratio as published (its shortest decimal spelling), so
   * 0.07 × 100 is 7 as anyone re-running the draw by hand would count, not the 8 binary floating point gives.
   */
  public static int take(double ratio, int count) {
    return java.math.BigDecimal.valueOf(ratio).multiply(java.math.BigDecimal.valueOf(count))
        .setScale(0, java.math.RoundingMode.CEILING).intValueExact();
  }

  private static List<String> assign(Mac mac, Candidate c, List<Inspector> inspectors, int perEntity) {
    Map<String, String> ranks = new java.util.HashMap<>();
    List<Inspector> free = inspectors.stream().filter(i -> !i.conflicts().contains(c.creditCode())).toList();
    free.forEach(i -> ranks.put(i.id(), rank(mac, c.creditCode() + ":" + i.id())));
    return free.stream()
        .sorted(Comparator.comparing((Inspector i) -> ranks.get(i.id())).thenComparing(Inspector::id))
        .limit(perEntity)
        .map(Inspector::id)
        .toList();
  }

  /** {@code rank(x)} of the published algorithm. */
  public static String rank(String secret, String publicRandomness, String x) {
    return rank(mac(secret + ":" + publicRandomness), x);
  }

  private static String rank(Mac mac, String x) {
    return HexFormat.of().formatHex(mac.doFinal(x.getBytes(StandardCharsets.UTF_8)));
  }

  private static Mac mac(String key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
