package org.jiesu.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL (zonky's binaries) in a folder of ours, for running with no database configured
 * and for tests on machines without Docker.
 *
 * <p>Two things zonky does not do for us:
 * <ul>
 *   <li>It starts PostgreSQL with fsync off ({@code -F}); we turn fsync and synchronous_commit back on,
 *       otherwise an acknowledged ticket can vanish in a crash. {@link #durable()} checks it.</li>
 *   <li>A {@code kill -9} of the JVM leaves the postmaster running and holding the data folder; we find it
 *       through {@code postmaster.pid} and stop it before starting a new one.</li>
 *  * </ul>
 * (PostgreSQL refuses to run as root; zonky then runs it through {@code unshare -U}, in a user namespace
 * where it is not uid 0. Locked-down containers without user namespaces need a non-root user.)
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;
  private final Path dataDir;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDir) {
    this.postgres = postgres;
    this.dataDir = dataDir;
  }

  /**
   * Starts (or restarts) PostgreSQL with its data in {@code folder/pg}. Blocking: call it before
   * Vert.x deploys anything.
   */
  public static EmbeddedDatabase start(Path folder, boolean durable) throws IOException {
    Path dataDir = folder.resolve("pg");
    Path binDir = folder.resolve("pg-bin");
    Files.createDirectories(dataDir);
    Files.createDirectories(binDir);
    if (runningPort(folder).isPresent()) {
      throw new IllegalStateException("the data folder " + folder + " is in use by another running jiesu");
    }
    stopOrphan(dataDir);
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(binDir.toFile())
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        // we close it ourselves, after the HTTP server and the pool, on SIGTERM
        .setRegisterShutdownHook(false)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setServerConfig("max_connections", "200")
        .setServerConfig("listen_addresses", "localhost");
    if (durable) {
      builder.setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("full_page_writes", "on");
    }
    EmbeddedPostgres pg = builder.start();
    EmbeddedDatabase db = new EmbeddedDatabase(pg, dataDir);
    if (durable && !db.durable()) {
      db.close();
      throw new IllegalStateException("embedded PostgreSQL started without fsync/synchronous_commit");
    }
    LOG.info("embedded PostgreSQL {} on port {} with data in {}", version(pg), pg.getPort(), dataDir);
    return db;
  }

  public int port() {
    return postgres.getPort();
  }

  /** postgresql://… URL of a database in this cluster, as user postgres (trust auth on localhost). */
  public String url(String database) {
    return "postgresql://postgres@localhost:" + port() + "/" + database;
  }

  public void createDatabase(String name) {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
         Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE \"" + name.replace("\"", "") + "\"");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
  }

  public boolean databaseExists(String name) {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
         var ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("could not look up database " + name, e);
    }
  }

  /** True when PostgreSQL really flushes commits to disk. */
  public boolean durable() {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(
             "SELECT current_setting('fsync'), current_setting('synchronous_commit')")) {
      rs.next();
      return "on".equals(rs.getString(1)) && "on".equals(rs.getString(2));
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("could not read PostgreSQL settings", e);
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("embedded PostgreSQL did not stop cleanly", e);
    }
  }

  private static String version(EmbeddedPostgres pg) {
    try (Connection c = pg.getPostgresDatabase().getConnection();
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    } catch (java.sql.SQLException e) {
      return "?";
    }
  }

  /**
   * The port of a PostgreSQL that another live process runs on this folder. Zonky holds a file lock on
   * {@code epg-lock} while it runs; a lock we can take means the owner is gone (or never was).
   */
  public static Optional<Integer> runningPort(Path folder) throws IOException {
    Path dataDir = folder.resolve("pg");
    Path lockFile = dataDir.resolve("epg-lock");
    if (!Files.exists(lockFile)) {
      return Optional.empty();
    }
    boolean held;
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      held = lock == null;
      if (lock != null) {
        lock.release();
      }
    } catch (OverlappingFileLockException e) {
      held = true; // this JVM runs it
    }
    if (!held) {
      return Optional.empty();
    }
    List<String> pid = Files.exists(dataDir.resolve("postmaster.pid"))
        ? Files.readAllLines(dataDir.resolve("postmaster.pid")) : List.of();
    // line 4 of postmaster.pid is the port
    return pid.size() >= 4 ? Optional.of(Integer.parseInt(pid.get(3).trim())) : Optional.empty();
  }

  /**
   * A postmaster left over from a crashed run still holds the data folder. Its pid is the first line of
   * postmaster.pid; if that process is alive and is a postgres, stop it (fast mode) and wait.
   */
  private static void stopOrphan(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    long pid;
    try {
      pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(true));
    if (process.isEmpty()) {
      return; // stale pid file: PostgreSQL itself clears it on start
    }
    LOG.warn("found PostgreSQL (pid {}) left running by an earlier crash; stopping it", pid);
    try {
      // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit
      new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
      ProcessHandle p = process.get();
      for (int i = 0; i < 600 && p.isAlive(); i++) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
      if (p.isAlive()) {
        throw new IOException("PostgreSQL pid " + pid + " still holds " + dataDir + " after 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the old PostgreSQL", e);
    }
  }
}
