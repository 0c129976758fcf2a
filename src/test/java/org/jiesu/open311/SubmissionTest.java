package org.jiesu.open311;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jiesu.platform.Problem;
import org.jiesu.ticket.workflow.TicketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading a GeoReport form: plain rules, every field named. */
class SubmissionTest {

  static final Service SERVICE = new Service("VEND", "占道经营", "", "", List.of(), "city.vending", TicketType.COMPLAINT,
      List.of(
          new Service.Attribute("WHEN", true, Service.Datatype.SINGLEVALUELIST, true, "", 1, "什么时候",
              List.of(new Service.Value("day", "白天"), new Service.Value("night", "夜间"))),
          new Service.Attribute("KINDS", true, Service.Datatype.MULTIVALUELIST, false, "", 2, "卖什么",
              List.of(new Service.Value("food", "食品"), new Service.Value("toys", "玩具"))),
          new Service.Attribute("SEEN", true, Service.Datatype.DATETIME, false, "", 3, "看到的时间", List.of()),
          new Service.Attribute("NOTE", false, Service.Datatype.TEXT, false, "", 4, "说明", List.of())),
      true);

  static Map<String, List<String>> form(String... pairs) {
    Map<String, List<String>> f = new LinkedHashMap<>();
    f.put("api_key", List.of("k"));
    f.put("service_code", List.of("VEND"));
    f.put("description", List.of("有摊贩"));
    f.put("lat", List.of("39.9"));
    f.put("long", List.of("116.3"));
    f.put("attribute[WHEN]", List.of("day"));
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] == null) {
        f.remove(pairs[i]);
      } else {
        f.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>());
        f.put(pairs[i], List.of(pairs[i + 1].split("\\|", -1)));
      }
    }
    return f;
  }

  static List<String> refusal(Map<String, List<String>> form) {
    try {
      Submission.parse(form, SERVICE);
    } catch (Problem p) {
      assertThat(p.status()).isEqualTo(400);
      return p.errors().stream().map(e -> e.field() + ": " + e.message()).toList();
    }
    throw new AssertionError("accepted");
  }

  @Test
  void aCompleteFormBecomesContentWithItsAnswersInTheServicesOrder() {
    Submission s = Submission.parse(form("attribute[KINDS][]", "toys|food", "first_name", " 三 ", "last_name", "张",
        "phone", "138 1234 5678", "address_string", "  海淀区  "), SERVICE);
    assertThat(s.content()).isEqualTo("有摊贩\n\n什么时候: 白天\n卖什么: 玩具、食品");
    assertThat(s.callerName()).contains("三 张");
    assertThat(s.phone()).contains("13812345678");
    assertThat(s.address()).contains("海淀区");
    assertThat(s.lat()).contains(39.9);
  }

  @Test
  void aLocationIsEitherCoordinatesOrAnAddress() {
    assertThat(Submission.parse(form("lat", null, "long", null, "address_string", "海淀区"), SERVICE).lat()).isEqualTo(Optional.empty());
    assertThat(refusal(form("lat", null, "long", null))).containsExactly(
        "lat: a location is required: lat and long, or address_string");
    assertThat(refusal(form("long", null))).containsExactly("long: lat and long come together");
    assertThat(refusal(form("address_id", "A-1"))).containsExactly(
        "address_id: is not supported here: send lat and long or address_string");
  }

  @ParameterizedTest(name = "{0}={1} → {2}")
  @CsvSource(delimiter = ';', value = {
      "lat; 91; lat: must lie between -90 and 90",
      "long; -180.5; long: must lie between -180 and 180",
      "lat; NaN; lat: must be a decimal number",
      "description; '   '; description: is required",
      "attribute[WHEN]; day|night; attribute[WHEN]: takes one value",
      "attribute[KINDS]; food|cars; attribute[KINDS]: 'cars' is not one of its keys [food, toys]",
      "attribute[SEEN]; yesterday; attribute[SEEN]: must be an ISO 8601 date-time with offset",
      "attribute[NOTE]; x; attribute[NOTE]: is not an attribute service VEND asks",
      "attribute[]; x; attribute[]: unknown field",
      "media_url; ftp://x; media_url: is not an http or https URL",
      "first_name; 一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三; first_name: is longer than 32 characters",
      "description; a\u0001b; description: contains a control character",
      "description; a|b; description: is given more than once",
  })
  void eachBadFieldIsNamed(String field, String value, String expected) {
    assertThat(refusal(form(field, value))).containsExactly(expected);
  }

  @Test
  void aDescriptionMayHaveFourThousandCharactersCountedAsCharactersNotBytes() {
    assertThat(Submission.parse(form("description", "𠀀".repeat(4000)), SERVICE).description()).hasSize(8000);
    assertThat(refusal(form("description", "a".repeat(4001)))).containsExactly(
        "description: is longer than 4000 characters");
  }

  @Test
  void theServiceCodeIsReadFirst() {
    assertThat(Submission.serviceCode(form())).isEqualTo("VEND");
    assertThatThrownBy(() -> Submission.serviceCode(form("service_code", null))).isInstanceOf(Problem.class)
        .hasMessageContaining("service_code");
  }
}
