package org.jiesu.insights;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.jiesu.auth.Role;
import org.jiesu.support.MutableClock;
import org.jiesu.support.TestDatabase;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An {@code insight.hotspot} event is durable and resumable like an SLA event: two replicas on one database;
 * a client reads replica A's stream, disconnects, a burst taken in by replica B makes a hotspot, and the client
 * resumes on A (and, with the same Last-Event-ID, on B) and gets exactly one event for that cell, and none for
 * the cell it had already seen.
 */
class HotspotStreamResumeTest {

  static final Instant NOW = OffsetDateTime.parse("2026-11-25T12:00:00+08:00").toInstant();
  static final MutableClock CLOCK = new MutableClock(NOW);
  static TestServer a;
  static TestServer b;
  static int counter;

  /** One SSE event as the stream sent it. */
  record Sse(String id, String event, JsonObject data) {
    String cell() {
      return data.getString("category") + "@" + data.getString("street");
    }
  }

  @BeforeAll
  static void start() {
    String db = TestDatabase.fresh();
    a = TestServer.start(db, CLOCK);
    b = TestServer.start(db, CLOCK);
  }

  @AfterAll
  static void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  static void calls(TestServer via, String category, String street, int n) {
    String hotline = via.token(Role.HOTLINE);
    for (int i = 0; i < n; i++) {
      JsonObject body = Tickets.intake("RS-" + (++counter)).put("category", category)
          .put("receivedAt", NOW.minus(Duration.ofMinutes(60 - counter)).toString())
          .put("location", new JsonObject().put("district", "海淀区").put("street", street));
      Response r = via.post("/api/v1/tickets", hotline, body);
      assertThat(r.status()).as(r.body()).isEqualTo(201);
    }
  }

  /** Opens a stream (resuming after {@code lastEventId} when given). */
  static BufferedReader open(TestServer on, String lastEventId, List<HttpResponse<InputStream>> opened)
      throws Exception {
    var request = on.request("/api/v1/supervision/stream", on.token(Role.SUPERVISOR));
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> res = HttpClient.newHttpClient().send(request.build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(res.statusCode()).isEqualTo(200);
    opened.add(res);
    return new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8));
  }

  /** Reads events until one for {@code untilCell} has come (inclusive). */
  static List<Sse> readUntil(BufferedReader reader, String untilCell) throws Exception {
    List<Sse> out = new ArrayList<>();
    String id = null;
    String event = null;
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ")) {
        Sse e = new Sse(id, event, new JsonObject(line.substring(6)));
        out.add(e);
        id = null;
        event = null;
        if ("insight.hotspot".equals(e.event()) && untilCell.equals(e.cell())) {
          return out;
        }
      }
    }
    throw new AssertionError("the stream ended before " + untilCell + ": " + out);
  }

  @Test
  void aHotspotMadeWhileTheClientWasAwayIsReplayedOnceOnEitherReplica() throws Exception {
    List<HttpResponse<InputStream>> opened = new ArrayList<>();
    try {
      // the client reads A's stream: a first hotspot (five noise calls on a quiet street), then disconnects
      BufferedReader live = open(a, null, opened);
      calls(a, "noise", "燕园街道", 5);
      List<Sse> first = readUntil(live, "noise@燕园街道");
      Sse seen = first.get(first.size() - 1);
      assertThat(seen.id()).as("a hotspot event has a stream position").matches("[0-9]+-[0-9]+");
      assertThat(seen.data().getString("position")).isEqualTo(seen.id());
      opened.get(0).body().close();

      // while it is away: the burst on another street through replica B, more calls in the cell it saw, and a
      // marker hotspot after them
      calls(b, "water", "中关村街道", 8);
      calls(b, "noise", "燕园街道", 3);
      calls(a, "light", "学院路街道", 5);

      // it resumes on A with the last id it saw, and the same id works on B (positions are the database's)
      for (TestServer on : List.of(a, b)) {
        List<Sse> resumed = readUntil(open(on, seen.id(), opened), "light@学院路街道");
        List<String> hotspots = resumed.stream().filter(e -> "insight.hotspot".equals(e.event()))
            .map(Sse::cell).toList();
        assertThat(hotspots).as("on " + on.base()).containsExactly("water@中关村街道", "light@学院路街道");
        Sse burst = resumed.stream().filter(e -> "water@中关村街道".equals(e.cell())).findFirst().orElseThrow();
        assertThat(burst.id()).isNotNull();
        assertThat(burst.data().getInteger("count")).isEqualTo(5);
        assertThat(burst.data().getString("window")).isEqualTo("PT24H");
        assertThat(burst.data().getString("ticketId")).isNotBlank();
      }
    } finally {
      for (HttpResponse<InputStream> res : opened) {
        res.body().close();
      }
    }
  }

  /**
   * A department's STAFF stream resumed from the beginning replays its department's SLA events and none of the
   * hotspots (the centre's), although they come first in the stream's order.
   */
  @Test
  void aDepartmentsStreamReplaysNoHotspots() throws Exception {
    a.department("D-X", "municipal");
    calls(a, "roads", "清华园街道", 5); // a hotspot before the department's events
    Response t = a.post("/api/v1/tickets", a.token(Role.HOTLINE), Tickets.dispatched("RS-X", "D-X")
        .put("receivedAt", NOW.toString()));
    assertThat(t.status()).as(t.body()).isEqualTo(201);
    Instant before = CLOCK.instant();
    try {
      CLOCK.advance(Duration.ofDays(60)); // every timer of the D-X ticket overdue
      assertThat(a.fireDueTimers()).isPositive();
    } finally {
      CLOCK.set(before);
    }
    var request = a.request("/api/v1/supervision/stream", a.staff("D-X")).header("Last-Event-ID", "0");
    HttpResponse<InputStream> res = HttpClient.newHttpClient().send(request.build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try {
      assertThat(res.statusCode()).isEqualTo(200);
      BufferedReader reader = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8));
      List<JsonObject> replayed = new ArrayList<>();
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("data: ")) {
          JsonObject e = new JsonObject(line.substring(6));
          replayed.add(e);
          if ("sla.breached".equals(e.getString("event"))) {
            break;
          }
        }
      }
      assertThat(replayed).isNotEmpty();
      assertThat(replayed).extracting(e -> e.getString("event")).doesNotContain("insight.hotspot");
      assertThat(replayed).extracting(e -> e.getString("department")).containsOnly("D-X");
    } finally {
      res.body().close();
    }
  }
}
