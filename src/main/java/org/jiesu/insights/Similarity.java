package org.jiesu.insights;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jiesu.knowledge.SearchTerms;

/**
 * Whether two calls are likely the same incident (并单 suggestions; never merged by themselves). Plain Java.
 * They must be close in place (same district and street, or within {@code maxMeters} when both have
 * coordinates), close in time (at most {@code within} apart) and close in text: the Dice coefficient
 * 2|A∩B| / (|A| + |B|) of their term sets is at least {@code minText}. Terms are those knowledge search
 * indexes ({@link SearchTerms#indexed}: Han pairs and other words), over title and content; single Han
 * characters are left out, they are shared by unrelated texts. The similarity is
 * 0.6 × text + 0.2 × place + 0.2 × time, each in [0, 1].
 */
public record Similarity(Duration within, double maxMeters, double minText) {

  /** What a call is compared by. */
  public record Call(String district, String street, Double lat, Double lon, Instant receivedAt, Set<String> terms) {}

  /** Why two calls look alike. */
  public enum Reason { SAME_STREET, NEARBY, CLOSE_IN_TIME, SIMILAR_TEXT }

  /** A match: the similarity, its parts and the reasons. */
  public record Match(double similarity, double text, Double meters, Duration apart, List<String> sharedTerms,
      List<Reason> reasons) {}

  public static Set<String> terms(String title, String content) {
    Set<String> out = new HashSet<>();
    for (String t : SearchTerms.indexed(title + "\n" + content)) {
      if (t.codePointCount(0, t.length()) >= 2) {
        out.add(t);
      }
    }
    return out;
  }

  /** The match of {@code other} against {@code call}, or null when they do not look like one incident. */
  public Match compare(Call call, Call other) {
    if (!closeInPlaceAndTime(call, other)) {
      return null;
    }
    boolean sameStreet = sameStreet(call, other);
    Double meters = meters(call, other);
    Duration apart = apart(call, other);
    // the shared terms in their natural order (the other call's terms probed against this call's set)
    List<String> shared = new ArrayList<>();
    for (String t : other.terms()) {
      if (call.terms().contains(t)) {
        shared.add(t);
      }
    }
    java.util.Collections.sort(shared);
    double text = dice(shared.size(), call.terms().size() + other.terms().size());
    if (text < minText) {
      return null;
    }
    double place = sameStreet ? 1 : 1 - meters / maxMeters;
    double time = within.isZero() ? 1 : 1 - (double) apart.toMillis() / within.toMillis();
    List<Reason> reasons = new ArrayList<>();
    if (sameStreet) {
      reasons.add(Reason.SAME_STREET);
    }
    if (meters != null && meters <= maxMeters) {
      reasons.add(Reason.NEARBY);
    }
    reasons.add(Reason.CLOSE_IN_TIME);
    reasons.add(Reason.SIMILAR_TEXT);
    double similarity = Math.round((0.6 * text + 0.2 * place + 0.2 * time) * 1000) / 1000.0;
    return new Match(similarity, Math.round(text * 1000) / 1000.0, meters == null ? null : (double) Math.round(meters),
        apart, shared.stream().limit(10).toList(), reasons);
  }

  /**
   * Whether {@link #compare} matches the two calls, told how their terms overlap ({@code text}) instead of
   * reading {@code other}'s terms: counting a crowded street's candidates needs no more, and no set of terms
   * per candidate (see {@link TermTable}). Place and time are judged first; they cost no term lookup. The
   * rule is the same as {@link #compare}'s (SimilarityTest checks the two agree).
   */
  public boolean alike(Call call, Call other, TermTable.Overlap text) {
    return closeInPlaceAndTime(call, other) && dice(text.shared(), call.terms().size() + text.size()) >= minText;
  }

  /** On one street or within {@code maxMeters}, and at most {@code within} apart. */
  private boolean closeInPlaceAndTime(Call call, Call other) {
    if (!sameStreet(call, other)) {
      Double meters = meters(call, other);
      if (meters == null || meters > maxMeters) {
        return false;
      }
    }
    return apart(call, other).compareTo(within) <= 0;
  }

  /** How far apart in time; not {@code Duration.abs()}, which negates through a BigDecimal. */
  private static Duration apart(Call call, Call other) {
    return call.receivedAt().isAfter(other.receivedAt()) ? Duration.between(other.receivedAt(), call.receivedAt())
        : Duration.between(call.receivedAt(), other.receivedAt());
  }

  private static boolean sameStreet(Call call, Call other) {
    return call.district() != null && call.street() != null
        && Objects.equals(call.district(), other.district()) && Objects.equals(call.street(), other.street());
  }

  private static Double meters(Call call, Call other) {
    return call.lat() != null && other.lat() != null && call.lon() != null && other.lon() != null
        ? meters(call.lat(), call.lon(), other.lat(), other.lon()) : null;
  }

  /** The Dice coefficient of two sets from their shared count and their sizes' sum. */
  private static double dice(int shared, int total) {
    return total == 0 ? 0 : 2.0 * shared / total;
  }

  /** Great-circle distance (haversine, mean Earth radius). */
  static double meters(double lat1, double lon1, double lat2, double lon2) {
    double r = 6_371_000;
    double dLat = Math.toRadians(lat2 - lat1);
    double dLon = Math.toRadians(lon2 - lon1);
    double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
        + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * r * Math.asin(Math.min(1, Math.sqrt(a)));
  }
}
