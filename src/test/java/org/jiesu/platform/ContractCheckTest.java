package org.jiesu.platform;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.jiesu.support.ContractCheck;
import org.junit.jupiter.api.Test;

/**
 * The check every integration test runs on every answer: it must pass what the server sends and fail on
 * each kind of drift (no server here; the answers are written out).
 */
class ContractCheckTest {

  private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json; charset=utf-8"));
  private static final Map<String, List<String>> PROBLEM =
      Map.of("Content-Type", List.of("application/problem+json; charset=utf-8"));

  private static JsonObject rule() {
    return new JsonObject().put("id", "7").put("priority", 10)
        .put("match", new JsonObject().put("category", null).put("districts", new JsonArray())
            .put("streets", new JsonArray()).put("types", new JsonArray()).put("keywords", new JsonArray().add("专利")))
        .put("leadDepartment", "D-IP").put("assistingDepartments", new JsonArray());
  }

  private static JsonObject problem(String type, int status) {
    return new JsonObject().put("type", "urn:jiesu:problem:" + type).put("title", "t").put("status", status)
        .put("detail", "d");
  }

  @Test
  void aRoutingRuleAsTheServerSendsItPasses() {
    assertThatCode(() -> ContractCheck.verify("PUT", "/api/v1/routing-rules/7", 200, JSON, rule().encode()))
        .doesNotThrowAnyException();
  }

  @Test
  void aBodyThatBreaksItsSchemaFailsNamingOperationAndStatus() {
    JsonObject broken = rule();
    broken.getJsonObject("match").put("category", 12);
    assertThatThrownBy(() -> ContractCheck.verify("PUT", "/api/v1/routing-rules/7", 200, JSON, broken.encode()))
        .isInstanceOf(AssertionError.class).hasMessageContaining("updateRoutingRule answered 200")
        .hasMessageContaining("/match/category");
    JsonObject missing = rule();
    missing.remove("leadDepartment");
    assertThatThrownBy(() -> ContractCheck.verify("PUT", "/api/v1/routing-rules/7", 200, JSON, missing.encode()))
        .isInstanceOf(AssertionError.class).hasMessageContaining("leadDepartment");
  }

  @Test
  void aStatusTheOperationDoesNotDeclareFails() {
    assertThatThrownBy(() -> ContractCheck.verify("GET", "/api/v1/departments", 409, PROBLEM,
        problem("conflict", 409).encode()))
        .isInstanceOf(AssertionError.class).hasMessageContaining("listDepartments answered 409")
        .hasMessageContaining("not declared");
  }

  @Test
  void problemsMustBeProblemJsonOfAListedTypeWithTheirStatus() {
    assertThatCode(() -> ContractCheck.verify("GET", "/api/v1/departments", 401,
        Map.of("Content-Type", List.of("application/problem+json; charset=utf-8"),
            "WWW-Authenticate", List.of("Bearer realm=\"jiesu\"")),
        problem("unauthorized", 401).encode())).doesNotThrowAnyException();
    assertThatThrownBy(() -> ContractCheck.verify("GET", "/api/v1/departments", 400, JSON,
        problem("validation", 400).encode()))
        .isInstanceOf(AssertionError.class).hasMessageContaining("Content-Type");
    assertThatThrownBy(() -> ContractCheck.verify("GET", "/api/v1/departments", 400, PROBLEM,
        problem("made-up", 400).encode()))
        .isInstanceOf(AssertionError.class).hasMessageContaining("not listed in info.x-problem-types");
    assertThatThrownBy(() -> ContractCheck.verify("GET", "/api/v1/departments", 400, PROBLEM,
        problem("conflict", 400).encode()))
        .isInstanceOf(AssertionError.class).hasMessageContaining("listed with status 409");
  }

  @Test
  void aRequiredHeaderThatIsMissingFails() {
    assertThatThrownBy(() -> ContractCheck.verify("GET", "/api/v1/departments", 401, PROBLEM,
        problem("unauthorized", 401).encode()))
        .isInstanceOf(AssertionError.class).hasMessageContaining("WWW-Authenticate");
  }

  @Test
  void answersForPathsTheContractLacksMustStillBeProblems() {
    assertThatCode(() -> ContractCheck.verify("GET", "/nowhere", 404, PROBLEM, problem("not-found", 404).encode()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> ContractCheck.verify("GET", "/nowhere", 404,
        Map.of("Content-Type", List.of("text/html")), "<h1>Not found</h1>"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("application/problem+json");
    assertThatThrownBy(() -> ContractCheck.verify("GET", "/nowhere", 200, JSON, "{}"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("does not have");
  }

  @Test
  void headAnswersAreCheckedAgainstTheGetOperation() {
    assertThatCode(() -> ContractCheck.verify("HEAD", "/api/v1/departments", 200, JSON, ""))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> ContractCheck.verify("HEAD", "/api/v1/departments", 409, PROBLEM, ""))
        .isInstanceOf(AssertionError.class).hasMessageContaining("not declared");
    assertThatThrownBy(() -> ContractCheck.verify("HEAD", "/nowhere", 200, JSON, ""))
        .isInstanceOf(AssertionError.class).hasMessageContaining("does not have");
  }
}
