package org.jiesu.sla;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.auth.Actor;
import org.jiesu.ticket.workflow.Channel;
import org.jiesu.ticket.workflow.ContactMethod;
import org.jiesu.ticket.workflow.Satisfaction;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.workflow.TicketEvent;
import org.jiesu.ticket.workflow.TicketState;
import org.jiesu.ticket.workflow.TicketType;
import org.jiesu.ticket.workflow.Urgency;
import org.junit.jupiter.api.Test;

/**
 * The SLA listener's hook before an action saves its ticket: from the timers the lock read (as JSON) and the
 * action's events it sets the nearest deadline the row is saved with. Plain Java, no database.
 */
class BeforeSaveTest {

  static final SlaSettings SETTINGS = new SlaSettings(1, SlaPolicies.defaults(), Calendars.china2026());
  static final UUID ID = UUID.fromString("00000000-0000-0000-0000-0000000000c1");
  static final Actor LEAD = Actor.staff("lead-1", "D-A");
  static final Instant SIGN_DUE = at("2026-11-23T14:30:00");
  static final Instant CONTACT_DUE = at("2026-11-24T09:00:00");
  static final Instant RESOLVE_DUE = at("2026-11-30T09:00:00");

  static Instant at(String local) {
    return OffsetDateTime.parse(local + "+08:00").toInstant();
  }

  /** A timer as the lock's JSON has it: PostgreSQL's own spelling of timestamps (offset, microseconds). */
  static JsonObject timer(long id, String kind, String state, Instant due, String metAt) {
    return new JsonObject().put("id", id).put("ticket_id", ID.toString()).put("round", 1).put("kind", kind)
        .put("clock", "WORKING").put("allowed", "PT4H").put("warning_share", 0.6)
        .put("policy_key", "normal").put("started_at", "2026-11-23T09:00:00+08:00")
        .put("due_at", OffsetDateTime.ofInstant(due, java.time.ZoneOffset.ofHours(8)).toString())
        .put("warn_at", "2026-11-23T12:00:00.123456+08:00").put("state", state).put("met_at", metAt)
        .put("breached_at", state.equals("BREACHED") ? "2026-11-23T14:30:00+08:00" : null)
        .put("paused_at", null).put("paused_us", 0L).put("extended_us", 1_500_000L)
        .put("calendar_missing", false).put("warned_due_at", null);
  }

  static JsonArray roundOne(String signState) {
    return new JsonArray()
        .add(timer(1, "SIGN", signState, SIGN_DUE, null))
        .add(timer(2, "CONTACT", "RUNNING", CONTACT_DUE, null))
        .add(timer(3, "RESOLVE", "RUNNING", RESOLVE_DUE, null));
  }

  static Ticket ticket(Optional<Instant> dueAt) {
    return new Ticket(ID, 7, "EXT-1", "hash", TicketType.COMPLAINT, Urgency.NORMAL, "market.agency", "title",
        "content", at("2026-11-23T08:50:00"), new Ticket.Caller("张三", "13800001234", false),
        new Ticket.Location("海淀区", "中关村街道", "x", null, null), Optional.empty(), TicketState.SIGNED, 1,
        Optional.of("D-A"), List.of(), Optional.of(at("2026-11-23T09:00:00")), 3, at("2026-11-23T08:50:00"),
        at("2026-11-23T10:00:00"), Ticket.Progress.none(Optional.empty(), Optional.empty()), dueAt, Channel.HOTLINE);
  }

  static Optional<Instant> nearestAfter(JsonArray locked, TicketEvent... events) {
    return SlaTimers.withNearestDeadline(SETTINGS, ticket(Optional.of(SIGN_DUE)), List.of(events),
        TimerStore.stored(locked)).dueAt();
  }

  static TicketEvent.Signed signed(Instant at) {
    return new TicketEvent.Signed(ID, 1, LEAD, at, "D-A");
  }

  static TicketEvent.Contacted contacted(Instant at, boolean first) {
    return new TicketEvent.Contacted(ID, 1, LEAD, at, at, ContactMethod.PHONE, Optional.empty(), first);
  }

  @Test
  void theLocksJsonReadsAsTheTimersRowsDo() {
    TimerStore.Stored sign = TimerStore.stored(roundOne("RUNNING")).get(0);
    assertThat(sign.id()).isEqualTo(1);
    assertThat(sign.ticketId()).isEqualTo(ID);
    assertThat(sign.policyKey()).isEqualTo("normal");
    assertThat(sign.warnedDueAt()).isNull();
    Timer t = sign.timer();
    assertThat(t.kind()).isEqualTo(TimerKind.SIGN);
    assertThat(t.clock()).isEqualTo(TimerClock.WORKING);
    assertThat(t.allowed()).isEqualTo(SlaDuration.parse("PT4H"));
    assertThat(t.warningShare()).isEqualTo(0.6);
    assertThat(t.dueAt()).isEqualTo(SIGN_DUE);
    assertThat(t.warnAt()).isEqualTo(at("2026-11-23T12:00:00").plusNanos(123_456_000));
    assertThat(t.state()).isEqualTo(TimerState.RUNNING);
    assertThat(t.metAt()).isNull();
    assertThat(t.pausedTotal()).isZero();
    assertThat(t.extendedBy()).isEqualTo(Duration.ofMillis(1500));
    assertThat(TimerStore.stored(new JsonArray())).isEmpty();
  }

  @Test
  void signingMovesTheNearestDeadlineToContact() {
    assertThat(nearestAfter(roundOne("RUNNING"), signed(at("2026-11-23T10:00:00")))).contains(CONTACT_DUE);
  }

  @Test
  void aFirstContactMovesItToResolveAndALaterOneLeavesIt() {
    JsonArray signedAlready = roundOne("MET");
    signedAlready.getJsonObject(0).put("met_at", "2026-11-23T10:00:00+08:00");
    assertThat(nearestAfter(signedAlready, contacted(at("2026-11-23T11:00:00"), true))).contains(RESOLVE_DUE);
    assertThat(nearestAfter(signedAlready, contacted(at("2026-11-23T11:00:00"), false))).contains(CONTACT_DUE);
  }

  @Test
  void aBreachNotYetMetStaysTheNearestDeadlineUntilMet() {
    JsonArray breached = roundOne("BREACHED");
    assertThat(nearestAfter(breached, contacted(at("2026-11-23T15:00:00"), true)))
        .as("SIGN breached and not signed yet").contains(SIGN_DUE);
    assertThat(nearestAfter(breached, signed(at("2026-11-23T15:00:00")))).as("a late sign meets the breach")
        .contains(CONTACT_DUE);
  }

  @Test
  void theTimersOfADispatchAfterTheChangeAreThoseItStartedAsTheChangeLeftThem() {
    java.util.Map<TimerKind, Timer> onTime = SlaTimers.ofDispatch(SETTINGS, ticket(Optional.of(SIGN_DUE)),
        List.of(signed(at("2026-11-23T10:00:00"))), TimerStore.stored(roundOne("RUNNING")), 1,
        at("2026-11-23T09:00:00"));
    assertThat(onTime.get(TimerKind.SIGN).state()).isEqualTo(TimerState.MET);
    assertThat(onTime.get(TimerKind.SIGN).metAt()).isEqualTo(at("2026-11-23T10:00:00"));
    assertThat(onTime.get(TimerKind.CONTACT).metAt()).isNull();

    java.util.Map<TimerKind, Timer> late = SlaTimers.ofDispatch(SETTINGS, ticket(Optional.of(SIGN_DUE)),
        List.of(signed(at("2026-11-23T15:00:00"))), TimerStore.stored(roundOne("BREACHED")), 1,
        at("2026-11-23T09:00:00"));
    assertThat(late.get(TimerKind.SIGN).metAt()).isAfter(late.get(TimerKind.SIGN).dueAt());

    assertThat(SlaTimers.ofDispatch(SETTINGS, ticket(Optional.of(SIGN_DUE)), List.of(signed(at("2026-11-23T10:00:00"))),
        TimerStore.stored(roundOne("RUNNING")), 1, at("2026-11-23T09:30:00")))
        .as("the timers were started by an earlier dispatch of the round").isEmpty();
    assertThat(SlaTimers.ofDispatch(SETTINGS, ticket(Optional.of(SIGN_DUE)), List.of(signed(at("2026-11-23T10:00:00"))),
        TimerStore.stored(roundOne("RUNNING")), 2, at("2026-11-23T09:00:00"))).as("another round").isEmpty();
  }

  @Test
  void closingLeavesNoDeadline() {
    assertThat(nearestAfter(roundOne("RUNNING"), new TicketEvent.Closed(ID, 1, LEAD, at("2026-11-23T10:00:00"),
        Optional.of(Satisfaction.SATISFIED), Optional.empty(), Optional.empty()))).isEmpty();
  }

  @Test
  void nothingReadOrNoTimerEventLeavesTheTicketAsItWas() {
    // the engine's settings are not loaded here: neither case may need them
    SlaTimers listener = new SlaTimers(new SlaEngine(null, null, Duration.ofSeconds(1)), Duration.ofMinutes(1), 10);
    Ticket ticket = ticket(Optional.of(SIGN_DUE));
    List<TicketEvent> sign = List.of(signed(at("2026-11-23T10:00:00")));
    assertThat(listener.beforeSave(ticket, sign, null)).isSameAs(ticket);
    Object locked = listener.decodeLocked(roundOne("RUNNING"));
    assertThat(locked).isEqualTo(TimerStore.stored(roundOne("RUNNING")));
    assertThat(listener.beforeSave(ticket, List.of(new TicketEvent.NoteAdded(ID, 1, LEAD, at("2026-11-23T10:00:00"),
        "已联系")), locked)).isSameAs(ticket);
    assertThat(listener.readWithLock()).contains("sla_timer").contains("$1");
  }
}
