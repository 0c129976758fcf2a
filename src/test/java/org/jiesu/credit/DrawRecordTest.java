package org.jiesu.credit;

import org.jiesu.platform.CreditCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A published record re-verifies; changing one byte of any input, or of the selection, makes it fail. */
class DrawRecordTest {

  static JsonObject record() {
    List<Draw.Candidate> cs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      cs.add(new Draw.Candidate(CreditCode.withCheck(String.format("91110108%09d", i)), Draw.GRADES.get(i % 5), i == 7));
    }
    List<Draw.Inspector> inspectors = List.of(new Draw.Inspector("I-1", Set.of(cs.get(4).creditCode())),
        new Draw.Inspector("I-2", Set.of()), new Draw.Inspector("I-3", Set.of()));
    String secret = "9f2c";
    JsonObject ratios = new JsonObject();
    Draw.DEFAULT_RATIOS.forEach(ratios::put);
    return new JsonObject().put("id", "d-1").put("commitment", Draw.commitment(secret)).put("secret", secret)
        .put("publicRandomness", "2026137:03081521273309").put("ratios", ratios).put("inspectorsPerEntity", 2)
        .put("candidates", DrawRecord.candidates(cs)).put("inspectors", DrawRecord.inspectors(inspectors))
        .put("selection", DrawRecord.selection(Draw.select(secret, "2026137:03081521273309", cs,
            Draw.DEFAULT_RATIOS, inspectors, 2)));
  }

  @Test
  void theRecordAsPublishedVerifies() {
    assertThat(DrawRecord.verify(record())).isEmpty();
  }

  @Test
  void oneChangedByteAnywhereFailsVerification() {
    assertThat(DrawRecord.verify(record().put("secret", "9f2d"))).anyMatch(p -> p.contains("commitment"));
    assertThat(DrawRecord.verify(record().put("publicRandomness", "2026137:03081521273308"))).isNotEmpty();
    JsonObject grade = record();
    // a candidate published as A re-graded D (every D is inspected): the selection no longer matches
    grade.getJsonArray("candidates").getJsonObject(1).put("grade", "D");
    assertThat(DrawRecord.verify(grade)).isNotEmpty();
    JsonObject ratio = record();
    ratio.getJsonObject("ratios").put("C", 0.5);
    assertThat(DrawRecord.verify(ratio)).isNotEmpty();
    JsonObject swapped = record();
    JsonArray inspectors = swapped.getJsonArray("selection").getJsonObject(0).getJsonArray("inspectors");
    Object first = inspectors.getValue(0);
    inspectors.set(0, inspectors.getValue(1));
    inspectors.set(1, first);
    assertThat(DrawRecord.verify(swapped)).anyMatch(p -> p.contains("first difference at entry 0"));
  }

  @Test
  void aConflictedInspectorInThePublishedSelectionIsNamed() {
    JsonObject r = record();
    String conflicted = r.getJsonArray("inspectors").getJsonObject(0).getJsonArray("conflicts").getString(0);
    JsonArray selection = r.getJsonArray("selection");
    for (int i = 0; i < selection.size(); i++) {
      if (selection.getJsonObject(i).getString("creditCode").equals(conflicted)) {
        selection.getJsonObject(i).put("inspectors", new JsonArray().add("I-1").add("I-2"));
      }
    }
    assertThat(DrawRecord.verify(r)).anyMatch(p -> p.contains("I-1") && p.contains("conflict"));
  }
}
