package org.jiesu.credit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jiesu.credit.CreditEvent.Kind;
import org.jiesu.platform.Problem;

/**
 * Whether an inspector may record a credit event on an entity with these events (plain rules, no I/O): a
 * substantiated complaint comes only from a ticket; points only on a commendation; a repair names a
 * deduction of the same entity, once, and not before the minimum publication period has passed; a removal
 * ends a listing that is in force; nothing takes effect in the future.
 */
public final class CreditEventRules {

  private CreditEventRules() {}

  public static Optional<Problem> refusal(List<CreditEvent> existing, CreditEvent proposed, Instant now,
      CreditScore score) {
    Kind kind = proposed.kind();
    if (kind == Kind.SUBSTANTIATED_COMPLAINT) {
      return rule("/kind", "SUBSTANTIATED_COMPLAINT comes only from a ticket replied with finding SUBSTANTIATED");
    }
    if (proposed.effectiveAt().isAfter(now)) {
      return rule("/effectiveAt", "lies in the future; record the event when it takes effect");
    }
    if (kind == Kind.COMMENDATION && proposed.points().isEmpty()) {
      return rule("/points", "is required for a COMMENDATION (1 to 10)");
    }
    if (kind != Kind.COMMENDATION && proposed.points().isPresent()) {
      return rule("/points", "applies only to a COMMENDATION");
    }
    if (kind == Kind.REPAIR && proposed.repairs().isEmpty()) {
      return rule("/repairs", "is required for a REPAIR: the id of the repaired event");
    }
    if (kind != Kind.REPAIR && proposed.repairs().isPresent()) {
      return rule("/repairs", "applies only to a REPAIR");
    }
    switch (kind) {
      case REPAIR -> {
        String id = proposed.repairs().orElseThrow();
        Optional<CreditEvent> target = existing.stream().filter(e -> e.id().equals(id)).findFirst();
        if (target.isEmpty()) {
          return Optional.of(Problem.unprocessable("/repairs", "no credit event " + id + " of this entity"));
        }
        if (!target.get().kind().isDeduction()) {
          return rule("/repairs", "a " + target.get().kind() + " is not a deduction and cannot be repaired");
        }
        if (existing.stream().anyMatch(e -> e.kind() == Kind.REPAIR && e.repairs().equals(proposed.repairs()))) {
          return rule("/repairs", "event " + id + " is repaired already");
        }
        if (!score.repairable(target.get(), proposed.effectiveAt())) {
          return rule("/repairs", "may be repaired from " + score.repairableFrom(target.get())
              + ", after the minimum period of " + score.rules().repairAfter() + " from its effective time");
        }
      }
      case ABNORMAL_LIST_REMOVED, SERIOUS_VIOLATION_LIST_REMOVED -> {
        Kind listing = kind == Kind.ABNORMAL_LIST_REMOVED ? Kind.ABNORMAL_LIST : Kind.SERIOUS_VIOLATION_LIST;
        if (!listed(existing, listing, kind, proposed.effectiveAt())) {
          return rule("/kind", "the entity is not on the " + name(listing) + " at " + proposed.effectiveAt());
        }
      }
      case ABNORMAL_LIST, SERIOUS_VIOLATION_LIST -> {
        Kind removal = kind == Kind.ABNORMAL_LIST ? Kind.ABNORMAL_LIST_REMOVED : Kind.SERIOUS_VIOLATION_LIST_REMOVED;
        if (listed(existing, kind, removal, proposed.effectiveAt())) {
          return rule("/kind", "the entity is on the " + name(kind) + " already");
        }
      }
      default -> { }
    }
    return Optional.empty();
  }

  /** Whether a listing of {@code listing} is in force at {@code at}: the latest of the two kinds is a listing. */
  static boolean listed(List<CreditEvent> events, Kind listing, Kind removal, Instant at) {
    return events.stream().filter(e -> (e.kind() == listing || e.kind() == removal) && !e.effectiveAt().isAfter(at))
        .max(java.util.Comparator.comparing(CreditEvent::effectiveAt)
            .thenComparing(e -> e.kind() == removal ? 1 : 0))
        .map(e -> e.kind() == listing).orElse(false);
  }

  private static String name(Kind listing) {
    return listing == Kind.ABNORMAL_LIST ? "abnormal list" : "serious-violation list";
  }

  private static Optional<Problem> rule(String field, String message) {
    return Optional.of(Problem.ruleViolation(field, message));
  }
}
