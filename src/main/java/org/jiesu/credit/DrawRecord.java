package org.jiesu.credit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The public record of a draw (一公开) and its re-verification: everything needed to re-run the selection,
 * no personal data (no names, no tokens' subjects beyond the inspectors' register ids). Pure: the verifier
 * command and the tests use the same code the server publishes with.
 */
public final class DrawRecord {

  private DrawRecord() {}

  public static JsonArray candidates(List<Draw.Candidate> candidates) {
    JsonArray out = new JsonArray();
    candidates.forEach(c -> out.add(new JsonObject().put("creditCode", c.creditCode()).put("grade", c.grade())
        .put("flagged", c.flagged())));
    return out;
  }

  public static JsonArray inspectors(List<Draw.Inspector> inspectors) {
    JsonArray out = new JsonArray();
    inspectors.forEach(i -> out.add(new JsonObject().put("id", i.id())
        .put("conflicts", new JsonArray(new ArrayList<>(new TreeSet<>(i.conflicts()))))));
    return out;
  }

  public static JsonArray selection(List<Draw.Selected> selection) {
    JsonArray out = new JsonArray();
    selection.forEach(s -> out.add(new JsonObject().put("creditCode", s.creditCode()).put("grade", s.grade())
        .put("reason", s.reason()).put("inspectors", new JsonArray(new ArrayList<>(s.inspectors())))));
    return out;
  }

  public static List<Draw.Candidate> readCandidates(JsonArray array) {
    List<Draw.Candidate> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonObject c = array.getJsonObject(i);
      out.add(new Draw.Candidate(c.getString("creditCode"), c.getString("grade"), c.getBoolean("flagged")));
    }
    return out;
  }

  public static List<Draw.Inspector> readInspectors(JsonArray array) {
    List<Draw.Inspector> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonObject c = array.getJsonObject(i);
      Set<String> conflicts = new TreeSet<>();
      c.getJsonArray("conflicts").forEach(x -> conflicts.add((String) x));
      out.add(new Draw.Inspector(c.getString("id"), conflicts));
    }
    return out;
  }

  public static Map<String, Double> readRatios(JsonObject ratios) {
    Map<String, Double> out = new LinkedHashMap<>();
    ratios.forEach(e -> out.put(e.getKey(), ((Number) e.getValue()).doubleValue()));
    return out;
  }

  /**
   * Re-runs a published draw: the secret must hash to the commitment, and the selection must be exactly what
   * the published inputs give. Empty when it verifies, else what does not hold.
   */
  public static List<String> verify(JsonObject record) {
    List<String> problems = new ArrayList<>();
    String secret = record.getString("secret");
    String publicRandomness = record.getString("publicRandomness");
    if (secret == null || publicRandomness == null) {
      problems.add("the draw has not been executed yet: no secret or public randomness to verify");
      return problems;
    }
    if (!Draw.commitment(secret).equals(record.getString("commitment"))) {
      problems.add("the secret does not hash to the commitment published at creation: SHA-256(secret) = "
          + Draw.commitment(secret) + ", commitment = " + record.getString("commitment"));
    }
    List<Draw.Candidate> candidates = readCandidates(record.getJsonArray("candidates"));
    List<Draw.Inspector> inspectors = readInspectors(record.getJsonArray("inspectors"));
    List<Draw.Selected> expected = Draw.select(secret, publicRandomness, candidates,
        readRatios(record.getJsonObject("ratios")), inspectors, record.getInteger("inspectorsPerEntity"));
    JsonArray published = record.getJsonArray("selection");
    JsonArray recomputed = selection(expected);
    if (!recomputed.equals(published)) {
      problems.add("the published selection differs from the re-run: published " + published.size()
          + " entries, re-run " + recomputed.size() + firstDifference(published, recomputed));
    }
    Map<String, Set<String>> conflicts = new LinkedHashMap<>();
    inspectors.forEach(i -> conflicts.put(i.id(), i.conflicts()));
    for (int i = 0; i < published.size(); i++) {
      JsonObject s = published.getJsonObject(i);
      for (Object id : s.getJsonArray("inspectors")) {
        if (conflicts.getOrDefault((String) id, Set.of()).contains(s.getString("creditCode"))) {
          problems.add("inspector " + id + " is assigned to " + s.getString("creditCode") + " despite a declared conflict");
        }
      }
    }
    return problems;
  }

  private static String firstDifference(JsonArray published, JsonArray recomputed) {
    for (int i = 0; i < Math.min(published.size(), recomputed.size()); i++) {
      if (!published.getValue(i).equals(recomputed.getValue(i))) {
        return "; first difference at entry " + i + ": published " + published.getValue(i) + ", re-run "
            + recomputed.getValue(i);
      }
    }
    return "";
  }
}
