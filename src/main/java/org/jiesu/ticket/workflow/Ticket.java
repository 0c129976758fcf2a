package org.jiesu.ticket.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** 工单: one citizen request as stored, with its current state. */
public record Ticket(
    UUID id,
    long seq,
    String externalId,
    String intakeHash,
    TicketType type,
    Urgency urgency,
    String category,
    String title,
    String content,
    Instant receivedAt,
    Caller caller,
    Location location,
    Optional<Subject> subject,
    TicketState state,
    int round,
    Optional<String> leadDepartment,
    List<String> assistingDepartments,
    Optional<Instant> dispatchedAt,
    int version,
    Instant createdAt,
    Instant updatedAt,
    Progress progress,
    // the nearest deadline of the open SLA timers, kept by the SLA engine through TicketDeadlines
    Optional<Instant> dueAt,
    Channel channel) {

  /**
   * How far handling has got: the facts of the current round and its outcome. Stored, never recomputed
   * from the timeline, so reports read them directly.
   */
  public record Progress(
      Optional<Instant> signedAt,
      Optional<Instant> firstContactAt,
      Optional<Instant> suspendedAt,
      Duration grantedExtension,
      Optional<UUID> mergedInto,
      boolean unreasonable,
      int dispatchCount,
      Optional<Instant> repliedAt,
      Optional<String> replyOutcome,
      Optional<String> replyFinding,
      Optional<Boolean> callbackResolved,
      Optional<String> callbackSatisfaction,
      Optional<Instant> closedAt,
      Optional<String> answeredBy,
      Optional<UUID> knowledgeArticleId,
      Optional<Instant> extendedUntil) {

    /** Nothing done yet: a ticket as the intake receives it, before the intake rule decides its state. */
    public static Progress none(Optional<String> answeredBy, Optional<UUID> knowledgeArticleId) {
      return new Progress(Optional.empty(), Optional.empty(), Optional.empty(), Duration.ZERO, Optional.empty(),
          false, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.empty(), answeredBy, knowledgeArticleId, Optional.empty());
    }

    public Progress withSignedAt(Optional<Instant> value) {
      return new Progress(value, firstContactAt, suspendedAt, grantedExtension, mergedInto, unreasonable,
          dispatchCount, repliedAt, replyOutcome, replyFinding, callbackResolved, callbackSatisfaction, closedAt,
          answeredBy, knowledgeArticleId, extendedUntil);
    }

    public Progress withFirstContactAt(Optional<Instant> value) {
      return new Progress(signedAt, value, suspendedAt, grantedExtension, mergedInto, unreasonable,
          dispatchCount, repliedAt, replyOutcome, replyFinding, callbackResolved, callbackSatisfaction, closedAt,
          answeredBy, knowledgeArticleId, extendedUntil);
    }

    public Progress withSuspendedAt(Optional<Instant> value) {
      return new Progress(signedAt, firstContactAt, value, grantedExtension, mergedInto, unreasonable,
          dispatchCount, repliedAt, replyOutcome, replyFinding, callbackResolved, callbackSatisfaction, closedAt,
          answeredBy, knowledgeArticleId, extendedUntil);
    }

    public Progress withGrantedExtension(Duration value) {
      return new Progress(signedAt, firstContactAt, suspendedAt, value, mergedInto, unreasonable,
          dispatchCount, repliedAt, replyOutcome, replyFinding, callbackResolved, callbackSatisfaction, closedAt,
          answeredBy, knowledgeArticleId, extendedUntil);
    }

    public Progress withMergedInto(Optional<UUID> value) {
      return new Progress(signedAt, firstContactAt, suspendedAt, grantedExtension, value, unreasonable,
          dispatchCount, repliedAt, replyOutcome, replyFinding, callbackResolved, callbackSatisfaction, closedAt,
          answeredBy, knowledgeArticleId, extendedUntil);
    }

    public Progress withUnreasonable(boolean value) {
      return new Progress(signedAt, firstContactAt, suspendedAt, grantedExtension, mergedInto, value,
          dispatchCount, repliedAt, replyOutcome, replyFinding, callbackResolved, callbackSatisfaction, closedAt,
          answeredBy, knowledgeArticleId, extendedUntil);
    }

    public Progress withDispatchCount(int value) {
      return new Progress(signedAt, firstContactAt, suspendedAt, grantedExtension, mergedInto, unreasonable,
          value, repliedAt, replyOutcome, replyFinding, callbackResolved, callbackSatisfaction, closedAt,
          answeredBy, knowledgeArticleId, extendedUntil);
    }

    /** The reply of the current round: when, its outcome, its finding (all empty: none yet). */
    public Progress withReply(Optional<Instant> at, Optional<String> outcome, Optional<String> finding) {
      return new Progress(signedAt, firstContactAt, suspendedAt, grantedExtension, mergedInto, unreasonable,
          dispatchCount, at, outcome, finding, callbackResolved, callbackSatisfaction, closedAt,
          answeredBy, knowledgeArticleId, extendedUntil);
    }

    /** The callback of the current round (both empty: none yet). */
    public Progress withCallback(Optional<Boolean> resolved, Optional<String> satisfaction) {
      return new Progress(signedAt, firstContactAt, suspendedAt, grantedExtension, mergedInto, unreasonable,
          dispatchCount, repliedAt, replyOutcome, replyFinding, resolved, satisfaction, closedAt,
          answeredBy, knowledgeArticleId, extendedUntil);
    }

    public Progress withClosedAt(Optional<Instant> value) {
      return new Progress(signedAt, firstContactAt, suspendedAt, grantedExtension, mergedInto, unreasonable,
          dispatchCount, repliedAt, replyOutcome, replyFinding, callbackResolved, callbackSatisfaction, value,
          answeredBy, knowledgeArticleId, extendedUntil);
    }

    /** The RESOLVE deadline the latest approved extension of the current assignment set. */
    public Progress withExtendedUntil(Optional<Instant> value) {
      return new Progress(signedAt, firstContactAt, suspendedAt, grantedExtension, mergedInto, unreasonable,
          dispatchCount, repliedAt, replyOutcome, replyFinding, callbackResolved, callbackSatisfaction, closedAt,
          answeredBy, knowledgeArticleId, value);
    }

    /** A ticket just taken in: dispatched once if the hotline named a department. */
    public static Progress atIntake(boolean dispatched) {
      return new Progress(Optional.empty(), Optional.empty(), Optional.empty(), Duration.ZERO, Optional.empty(),
          false, dispatched ? 1 : 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /** The caller (诉求人): personal information, shown in full only to those who need it. */
  public record Caller(String name, String phone, boolean confidential) {}

  /** Where the matter is; {@code address} is personal information, district and street are not. */
  public record Location(String district, String street, String address, Double lat, Double lon) {}

  /** The regulated business a complaint or report is about. */
  public record Subject(String creditCode, String name) {}

  public Ticket {
    assistingDepartments = List.copyOf(assistingDepartments);
  }

  /** REPORTs (whistleblowing) and callers who asked for it keep their identity from departments. */
  public boolean confidential() {
    return caller.confidential() || type == TicketType.REPORT;
  }

  public boolean isLead(String dept) {
    return leadDepartment.map(dept::equals).orElse(false);
  }

  public boolean isAssisting(String dept) {
    return assistingDepartments.contains(dept);
  }

  // ---- record copies: the workflow rules change a ticket only through these

  public Ticket withState(TicketState value) {
    return new Ticket(id, seq, externalId, intakeHash, type, urgency, category, title, content, receivedAt, caller,
        location, subject, value, round, leadDepartment, assistingDepartments, dispatchedAt, version, createdAt,
        updatedAt, progress, dueAt, channel);
  }

  public Ticket withRound(int value) {
    return new Ticket(id, seq, externalId, intakeHash, type, urgency, category, title, content, receivedAt, caller,
        location, subject, state, value, leadDepartment, assistingDepartments, dispatchedAt, version, createdAt,
        updatedAt, progress, dueAt, channel);
  }

  /** Who handles the ticket and since when (all empty: nobody, back in the dispatch queue). */
  public Ticket withAssignment(Optional<String> lead, List<String> assisting, Optional<Instant> since) {
    return new Ticket(id, seq, externalId, intakeHash, type, urgency, category, title, content, receivedAt, caller,
        location, subject, state, round, lead, assisting, since, version, createdAt, updatedAt, progress, dueAt,
        channel);
  }

  public Ticket withProgress(Progress value) {
    return new Ticket(id, seq, externalId, intakeHash, type, urgency, category, title, content, receivedAt, caller,
        location, subject, state, round, leadDepartment, assistingDepartments, dispatchedAt, version, createdAt,
        updatedAt, value, dueAt, channel);
  }

  public Ticket withProgress(java.util.function.UnaryOperator<Progress> change) {
    return withProgress(change.apply(progress));
  }

  /** A new version, changed at {@code at}. */
  public Ticket withVersion(int value, Instant at) {
    return new Ticket(id, seq, externalId, intakeHash, type, urgency, category, title, content, receivedAt, caller,
        location, subject, state, round, leadDepartment, assistingDepartments, dispatchedAt, value, createdAt,
        at, progress, dueAt, channel);
  }

  /** The nearest deadline of the open SLA timers, as the SLA engine decided it (see TicketDeadlines). */
  public Ticket withDueAt(Optional<Instant> value) {
    return new Ticket(id, seq, externalId, intakeHash, type, urgency, category, title, content, receivedAt,
        caller, location, subject, state, round, leadDepartment, assistingDepartments, dispatchedAt, version,
        createdAt, updatedAt, progress, value, channel);
  }

  /** The row's own numbers, which only the database assigns (its sequence, the SLA engine's deadline). */
  public Ticket withStored(long storedSeq, Optional<Instant> storedDueAt) {
    return new Ticket(id, storedSeq, externalId, intakeHash, type, urgency, category, title, content, receivedAt,
        caller, location, subject, state, round, leadDepartment, assistingDepartments, dispatchedAt, version,
        createdAt, updatedAt, progress, storedDueAt, channel);
  }

  /** The ETag: changes with every state change. */
  public String etag() {
    return "\"" + version + "\"";
  }
}
