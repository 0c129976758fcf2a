package org.jiesu.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code org.jiesu.Main} in its own JVM, as an operator would run the jar. */
public final class Cli {

  /** What a command printed and how it ended. */
  public record Result(int exitCode, String output) {}

  private Cli() {}

  public static ProcessBuilder builder(Map<String, String> env, String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "org.jiesu.Main"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("JIESU_"));
    pb.environment().putAll(env);
    return pb;
  }

  public static Result run(Map<String, String> env, String... args) throws Exception {
    Process p = builder(env, args).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("command did not finish: " + List.of(args));
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
