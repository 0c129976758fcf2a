package org.jiesu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jiesu.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A keep-alive connection that carries no request is closed after JIESU_HTTP_IDLE_TIMEOUT. */
class IdleTimeoutTest {

  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(org.jiesu.support.TestDatabase.fresh(), java.time.Clock.systemUTC(),
        c -> c.withHttpIdleTimeout(Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void idleKeepAliveConnectionsAreClosed() throws Exception {
    int port = Integer.parseInt(server.base().substring(server.base().lastIndexOf(':') + 1));
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      int read = in.read(buffer);
      assertThat(new String(buffer, 0, read, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
      // the server, not the 30 s read timeout, ends the connection once it has been idle for a second
      int next;
      do {
        next = in.read(buffer);
      } while (next > 0);
      assertThat(next).isEqualTo(-1);
    }
  }
}
