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
 * <p>The database's figure counts the processes alive at the second reading (pooled connections, the background
 * workers): a process that ended in between, such as an autovacuum worker, is not counted (a lower bound).
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

  /** CPU used so far by each of the database's processes, by process id (empty when it is not measured). */
  java.util.Map<Long, Long> databaseNanos() {
    java.util.Map<Long, Long> byProcess = new java.util.HashMap<>();
    postmaster.ifPresent(p -> {
      byProcess.put(p.pid(), cpu(p));
      p.descendants().forEach(d -> byProcess.put(d.pid(), cpu(d)));
    });
    return byProcess;
  }

  /**
   * Nanoseconds the database used between two readings: each process's growth, and all of a process that
   * started in between; a process that ended in between is lost (NaN when the database is not measured).
   */
  double databaseNanosBetween(java.util.Map<Long, Long> before, java.util.Map<Long, Long> after) {
    if (postmaster.isEmpty()) {
      return Double.NaN;
    }
    long total = 0;
    for (java.util.Map.Entry<Long, Long> e : after.entrySet()) {
      total += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
    }
    return total;
  }

  /** Nanoseconds of CPU this process (the load generator) used so far. */
  double clientNanos() {
    return cpu(ProcessHandle.current());
  }

  private static long cpu(ProcessHandle process) {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }
}
