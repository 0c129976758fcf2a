package org.jiesu.ticket.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an actor sends with an action, as parsed from the request body. Required fields may arrive null:
 * the rules answer {@link Refusal.Invalid} naming the field, after the access and state checks, so a
 * caller who may not act learns nothing from a bad body. Optional fields are normalised to
 * {@link Optional#empty()} (and blank text counts as absent).
 */
public final class Inputs {

  private Inputs() {}

  /**
   * 受理: what decides a new ticket's state. The departments come from the hotline or from the routing
   * rule {@code ruleId}; {@code answeredBy} marks a consultation the hotline answered itself.
   */
  public record Intake(String externalId, org.jiesu.ticket.workflow.Urgency urgency, String category,
      Optional<String> leadDepartment, List<String> assistingDepartments, Optional<String> ruleId,
      Optional<String> answeredBy, Optional<java.util.UUID> knowledgeArticleId) {
    public Intake {
      assistingDepartments = List.copyOf(assistingDepartments);
    }
  }

  /** 派单: the lead department and any assisting departments. */
  public record Dispatch(String leadDepartment, List<String> assistingDepartments, Optional<String> reason) {
    public Dispatch {
      assistingDepartments = assistingDepartments == null ? List.of() : List.copyOf(assistingDepartments);
      reason = text(reason);
    }
  }

  /** A contact with the caller: when it happened, how, and what was said. */
  public record Contact(Instant at, ContactMethod method, Optional<String> note) {
    public Contact {
      note = text(note);
    }
  }

  /** 退单 request. */
  public record Return(String reason, Optional<String> suggestedDepartment) {
    public Return {
      suggestedDepartment = text(suggestedDepartment);
    }
  }

  /** A decision on a pending return, extension or suspension request. */
  public record Decision(Verdict verdict, Optional<String> reason) {
    public Decision {
      reason = text(reason);
    }

    public static Decision approve(String reason) {
      return new Decision(Verdict.APPROVE, Optional.ofNullable(reason));
    }

    public static Decision reject(String reason) {
      return new Decision(Verdict.REJECT, Optional.ofNullable(reason));
    }
  }

  /**
   * 延期 request. {@code until} is the new RESOLVE deadline the department asks for; {@code length} is how
   * far that moves the current deadline, computed by the SLA engine in the clock of the cap (the deadline
   * and the working-day calendar live there, not in these rules).
   */
  public record Extension(Instant until, Duration length, String reason) {}

  /** 答复. {@code finding} is for complaints and reports that name a regulated business, and only those. */
  public record Reply(ReplyOutcome outcome, String answer, Optional<Finding> finding) {
    public Reply {
      finding = finding == null ? Optional.empty() : finding;
    }
  }

  /** 回访: the caller's answers, and whether the hotline orders a new round (rework). */
  public record Callback(boolean resolved, Satisfaction satisfaction, Optional<String> comment, boolean rework) {
    public Callback {
      comment = text(comment);
    }
  }

  /** 督办 order: what the department must do and by when it must respond. */
  public record SupervisionOrder(String instruction, Instant respondBy) {}

  private static Optional<String> text(Optional<String> value) {
    return value == null ? Optional.empty() : value.map(String::strip).filter(s -> !s.isEmpty());
  }
}
