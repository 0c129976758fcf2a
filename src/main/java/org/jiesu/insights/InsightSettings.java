package org.jiesu.insights;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of proactive handling (DESIGN §6a), from {@code JIESU_INSIGHTS_*} environment variables.
 * {@code streamWindow}: the window whose hotspots are announced on the supervision stream.
 * {@code similarWithin}: how far apart in time two calls may be and still be one incident.
 * {@code similarMeters}: how far apart two calls with coordinates may be.
 * {@code similarText}: the least share of shared terms (Dice coefficient of the bigram sets).
 */
public record InsightSettings(HotspotStatistic statistic, Duration streamWindow, Duration similarWithin,
    double similarMeters, double similarText, ZoneId zone) {

  /** Days and months of windows and topics are those of the hotline's city. */
  public static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  public static InsightSettings defaults() {
    return new InsightSettings(HotspotStatistic.defaults(), Duration.ofHours(24), Duration.ofDays(7), 500, 0.3,
        SHANGHAI);
  }

  public static InsightSettings from(Map<String, String> env) {
    InsightSettings d = defaults();
    HotspotStatistic s = d.statistic();
    HotspotStatistic statistic = new HotspotStatistic(
        opt(env, "JIESU_INSIGHTS_MIN_COUNT").map(Integer::parseInt).orElse(s.minimumCount()),
        opt(env, "JIESU_INSIGHTS_THRESHOLD").map(Double::parseDouble).orElse(s.threshold()), s.floor());
    return new InsightSettings(statistic,
        opt(env, "JIESU_INSIGHTS_STREAM_WINDOW").map(Duration::parse).orElse(d.streamWindow()),
        opt(env, "JIESU_INSIGHTS_SIMILAR_WITHIN").map(Duration::parse).orElse(d.similarWithin()),
        opt(env, "JIESU_INSIGHTS_SIMILAR_METERS").map(Double::parseDouble).orElse(d.similarMeters()),
        opt(env, "JIESU_INSIGHTS_SIMILAR_TEXT").map(Double::parseDouble).orElse(d.similarText()), SHANGHAI);
  }

  private static Optional<String> opt(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }
}
