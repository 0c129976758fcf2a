package org.jiesu.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.jiesu.auth.Role;
import org.jiesu.support.TestServer;
import org.jiesu.support.WithServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithServer(departments = {"D-IP", "D-MKT"})
class TicketListTest {

  static TestServer server;
  static String hotline;

  @BeforeAll
  static void start() {
    hotline = server.token(Role.HOTLINE);
    for (int i = 0; i < 7; i++) {
      JsonObject body = i % 2 == 0 ? Tickets.dispatched("L-" + i, "D-IP") : Tickets.intake("L-" + i);
      body.put("receivedAt", "2026-10-2" + i + "T10:00:00+08:00");
      if (i == 3) {
        body.put("type", "HELP").put("leadDepartment", "D-MKT");
      }
      assertThat(server.post("/api/v1/tickets", hotline, body).status()).isEqualTo(201);
    }
  }

  private static List<String> externalIds(Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("externalId")).toList();
  }

  @Test
  void pagesFollowTheNextLinkToTheEndWithoutRepeats() {
    List<String> seen = new ArrayList<>();
    String next = "/api/v1/tickets?limit=3";
    int pages = 0;
    while (next != null) {
      Response r = server.get(next, hotline);
      assertThat(r.status()).isEqualTo(200);
      seen.addAll(externalIds(r));
      next = r.json().getString("next");
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactly("L-6", "L-5", "L-4", "L-3", "L-2", "L-1", "L-0");
  }

  @Test
  void ascendingSortAndFiltersCombine() {
    assertThat(externalIds(server.get("/api/v1/tickets?sort=receivedAt&status=DISPATCHED", hotline)))
        .containsExactly("L-0", "L-2", "L-3", "L-4", "L-6");
    assertThat(externalIds(server.get("/api/v1/tickets?type=HELP", hotline))).containsExactly("L-3");
    assertThat(externalIds(server.get("/api/v1/tickets?category=market", hotline))).hasSize(7);
    assertThat(externalIds(server.get("/api/v1/tickets?category=marke_", hotline))).as("no LIKE wildcards").isEmpty();
    assertThat(externalIds(server.get("/api/v1/tickets?department=D-MKT", hotline))).containsExactly("L-3");
    assertThat(externalIds(server.get("/api/v1/tickets?status=RECEIVED,DISPATCHED&receivedFrom=2026-10-22T00:00:00%2B08:00"
        + "&receivedTo=2026-10-24T00:00:00%2B08:00", hotline))).containsExactly("L-3", "L-2");
  }

  @Test
  void badFiltersAndLimitsAre400() {
    Response tooMany = server.get("/api/v1/tickets?limit=201", hotline);
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("limit");
    assertThat(server.get("/api/v1/tickets?limit=0", hotline).status()).isEqualTo(400);
    Response badStatus = server.get("/api/v1/tickets?status=LOST", hotline);
    assertThat(badStatus.status()).isEqualTo(400);
    assertThat(badStatus.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("status");
    assertThat(server.get("/api/v1/tickets?receivedFrom=monday", hotline).status()).isEqualTo(400);
    assertThat(server.get("/api/v1/tickets?cursor=!!!", hotline).status()).isEqualTo(400);
    assertThat(server.get("/api/v1/tickets?cursor=bm9wZQ", hotline).status()).isEqualTo(400);
  }

  @Test
  void departmentsAreListedWithCursorPagination() {
    Response first = server.get("/api/v1/departments?limit=1", hotline);
    assertThat(first.json().getJsonArray("items")).hasSize(1);
    Response second = server.get(first.json().getString("next"), hotline);
    assertThat(second.json().getJsonArray("items").getJsonObject(0).getString("code")).isEqualTo("D-MKT");
    assertThat(second.json().getValue("next")).isNull();
  }
}
