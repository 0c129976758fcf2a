package org.jiesu.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.jiesu.Server;
import org.jiesu.auth.Keys;
import org.jiesu.auth.Role;
import org.jiesu.auth.Tokens;
import org.jiesu.insights.StoredTerms;
import org.jiesu.platform.Config;
import org.jiesu.platform.Database;
import org.jiesu.platform.EmbeddedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Proactive handling at scale: loads generated tickets straight into the database of a running development
 * server (one generate_series INSERT), then measures over HTTP all hotspot cells of one window and
 * {@code /similar} on open tickets. Prints p50/p99; asserts nothing.
 *
 * <p>The generated city: 16 districts × 20 streets, 8 top categories × 5 subcategories, calls spread evenly
 * over {@code days} up to now with coordinates near their street's centre; tickets older than ten days are
 * mostly closed, newer ones mostly open. Texts are short Chinese complaints built from a few dozen phrases.
 */
@Command(name = "insights", description = "Load N generated tickets into a running development server's database, "
    + "then measure all hotspot cells of one window and /similar (p50/p99).")
public final class InsightsBench implements Callable<Integer> {

  @Option(names = "--url", defaultValue = "http://localhost:8080", description = "server (default ${DEFAULT-VALUE})")
  URI url;
  @Option(names = "--tickets", defaultValue = "1000000", description = "tickets to generate (default ${DEFAULT-VALUE})")
  int tickets;
  @Option(names = "--days", defaultValue = "90", description = "spread over this many days up to now (default ${DEFAULT-VALUE})")
  int days;
  @Option(names = "--hotspot-runs", defaultValue = "30", description = "hotspot lists measured (default ${DEFAULT-VALUE})")
  int hotspotRuns;
  @Option(names = "--similar", defaultValue = "1000", description = "/similar requests measured (default ${DEFAULT-VALUE})")
  int similar;
  @Option(names = "--window", defaultValue = "PT24H", description = "hotspot window (default ${DEFAULT-VALUE})")
  String window;
  @Option(names = "--no-load", description = "measure the tickets an earlier run loaded")
  boolean noLoad;
  @Option(names = "--text-only", description = "delete the stored terms first: /similar reads and splits every "
      + "candidate's text (as before V27), for a before/after on the same data")
  boolean textOnly;

  static final String PHRASES = """
      ARRAY['小区门口','污水井','冒水','臭味很大','路灯不亮','晚上很黑','噪音扰民','施工到深夜','油烟','餐馆',
            '占道经营','垃圾没人清','停车难','乱停车','电梯故障','供暖不热','水压太低','停水','红绿灯','坏了',
            '收费不透明','要求退款','专利代理','商标注册','虚假宣传','价格欺诈','井盖丢失','树木倒伏','积水','路面塌陷',
            '广告牌松动','楼道堆物','消防通道堵塞','宠物扰民','公交站','绕行','共享单车','乱堆放','信号差','物业不作为']""";

  static final String LOAD = """
      INSERT INTO ticket (id, external_id, intake_hash, type, urgency, category, title, content, received_at,
                          district, street, lat, lon, status, lead_department, dispatched_at, created_at,
                          updated_at, dispatch_count)
      SELECT gen_random_uuid(), 'BENCH-INS-' || g, 'bench', 'COMPLAINT', 'NORMAL',
             'c' || (h %% 8) || '.s' || ((h / 8) %% 5),
             p[1 + (h %% 40)] || p[1 + ((h / 40) %% 40)],
             p[1 + (h %% 40)] || '，' || p[1 + ((h / 40) %% 40)] || '，' || p[1 + ((h / 1600) %% 40)] || '，请尽快处理',
             at, '区' || d, '区' || d || '街道' || s,
             39.6 + d * 0.25 + s * 0.01 + ((h / 7) %% 100) * 0.00003,
             116.0 + d * 0.05 + ((h / 13) %% 100) * 0.00003,
             CASE WHEN at < now() - interval '10 days' AND h %% 100 < 97 THEN 'CLOSED'
                  WHEN at >= now() - interval '10 days' AND h %% 100 < 40 THEN 'CLOSED'
                  ELSE (ARRAY['DISPATCHED','SIGNED','REPLIED'])[1 + h %% 3] END,
             'BENCH', at, at, at, 1
        FROM (SELECT g, (hashint4(g)::bigint & 2147483647) AS h,
                     now() - make_interval(secs => ((g::bigint * 7919) %% %d) * (%d * 86400.0 / %d)) AS at,
                     ((hashint4(g + 1)::bigint & 2147483647) %% 16) AS d, ((hashint4(g + 2)::bigint & 2147483647) %% 20) AS s
                FROM generate_series(1, %d) g) x, (SELECT %s AS p) phrases""";

  @Override
  public Integer call() throws Exception {
    Config config = Config.fromEnvironment();
    String dbUrl = config.dbUrl().isPresent() ? config.dbUrl().get() : "postgresql://postgres@localhost:"
        + EmbeddedDatabase.runningPort(config.dataDir()).orElseThrow(() -> new IllegalStateException(
            "no running development server in " + config.dataDir() + " (or set JIESU_DB_URL)"))
        + "/" + Server.EMBEDDED_DATABASE;
    Database.Target target = Database.Target.parse(dbUrl);
    String pem = Keys.readPem(config.dataDir().resolve(Keys.DEV_PRIVATE_KEY));
    Vertx vertx = Vertx.vertx();
    String supervisor;
    try {
      supervisor = new Tokens(vertx, pem, Keys.DEV_KID, config.jwtIssuer(), config.jwtAudience())
          .mint("bench-supervisor", List.of(Role.SUPERVISOR), Optional.empty(), Duration.ofHours(2));
    } finally {
      vertx.close();
    }
    List<String> open = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
         Statement st = c.createStatement()) {
      st.execute("SET statement_timeout = 0");
      if (!noLoad) {
        st.execute("INSERT INTO department (code, name, dept_group) VALUES ('BENCH', '压测部门', 'bench') "
            + "ON CONFLICT DO NOTHING");
        long t0 = System.nanoTime();
        int n = st.executeUpdate(LOAD.formatted(tickets, days, tickets, tickets, PHRASES));
        System.out.printf("loaded %,d tickets over %d days in %.1f s%n", n, days, (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        st.execute("VACUUM ANALYZE ticket");
        System.out.printf("vacuum analyze %.1f s%n", (System.nanoTime() - t0) / 1e9);
      }
      // intake stores each ticket's comparison terms (insights/TermsListener); the SQL load bypasses intake,
      // so store them here for the tickets /similar can read (open ones); the rest would be read from text
      long t1 = System.nanoTime();
      if (textOnly) {
        st.execute("TRUNCATE insight_ticket_terms");
        System.out.println("stored terms deleted: /similar computes every candidate's terms from its text");
      } else {
        long termed = StoredTerms.backfill(c, "status NOT IN ('CLOSED','MERGED')");
        System.out.printf("stored terms of %,d open tickets in %.1f s%n", termed, (System.nanoTime() - t1) / 1e9);
      }
      st.execute("VACUUM ANALYZE insight_ticket_terms");
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM ticket")) {
        rs.next();
        System.out.printf("tickets in the database: %,d%n", rs.getLong(1));
      }
      try (ResultSet rs = st.executeQuery("SELECT id FROM ticket WHERE status NOT IN ('CLOSED','MERGED') "
          + "AND received_at > now() - interval '7 days' ORDER BY md5(id::text) LIMIT " + similar)) {
        while (rs.next()) {
          open.add(rs.getString(1));
        }
      }
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    // hotspots: every cell of the window, one request at a time
    Histogram hot = new Histogram(3);
    int cells = 0;
    for (int i = 0; i < hotspotRuns + 3; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = get(http, "/api/v1/insights/hotspots?limit=200&window=" + window, supervisor);
      long took = System.nanoTime() - t0;
      if (r.statusCode() != 200) {
        throw new IllegalStateException("hotspots answered " + r.statusCode() + ": " + r.body());
      }
      cells = new JsonObject(r.body()).getJsonArray("items").size();
      if (i >= 3) { // the first runs warm the caches and the JIT
        hot.recordValue(took);
      }
    }
    System.out.printf("hotspots  window %s  %d runs  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms  (%d hotspots listed)%n",
        window, hotspotRuns, ms(hot.getValueAtPercentile(50)), ms(hot.getValueAtPercentile(99)),
        ms(hot.getMaxValue()), cells);
    // similar: open tickets of the last week, one request at a time
    Histogram sim = new Histogram(3);
    long found = 0;
    for (int i = 0; i < open.size() + 50; i++) {
      String id = open.get(i % open.size());
      long t0 = System.nanoTime();
      HttpResponse<String> r = get(http, "/api/v1/tickets/" + id + "/similar", supervisor);
      long took = System.nanoTime() - t0;
      if (r.statusCode() != 200) {
        throw new IllegalStateException("similar answered " + r.statusCode() + ": " + r.body());
      }
      if (i >= 50) {
        sim.recordValue(took);
        found += new JsonObject(r.body()).getJsonArray("items").size();
      }
    }
    System.out.printf("similar   %d requests  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %7.2f ms  (%.1f suggestions"
            + " each)%n", open.size(), ms(sim.getValueAtPercentile(50)), ms(sim.getValueAtPercentile(90)),
        ms(sim.getValueAtPercentile(99)), ms(sim.getMaxValue()), (double) found / Math.max(1, open.size()));
    return 0;
  }

  private HttpResponse<String> get(HttpClient http, String path, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(url.resolve(path)).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }
}
