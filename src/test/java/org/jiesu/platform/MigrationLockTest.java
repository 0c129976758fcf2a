package org.jiesu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jiesu.support.TestDatabase;
import org.junit.jupiter.api.Test;

/** Replicas of a rollout start together; one migrates, the others wait for it under an advisory lock. */
class MigrationLockTest {

  @Test
  void aReplicaWaitsWhileAnotherHoldsTheMigrationLock() throws Exception {
    Database.Target target = Database.Target.parse(TestDatabase.fresh());
    try (Connection other = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties())) {
      try (Statement s = other.createStatement()) {
        s.execute("SELECT pg_advisory_lock(" + Database.MIGRATION_LOCK + ")");
      }
      CompletableFuture<Integer> migrating = CompletableFuture.supplyAsync(() -> Database.migrate(target).migrationsExecuted);
      waitUntilWaitingForTheLock(other);
      assertThat(migrating).isNotDone();
      assertThat(scalar(other, "SELECT count(*) FROM pg_tables WHERE tablename = 'flyway_schema_history'"))
          .as("nothing migrated while the lock is held elsewhere").isZero();
      try (Statement s = other.createStatement()) {
        s.execute("SELECT pg_advisory_unlock(" + Database.MIGRATION_LOCK + ")");
      }
      assertThat(migrating.get(5, TimeUnit.MINUTES)).isPositive();
      assertThat(scalar(other, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"))
          .as("the lock is given back after migrating").isZero();
    }
  }

  @Test
  void replicasStartingTogetherApplyEachMigrationOnce() throws Exception {
    Database.Target target = Database.Target.parse(TestDatabase.fresh());
    List<CompletableFuture<Integer>> replicas = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      replicas.add(CompletableFuture.supplyAsync(() -> Database.migrate(target).migrationsExecuted));
    }
    List<Integer> executed = new ArrayList<>();
    for (CompletableFuture<Integer> r : replicas) {
      executed.add(r.get(5, TimeUnit.MINUTES));
    }
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties())) {
      long applied = scalar(c, "SELECT count(*) FROM flyway_schema_history WHERE success");
      assertThat(executed).filteredOn(n -> n > 0).as("one replica migrated, the others found nothing to do")
          .containsExactly((int) applied);
      assertThat(scalar(c, "SELECT count(*) FROM (SELECT version FROM flyway_schema_history GROUP BY version"
          + " HAVING count(*) > 1) twice")).isZero();
    }
  }

  /** Polls pg_locks for a session waiting on the migration key (bounded, so a broken lock fails the test). */
  private static void waitUntilWaitingForTheLock(Connection c) throws Exception {
    long key = Database.MIGRATION_LOCK;
    String sql = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        + " AND classid = " + (key >>> 32) + " AND objid = " + (key & 0xffffffffL) + " AND objsubid = 1";
    for (int i = 0; i < 600; i++) {
      if (scalar(c, sql) > 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no session ever waited for the migration lock");
  }

  private static long scalar(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
