package org.jiesu.ticket;

import org.jiesu.ticket.workflow.Ticket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jiesu.audit.AuditLog;
import org.jiesu.auth.Actor;
import org.jiesu.auth.Role;
import org.jiesu.department.Departments;
import org.jiesu.knowledge.Knowledge;
import org.jiesu.platform.Database;
import org.jiesu.routing.RoutingRules;
import org.jiesu.support.Sql;
import org.jiesu.support.TestServer;
import org.jiesu.support.WithServer;
import org.jiesu.support.Tickets;
import org.jiesu.ticket.workflow.ContactMethod;
import org.jiesu.ticket.workflow.Inputs;
import org.jiesu.ticket.workflow.ReplyOutcome;
import org.jiesu.ticket.workflow.Satisfaction;
import org.jiesu.ticket.workflow.TicketEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A listener registered with the service hears every event of intake and of each action, inside the
 * transaction that makes them: it reads the change through the transaction while nobody outside sees it
 * yet. A failing listener rolls the action back.
 */
@WithServer(departments = {"D-IP", "D-MKT"})
class TicketListenerTest {

  /** What the listener heard about one ticket, and what it saw of the ticket from inside and outside. */
  record Heard(UUID ticket, List<String> types, String statusInside, long eventsInside, String statusOutside) {}

  static final Actor HOTLINE = Actor.of("hotline-1", Role.HOTLINE);
  static final Actor SUPERVISOR = Actor.of("sup-1", Role.SUPERVISOR);
  static final Actor LEAD = Actor.staff("lead-1", "D-IP");

  static TestServer server;
  static Vertx vertx;
  static Pool pool;
  static String dbUrl;
  static TicketService service;
  static final List<Heard> heard = new CopyOnWriteArrayList<>();
  static volatile Predicate<List<TicketEvent>> failOn = events -> false;
  static int counter;

  @BeforeAll
  static void start() throws Exception {
    // the server made the database and its departments; this service, with the recording listener wired in
    // as Api wires the real ones, runs on the same database
    dbUrl = server.dbUrl();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, Database.Target.parse(dbUrl), 4);
    Clock clock = Clock.systemUTC();
    AuditLog audit = new AuditLog(pool, clock);
    Departments departments = new Departments(pool, audit);
    TicketListener recorder = (tx, ticket, events) -> {
      if (failOn.test(events)) {
        return Future.failedFuture(new IllegalStateException("the listener refuses"));
      }
      return tx.preparedQuery("SELECT status, (SELECT count(*) FROM ticket_event e WHERE e.ticket_id = t.id) AS n"
              + " FROM ticket t WHERE id = $1").execute(Tuple.of(ticket.id()))
          .compose(inside -> pool.preparedQuery("SELECT status FROM ticket WHERE id = $1").execute(Tuple.of(ticket.id()))
              .map(outside -> {
                Row in = inside.iterator().next();
                heard.add(new Heard(ticket.id(), events.stream().map(TicketEvent::type).toList(), in.getString("status"),
                    in.getLong("n"), outside.size() == 0 ? null : outside.iterator().next().getString("status")));
                return null;
              }));
    };
    service = new TicketService(pool, departments, new RoutingRules(pool, departments, audit, clock),
        new Knowledge(pool, audit, clock), audit, clock, Duration.ofHours(24), Duration.ofDays(14),
        List.of(new TicketAuditTrail(audit), recorder));
  }

  @AfterAll
  static void stop() {
    pool.close();
    vertx.close();
  }

  @BeforeEach
  void listenQuietly() {
    heard.clear();
    failOn = events -> false;
  }

  @Test
  void theListenerHearsEveryEventOfIntakeAndOfEachActionInsideTheTransaction() throws Exception {
    Ticket t = intake();
    String id = t.id().toString();
    await(service.sign(id, LEAD, Optional.empty()));
    await(service.contact(id, LEAD, Optional.empty(), new Inputs.Contact(Instant.now(), ContactMethod.PHONE,
        Optional.empty())));
    await(service.note(id, LEAD, Optional.empty(), "已联系"));
    TicketService.Opened extension = await(service.requestExtension(id, LEAD, Optional.empty(),
        Instant.now().plus(Duration.ofDays(2)), "需要现场勘查"));
    await(service.decideExtension(id, extension.id(), SUPERVISOR, Optional.empty(), Inputs.Decision.approve(null)));
    TicketService.Opened suspension = await(service.requestSuspension(id, LEAD, Optional.empty(), "等待法院裁定"));
    await(service.decideSuspension(id, suspension.id(), SUPERVISOR, Optional.empty(), Inputs.Decision.approve(null)));
    await(service.resume(id, LEAD, Optional.empty(), Optional.empty()));
    await(service.reply(id, LEAD, Optional.empty(), new Inputs.Reply(ReplyOutcome.RESOLVED, "已处理", Optional.empty())));
    await(service.callback(id, HOTLINE, Optional.empty(), new Inputs.Callback(false, Satisfaction.UNSATISFIED,
        Optional.empty(), true)));
    await(service.markUnreasonable(id, SUPERVISOR, Optional.empty(), "重复诉求"));

    // every event in the ticket's timeline was heard, in order, and nothing else
    assertThat(heard).allSatisfy(h -> assertThat(h.ticket()).isEqualTo(t.id()));
    assertThat(heard.stream().flatMap(h -> h.types().stream()).toList()).isEqualTo(timeline(t.id()))
        .startsWith("RECEIVED", "DISPATCHED", "SIGNED", "CONTACTED", "NOTE_ADDED", "EXTENSION_REQUESTED",
            "EXTENSION_APPROVED", "SUSPENSION_REQUESTED", "SUSPENDED", "RESUMED", "REPLIED", "CALLBACK", "REWORK",
            "DISPATCHED", "MARKED_UNREASONABLE");
    // inside the transaction the listener reads the change; outside, nobody sees it yet
    Heard intake = heard.get(0);
    assertThat(intake.statusInside()).isEqualTo("DISPATCHED");
    assertThat(intake.eventsInside()).isEqualTo(2);
    assertThat(intake.statusOutside()).as("a ticket not committed yet").isNull();
    Heard sign = heard.get(1);
    assertThat(sign.statusInside()).isEqualTo("SIGNED");
    assertThat(sign.eventsInside()).isEqualTo(3);
    assertThat(sign.statusOutside()).isEqualTo("DISPATCHED");
  }

  @Test
  void aMergeTellsTheListenerAboutBothTickets() throws Exception {
    Ticket duplicate = intake();
    Ticket primary = intake();
    await(service.merge(duplicate.id().toString(), HOTLINE, Optional.empty(), primary.id().toString(),
        Optional.of("同一诉求")));
    List<Heard> merge = heard.subList(2, heard.size());
    assertThat(merge).extracting(Heard::ticket).containsExactly(duplicate.id(), primary.id());
    assertThat(merge).extracting(Heard::types).containsExactly(List.of("MERGED"), List.of("MERGED_FROM"));
  }

  @Test
  void aFailingListenerRollsTheActionBack() throws Exception {
    Ticket t = intake();
    failOn = events -> events.stream().anyMatch(TicketEvent.Signed.class::isInstance);
    assertThatThrownBy(() -> await(service.sign(t.id().toString(), LEAD, Optional.empty())))
        .hasRootCauseMessage("the listener refuses");
    assertThat(Sql.count(dbUrl, "SELECT count(*) FROM ticket WHERE status = 'DISPATCHED' AND version = 1 AND id = '"
        + t.id() + "'")).isEqualTo(1);
    assertThat(timeline(t.id())).containsExactly("RECEIVED", "DISPATCHED");
    assertThat(Sql.count(dbUrl, "SELECT count(*) FROM audit_entry WHERE action = 'TICKET_ACTION' AND ticket_id = '"
        + t.id() + "'")).isZero();

    failOn = events -> events.stream().anyMatch(TicketEvent.Received.class::isInstance);
    assertThatThrownBy(TicketListenerTest::intake).hasRootCauseMessage("the listener refuses");
    assertThat(Sql.count(dbUrl, "SELECT count(*) FROM ticket WHERE external_id = 'L-" + counter + "'")).isZero();
  }

  private static Ticket intake() throws Exception {
    Intake in = IntakeJson.parse(Tickets.dispatched("L-" + (++counter), "D-IP", "D-MKT"), Instant.now());
    return await(service.intake(HOTLINE, in)).ticket();
  }

  private static List<String> timeline(UUID ticket) throws Exception {
    List<String> types = new ArrayList<>();
    await(pool.preparedQuery("SELECT type FROM ticket_event WHERE ticket_id = $1 ORDER BY id").execute(Tuple.of(ticket)))
        .forEach(r -> types.add(r.getString("type")));
    return types;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
