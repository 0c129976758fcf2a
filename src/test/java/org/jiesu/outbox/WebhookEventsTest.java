package org.jiesu.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.auth.Actor;
import org.jiesu.auth.Role;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.workflow.TicketState;
import org.jiesu.ticket.workflow.TicketType;
import org.jiesu.ticket.workflow.Urgency;
import org.jiesu.ticket.workflow.ReplyOutcome;
import org.jiesu.ticket.workflow.TicketEvent;
import org.junit.jupiter.api.Test;

class WebhookEventsTest {

  static final Instant AT = Instant.parse("2026-11-23T07:00:00Z");
  static final UUID ID = UUID.fromString("00000000-0000-0000-0000-000000000001");

  static Ticket ticket(TicketState state) {
    return new Ticket(ID, 1, "12345-1", "h", TicketType.COMPLAINT, Urgency.NORMAL, "market.agency", "标题", "内容",
        AT, new Ticket.Caller("张三丰", "13812345678", false),
        new Ticket.Location("海淀区", "中关村街道", "中关村大街1号", 39.98, 116.30), Optional.empty(), state, 1,
        Optional.of("D-A"), List.of(), Optional.of(AT), 3, AT, AT, Ticket.Progress.atIntake(true), Optional.empty(),
        org.jiesu.ticket.workflow.Channel.HOTLINE);
  }

  @Test
  void aReplyIsToldWithItsOutcomeButNeverTheAnswerText() {
    Actor staff = new Actor("staff@D-A", java.util.Set.of(Role.STAFF), Optional.of("D-A"));
    var replied = new TicketEvent.Replied(ID, 1, staff, AT, ReplyOutcome.RESOLVED, "已联系张三丰 13812345678", Optional.empty(),
        List.of());
    var note = new TicketEvent.NoteAdded(ID, 1, staff, AT, "张三丰说");
    List<WebhookEvents.Outgoing> out = WebhookEvents.of(ticket(TicketState.REPLIED), List.of(note, replied));
    assertThat(out).hasSize(1);
    WebhookEvents.Outgoing o = out.get(0);
    assertThat(o.kind()).isEqualTo("ticket.replied");
    assertThat(o.data().getString("outcome")).isEqualTo("RESOLVED");
    assertThat(o.data().getString("state")).isEqualTo("REPLIED");
    assertThat(o.data().getString("externalId")).isEqualTo("12345-1");
    String body = WebhookEvents.body(o.kind(), o.at(), o.data());
    assertThat(body).doesNotContain("张三丰", "13812345678", "中关村大街");
    assertThat(new JsonObject(body).getString("timestamp")).isEqualTo("2026-11-23T07:00:00Z");
  }

  @Test
  void everyKindIsOneASubscriptionMayAskFor() {
    assertThat(WebhookEvents.ALL).contains("ticket.signed", "ticket.replied", "ticket.closed", "ticket.returned",
        "sla.warning", "sla.breached").doesNotHaveDuplicates();
  }
}
