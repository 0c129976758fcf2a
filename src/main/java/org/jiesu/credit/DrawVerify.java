package org.jiesu.credit;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jiesu draw-verify URL}: fetches a draw's public record (no token needed) and re-runs it, the way
 * anyone outside could: the secret must hash to the commitment and the selection must come out the same.
 * Exit 0 when it verifies, 1 when it does not, 2 when the record cannot be read.
 */
@Command(name = "draw-verify", description = "Fetch a draw's public record (GET /api/v1/public/draws/{id}) and re-run its selection.")
public final class DrawVerify implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "URL", description = "the public record, e.g. http://localhost:8080/api/v1/public/draws/<id>")
  String url;

  @Override
  public Integer call() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30)).header("Accept", "application/json").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      System.out.println("cannot read the draw: HTTP " + response.statusCode() + " " + response.body());
      return 2;
    }
    JsonObject record = new JsonObject(response.body());
    List<String> problems = DrawRecord.verify(record);
    if (problems.isEmpty()) {
      System.out.println("draw " + record.getString("id") + " verifies: SHA-256(secret) = commitment "
          + record.getString("commitment") + "; re-running " + record.getJsonArray("candidates").size()
          + " candidates with publicRandomness '" + record.getString("publicRandomness") + "' (source: "
          + record.getString("randomnessSource") + ") gives the published selection of "
          + record.getJsonArray("selection").size());
      return 0;
    }
    System.out.println("draw " + record.getString("id") + " does NOT verify:");
    problems.forEach(p -> System.out.println("  " + p));
    return 1;
  }
}
