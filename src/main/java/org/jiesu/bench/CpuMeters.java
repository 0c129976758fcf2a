package org.jiesu.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where a phase's CPU went, read before and after it: the server's (its own {@code process_cpu_time_ns_total},
 * read by the caller from {@code /metrics}), the database's (every PostgreSQL process of a server on this host:
 * the postmaster and its descendants, from the operating system), and this load generator's own. On a 2-core
 * host the three share the cores, so their sum per request says what one request costs the machine, and each
 * share says which side to make cheaper; throughput alone moves with whatever else runs on the host.
 *
 * <p>The database's figure counts the processes alive at both readings: pooled connections and the background
 * workers are, an autovacuum worker that came and went in between is not (so it is a lower bound).
 */
final class CpuMeters {

  private final Optional<ProcessHandle> postmaster;

  private CpuMeters(Optional<ProcessHandle> postmaster) {
    this.postmaster = postmaster;
  }

  /** Measures the PostgreSQL whose data folder is {@code pgData} when it runs on this host; otherwise not. */
  static CpuMeters forDataFolder(Optional<Path> pgData) {
    return new CpuMeters(pgData.flatMap(CpuMeters::postmasterOf));
  }

  static CpuMeters clientOnly() {
    return new CpuMeters(Optional.empty());
  }

  /** The first line of {@code postmaster.pid} is the postmaster's process id. */
  private static Optional<ProcessHandle> postmasterOf(Path pgData) {
    try {
      Path pidFile = pgData.resolve("postmaster.pid");
      if (!Files.isReadable(pidFile)) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      return ProcessHandle.of(pid).filter(p -> p.info().totalCpuDuration().isPresent());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  boolean measuresDatabase() {
    return postmaster.isPresent();
  }

  /** Nanoseconds of CPU used so far by the database's processes (NaN when it is not measured). */
  double databaseNanos() {
    return postmaster.map(p -> (double) (cpu(p) + p.descendants().mapToLong(CpuMeters::cpu).sum()))
        .orElse(Double.NaN);
  }

  /** Nanoseconds of CPU this process (the load generator) used so far. */
  double clientNanos() {
    return cpu(ProcessHandle.current());
  }

  private static long cpu(ProcessHandle process) {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }
}
