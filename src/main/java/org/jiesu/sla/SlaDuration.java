package org.jiesu.sla;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;

/**
 * An allowed time as a policy writes it: ISO-8601 {@code PnDTnHnMnS} (or {@code PnW}), any positive length.
 * Days and time are kept apart because on a {@link TimerClock#WORKING} clock they mean different things:
 * {@code P2D} is "the same local time two working days later", {@code PT4H} is four hours of office time.
 * Months and years are refused: their length depends on the start and no policy needs them.
 */
public record SlaDuration(int days, Duration time) {

  /** A year of days or hours: far beyond any published deadline, small enough to keep arithmetic linear. */
  public static final int MAX_DAYS = 366;
  public static final Duration MAX_TIME = Duration.ofDays(366);

  public SlaDuration {
    if (days < 0 || time.isNegative() || (days == 0 && time.isZero())) {
      throw new IllegalArgumentException("must be a positive duration");
    }
    if (days > MAX_DAYS || time.compareTo(MAX_TIME) > 0) {
      throw new IllegalArgumentException("must be at most " + MAX_DAYS + " days");
    }
  }

  public static SlaDuration parse(String text) {
    if (text == null || text.isEmpty() || text.charAt(0) != 'P' || text.indexOf('-') >= 0 || text.indexOf('+') >= 0) {
      throw new IllegalArgumentException("must be an ISO-8601 duration such as PT4H or P2D");
    }
    int t = text.indexOf('T');
    String datePart = t < 0 ? text : text.substring(0, t);
    String timePart = t < 0 ? "" : text.substring(t);
    if (t >= 0 && timePart.length() == 1) {
      throw new IllegalArgumentException("must be an ISO-8601 duration such as PT4H or P2D");
    }
    try {
      int days = 0;
      if (datePart.length() > 1) {
        if (datePart.contains("Y") || datePart.contains("M")) {
          throw new IllegalArgumentException("must use days, weeks or time, not months or years");
        }
        Period p = Period.parse(datePart);
        days = p.getDays();
      }
      Duration time = timePart.isEmpty() ? Duration.ZERO : Duration.parse("P" + timePart);
      return new SlaDuration(days, time);
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException("must be an ISO-8601 duration such as PT4H or P2D");
    }
  }

  /** The canonical ISO-8601 text, as the API answers it. */
  @Override
  public String toString() {
    if (time.isZero()) {
      return "P" + days + "D";
    }
    String clock = time.toString(); // PT…
    return days == 0 ? clock : "P" + days + "D" + clock.substring(1);
  }
}
