package org.jiesu.insights;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Counts per (category, district, street) cell in a window and in its four weekday-aware baselines (the same
 * window 7, 14, 21 and 28 days earlier), rolled up to every category prefix ({@code market.agency} also
 * counts in {@code market}), and judged. Plain Java over the counts SQL supplies.
 */
public final class Cells {

  /** Baseline windows: the same weekday and hours in each of the previous four weeks. */
  public static final int WEEKS = 4;
  public static final Duration WEEK = Duration.ofDays(7);

  /** A cell: a category (or prefix), a district and a street (either may be null). */
  public record Cell(String category, String district, String street) {}

  /**
   * What SQL counted: tickets of one leaf category in one cell, in window {@code k} (0 the window itself,
   * 1–4 the baselines). {@code first} and {@code last} are the earliest and latest receivedAt in it.
   */
  public record Count(String category, String district, String street, int k, int count, Instant first,
      Instant last) {}

  /** A judged cell. */
  public record Judged(Cell cell, HotspotStatistic.Verdict verdict, Instant firstAt, Instant lastAt) {}

  private Cells() {}

  /** The window [end − length, end) moved back {@code k} weeks, as {start, end}. */
  public static Instant[] window(Instant end, Duration length, int k) {
    Instant e = end.minus(WEEK.multipliedBy(k));
    return new Instant[] {e.minus(length), e};
  }

  /**
   * The announcement window an instant falls in: windows of {@code length} laid end to end from local
   * midnight of the hotline's zone (a PT24H window is the local calendar day), so a hotspot is announced
   * once per cell and window.
   */
  public static Instant bucket(Instant at, Duration length, java.time.ZoneId zone) {
    long offset = zone.getRules().getOffset(at).getTotalSeconds();
    long len = Math.max(1, length.getSeconds());
    return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond() + offset, len) * len - offset);
  }

  /** Every prefix of a dotted category, shortest first: {@code a.b.c} → a, a.b, a.b.c. */
  public static List<String> prefixes(String category) {
    List<String> out = new ArrayList<>();
    int dot = category.indexOf('.');
    while (dot > 0) {
      out.add(category.substring(0, dot));
      dot = category.indexOf('.', dot + 1);
    }
    out.add(category);
    return out;
  }

  /** Whether {@code category} is {@code prefix} or lies under it. */
  public static boolean under(String category, String prefix) {
    return category.equals(prefix) || category.startsWith(prefix + ".");
  }

  /**
   * Rolls the counts up to every category prefix and judges each cell that has calls in the window;
   * {@code categoryFilter} keeps only cells at or under it. Hotspots only, highest score first.
   */
  public static List<Judged> hotspots(List<Count> counts, HotspotStatistic statistic, String categoryFilter) {
    List<Judged> out = new ArrayList<>();
    for (Judged j : judge(counts, statistic, categoryFilter)) {
      if (j.verdict().hotspot()) {
        out.add(j);
      }
    }
    return out;
  }

  /** A cell already rolled up (by SQL): its count in the window and in each baseline, k = 0…4. */
  public record Rolled(Cell cell, int[] counts, Instant first, Instant last) {}

  /** Judges cells SQL rolled up; hotspots only, in the same order as {@link #hotspots}. */
  public static List<Judged> hotspotsOfRolled(List<Rolled> rolled, HotspotStatistic statistic) {
    Map<Cell, Acc> cells = new LinkedHashMap<>();
    for (Rolled r : rolled) {
      Acc acc = new Acc();
      System.arraycopy(r.counts(), 0, acc.counts, 0, WEEKS + 1);
      acc.first = r.first();
      acc.last = r.last();
      cells.put(r.cell(), acc);
    }
    return judged(cells, statistic).stream().filter(j -> j.verdict().hotspot()).toList();
  }

  /** Every cell with calls in the window, judged; highest score first (then most calls, the deeper category). */
  public static List<Judged> judge(List<Count> counts, HotspotStatistic statistic, String categoryFilter) {
    Map<Cell, Acc> cells = new LinkedHashMap<>();
    for (Count c : counts) {
      if (c.k() < 0 || c.k() > WEEKS) {
        throw new IllegalArgumentException("window index " + c.k());
      }
      for (String prefix : prefixes(c.category())) {
        if (categoryFilter != null && !under(prefix, categoryFilter)) {
          continue;
        }
        cells.computeIfAbsent(new Cell(prefix, c.district(), c.street()), x -> new Acc()).add(c);
      }
    }
    return judged(cells, statistic);
  }

  private static List<Judged> judged(Map<Cell, Acc> cells, HotspotStatistic statistic) {
    List<Judged> out = new ArrayList<>();
    cells.forEach((cell, acc) -> {
      if (acc.counts[0] == 0) {
        return;
      }
      List<Integer> baseline = new ArrayList<>(WEEKS);
      for (int k = 1; k <= WEEKS; k++) {
        baseline.add(acc.counts[k]);
      }
      out.add(new Judged(cell, statistic.judge(acc.counts[0], baseline), acc.first, acc.last));
    });
    out.sort(Comparator.comparingDouble((Judged j) -> -j.verdict().score())
        .thenComparingInt(j -> -j.verdict().count())
        // the same calls in a category and its prefix: the more specific cell says more
        .thenComparingInt(j -> -Cells.prefixes(j.cell().category()).size())
        .thenComparing(j -> j.cell().category())
        .thenComparing(j -> Objects.toString(j.cell().district(), ""))
        .thenComparing(j -> Objects.toString(j.cell().street(), "")));
    return out;
  }

  private static final class Acc {
    final int[] counts = new int[WEEKS + 1];
    Instant first;
    Instant last;

    void add(Count c) {
      counts[c.k()] += c.count();
      if (c.k() == 0) {
        first = first == null || c.first().isBefore(first) ? c.first() : first;
        last = last == null || c.last().isAfter(last) ? c.last() : last;
      }
    }
  }
}
