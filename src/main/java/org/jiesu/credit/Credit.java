package org.jiesu.credit;

import static org.jiesu.credit.CreditRepository.utc;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.audit.AuditLog;
import org.jiesu.auth.Actor;
import org.jiesu.platform.Problem;
import org.jiesu.ticket.ChangeRows;

/**
 * Credit supervision (DESIGN §6): the entity register, credit events, and each entity's score and grade as
 * of any instant, explained by its events. Other features (the ticket feed, draws) come through here,
 * never through the tables.
 */
public final class Credit {

  /** Windows are calendar periods counted in the hotline's zone (a "month" ends on the same date there). */
  public static final java.time.ZoneId ZONE = java.time.ZoneId.of("Asia/Shanghai");

  /** An entity with its credit as of an instant. */
  public record Graded(Entity entity, CreditScore.Result credit, Map<String, Optional<String>> notes) {}

  /** An entity as a PUT or import left it, and whether it was new. */
  public record Saved(Entity entity, boolean created) {}

  private final Pool pool;
  private final AuditLog audit;
  private final Clock clock;
  private final CreditScore score;
  private final CreditRepository repository = new CreditRepository();

  public Credit(Pool pool, AuditLog audit, Clock clock, CreditScore score) {
    this.pool = pool;
    this.audit = audit;
    this.clock = clock;
    this.score = score;
  }

  public Clock clock() {
    return clock;
  }

  /** Creates or replaces an entity (it becomes VERIFIED), saying whether it was new. Audited in the same transaction. */
  public Future<Saved> put(Actor actor, String code, String name, String kind, Optional<String> district) {
    return pool.withTransaction(tx -> put(tx, actor, code, name, kind, district));
  }

  /**
   * Creates or replaces every entity of an import in one transaction, all rows or none, in three
   * statements whatever their number: insert the new ones, lock the others, update them. One audit entry
   * lists the created codes and each updated entity before and after.
   */
  public Future<List<Saved>> putAll(Actor actor, List<Entity> entities) {
    Instant now = clock.instant();
    return pool.withTransaction(tx -> repository.insertAll(tx, entities, now).compose(created -> {
      List<Entity> rest = entities.stream().filter(e -> !created.contains(e.creditCode())).toList();
      return repository.lockAll(tx, rest.stream().map(Entity::creditCode).toList())
          .compose(before -> repository.updateAll(tx, rest, now).map(before))
          .compose(before -> {
            Map<String, Entity> was = new java.util.HashMap<>();
            before.forEach(b -> was.put(b.creditCode(), b));
            io.vertx.core.json.JsonArray updated = new io.vertx.core.json.JsonArray();
            List<Saved> saved = new ArrayList<>();
            for (Entity e : entities) {
              Entity b = was.get(e.creditCode());
              Entity after = b == null ? new Entity(e.creditCode(), e.name(), e.kind(), e.district(), Entity.VERIFIED,
                  now, now) : new Entity(e.creditCode(), e.name(), e.kind(), e.district(), Entity.VERIFIED, b.createdAt(), now);
              saved.add(new Saved(after, b == null));
              if (b != null) {
                updated.add(new JsonObject().put("before", CreditJson.entity(b)).put("after", CreditJson.entity(after)));
              }
            }
            JsonObject detail = new JsonObject()
                .put("created", new io.vertx.core.json.JsonArray(new ArrayList<>(new java.util.TreeSet<>(created))))
                .put("updated", updated);
            return audit.append(tx, actor, "ENTITY_IMPORT", null, detail).map(saved);
          });
    }));
  }

  private Future<Saved> put(SqlClient tx, Actor actor, String code, String name, String kind,
      Optional<String> district) {
    Instant now = clock.instant();
    Entity fresh = new Entity(code, name, kind, district, Entity.VERIFIED, now, now);
    return repository.lock(tx, code)
        .compose(before -> before.isPresent() ? Future.succeededFuture(before)
            : repository.insert(tx, fresh).compose(inserted -> inserted
                ? Future.succeededFuture(Optional.<Entity>empty()) : repository.lock(tx, code)))
        .compose(before -> {
          Entity after = before.map(b -> new Entity(code, name, kind, district, Entity.VERIFIED, b.createdAt(), now))
              .orElse(fresh);
          JsonObject detail = new JsonObject().put("creditCode", code);
          before.ifPresent(b -> detail.put("before", CreditJson.entity(b)));
          detail.put("after", CreditJson.entity(after));
          return (before.isPresent() ? repository.update(tx, after) : Future.<Void>succeededFuture())
              .compose(v -> audit.append(tx, actor, before.isPresent() ? "ENTITY_UPDATE" : "ENTITY_CREATE", null, detail))
              .map(new Saved(after, before.isEmpty()));
        });
  }

  /** A page of entities after {@code after} (by creditCode) graded now, keeping those of {@code grade}. */
  public Future<List<Graded>> page(Optional<String> kind, Optional<String> district, Optional<String> grade,
      String after, int wanted) {
    Instant now = clock.instant();
    List<Graded> out = new ArrayList<>();
    return scan(kind, district, grade, after, wanted, now, out).map(out);
  }

  // the grade is computed, not stored (it changes as windows close): scan in batches until the page is full
  private Future<Void> scan(Optional<String> kind, Optional<String> district, Optional<String> grade, String after,
      int wanted, Instant now, List<Graded> out) {
    int batch = Math.max(wanted, 200);
    return repository.page(pool, kind, district, after, batch).compose(entities -> grade(pool, entities, now)
        .compose(graded -> {
          // the filter is a plain loop over the batch: cheap next to the grading, which ran off the event loop
          for (Graded g : graded) {
            if (grade.map(x -> x.equals(g.credit().grade())).orElse(true)) {
              out.add(g);
              if (out.size() == wanted) {
                return Future.succeededFuture();
              }
            }
          }
          return entities.size() < batch ? Future.succeededFuture()
              : scan(kind, district, grade, entities.get(entities.size() - 1).creditCode(), wanted, now, out);
        }));
  }

  /**
   * Every entity's credit as of {@code at}, from three queries whatever their number. The scoring is CPU work
   * proportional to the entities (about 0.1 ms each): it runs on a worker, never on the event loop.
   */
  Future<List<Graded>> grade(SqlClient db, List<Entity> entities, Instant at) {
    if (entities.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<String> codes = entities.stream().map(Entity::creditCode).toList();
    return repository.events(db, codes).compose(events -> repository.complaints(db, codes).compose(complaints -> blocking(() -> {
      List<Graded> out = new ArrayList<>();
      for (Entity e : entities) {
        List<CreditRepository.Stored> stored = events.getOrDefault(e.creditCode(), List.of());
        List<Instant> unverified = complaints.getOrDefault(e.creditCode(), List.of()).stream()
            .filter(c -> c.unverifiedAt(at)).map(CreditRepository.Complaint::receivedAt).toList();
        Map<String, Optional<String>> notes = new java.util.HashMap<>();
        stored.forEach(s -> notes.put(s.event().id(), s.note()));
        out.add(new Graded(e, score.asOf(stored.stream().map(CreditRepository.Stored::event).toList(), unverified, at),
            notes));
      }
      return out;
    })));
  }

  /**
   * Runs CPU-heavy work on a worker thread (unordered: requests do not queue behind each other) and comes back
   * on the caller's context; inline when there is no Vert.x context (plain unit tests).
   */
  static <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    if (context == null) {
      try {
        return Future.succeededFuture(work.call());
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }
    return context.executeBlocking(work, false);
  }

  /** One entity's credit as of {@code at} (now when absent), with the events that make it up. */
  public Future<Graded> explain(String code, Optional<Instant> at) {
    Instant when = at.orElseGet(clock::instant);
    return repository.get(pool, code).compose(found -> found.isEmpty()
        ? Future.failedFuture(Problem.notFound("no entity with creditCode " + code))
        : grade(pool, List.of(found.get()), when).map(list -> list.get(0)));
  }

  /** What {@code GET /entities/{creditCode}/credit} answers: the explanation as of {@code at}. */
  public Future<JsonObject> explanation(String code, Instant at) {
    return explain(code, Optional.of(at)).map(g -> CreditJson.credit(g, at));
  }

  /** Records an inspector's credit event after the rules allow it; the entity is locked so checks hold. */
  public Future<CreditEvent> record(Actor actor, String code, CreditEvent.Kind kind, Optional<Instant> effectiveAt,
      Optional<String> note, Optional<Integer> points, Optional<String> repairs) {
    return pool.withTransaction(tx -> record(tx, actor, code, kind, effectiveAt, note, points, repairs, actor.sub(),
        Optional.empty()));
  }

  /** The same inside the caller's transaction (inspection results); {@code source} says who or what. */
  Future<CreditEvent> record(SqlClient tx, Actor actor, String code, CreditEvent.Kind kind,
      Optional<Instant> effectiveAt, Optional<String> note, Optional<Integer> points, Optional<String> repairs,
      String source, Optional<String> field) {
    Instant now = clock.instant();
    CreditEvent proposed = new CreditEvent(UUID.randomUUID().toString(), kind, effectiveAt.orElse(now), points,
        repairs, source);
    return repository.lock(tx, code).compose(entity -> {
      if (entity.isEmpty()) {
        return Future.failedFuture(Problem.notFound("no entity with creditCode " + code));
      }
      return repository.events(tx, List.of(code)).compose(events -> {
        List<CreditEvent> existing = events.getOrDefault(code, List.of()).stream()
            .map(CreditRepository.Stored::event).toList();
        Optional<Problem> refusal = CreditEventRules.refusal(existing, proposed, now, score);
        if (refusal.isPresent()) {
          Problem p = refusal.get();
          return Future.failedFuture(field.isPresent() && p.status() == 422
              ? Problem.ruleViolation(field.get(), p.errors().get(0).message()) : p);
        }
        return repository.insertEvent(tx, code, proposed, note, Optional.empty(), now)
            .compose(v -> audit.append(tx, actor, "CREDIT_EVENT", null, new JsonObject().put("creditCode", code)
                .put("event", CreditJson.eventInput(proposed, note))))
            .map(proposed);
      });
    });
  }

  // ------------------------------------------------------------------------------------- the ticket feed

  /** A complaint or report named the entity: remember it (unverified until its reply), creating the entity if unknown. */
  public Future<Void> complaintReceived(SqlClient tx, UUID ticket, String code, Optional<String> name,
      Instant receivedAt) {
    return known(tx, code, name).compose(v -> repository.complaint(tx, ticket, code, receivedAt));
  }

  /**
   * The reply's finding on a complaint or report naming the entity. SUBSTANTIATED creates the ticket's
   * substantiated-complaint event (one per ticket, whatever later rounds say); the cap per 12 months is the
   * score's, so the history keeps every complaint.
   */
  public Future<Void> finding(SqlClient tx, UUID ticket, String code, Optional<String> name, Instant receivedAt,
      String finding, Instant at) {
    Future<Void> recorded = complaintReceived(tx, ticket, code, name, receivedAt)
        .compose(v -> repository.finding(tx, ticket, finding, at));
    if (!finding.equals("SUBSTANTIATED")) {
      return recorded;
    }
    CreditEvent event = new CreditEvent(UUID.randomUUID().toString(), CreditEvent.Kind.SUBSTANTIATED_COMPLAINT, at,
        Optional.empty(), Optional.empty(), "ticket:" + ticket);
    return recorded.compose(v -> repository.insertEvent(tx, code, event, Optional.empty(), Optional.of(ticket),
        clock.instant())).mapEmpty();
  }

  /**
   * {@link #finding} as rows of the reply's own statement (ChangeRows; the same rows, in one statement):
   * the entity kept if unknown, the complaint with its finding, and for SUBSTANTIATED the ticket's event.
   */
  public List<ChangeRows> findingRows(UUID ticket, String code, Optional<String> name, Instant receivedAt,
      String finding, Instant at) {
    Instant now = clock.instant();
    List<ChangeRows> rows = new ArrayList<>();
    rows.add(new ChangeRows(CreditRepository.CHANGE_ENTITY, Arrays.asList(ticket, code, nameOf(code, name),
        Entity.UNKNOWN_KIND, Entity.UNVERIFIED, utc(now))));
    rows.add(new ChangeRows(CreditRepository.CHANGE_FINDING, Arrays.asList(ticket, code, utc(receivedAt), finding,
        utc(at))));
    if (finding.equals("SUBSTANTIATED")) {
      rows.add(new ChangeRows(CreditRepository.CHANGE_EVENT, Arrays.asList(ticket, UUID.randomUUID(), code,
          CreditEvent.Kind.SUBSTANTIATED_COMPLAINT.name(), utc(at), "ticket:" + ticket, utc(now))));
    }
    return rows;
  }

  /** {@link #complaintWithdrawn} as a row of the action's own statement. */
  public ChangeRows withdrawnRows(UUID ticket, Instant at) {
    return new ChangeRows(CreditRepository.CHANGE_WITHDRAW, Arrays.asList(ticket, utc(at)));
  }

  /** The ticket was merged into another or marked unreasonable: it no longer counts as a complaint of its own. */
  public Future<Void> complaintWithdrawn(SqlClient tx, UUID ticket, Instant at) {
    return repository.withdraw(tx, ticket, at);
  }

  private Future<Void> known(SqlClient tx, String code, Optional<String> name) {
    Instant now = clock.instant();
    // an unknown code on a ticket is kept as an UNVERIFIED entity rather than losing the link
    return repository.insert(tx, new Entity(code, nameOf(code, name), Entity.UNKNOWN_KIND, Optional.empty(),
        Entity.UNVERIFIED, now, now)).mapEmpty();
  }

  /** The name an entity first named by a ticket is kept under: the ticket's, or its code when it gave none. */
  private static String nameOf(String code, Optional<String> name) {
    return name.filter(n -> !n.isBlank()).orElse(code);
  }

  // ---------------------------------------------------------------------------------------------- draws

  /** Every entity of {@code kind} in {@code district} (either absent: any), graded at {@code at}, by creditCode. */
  Future<List<Graded>> candidates(SqlClient db, Optional<String> kind, Optional<String> district, Instant at) {
    List<Entity> all = new ArrayList<>();
    return collect(db, kind, district, "", all).compose(v -> grade(db, all, at));
  }

  private Future<Void> collect(SqlClient db, Optional<String> kind, Optional<String> district, String after,
      List<Entity> out) {
    int batch = 5000;
    return repository.page(db, kind, district, after, batch).compose(page -> {
      out.addAll(page);
      return page.size() < batch ? Future.succeededFuture()
          : collect(db, kind, district, page.get(page.size() - 1).creditCode(), out);
    });
  }
}
