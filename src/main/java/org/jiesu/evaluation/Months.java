package org.jiesu.evaluation;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;

/** Scorecard months are calendar months in Asia/Shanghai (DESIGN §5), whatever zone the server runs in. */
final class Months {

  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  private Months() {}

  static YearMonth of(Instant at) {
    return YearMonth.from(at.atZone(ZONE));
  }

  /** The instant the month after {@code period} begins: a month is over from then on. */
  static Instant end(YearMonth period) {
    return period.plusMonths(1).atDay(1).atStartOfDay(ZONE).toInstant();
  }
}
