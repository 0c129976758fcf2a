package org.jiesu.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jiesu.auth.Role;
import org.jiesu.support.Sql;
import org.jiesu.support.TestServer;
import org.jiesu.support.WithServer;
import org.jiesu.support.Tickets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@WithServer(departments = {"D-IP"})
class ConcurrentIntakeTest {

  static TestServer server;

  @Test
  void twentyConcurrentIdenticalIntakesMakeExactlyOneTicket(Vertx vertx, VertxTestContext test) {
    URI base = URI.create(server.base());
    WebClient client = WebClient.create(vertx);
    String token = server.token(Role.HOTLINE);
    JsonObject body = Tickets.dispatched("C-1", "D-IP");
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(client.post(base.getPort(), base.getHost(), "/api/v1/tickets")
          .bearerTokenAuthentication(token)
          .sendJsonObject(body));
    }
    Future.all(calls).onComplete(test.succeeding(all -> test.verify(() -> {
      calls.forEach(f -> org.jiesu.support.ContractCheck.verify("POST", "/api/v1/tickets", f.result().statusCode(),
          org.jiesu.support.ContractCheck.headers(f.result().headers()), f.result().bodyAsString()));
      List<Integer> statuses = calls.stream().map(f -> f.result().statusCode()).toList();
      Set<String> ids = calls.stream().map(f -> f.result().bodyAsJsonObject().getString("id")).collect(Collectors.toSet());
      assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
      assertThat(statuses).filteredOn(s -> s == 200).hasSize(19);
      assertThat(ids).hasSize(1);
      assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket WHERE external_id = 'C-1'")).isEqualTo(1);
      assertThat(Sql.count(server.dbUrl(),
          "SELECT count(*) FROM audit_entry WHERE action = 'TICKET_INTAKE'")).isEqualTo(1);
      test.completeNow();
    })));
  }
}
