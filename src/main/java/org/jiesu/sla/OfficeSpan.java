package org.jiesu.sla;

import java.time.LocalTime;
import java.util.List;
import java.util.Objects;

/** One stretch of office time within a day, local to the calendar's zone: [open, close). */
public record OfficeSpan(LocalTime open, LocalTime close) {

  public OfficeSpan {
    Objects.requireNonNull(open, "open");
    Objects.requireNonNull(close, "close");
    if (!open.isBefore(close)) {
      throw new IllegalArgumentException("office span must open before it closes: " + open + "–" + close);
    }
  }

  /** Spans of one day must be ordered and must not overlap, so that time is never counted twice. */
  static List<OfficeSpan> checkedDay(List<OfficeSpan> spans) {
    for (int i = 1; i < spans.size(); i++) {
      if (spans.get(i).open().isBefore(spans.get(i - 1).close())) {
        throw new IllegalArgumentException("office spans overlap or are out of order: " + spans);
      }
    }
    return List.copyOf(spans);
  }
}
