package org.jiesu.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jiesu.platform.Database;
import org.jiesu.support.Sql;
import org.jiesu.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Articles written before search terms were stored get them from the migrations, computed as on write (V8.2),
 * with their own id key (V29).
 */
class SearchIndexMigrationTest {

  @Test
  void articlesFromBeforeTheIndexAreBackfilledAndTheColumnBecomesRequired() throws Exception {
    String url = TestDatabase.fresh();
    Database.Target target = Database.Target.parse(url);
    Flyway.configure().dataSource(target.jdbcUrl(), target.user(), target.password())
        .locations("classpath:db/migration").target("8").load().migrate();
    Sql.execute(url, """
        INSERT INTO knowledge_article (id, title, body, tags, created_by, created_at, updated_at)
        VALUES ('00000000-0000-0000-0000-000000000001', '如何办理营业执照', '携带身份证到ETC窗口。', '{市场监管}',
                'admin', now(), now())""");

    Database.migrate(target);

    try (Connection c = Sql.connect(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT search_terms FROM knowledge_article")) {
      rs.next();
      List<String> terms = Arrays.asList((String[]) rs.getArray(1).getArray());
      assertThat(terms).containsExactlyInAnyOrder(SearchTerms.document(java.util.UUID.fromString(
          "00000000-0000-0000-0000-000000000001"), "如何办理营业执照", List.of("市场监管"), "携带身份证到ETC窗口。"));
      assertThat(terms).contains("t:营业", "t:照", "g:监管", "b:etc", "b:窗口",
          "i:00000000-0000-0000-0000-000000000001");
    }
    assertThat(Sql.count(url, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'knowledge_article'"
        + " AND column_name = 'search_terms' AND is_nullable = 'NO'")).isEqualTo(1);
  }
}
