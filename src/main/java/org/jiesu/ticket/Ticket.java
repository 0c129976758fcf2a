package org.jiesu.ticket;

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

  /** The ETag: changes with every state change. */
  public String etag() {
    return "\"" + version + "\"";
  }
}
