package org.jiesu.credit;

import java.time.Duration;
import java.time.Period;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The configurable numbers of credit grading (DESIGN §6 defaults). Points are deductions as negative
 * numbers; windows are calendar periods in the entity's zone, counted from the event's effective date.
 * Each can be set by a {@code JIESU_CREDIT_*} variable ({@link #from}); a deployment sets its own.
 */
public record CreditRules(
    int abnormalList, int abnormalListInGrace, Duration abnormalGrace,
    int minorPenalty, Period minorWindow,
    int generalPenalty, Period generalWindow,
    int seriousPenalty, Period seriousWindow,
    int complaint, int complaintCap, Period complaintWindow,
    int bonusCap, Period commendationWindow,
    Period repairAfter,
    int unverifiedForFlag, Duration unverifiedWindow,
    double gradeAPlus, double gradeA, double gradeB, double gradeC) {

  public static CreditRules defaults() {
    return new CreditRules(-20, -10, Duration.ofDays(30), -5, Period.ofMonths(3), -15, Period.ofMonths(12), -30,
        Period.ofMonths(36), -2, -10, Period.ofMonths(12), 10, Period.ofMonths(12), Period.ofMonths(6), 3,
        Duration.ofDays(90), 100, 90, 80, 60);
  }

  /** The names a deployment may set, each with its default (README, "Credit supervision"). */
  public static final Set<String> SETTINGS = Set.of("JIESU_CREDIT_ABNORMAL_LIST", "JIESU_CREDIT_ABNORMAL_LIST_CURED",
      "JIESU_CREDIT_ABNORMAL_GRACE", "JIESU_CREDIT_MINOR_PENALTY", "JIESU_CREDIT_MINOR_WINDOW",
      "JIESU_CREDIT_GENERAL_PENALTY", "JIESU_CREDIT_GENERAL_WINDOW", "JIESU_CREDIT_SERIOUS_PENALTY",
      "JIESU_CREDIT_SERIOUS_WINDOW", "JIESU_CREDIT_COMPLAINT", "JIESU_CREDIT_COMPLAINT_CAP",
      "JIESU_CREDIT_COMPLAINT_WINDOW", "JIESU_CREDIT_BONUS_CAP", "JIESU_CREDIT_COMMENDATION_WINDOW",
      "JIESU_CREDIT_REPAIR_AFTER", "JIESU_CREDIT_UNVERIFIED_FOR_FLAG", "JIESU_CREDIT_UNVERIFIED_WINDOW",
      "JIESU_CREDIT_GRADE_A_PLUS", "JIESU_CREDIT_GRADE_A", "JIESU_CREDIT_GRADE_B", "JIESU_CREDIT_GRADE_C");

  /**
   * The defaults with what {@code settings} ({@code JIESU_CREDIT_*} name → value) changes. An unknown name, a
   * value that does not read, a deduction above 0 or grades out of order refuse the start, naming it.
   */
  public static CreditRules from(Map<String, String> settings) {
    Set<String> unknown = new TreeSet<>(settings.keySet());
    unknown.removeAll(SETTINGS);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown credit setting(s) " + unknown + "; known: " + new TreeSet<>(SETTINGS));
    }
    Map<String, String> s = new HashMap<>(settings);
    CreditRules d = defaults();
    CreditRules r = new CreditRules(
        deduction(s, "JIESU_CREDIT_ABNORMAL_LIST", d.abnormalList()),
        deduction(s, "JIESU_CREDIT_ABNORMAL_LIST_CURED", d.abnormalListInGrace()),
        read(s, "JIESU_CREDIT_ABNORMAL_GRACE", d.abnormalGrace(), Duration::parse),
        deduction(s, "JIESU_CREDIT_MINOR_PENALTY", d.minorPenalty()),
        read(s, "JIESU_CREDIT_MINOR_WINDOW", d.minorWindow(), Period::parse),
        deduction(s, "JIESU_CREDIT_GENERAL_PENALTY", d.generalPenalty()),
        read(s, "JIESU_CREDIT_GENERAL_WINDOW", d.generalWindow(), Period::parse),
        deduction(s, "JIESU_CREDIT_SERIOUS_PENALTY", d.seriousPenalty()),
        read(s, "JIESU_CREDIT_SERIOUS_WINDOW", d.seriousWindow(), Period::parse),
        deduction(s, "JIESU_CREDIT_COMPLAINT", d.complaint()),
        deduction(s, "JIESU_CREDIT_COMPLAINT_CAP", d.complaintCap()),
        read(s, "JIESU_CREDIT_COMPLAINT_WINDOW", d.complaintWindow(), Period::parse),
        read(s, "JIESU_CREDIT_BONUS_CAP", d.bonusCap(), Integer::parseInt),
        read(s, "JIESU_CREDIT_COMMENDATION_WINDOW", d.commendationWindow(), Period::parse),
        read(s, "JIESU_CREDIT_REPAIR_AFTER", d.repairAfter(), Period::parse),
        read(s, "JIESU_CREDIT_UNVERIFIED_FOR_FLAG", d.unverifiedForFlag(), Integer::parseInt),
        read(s, "JIESU_CREDIT_UNVERIFIED_WINDOW", d.unverifiedWindow(), Duration::parse),
        read(s, "JIESU_CREDIT_GRADE_A_PLUS", d.gradeAPlus(), Double::parseDouble),
        read(s, "JIESU_CREDIT_GRADE_A", d.gradeA(), Double::parseDouble),
        read(s, "JIESU_CREDIT_GRADE_B", d.gradeB(), Double::parseDouble),
        read(s, "JIESU_CREDIT_GRADE_C", d.gradeC(), Double::parseDouble));
    if (!(r.gradeAPlus() >= r.gradeA() && r.gradeA() >= r.gradeB() && r.gradeB() >= r.gradeC())) {
      throw new IllegalArgumentException("credit grades must not increase from A+ to C: JIESU_CREDIT_GRADE_A_PLUS "
          + r.gradeAPlus() + ", _A " + r.gradeA() + ", _B " + r.gradeB() + ", _C " + r.gradeC());
    }
    if (r.bonusCap() < 0 || r.unverifiedForFlag() < 1) {
      throw new IllegalArgumentException("JIESU_CREDIT_BONUS_CAP must be ≥ 0 and JIESU_CREDIT_UNVERIFIED_FOR_FLAG ≥ 1");
    }
    return r;
  }

  private static int deduction(Map<String, String> s, String name, int fallback) {
    int v = read(s, name, fallback, Integer::parseInt);
    if (v > 0) {
      throw new IllegalArgumentException(name + " is a deduction: 0 or negative, got " + v);
    }
    return v;
  }

  private static <T> T read(Map<String, String> s, String name, T fallback, Function<String, T> parse) {
    String raw = s.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      return parse.apply(raw.strip());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(name + ": cannot read '" + raw + "' (like the default " + fallback + ")");
    }
  }
}
