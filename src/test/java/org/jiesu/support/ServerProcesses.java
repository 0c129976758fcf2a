package org.jiesu.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** jiesu servers in JVMs of their own, as an operator runs them; each is waited for until ready. */
public final class ServerProcesses implements AutoCloseable {

  private final List<Process> processes = new ArrayList<>();
  private final Map<Process, Path> logFiles = new java.util.HashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Path logs;

  private ServerProcesses(Path logs) {
    this.logs = logs;
  }

  /** Servers whose logs (and whatever else a test puts there) live in a new folder, removed on close. */
  public static ServerProcesses inNewFolder(String prefix) throws java.io.IOException {
    return new ServerProcesses(java.nio.file.Files.createTempDirectory(prefix));
  }

  /** The folder of this run: logs, and room for data folders and keys. */
  public Path folder() {
    return logs;
  }

  /** Starts {@code serve} with this environment and waits until {@code /health/ready} answers 200. */
  public Process serve(Map<String, String> env, int port) throws Exception {
    ProcessBuilder pb = Cli.builder(env, "serve");
    Path log = logs.resolve("server-" + port + "-" + processes.size() + ".log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    processes.add(p);
    logFiles.put(p, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as("server process exited; see its log in " + logs).isTrue();
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
            + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        ContractCheck.verify("GET", "/health/ready", r.statusCode(), r.headers().map(), r.body());
        if (r.statusCode() == 200) {
          return p;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("server on port " + port + " not ready within 120 s");
  }

  /** What a server printed. */
  public Path log(Process p) {
    return logFiles.get(p);
  }

  /** Stops every server still running (SIGTERM, then SIGKILL after a minute), then removes the folder. */
  @Override
  public void close() throws InterruptedException {
    for (Process p : processes) {
      if (p.isAlive()) {
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      }
    }
    TestDatabase.Files.deleteRecursively(logs);
  }
}
