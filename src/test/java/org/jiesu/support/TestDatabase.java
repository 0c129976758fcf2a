package org.jiesu.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.jiesu.platform.Database;
import org.jiesu.platform.EmbeddedDatabase;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Real PostgreSQL for tests, from (in order) {@code JIESU_TEST_DB_URL}, Testcontainers when Docker
 * answers, or embedded PostgreSQL. One server per test JVM; every test class gets a fresh database.
 */
public final class TestDatabase {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static volatile String adminUrl;
  private static volatile String source;
  private static volatile Path localFolder;

  private TestDatabase() {}

  /** A new, empty database; its postgresql:// URL. */
  public static String fresh() {
    String admin = admin();
    String name = "jiesu_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    Database.Target target = Database.Target.parse(admin);
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
         Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot create test database on " + source, e);
    }
    return "postgresql://" + target.user() + (target.password() == null ? "" : ":" + target.password())
        + "@" + target.host() + ":" + target.port() + "/" + name;
  }

  /** The data folder of the tests' PostgreSQL when it runs embedded on this host (its CPU can be measured). */
  public static java.util.Optional<Path> localDataFolder() {
    admin();
    return java.util.Optional.ofNullable(localFolder);
  }

  public static String source() {
    admin();
    return source;
  }

  private static synchronized String admin() {
    if (adminUrl != null) {
      return adminUrl;
    }
    String fromEnv = System.getenv("JIESU_TEST_DB_URL");
    if (fromEnv != null && !fromEnv.isBlank()) {
      source = "JIESU_TEST_DB_URL";
      adminUrl = fromEnv;
    } else if (dockerAvailable()) {
      PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      source = "Testcontainers";
      adminUrl = "postgresql://" + container.getUsername() + ":" + container.getPassword() + "@"
          + container.getHost() + ":" + container.getMappedPort(5432) + "/" + container.getDatabaseName();
    } else {
      try {
        Path folder = java.nio.file.Files.createTempDirectory("jiesu-test-pg");
        // tests do not need fsync; production start-up turns it on (see EmbeddedDatabase)
        EmbeddedDatabase db = EmbeddedDatabase.start(folder, false);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          db.close();
          Files.deleteRecursively(folder);
        }));
        source = "embedded PostgreSQL";
        localFolder = folder.resolve("pg");
        adminUrl = db.url("postgres");
      } catch (Exception e) {
        throw new IllegalStateException("cannot start embedded PostgreSQL for tests", e);
      }
    }
    org.slf4j.LoggerFactory.getLogger(TestDatabase.class).info("tests use PostgreSQL from {}", source);
    return adminUrl;
  }

  /** Removes a test's scratch folder; what cannot be removed is left for the OS to clean. */
  static final class Files {
    private Files() {}

    static void deleteRecursively(Path folder) {
      try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(folder)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (java.io.IOException | RuntimeException ignored) {
        // best effort
      }
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable t) {
      return false;
    }
  }
}
