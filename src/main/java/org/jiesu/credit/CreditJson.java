package org.jiesu.credit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import org.jiesu.platform.Times;

/** What the credit API shows, field by field. */
final class CreditJson {

  private CreditJson() {}

  static JsonObject entity(Entity e) {
    return new JsonObject().put("creditCode", e.creditCode()).put("name", e.name()).put("kind", e.kind())
        .put("district", e.district().orElse(null)).put("status", e.status())
        .put("createdAt", Times.rfc3339(e.createdAt())).put("updatedAt", Times.rfc3339(e.updatedAt()));
  }

  static JsonObject listed(Credit.Graded g) {
    return entity(g.entity()).put("score", number(g.credit().score())).put("grade", g.credit().grade())
        .put("flags", new JsonArray(g.credit().flags().stream().toList()));
  }

  static JsonObject credit(Credit.Graded g, Instant at) {
    JsonArray events = new JsonArray();
    for (CreditScore.EventView v : g.credit().events()) {
      CreditEvent e = v.event();
      events.add(new JsonObject().put("id", e.id()).put("kind", e.kind().name()).put("points", v.points())
          .put("effectiveAt", Times.rfc3339(e.effectiveAt())).put("expiresAt", Times.rfc3339(v.expiresAt()))
          .put("active", v.active()).put("source", e.source()).put("repairs", e.repairs().orElse(null))
          .put("note", g.notes().getOrDefault(e.id(), Optional.empty()).orElse(null)));
    }
    return new JsonObject().put("creditCode", g.entity().creditCode()).put("name", g.entity().name())
        .put("status", g.entity().status()).put("at", Times.rfc3339(at)).put("score", number(g.credit().score()))
        .put("grade", g.credit().grade()).put("veto", g.credit().veto())
        .put("flags", new JsonArray(g.credit().flags().stream().toList())).put("events", events);
  }

  static JsonObject eventInput(CreditEvent e, Optional<String> note) {
    return new JsonObject().put("id", e.id()).put("kind", e.kind().name())
        .put("effectiveAt", Times.rfc3339(e.effectiveAt())).put("points", e.points().orElse(null))
        .put("repairs", e.repairs().orElse(null)).put("note", note.orElse(null)).put("source", e.source());
  }

  /** Whole scores as integers (every default is whole), others as they are. */
  static Number number(double d) {
    return d == Math.rint(d) ? (Number) (long) d : (Number) d;
  }
}
