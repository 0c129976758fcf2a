package org.jiesu.credit;

import java.time.Duration;
import java.time.Period;

/**
 * The configurable numbers of credit grading (DESIGN §6 defaults). Points are deductions as negative
 * numbers; windows are calendar periods in the entity's zone, counted from the event's effective date.
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
}
