package org.jiesu.ticket.workflow;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.auth.Actor;

/**
 * What happened to a ticket: the one description the rules produce, the store persists, listeners react
 * to and the timeline shows. One record per kind; every event says which ticket, in which round, who and
 * when (DESIGN §2). Each kind has one JSON shape ({@link #fields()}): every key of the kind is always
 * there, null or empty when it does not apply, whichever action emitted it.
 */
public sealed interface TicketEvent {

  String RECEIVED = "RECEIVED";
  String DISPATCHED = "DISPATCHED";
  String SIGNED = "SIGNED";
  String CONTACTED = "CONTACTED";
  String NOTE_ADDED = "NOTE_ADDED";
  String RETURN_REQUESTED = "RETURN_REQUESTED";
  String RETURN_APPROVED = "RETURN_APPROVED";
  String RETURN_REJECTED = "RETURN_REJECTED";
  String EXTENSION_REQUESTED = "EXTENSION_REQUESTED";
  String EXTENSION_APPROVED = "EXTENSION_APPROVED";
  String EXTENSION_REJECTED = "EXTENSION_REJECTED";
  String SUSPENSION_REQUESTED = "SUSPENSION_REQUESTED";
  String SUSPENDED = "SUSPENDED";
  String SUSPENSION_REJECTED = "SUSPENSION_REJECTED";
  String RESUMED = "RESUMED";
  String REPLIED = "REPLIED";
  String CALLBACK = "CALLBACK";
  String CLOSED = "CLOSED";
  String REWORK = "REWORK";
  String MERGED = "MERGED";
  String MERGED_FROM = "MERGED_FROM";
  String SUPERVISION_ORDERED = "SUPERVISION_ORDERED";
  String SUPERVISION_ACKNOWLEDGED = "SUPERVISION_ACKNOWLEDGED";
  String MARKED_UNREASONABLE = "MARKED_UNREASONABLE";

  /** Why a ticket went to a department; repeat dispatches are counted per department (DESIGN §4). */
  enum Cause { DISPATCH, RETURN, REWORK }

  /** The ticket the event belongs to. */
  UUID ticket();

  int round();

  Actor actor();

  Instant at();

  /** The kind, as the timeline names it. */
  String type();

  /** Every key of this kind in a fixed order, absent values as null (the stored and shown shape). */
  Map<String, Object> fields();

  /** The values that are present: the fields without nulls and empty lists. */
  default Map<String, Object> details() {
    Map<String, Object> out = new LinkedHashMap<>();
    fields().forEach((k, v) -> {
      if (v != null && !(v instanceof Collection<?> c && c.isEmpty())) {
        out.put(k, v);
      }
    });
    return Collections.unmodifiableMap(out);
  }

  /** Alternating keys and values, optionals unwrapped to their value or null. */
  private static Map<String, Object> of(Object... keyValues) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      Object v = keyValues[i + 1];
      out.put((String) keyValues[i], v instanceof Optional<?> o ? o.orElse(null) : v);
    }
    return Collections.unmodifiableMap(out);
  }

  /** 受理: a new ticket. */
  record Received(UUID ticket, int round, Actor actor, Instant at, String externalId, TicketType ticketType,
      Urgency urgency, String category) implements TicketEvent {
    public String type() {
      return RECEIVED;
    }

    public Map<String, Object> fields() {
      return of("externalId", externalId, "type", ticketType, "urgency", urgency, "category", category);
    }
  }

  /**
   * 派单: to a lead department (and assisting ones), at intake or later. {@code by} is who chose the
   * departments: HOTLINE, SUPERVISOR or ROUTING (then {@code ruleId} names the rule).
   */
  record Dispatched(UUID ticket, int round, Actor actor, Instant at, String leadDepartment,
      List<String> assistingDepartments, boolean repeat, Cause cause, String by, Optional<String> ruleId,
      Optional<String> previousLead, Optional<String> reason, List<UUID> withdrawnRequests) implements TicketEvent {
    public Dispatched {
      requireNonNull(leadDepartment, "leadDepartment");
      assistingDepartments = List.copyOf(assistingDepartments);
      withdrawnRequests = List.copyOf(withdrawnRequests);
    }

    public String type() {
      return DISPATCHED;
    }

    public Map<String, Object> fields() {
      return of("leadDepartment", leadDepartment, "assistingDepartments", assistingDepartments, "repeat", repeat,
          "cause", cause.name(), "by", by, "ruleId", ruleId, "previousLead", previousLead, "reason", reason,
          "withdrawnRequests", withdrawnRequests);
    }
  }

  /** 签收. */
  record Signed(UUID ticket, int round, Actor actor, Instant at, String department) implements TicketEvent {
    public String type() {
      return SIGNED;
    }

    public Map<String, Object> fields() {
      return of("department", department);
    }
  }

  /** A contact with the caller; {@code first} when it is the earliest one so far. */
  record Contacted(UUID ticket, int round, Actor actor, Instant at, Instant contactedAt, ContactMethod method,
      Optional<String> note, boolean first) implements TicketEvent {
    public String type() {
      return CONTACTED;
    }

    public Map<String, Object> fields() {
      return of("contactedAt", contactedAt, "method", method, "note", note, "first", first);
    }
  }

  record NoteAdded(UUID ticket, int round, Actor actor, Instant at, String text) implements TicketEvent {
    public String type() {
      return NOTE_ADDED;
    }

    public Map<String, Object> fields() {
      return of("text", text);
    }
  }

  /** 退单 request by {@code department}. */
  record ReturnRequested(UUID ticket, int round, Actor actor, Instant at, UUID requestId, String department,
      String reason, Optional<String> suggestedDepartment) implements TicketEvent {
    public String type() {
      return RETURN_REQUESTED;
    }

    public Map<String, Object> fields() {
      return of("requestId", requestId, "reason", reason, "suggestedDepartment", suggestedDepartment);
    }
  }

  record ReturnApproved(UUID ticket, int round, Actor actor, Instant at, UUID requestId, String department,
      Optional<String> reason, Optional<String> suggestedDepartment, List<UUID> withdrawnRequests)
      implements TicketEvent {
    public ReturnApproved {
      withdrawnRequests = List.copyOf(withdrawnRequests);
    }

    public String type() {
      return RETURN_APPROVED;
    }

    public Map<String, Object> fields() {
      return of("requestId", requestId, "department", department, "reason", reason,
          "suggestedDepartment", suggestedDepartment, "withdrawnRequests", withdrawnRequests);
    }
  }

  record ReturnRejected(UUID ticket, int round, Actor actor, Instant at, UUID requestId, String department,
      Optional<String> reason) implements TicketEvent {
    public String type() {
      return RETURN_REJECTED;
    }

    public Map<String, Object> fields() {
      return of("requestId", requestId, "department", department, "reason", reason);
    }
  }

  /** 延期 request: {@code until} the new deadline asked for, {@code length} how far it moves it. */
  record ExtensionRequested(UUID ticket, int round, Actor actor, Instant at, UUID requestId, String department,
      Instant until, Duration length, String reason) implements TicketEvent {
    public String type() {
      return EXTENSION_REQUESTED;
    }

    public Map<String, Object> fields() {
      return of("requestId", requestId, "until", until, "length", length, "reason", reason);
    }
  }

  record ExtensionApproved(UUID ticket, int round, Actor actor, Instant at, UUID requestId, Instant until,
      Duration length, Instant requestedAt, Duration totalExtension, Optional<String> reason) implements TicketEvent {
    public String type() {
      return EXTENSION_APPROVED;
    }

    public Map<String, Object> fields() {
      return of("requestId", requestId, "until", until, "length", length, "requestedAt", requestedAt,
          "grantedAt", at, "totalExtension", totalExtension, "reason", reason);
    }
  }

  record ExtensionRejected(UUID ticket, int round, Actor actor, Instant at, UUID requestId, Optional<String> reason)
      implements TicketEvent {
    public String type() {
      return EXTENSION_REJECTED;
    }

    public Map<String, Object> fields() {
      return of("requestId", requestId, "reason", reason);
    }
  }

  /** 挂起 request. */
  record SuspensionRequested(UUID ticket, int round, Actor actor, Instant at, UUID requestId, String department,
      String reason) implements TicketEvent {
    public String type() {
      return SUSPENSION_REQUESTED;
    }

    public Map<String, Object> fields() {
      return of("requestId", requestId, "reason", reason);
    }
  }

  /** An approved suspension: the clocks pause from {@code at}. */
  record Suspended(UUID ticket, int round, Actor actor, Instant at, UUID requestId, String requestReason,
      Optional<String> reason) implements TicketEvent {
    public String type() {
      return SUSPENDED;
    }

    public Map<String, Object> fields() {
      return of("requestId", requestId, "requestReason", requestReason, "reason", reason);
    }
  }

  record SuspensionRejected(UUID ticket, int round, Actor actor, Instant at, UUID requestId, Optional<String> reason)
      implements TicketEvent {
    public String type() {
      return SUSPENSION_REJECTED;
    }

    public Map<String, Object> fields() {
      return of("requestId", requestId, "reason", reason);
    }
  }

  /** The end of a suspension, with the paused span for the SLA engine. */
  record Resumed(UUID ticket, int round, Actor actor, Instant at, Instant pausedFrom, Optional<String> reason)
      implements TicketEvent {
    public String type() {
      return RESUMED;
    }

    public Map<String, Object> fields() {
      return of("pausedFrom", pausedFrom, "pausedTo", at, "paused", Duration.between(pausedFrom, at),
          "reason", reason);
    }
  }

  /** 答复. */
  record Replied(UUID ticket, int round, Actor actor, Instant at, ReplyOutcome outcome, String answer,
      Optional<Finding> finding, List<UUID> withdrawnRequests) implements TicketEvent {
    public Replied {
      withdrawnRequests = List.copyOf(withdrawnRequests);
    }

    public String type() {
      return REPLIED;
    }

    public Map<String, Object> fields() {
      return of("outcome", outcome, "answer", answer, "finding", finding, "withdrawnRequests", withdrawnRequests);
    }
  }

  /** 回访. */
  record CallbackMade(UUID ticket, int round, Actor actor, Instant at, boolean resolved, Satisfaction satisfaction,
      Optional<String> comment, boolean rework) implements TicketEvent {
    public String type() {
      return CALLBACK;
    }

    public Map<String, Object> fields() {
      return of("resolved", resolved, "satisfaction", satisfaction, "comment", comment, "rework", rework);
    }
  }

  /**
   * 办结: after a callback ({@code satisfaction}), or at intake for a consultation the hotline answered
   * itself ({@code answeredBy}, {@code knowledgeArticleId}).
   */
  record Closed(UUID ticket, int round, Actor actor, Instant at, Optional<Satisfaction> satisfaction,
      Optional<String> answeredBy, Optional<UUID> knowledgeArticleId) implements TicketEvent {
    public String type() {
      return CLOSED;
    }

    public Map<String, Object> fields() {
      return of("satisfaction", satisfaction, "answeredBy", answeredBy, "knowledgeArticleId", knowledgeArticleId);
    }
  }

  /** 重办: a new round begins. */
  record Rework(UUID ticket, int round, Actor actor, Instant at, int newRound) implements TicketEvent {
    public String type() {
      return REWORK;
    }

    public Map<String, Object> fields() {
      return of("newRound", newRound);
    }
  }

  /** 并单: this ticket became a duplicate of {@code into}. */
  record Merged(UUID ticket, int round, Actor actor, Instant at, UUID into, TicketState previousState,
      Optional<String> reason, Optional<Instant> suspendedSince, List<UUID> withdrawnRequests) implements TicketEvent {
    public Merged {
      withdrawnRequests = List.copyOf(withdrawnRequests);
    }

    public String type() {
      return MERGED;
    }

    public Map<String, Object> fields() {
      return of("into", into, "previousState", previousState, "reason", reason, "suspendedSince", suspendedSince,
          "withdrawnRequests", withdrawnRequests);
    }
  }

  /** The other end of a merge, in the primary's timeline. */
  record MergedFrom(UUID ticket, int round, Actor actor, Instant at, UUID duplicate) implements TicketEvent {
    public String type() {
      return MERGED_FROM;
    }

    public Map<String, Object> fields() {
      return of("duplicate", duplicate);
    }
  }

  /** 督办 order, addressed to {@code department}. */
  record SupervisionOrdered(UUID ticket, int round, Actor actor, Instant at, UUID orderId, String department,
      String instruction, Instant respondBy) implements TicketEvent {
    public String type() {
      return SUPERVISION_ORDERED;
    }

    public Map<String, Object> fields() {
      return of("orderId", orderId, "department", department, "instruction", instruction, "respondBy", respondBy);
    }
  }

  record SupervisionAcknowledged(UUID ticket, int round, Actor actor, Instant at, UUID orderId,
      Optional<String> comment, boolean late) implements TicketEvent {
    public String type() {
      return SUPERVISION_ACKNOWLEDGED;
    }

    public Map<String, Object> fields() {
      return of("orderId", orderId, "comment", comment, "late", late);
    }
  }

  record MarkedUnreasonable(UUID ticket, int round, Actor actor, Instant at, String reason) implements TicketEvent {
    public String type() {
      return MARKED_UNREASONABLE;
    }

    public Map<String, Object> fields() {
      return of("reason", reason);
    }
  }
}
