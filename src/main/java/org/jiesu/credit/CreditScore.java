package org.jiesu.credit;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An entity's score and grade as of an instant, with every event that makes it up (DESIGN §6): score =
 * 100 − active deductions + bonus; grades A+ above 100, A from 90, B from 80, C from 60, D below or on a veto.
 * Pure and explainable: the same events and instant always give the same answer.
 *
 * <p>Readings where the design is terse, written down here:
 * <ul>
 *   <li>Abnormal list (−20, −10 if cured within 30 days, until removed): the first 30 days of a listing are a
 *       grace period at −10; a listing not removed by then counts −20; a removal ends it.</li>
 *   <li>Substantiated complaints count −2 each, and together at most −10 within their 12-month window.</li>
 *   <li>Commendations add their points for 12 months, together at most +10.</li>
 *   <li>A repair stops the repaired event from counting from the repair's effective time; both stay listed.</li>
 * </ul>
 */
public final class CreditScore {

  public record EventView(CreditEvent event, int points, Instant expiresAt, boolean active) {}

  public record Result(double score, String grade, boolean veto, Set<String> flags, List<EventView> events) {}

  private final CreditRules rules;
  private final ZoneId zone;

  public CreditScore(CreditRules rules, ZoneId zone) {
    this.rules = rules;
    this.zone = zone;
  }

  /** Whether {@code target} may be repaired at {@code at}: a deduction, after the minimum publication period. */
  public boolean repairable(CreditEvent target, Instant at) {
    return target.kind().isDeduction() && !at.isBefore(repairableFrom(target));
  }

  /** The end of the minimum publication period: the earliest a repair of {@code target} may take effect. */
  public Instant repairableFrom(CreditEvent target) {
    return plus(target.effectiveAt(), rules.repairAfter());
  }

  public CreditRules rules() {
    return rules;
  }

  /**
   * @param unverifiedComplaints when complaints naming the entity were received without a substantiated finding
   */
  public Result asOf(List<CreditEvent> all, List<Instant> unverifiedComplaints, Instant at) {
    List<CreditEvent> known = all.stream().filter(e -> !e.effectiveAt().isAfter(at))
        .sorted(Comparator.comparing(CreditEvent::effectiveAt).thenComparing(CreditEvent::id)).toList();
    Map<String, Instant> repairedAt = new HashMap<>();
    for (CreditEvent e : known) {
      if (e.kind() == CreditEvent.Kind.REPAIR) {
        e.repairs().ifPresent(id -> repairedAt.merge(id, e.effectiveAt(), (a, b) -> a.isBefore(b) ? a : b));
      }
    }
    List<EventView> views = new ArrayList<>();
    int deductions = 0;
    int complaints = 0;
    int bonus = 0;
    boolean veto = false;
    for (CreditEvent e : known) {
      Instant expires = expiry(e, known);
      boolean active = (expires == null || at.isBefore(expires)) && !repairedAt.containsKey(e.id());
      int points = 0;
      if (active) {
        switch (e.kind()) {
          case ABNORMAL_LIST -> points = at.isBefore(e.effectiveAt().plus(rules.abnormalGrace()))
              ? rules.abnormalListInGrace() : rules.abnormalList();
          case MINOR_PENALTY -> points = rules.minorPenalty();
          case GENERAL_PENALTY -> points = rules.generalPenalty();
          case SERIOUS_PENALTY -> points = rules.seriousPenalty();
          case SUBSTANTIATED_COMPLAINT -> {
            points = Math.max(rules.complaint(), rules.complaintCap() - complaints);
            complaints += points;
          }
          case COMMENDATION -> {
            points = Math.min(e.points().orElse(0), rules.bonusCap() - bonus);
            bonus += points;
          }
          case SERIOUS_VIOLATION_LIST -> veto = true;
          default -> { }
        }
        if (e.kind() != CreditEvent.Kind.COMMENDATION) {
          deductions += points;
        }
      }
      views.add(new EventView(e, points, expires, active));
    }
    double score = 100 + deductions + bonus;
    Set<String> flags = new TreeSet<>();
    Instant since = at.minus(rules.unverifiedWindow());
    long recent = unverifiedComplaints.stream().filter(t -> !t.isAfter(at) && t.isAfter(since)).count();
    if (recent >= rules.unverifiedForFlag()) {
      flags.add("TARGETED_CHECK");
    }
    return new Result(score, grade(score, veto), veto, flags, views);
  }

  String grade(double score, boolean veto) {
    if (veto || score < rules.gradeC()) {
      return "D";
    }
    if (score > rules.gradeAPlus()) {
      return "A+";
    }
    if (score >= rules.gradeA()) {
      return "A";
    }
    return score >= rules.gradeB() ? "B" : "C";
  }

  /** When the event stops counting: its window's end, or for lists the first later removal; null: not yet. */
  private Instant expiry(CreditEvent e, List<CreditEvent> known) {
    return switch (e.kind()) {
      case MINOR_PENALTY -> plus(e.effectiveAt(), rules.minorWindow());
      case GENERAL_PENALTY -> plus(e.effectiveAt(), rules.generalWindow());
      case SERIOUS_PENALTY -> plus(e.effectiveAt(), rules.seriousWindow());
      case SUBSTANTIATED_COMPLAINT -> plus(e.effectiveAt(), rules.complaintWindow());
      case COMMENDATION -> plus(e.effectiveAt(), rules.commendationWindow());
      case ABNORMAL_LIST -> removal(e, known, CreditEvent.Kind.ABNORMAL_LIST_REMOVED).orElse(null);
      case SERIOUS_VIOLATION_LIST -> removal(e, known, CreditEvent.Kind.SERIOUS_VIOLATION_LIST_REMOVED).orElse(null);
      default -> e.effectiveAt();
    };
  }

  private static Optional<Instant> removal(CreditEvent listing, List<CreditEvent> known, CreditEvent.Kind removed) {
    return known.stream().filter(r -> r.kind() == removed && !r.effectiveAt().isBefore(listing.effectiveAt()))
        .map(CreditEvent::effectiveAt).min(Comparator.naturalOrder());
  }

  private Instant plus(Instant t, java.time.Period p) {
    return ZonedDateTime.ofInstant(t, zone).plus(p).toInstant();
  }
}
