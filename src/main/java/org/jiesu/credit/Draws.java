package org.jiesu.credit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jiesu.audit.AuditLog;
import org.jiesu.auth.Actor;
import org.jiesu.platform.Problem;
import org.jiesu.platform.Times;

/**
 * The inspector register and 双随机 draws: a draw freezes its candidates (graded at creation), their flags
 * and the inspector register, commits to a secret and names where its public randomness will come from;
 * executing it (once) takes that value, reveals the secret and selects ({@link Draw}); inspection results
 * of selected entities can create credit events. The public record is {@link #publicRecord}.
 */
public final class Draws {

  public record Inspector(String id, String name, String district, Set<String> conflicts) {}

  public static final Set<String> PENALTIES = Set.of("MINOR_PENALTY", "GENERAL_PENALTY", "SERIOUS_PENALTY",
      "ABNORMAL_LIST", "SERIOUS_VIOLATION_LIST");

  private static final String PUT_INSPECTOR = "INSERT INTO inspector (id, name, district, conflicts, updated_at)"
      + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,"
      + " district = EXCLUDED.district, conflicts = EXCLUDED.conflicts, updated_at = EXCLUDED.updated_at"
      + " RETURNING (xmax = 0) AS created";
  private static final String INSPECTORS = "SELECT id, name, district, conflicts FROM inspector"
      + " WHERE ($1::text IS NULL OR district = $1) ORDER BY id";
  private static final String INSERT_DRAW = "INSERT INTO draw (id, kind, district, ratios, inspectors_per_entity,"
      + " randomness_source, secret, commitment, candidates, inspectors, created_by, created_at)"
      + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
  private static final String DRAW_COLUMNS = "id, kind, district, ratios::text AS ratios, inspectors_per_entity,"
      + " randomness_source, secret, commitment, candidates::text AS candidates, inspectors::text AS inspectors,"
      + " created_at, public_randomness, selection::text AS selection, executed_at";
  private static final String GET_DRAW = "SELECT " + DRAW_COLUMNS + " FROM draw WHERE id = $1";
  private static final String LOCK_DRAW = GET_DRAW + " FOR UPDATE";
  private static final String EXECUTE = "UPDATE draw SET public_randomness = $2, selection = $3,"
      + " executed_at = $4 WHERE id = $1";
  private static final String RESULTS = "SELECT credit_code, outcome, penalty, recorded_at FROM draw_inspection"
      + " WHERE draw_id = $1 ORDER BY credit_code";
  private static final String INSERT_RESULT = "INSERT INTO draw_inspection (draw_id, credit_code, outcome, penalty,"
      + " event_id, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING";

  private final Pool pool;
  private final AuditLog audit;
  private final Credit credit;
  private final SecureRandom random = new SecureRandom();

  public Draws(Pool pool, AuditLog audit, Credit credit) {
    this.pool = pool;
    this.audit = audit;
    this.credit = credit;
  }

  // ------------------------------------------------------------------------------------------ inspectors

  /** Creates or replaces an inspector; true when new. Audited. */
  public Future<Boolean> putInspector(Actor actor, Inspector inspector) {
    Instant now = credit.clock().instant();
    return pool.withTransaction(tx -> tx.preparedQuery(PUT_INSPECTOR).execute(Tuple.of(inspector.id(),
            inspector.name(), inspector.district(), new TreeSet<>(inspector.conflicts()).toArray(String[]::new),
            CreditRepository.utc(now)))
        .compose(rows -> {
          boolean created = rows.iterator().next().getBoolean("created");
          return audit.append(tx, actor, created ? "INSPECTOR_CREATE" : "INSPECTOR_UPDATE", null,
              new JsonObject().put("inspector", inspector.id()).put("district", inspector.district())
                  .put("conflicts", new JsonArray(new ArrayList<>(new TreeSet<>(inspector.conflicts())))))
              .map(created);
        }));
  }

  private Future<List<Draw.Inspector>> register(SqlClient db, Optional<String> district) {
    return db.preparedQuery(INSPECTORS).execute(Tuple.of(district.orElse(null))).map(rows -> {
      List<Draw.Inspector> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new Draw.Inspector(r.getString("id"), Set.of(r.getArrayOfStrings("conflicts"))));
      }
      return out;
    });
  }

  // ---------------------------------------------------------------------------------------------- draws

  /** What a draw is asked for; absent values take the defaults. */
  public record Request(Optional<String> kind, Optional<String> district, Map<String, Double> ratios,
      int inspectorsPerEntity, String randomnessSource) {}

  /** Creates a draw: freezes candidates and register, commits to a fresh secret. Answers the public record. */
  public Future<JsonObject> create(Actor actor, Request request) {
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (String g : Draw.GRADES) {
      ratios.put(g, request.ratios().getOrDefault(g, Draw.DEFAULT_RATIOS.get(g)));
    }
    Instant now = credit.clock().instant();
    UUID id = UUID.randomUUID();
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String secret = HexFormat.of().formatHex(bytes);
    return pool.withTransaction(tx -> credit.candidates(tx, request.kind(), request.district(), now)
        .compose(graded -> register(tx, request.district()).compose(inspectors -> {
          if (graded.isEmpty()) {
            return Future.failedFuture(Problem.ruleViolation(request.district().isPresent() ? "/district" : "/kind",
                "no entity matches: a draw needs candidates"));
          }
          // a conflict check per (candidate, inspector) and the frozen record's JSON: off the event loop too
          return blocking(() -> frozen(graded, inspectors, request)).compose(frozen -> {
            if (frozen.refusal() != null) {
              return Future.failedFuture(frozen.refusal());
            }
            List<Draw.Candidate> candidates = frozen.candidates();
            JsonObject ratioJson = new JsonObject();
            ratios.forEach(ratioJson::put);
            return tx.preparedQuery(INSERT_DRAW).execute(Tuple.from(new Object[] {id, request.kind().orElse(null),
                    request.district().orElse(null), ratioJson, request.inspectorsPerEntity(),
                    request.randomnessSource(), secret, Draw.commitment(secret),
                    frozen.json(), DrawRecord.inspectors(inspectors), actor.sub(),
                    CreditRepository.utc(now)}))
                .compose(v -> audit.append(tx, actor, "DRAW_CREATE", null, new JsonObject().put("draw", id.toString())
                    .put("commitment", Draw.commitment(secret)).put("randomnessSource", request.randomnessSource())
                    .put("candidates", candidates.size()).put("inspectors", inspectors.size())))
                .compose(v -> publicRecord(tx, id));
          });
        })));
  }

  /** The candidates a draw freezes, their record, or why the register cannot serve them. */
  private record Frozen(List<Draw.Candidate> candidates, JsonArray json, Problem refusal) {}

  private static Frozen frozen(List<Credit.Graded> graded, List<Draw.Inspector> inspectors, Request request) {
    List<Draw.Candidate> candidates = graded.stream().map(g -> new Draw.Candidate(g.entity().creditCode(),
        g.credit().grade(), !g.credit().flags().isEmpty())).toList();
    for (Draw.Candidate c : candidates) {
      long free = inspectors.stream().filter(i -> !i.conflicts().contains(c.creditCode())).count();
      if (free < request.inspectorsPerEntity()) {
        return new Frozen(candidates, null, Problem.ruleViolation("/inspectorsPerEntity", "only " + free
            + " inspector(s)" + request.district().map(d -> " of " + d).orElse("")
            + " without a conflict on " + c.creditCode() + "; the draw needs " + request.inspectorsPerEntity()));
      }
    }
    return new Frozen(candidates, DrawRecord.candidates(candidates), null);
  }

  /** Executes a draw once with the named source's value; a second execution is a conflict. */
  public Future<JsonObject> execute(Actor actor, UUID id, String publicRandomness) {
    Instant now = credit.clock().instant();
    return pool.withTransaction(tx -> tx.preparedQuery(LOCK_DRAW).execute(Tuple.of(id)).compose(rows -> {
      if (!rows.iterator().hasNext()) {
        return Future.failedFuture(Problem.notFound("no draw " + id));
      }
      Row r = rows.iterator().next();
      if (r.getString("public_randomness") != null) {
        return Future.failedFuture(Problem.conflict("the draw was executed at "
            + Times.rfc3339(CreditRepository.instant(r, "executed_at")) + "; a draw runs once", null));
      }
      String secret = r.getString("secret");
      String candidates = r.getString("candidates");
      String ratios = r.getString("ratios");
      String inspectors = r.getString("inspectors");
      int perEntity = r.getInteger("inspectors_per_entity");
      // an HMAC per candidate and per (selected, inspector): thousands of them, off the event loop
      return blocking(() -> Draw.select(secret, publicRandomness, DrawRecord.readCandidates(new JsonArray(candidates)),
          DrawRecord.readRatios(new JsonObject(ratios)), DrawRecord.readInspectors(new JsonArray(inspectors)), perEntity))
          .compose(selection -> tx.preparedQuery(EXECUTE).execute(Tuple.of(id, publicRandomness, DrawRecord.selection(selection),
              CreditRepository.utc(now)))
          .compose(v -> audit.append(tx, actor, "DRAW_EXECUTE", null, new JsonObject().put("draw", id.toString())
              .put("publicRandomness", publicRandomness).put("selected", selection.size())))
          .compose(v -> publicRecord(tx, id)));
    }));
  }

  /**
   * An inspection of a selected entity, once per entity and draw, by one of the inspectors assigned to it. A
   * penalty creates that credit event (source {@code draw:<id>}) in the same transaction.
   */
  public Future<JsonObject> inspect(Actor actor, UUID id, String code, String outcome, Optional<String> penalty,
      Optional<String> note) {
    Instant now = credit.clock().instant();
    return pool.withTransaction(tx -> tx.preparedQuery(LOCK_DRAW).execute(Tuple.of(id)).compose(rows -> {
      if (!rows.iterator().hasNext()) {
        return Future.failedFuture(Problem.notFound("no draw " + id));
      }
      Row r = rows.iterator().next();
      if (r.getString("selection") == null) {
        return Future.failedFuture(Problem.conflict("the draw has not been executed: nothing is selected yet", null));
      }
      JsonObject selected = null;
      JsonArray selection = new JsonArray(r.getString("selection"));
      for (int i = 0; i < selection.size(); i++) {
        if (selection.getJsonObject(i).getString("creditCode").equals(code)) {
          selected = selection.getJsonObject(i);
        }
      }
      if (selected == null) {
        return Future.failedFuture(Problem.notFound("the draw did not select " + code));
      }
      if (!selected.getJsonArray("inspectors").contains(actor.sub()) && !actor.roles().contains(org.jiesu.auth.Role.ADMIN)) {
        String refusal = "the draw assigned " + code + " to " + selected.getJsonArray("inspectors").encode()
            + ", not to " + actor.sub();
        // a failed authorisation is audited outside the transaction the refusal rolls back
        return audit.record(actor, "ACCESS_DENIED", null, new JsonObject().put("operation", "recordInspection")
                .put("draw", id.toString()).put("creditCode", code).put("reason", refusal))
            .compose(v -> Future.failedFuture(Problem.forbidden(refusal)));
      }
      Future<Optional<UUID>> event = penalty.isEmpty() ? Future.succeededFuture(Optional.empty())
          : credit.record(tx, actor, code, CreditEvent.Kind.valueOf(penalty.get()), Optional.of(now), note,
              Optional.empty(), Optional.empty(), "draw:" + id, Optional.of("/penalty"))
              .map(e -> Optional.of(UUID.fromString(e.id())));
      return event.compose(eventId -> tx.preparedQuery(INSERT_RESULT).execute(Tuple.of(id, code, outcome,
                  penalty.orElse(null), eventId.orElse(null), actor.sub(), CreditRepository.utc(now)))
              .compose(inserted -> inserted.rowCount() == 0
                  ? Future.failedFuture(Problem.conflict("the inspection of " + code + " in this draw is recorded already", null))
                  : audit.append(tx, actor, "DRAW_INSPECTION", null, new JsonObject().put("draw", id.toString())
                      .put("creditCode", code).put("outcome", outcome).put("penalty", penalty.orElse(null))))
              .map(v -> new JsonObject().put("drawId", id.toString()).put("creditCode", code).put("outcome", outcome)
                  .put("penalty", penalty.orElse(null)).put("creditEvent", eventId.map(UUID::toString).orElse(null))
                  .put("recordedAt", Times.rfc3339(now))));
    }));
  }

  private static <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
    return Credit.blocking(work);
  }

  /** The public record (一公开): no secret before execution, no names, nothing personal. */
  public Future<JsonObject> publicRecord(UUID id) {
    return publicRecord(pool, id);
  }

  private Future<JsonObject> publicRecord(SqlClient db, UUID id) {
    return db.preparedQuery(GET_DRAW).execute(Tuple.of(id)).compose(rows -> {
      if (!rows.iterator().hasNext()) {
        return Future.failedFuture(Problem.notFound("no draw " + id));
      }
      Row r = rows.iterator().next();
      boolean executed = r.getString("public_randomness") != null;
      return db.preparedQuery(RESULTS).execute(Tuple.of(id)).map(results -> {
        JsonArray out = new JsonArray();
        for (Row x : results) {
          out.add(new JsonObject().put("creditCode", x.getString("credit_code")).put("outcome", x.getString("outcome"))
              .put("penalty", x.getString("penalty")).put("recordedAt", Times.rfc3339(CreditRepository.instant(x, "recorded_at"))));
        }
        return new JsonObject().put("id", id.toString()).put("kind", r.getString("kind"))
            .put("district", r.getString("district")).put("randomnessSource", r.getString("randomness_source"))
            .put("commitment", r.getString("commitment")).put("createdAt", Times.rfc3339(CreditRepository.instant(r, "created_at")))
            .put("executedAt", executed ? Times.rfc3339(CreditRepository.instant(r, "executed_at")) : null)
            .put("secret", executed ? r.getString("secret") : null)
            .put("publicRandomness", r.getString("public_randomness"))
            .put("ratios", new JsonObject(r.getString("ratios")))
            .put("inspectorsPerEntity", r.getInteger("inspectors_per_entity"))
            .put("candidates", new JsonArray(r.getString("candidates")))
            .put("inspectors", new JsonArray(r.getString("inspectors")))
            .put("selection", executed ? new JsonArray(r.getString("selection")) : new JsonArray())
            .put("results", out);
      });
    });
  }
}
