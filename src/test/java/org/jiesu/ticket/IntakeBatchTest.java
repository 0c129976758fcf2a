package org.jiesu.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jiesu.audit.AuditLog;
import org.jiesu.auth.Actor;
import org.jiesu.auth.Role;
import org.jiesu.department.Departments;
import org.jiesu.insights.TermsListener;
import org.jiesu.knowledge.Knowledge;
import org.jiesu.platform.Database;
import org.jiesu.platform.Problem;
import org.jiesu.routing.RoutingRules;
import org.jiesu.support.Sql;
import org.jiesu.support.TestServer;
import org.jiesu.support.Tickets;
import org.jiesu.support.WithServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Intakes that wait for the database go together in one statement ({@link IntakeBatches}), each with its own
 * answer. Eight intakes handed at once to a service that keeps two intake statements running, on its event
 * loop: the first two find a statement free and go alone, the other six wait and go as one batch. That they did shares one transaction id ({@code xmin})
 * between their rows. A batch the database refuses as a whole is sent again ticket by ticket.
 */
@WithServer(departments = {"D-IP", "D-MKT"})
class IntakeBatchTest {

  static final Actor HOTLINE = Actor.of("hotline-1", Role.HOTLINE);

  static TestServer server;
  static Vertx vertx;
  static Pool pool;
  static TicketService service;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, Database.Target.parse(server.dbUrl()), 4);
    Clock clock = Clock.systemUTC();
    AuditLog audit = new AuditLog(pool, clock);
    Departments departments = new Departments(pool, audit);
    // listeners that write rows in the intake's statement and hear nothing after it: no transaction
    service = new TicketService(pool, departments, new RoutingRules(pool, departments, audit, clock),
        new Knowledge(pool, audit, clock), audit, clock, Duration.ofHours(24), Duration.ofDays(14),
        List.of(new TicketAuditTrail(audit), new TermsListener()), List.of(), 2, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    pool.close();
    vertx.close();
  }

  @Test
  void intakesThatWaitGoInOneStatementEachWithItsOwnAnswer() throws Exception {
    List<JsonObject> bodies = List.of(
        Tickets.dispatched("B-1", "D-IP"), Tickets.dispatched("B-2", "D-IP"),
        Tickets.dispatched("B-3", "D-IP"), Tickets.dispatched("B-4", "D-MKT", "D-IP"),
        Tickets.dispatched("B-5", "D-IP"),
        Tickets.dispatched("B-3", "D-IP"), // the same intake again, in the same batch
        Tickets.dispatched("B-6", "D-IP", "D-NOPE"), // an unknown department
        Tickets.dispatched("B-7", "D-MKT"));

    List<Future<TicketService.IntakeResult>> answers = submitTogether(bodies);

    for (int i : new int[] {0, 1, 2, 3, 4, 7}) {
      assertThat(answers.get(i).succeeded()).as("intake %d", i).isTrue();
      assertThat(answers.get(i).result().created()).as("intake %d", i).isTrue();
    }
    assertThat(answers.get(5).result().created()).as("a repeat").isFalse();
    assertThat(answers.get(5).result().ticket().id()).isEqualTo(answers.get(2).result().ticket().id());
    assertThat(answers.get(6).failed()).isTrue();
    assertThat(answers.get(6).cause()).isInstanceOf(Problem.class);
    assertThat(((Problem) answers.get(6).cause()).status()).isEqualTo(422);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket WHERE external_id = 'B-6'")).isZero();

    // the six that waited went in one statement: their rows share its transaction; the first two did not
    assertThat(xmin("B-3")).isEqualTo(xmin("B-4")).isEqualTo(xmin("B-5")).isEqualTo(xmin("B-7"));
    assertThat(xmin("B-1")).isNotEqualTo(xmin("B-3"));
    assertThat(xmin("B-2")).isNotEqualTo(xmin("B-3"));
    for (String made : List.of("B-1", "B-2", "B-3", "B-4", "B-5", "B-7")) {
      everyRowOf(made);
    }
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket WHERE external_id = 'B-3'")).isEqualTo(1);
  }

  @Test
  void aBatchTheDatabaseRefusesIsSentAgainTicketByTicket() throws Exception {
    JsonObject noSuchArticle = Tickets.intake("R-5").put("type", "CONSULTATION").put("answeredBy", "HOTLINE")
        .put("knowledgeArticleId", UUID.randomUUID().toString());
    List<JsonObject> bodies = List.of(
        Tickets.dispatched("R-1", "D-IP"), Tickets.dispatched("R-2", "D-IP"),
        Tickets.dispatched("R-3", "D-IP"), Tickets.dispatched("R-4", "D-IP"), noSuchArticle,
        Tickets.dispatched("R-6", "D-IP"));

    List<Future<TicketService.IntakeResult>> answers = submitTogether(bodies);

    assertThat(answers.get(4).failed()).isTrue();
    assertThat(answers.get(4).cause()).as(String.valueOf(answers.get(4).cause())).isInstanceOf(Problem.class);
    Problem refused = (Problem) answers.get(4).cause();
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.errors().get(0).field()).isEqualTo("/knowledgeArticleId");
    for (int i : new int[] {0, 1, 2, 3, 5}) {
      assertThat(answers.get(i).succeeded()).as("intake %d", i).isTrue();
      assertThat(answers.get(i).result().created()).as("intake %d", i).isTrue();
    }
    for (String made : List.of("R-1", "R-2", "R-3", "R-4", "R-6")) {
      everyRowOf(made);
    }
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket WHERE external_id = 'R-5'")).isZero();
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM insight_ticket_terms x JOIN ticket t ON t.id = x.ticket_id"
        + " WHERE t.external_id LIKE 'R-%'")).isEqualTo(5);
  }

  /** A listener's row with no parameter of its own (the SLA engine's wake-up) runs once for a whole batch. */
  @Test
  void aRowWithoutParametersGoesInTheBatchToo() throws Exception {
    Clock clock = Clock.systemUTC();
    AuditLog audit = new AuditLog(pool, clock);
    Departments departments = new Departments(pool, audit);
    TicketListener waking = new TicketListener() {
      @Override
      public Future<Void> onEvents(io.vertx.sqlclient.SqlConnection tx, org.jiesu.ticket.workflow.Ticket ticket,
          List<org.jiesu.ticket.workflow.TicketEvent> events) {
        return Future.failedFuture(new IllegalStateException("not heard at intake"));
      }

      @Override
      public org.jiesu.ticket.workflow.Ticket beforeIntake(org.jiesu.ticket.workflow.Ticket ticket,
          List<org.jiesu.ticket.workflow.TicketEvent> events, java.util.function.Consumer<ChangeRows> rows) {
        rows.accept(new ChangeRows("SELECT pg_notify('batch_test', '') FROM ins", List.of()));
        return ticket;
      }

      @Override
      public boolean hearsIntake(org.jiesu.ticket.workflow.Ticket ticket, List<org.jiesu.ticket.workflow.TicketEvent> events) {
        return false;
      }
    };
    TicketService waker = new TicketService(pool, departments, new RoutingRules(pool, departments, audit, clock),
        new Knowledge(pool, audit, clock), audit, clock, Duration.ofHours(24), Duration.ofDays(14),
        List.of(new TicketAuditTrail(audit), waking), List.of(), 1, Duration.ofSeconds(30));
    io.vertx.pgclient.PgConnection listening = io.vertx.pgclient.PgConnection.connect(vertx,
        io.vertx.pgclient.PgConnectOptions.fromUri(server.dbUrl()))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    java.util.concurrent.atomic.AtomicInteger heard = new java.util.concurrent.atomic.AtomicInteger();
    listening.notificationHandler(n -> heard.incrementAndGet());
    listening.query("LISTEN batch_test").execute().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    try {
      List<Future<TicketService.IntakeResult>> answers = submitTogether(waker, List.of(
          Tickets.dispatched("W-1", "D-IP"), Tickets.dispatched("W-2", "D-IP"), Tickets.dispatched("W-3", "D-IP"),
          Tickets.dispatched("W-4", "D-IP")));

      assertThat(answers).allSatisfy(a -> assertThat(a.result().created()).isTrue());
      assertThat(xmin("W-2")).isEqualTo(xmin("W-3")).isEqualTo(xmin("W-4")).isNotEqualTo(xmin("W-1"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (heard.get() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      // one notification a transaction: the first intake's, then the batch's (PostgreSQL folds repeats)
      assertThat(heard.get()).isEqualTo(2);
    } finally {
      listening.close();
    }
  }

  /** Every intake handed to the service in one go on its event loop; each one's outcome, failed or not. */
  private static List<Future<TicketService.IntakeResult>> submitTogether(List<JsonObject> bodies) throws Exception {
    return submitTogether(service, bodies);
  }

  private static List<Future<TicketService.IntakeResult>> submitTogether(TicketService service, List<JsonObject> bodies)
      throws Exception {
    Promise<List<Future<TicketService.IntakeResult>>> all = Promise.promise();
    vertx.runOnContext(v -> {
      List<Future<TicketService.IntakeResult>> answers = new ArrayList<>();
      for (JsonObject body : bodies) {
        answers.add(service.intake(HOTLINE, IntakeJson.parse(body, Instant.now())));
      }
      Future.join(answers).onComplete(done -> all.complete(answers));
    });
    return all.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static long xmin(String externalId) throws Exception {
    return Sql.count(server.dbUrl(), "SELECT xmin::text::bigint FROM ticket WHERE external_id = '" + externalId + "'");
  }

  /** The ticket's two events, its intake's audit entry and its terms, all written by the statement that made it. */
  private static void everyRowOf(String externalId) throws Exception {
    String ticket = "(SELECT id FROM ticket WHERE external_id = '" + externalId + "')";
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket_event WHERE ticket_id = " + ticket))
        .as(externalId).isEqualTo(2);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = 'TICKET_INTAKE' AND ticket_id = "
        + ticket)).as(externalId).isEqualTo(1);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM insight_ticket_terms WHERE ticket_id = " + ticket))
        .as(externalId).isEqualTo(1);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
        + " WHERE t.external_id = '" + externalId + "' AND e.xmin::text <> t.xmin::text")).as(externalId).isZero();
  }
}
