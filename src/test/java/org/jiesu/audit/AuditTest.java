package org.jiesu.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.jiesu.auth.Role;
import org.jiesu.platform.Database;
import org.jiesu.support.Cli;
import org.jiesu.support.Sql;
import org.jiesu.support.TestServer;
import org.jiesu.support.Tickets;
import org.jiesu.support.WithServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithServer(departments = "D-IP")
class AuditTest {

  static TestServer server;

  @BeforeAll
  static void start() {
    String hotline = server.token(Role.HOTLINE);
    for (int i = 0; i < 5; i++) {
      String id = server.post("/api/v1/tickets", hotline, Tickets.dispatched("AU-" + i, "D-IP")).json().getString("id");
      server.get("/api/v1/tickets/" + id, server.staff("D-IP"));
      server.get("/api/v1/tickets/" + id, server.staff("D-ELSEWHERE"));
    }
  }

  private static AuditVerifier.Result verify() throws SQLException {
    server.chainAudit();
    Database.Target t = Database.Target.parse(server.dbUrl());
    return AuditVerifier.verify(t.jdbcUrl(), t.jdbcProperties());
  }

  @Test
  void intakesReadsAndDenialsAreChained() throws Exception {
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = 'TICKET_INTAKE'")).isEqualTo(5);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = 'PERSONAL_DATA_READ'")).isGreaterThanOrEqualTo(5);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = 'ACCESS_DENIED'")).isGreaterThanOrEqualTo(5);
    AuditVerifier.Result result = verify();
    assertThat(result.intact()).isTrue();
    assertThat(result.rowsChecked()).isEqualTo(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_log"));
    assertThat(result.rowsChecked()).isEqualTo(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry"));
    assertThat(result.unchained()).isZero();
  }

  @Test
  void updateDeleteAndTruncateAreBlockedByTheDatabase() {
    assertThatThrownBy(() -> Sql.execute(server.dbUrl(), "UPDATE audit_log SET action = 'X' WHERE seq = 1"))
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> Sql.execute(server.dbUrl(), "DELETE FROM audit_log WHERE seq = 1"))
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> Sql.execute(server.dbUrl(), "TRUNCATE audit_log"))
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> Sql.execute(server.dbUrl(), "UPDATE audit_entry SET action = 'X'"))
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> Sql.execute(server.dbUrl(), "DELETE FROM audit_entry"))
        .hasMessageContaining("append-only");
  }

  @Test
  void concurrentAuditedRequestsAreChainedInOneUnbrokenLine() throws Exception {
    TestServer other = TestServer.start();
    try {
      other.department("D-IP", "municipal");
      String hotline = other.token(Role.HOTLINE);
      java.util.List<java.util.concurrent.CompletableFuture<TestServer.Response>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < 60; i++) {
        int n = i;
        calls.add(java.util.concurrent.CompletableFuture.supplyAsync(() ->
            other.post("/api/v1/tickets", hotline, Tickets.dispatched("CC-" + n, "D-IP"))));
      }
      for (var call : calls) {
        assertThat(call.get().status()).isEqualTo(201);
      }
      other.chainAudit();
      Database.Target t = Database.Target.parse(other.dbUrl());
      AuditVerifier.Result result = AuditVerifier.verify(t.jdbcUrl(), t.jdbcProperties());
      assertThat(result.intact()).isTrue();
      assertThat(result.rowsChecked()).isEqualTo(60 + 1); // the intakes and the department's creation
    } finally {
      other.close();
    }
  }

  @Test
  void anEntryAlteredAfterChainingIsFound() throws Exception {
    TestServer other = TestServer.start();
    try {
      other.department("D-IP", "municipal");
      other.post("/api/v1/tickets", other.token(Role.HOTLINE), Tickets.dispatched("E-1", "D-IP"));
      other.post("/api/v1/tickets", other.token(Role.HOTLINE), Tickets.dispatched("E-2", "D-IP"));
      other.chainAudit();
      Sql.execute(other.dbUrl(), "SET session_replication_role = replica",
          "UPDATE audit_entry SET actor_sub = 'someone-else' WHERE id = (SELECT max(id) FROM audit_entry)");
      Database.Target t = Database.Target.parse(other.dbUrl());
      AuditVerifier.Result result = AuditVerifier.verify(t.jdbcUrl(), t.jdbcProperties());
      assertThat(result.intact()).isFalse();
      assertThat(result.firstBreak().get().reason()).contains("entry altered");
    } finally {
      other.close();
    }
  }

  @Test
  void tamperingThatBypassesTheTriggersIsFoundAndNamed() throws Exception {
    // a superuser can switch triggers off; the chain still tells
    TestServer other = TestServer.start();
    try {
      other.department("D-IP", "municipal");
      String hotline = other.token(Role.HOTLINE);
      for (int i = 0; i < 4; i++) {
        other.post("/api/v1/tickets", hotline, Tickets.dispatched("T-" + i, "D-IP"));
      }
      other.chainAudit();
      Database.Target t = Database.Target.parse(other.dbUrl());
      assertThat(AuditVerifier.verify(t.jdbcUrl(), t.jdbcProperties()).intact()).isTrue();

      Cli.Result before = Cli.run(java.util.Map.of("JIESU_DB_URL", other.dbUrl()), "audit-verify");
      assertThat(before.exitCode()).isZero();
      assertThat(before.output()).contains("intact");

      Sql.execute(other.dbUrl(), "SET session_replication_role = replica",
          "UPDATE audit_log SET detail = '{\"externalId\":\"forged\"}' WHERE seq = 3");
      AuditVerifier.Result altered = AuditVerifier.verify(t.jdbcUrl(), t.jdbcProperties());
      assertThat(altered.intact()).isFalse();
      assertThat(altered.firstBreak().get().seq()).isEqualTo(3);
      assertThat(altered.firstBreak().get().reason()).contains("altered");
      assertThat(altered.rowsChecked()).isEqualTo(2);
      Cli.Result after = Cli.run(java.util.Map.of("JIESU_DB_URL", other.dbUrl()), "audit-verify");
      assertThat(after.exitCode()).isEqualTo(1);
      assertThat(after.output()).contains("BROKEN at row 3");

      Sql.execute(other.dbUrl(), "SET session_replication_role = replica", "DELETE FROM audit_log WHERE seq = 2");
      // cutting rows off the end leaves a chain that checks out; a head recorded earlier does not
      String head = before.output().lines().filter(l -> l.startsWith("head: ")).findFirst().orElseThrow()
          .substring("head: ".length()).split(" ")[0];
      Sql.execute(other.dbUrl(), "SET session_replication_role = replica",
          "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)");
      Cli.Result anchored = Cli.run(java.util.Map.of("JIESU_DB_URL", other.dbUrl()), "audit-verify", "--anchor", head);
      assertThat(anchored.exitCode()).isEqualTo(1);
      AuditVerifier.Result removed = AuditVerifier.verify(t.jdbcUrl(), t.jdbcProperties());
      assertThat(removed.firstBreak().get().seq()).isEqualTo(3);
      assertThat(removed.firstBreak().get().reason()).contains("missing");
    } finally {
      other.close();
    }
  }

  @Test
  void nullingTheEntryIdOfAChainedRowIsFound() throws Exception {
    TestServer other = TestServer.start();
    try {
      other.department("D-IP", "municipal");
      for (int i = 0; i < 3; i++) {
        other.post("/api/v1/tickets", other.token(Role.HOTLINE), Tickets.dispatched("N-" + i, "D-IP"));
      }
      other.chainAudit();
      Database.Target t = Database.Target.parse(other.dbUrl());
      assertThat(AuditVerifier.verify(t.jdbcUrl(), t.jdbcProperties()).intact()).isTrue();
      long last = Sql.count(other.dbUrl(), "SELECT max(seq) FROM audit_log");
      // unlink the newest chained row from its entry, then edit the entry: it would pass as "not chained yet"
      Sql.execute(other.dbUrl(), "SET session_replication_role = replica",
          "UPDATE audit_log SET entry_id = NULL WHERE seq = " + last,
          "UPDATE audit_entry SET actor_sub = 'someone-else' WHERE id = (SELECT max(id) FROM audit_entry)");
      AuditVerifier.Result result = AuditVerifier.verify(t.jdbcUrl(), t.jdbcProperties());
      assertThat(result.intact()).isFalse();
      assertThat(result.firstBreak().get().seq()).isEqualTo(last);
      assertThat(result.firstBreak().get().reason()).contains("entry_id");
      // passing the row off as hashed the old way does not help
      Sql.execute(other.dbUrl(), "SET session_replication_role = replica",
          "UPDATE audit_log SET hash_version = 1 WHERE seq = " + last);
      assertThat(AuditVerifier.verify(t.jdbcUrl(), t.jdbcProperties()).intact()).isFalse();
    } finally {
      other.close();
    }
  }

  @Test
  void aChainHashedTheOldWayStillVerifiesAndContinuesWithTheNewHash() throws Exception {
    String url = org.jiesu.support.TestDatabase.fresh();
    Database.Target t = Database.Target.parse(url);
    org.flywaydb.core.Flyway.configure().dataSource(t.jdbcUrl(), t.user(), t.password())
        .locations("classpath:db/migration").target("8").load().migrate();
    // a version-1 row chained before entries existed, then a version-1 row with its entry
    java.time.Instant at = java.time.Instant.parse("2026-11-01T08:00:00Z");
    String first = AuditChain.hash(AuditChain.GENESIS, 1, at, "old", "ADMIN", null, "LEGACY", null, "{}");
    Sql.execute(url, "INSERT INTO audit_log (seq, at, actor_sub, actor_role, action, detail, prev_hash, hash)"
        + " VALUES (1, '" + at + "', 'old', 'ADMIN', 'LEGACY', '{}', '" + AuditChain.GENESIS + "', '" + first + "')");
    Sql.execute(url, "INSERT INTO audit_entry (at, actor_sub, actor_role, action, detail, txid)"
        + " VALUES ('" + at + "', 'old', 'ADMIN', 'LEGACY', '{}', '1')");
    String second = AuditChain.hash(first, 2, at, "old", "ADMIN", null, "LEGACY", null, "{}");
    Sql.execute(url, "INSERT INTO audit_log (seq, at, actor_sub, actor_role, action, detail, prev_hash, hash, entry_id)"
        + " VALUES (2, '" + at + "', 'old', 'ADMIN', 'LEGACY', '{}', '" + first + "', '" + second
        + "', (SELECT max(id) FROM audit_entry))");
    try (TestServer upgraded = TestServer.start(url, java.time.Clock.systemUTC())) {
      upgraded.department("D-IP", "municipal");
      upgraded.post("/api/v1/tickets", upgraded.token(Role.HOTLINE), Tickets.dispatched("U-1", "D-IP"));
      upgraded.chainAudit();
      AuditVerifier.Result result = AuditVerifier.verify(t.jdbcUrl(), t.jdbcProperties());
      assertThat(result.intact()).as(String.valueOf(result.firstBreak())).isTrue();
      assertThat(result.rowsChecked()).isGreaterThan(2);
      assertThat(Sql.count(url, "SELECT count(*) FROM audit_log WHERE hash_version = 1")).isEqualTo(2);
      assertThat(Sql.count(url, "SELECT count(*) FROM audit_log WHERE hash_version = 2 AND entry_id IS NOT NULL"))
          .isEqualTo(result.rowsChecked() - 2);
    }
  }
}
