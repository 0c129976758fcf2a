package org.jiesu.open311;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.ticket.ChangeRows;
import org.jiesu.ticket.workflow.TicketType;

/** The Open311 tables: services, API clients, the public face of requests and their updates. */
final class Open311Store {

  /** An API client allowed to post requests. */
  record Client(UUID id, String name, boolean active, Instant createdAt, Optional<Instant> revokedAt) {}

  /** What the public may read of a request. */
  record PublicRequest(UUID ticketId, String serviceCode, String serviceName, String description,
      Optional<String> address, Optional<Double> lat, Optional<Double> lon, Instant requestedAt, String status,
      Optional<String> statusNotes, Optional<String> agency, Instant updatedAt) {}

  /** One status update of a request. */
  record Update(long id, UUID ticketId, String status, String kind, String description, Instant at) {}

  /** A new request's public face, written with its ticket. */
  record NewRequest(UUID ticketId, String externalId, String serviceCode, UUID clientId, String description,
      Optional<String> address, Optional<Double> lat, Optional<Double> lon, Instant requestedAt) {}

  /** The filters of {@code GET requests}; empty lists match everything. */
  record Query(List<UUID> ids, List<String> serviceCodes, Instant from, Instant to, List<String> statuses,
      int limit) {}

  private static final String SERVICE_COLUMNS =
      "code, name, description, service_group, keywords, category, ticket_type, attributes, active";

  private static final String UPSERT_SERVICE = """
      INSERT INTO open311_service (code, name, description, service_group, keywords, category, ticket_type,
        attributes, active, created_at, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $10)
      ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
        service_group = EXCLUDED.service_group, keywords = EXCLUDED.keywords, category = EXCLUDED.category,
        ticket_type = EXCLUDED.ticket_type, attributes = EXCLUDED.attributes, active = EXCLUDED.active,
        updated_at = EXCLUDED.updated_at
      RETURNING (xmax = 0) AS created""";

  private static final String REQUEST_COLUMNS = """
      r.ticket_id, r.service_code, s.name AS service_name, r.description, r.address, r.lat, r.lon,
      r.requested_at, r.status, r.status_notes, r.agency, r.updated_at""";

  Future<Boolean> putService(SqlClient db, Service s, Instant now) {
    return db.preparedQuery(UPSERT_SERVICE).execute(Tuple.tuple(List.of(s.code(), s.name(), s.description(),
            s.group(), s.keywords().toArray(new String[0]), s.category(), s.ticketType().name(),
            s.attributesJson().encode(), s.active(), utc(now))))
        .map(rows -> rows.iterator().next().getBoolean("created"));
  }

  Future<List<Service>> services(SqlClient db, boolean activeOnly) {
    return db.query("SELECT " + SERVICE_COLUMNS + " FROM open311_service"
            + (activeOnly ? " WHERE active" : "") + " ORDER BY service_group, code").execute()
        .map(Open311Store::services);
  }

  Future<Optional<Service>> service(SqlClient db, String code) {
    return db.preparedQuery("SELECT " + SERVICE_COLUMNS + " FROM open311_service WHERE code = $1")
        .execute(Tuple.of(code)).map(rows -> services(rows).stream().findFirst());
  }

  private static List<Service> services(RowSet<Row> rows) {
    List<Service> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new Service(r.getString("code"), r.getString("name"), r.getString("description"),
          r.getString("service_group"), List.of(r.getArrayOfStrings("keywords")), r.getString("category"),
          TicketType.valueOf(r.getString("ticket_type")),
          Service.attributesFrom(new JsonArray(String.valueOf(r.getValue("attributes")))), r.getBoolean("active")));
    }
    return out;
  }

  Future<Void> insertClient(SqlClient db, Client c, String keyHash) {
    return db.preparedQuery("INSERT INTO open311_client (id, name, key_hash, active, created_at) VALUES ($1, $2, $3, true, $4)")
        .execute(Tuple.of(c.id(), c.name(), keyHash, utc(c.createdAt()))).mapEmpty();
  }

  Future<List<Client>> clients(SqlClient db) {
    return db.query("SELECT id, name, active, created_at, revoked_at FROM open311_client ORDER BY created_at, id")
        .execute().map(rows -> {
          List<Client> out = new ArrayList<>();
          rows.forEach(r -> out.add(client(r)));
          return out;
        });
  }

  Future<Optional<Client>> clientByKeyHash(SqlClient db, String keyHash) {
    return db.preparedQuery("SELECT id, name, active, created_at, revoked_at FROM open311_client WHERE key_hash = $1")
        .execute(Tuple.of(keyHash)).map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(client(rows.iterator().next())));
  }

  /** Revokes a client; empty when there is no such client. */
  Future<Optional<Client>> revokeClient(SqlClient db, UUID id, Instant now) {
    return db.preparedQuery("""
            UPDATE open311_client SET active = false, revoked_at = COALESCE(revoked_at, $2) WHERE id = $1
            RETURNING id, name, active, created_at, revoked_at""")
        .execute(Tuple.of(id, utc(now))).map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(client(rows.iterator().next())));
  }

  private static Client client(Row r) {
    return new Client(r.getUUID("id"), r.getString("name"), r.getBoolean("active"),
        r.getOffsetDateTime("created_at").toInstant(),
        Optional.ofNullable(r.getOffsetDateTime("revoked_at")).map(OffsetDateTime::toInstant));
  }

  Future<Void> insertRequest(SqlClient tx, NewRequest r, String status, Optional<String> agency) {
    return tx.preparedQuery("""
            INSERT INTO open311_request (ticket_id, external_id, service_code, client_id, description, address,
              lat, lon, requested_at, status, agency, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $9)""")
        .execute(Tuple.tuple(java.util.Arrays.asList(r.ticketId(), r.externalId(), r.serviceCode(), r.clientId(),
            r.description(), r.address().orElse(null), r.lat().orElse(null), r.lon().orElse(null),
            utc(r.requestedAt()), status, agency.orElse(null))))
        .mapEmpty();
  }

  /** When a request under this externalId was first taken in, so a retry repeats the same intake. */
  Future<Optional<Instant>> requestedAt(SqlClient db, String externalId) {
    return db.preparedQuery("SELECT requested_at FROM open311_request WHERE external_id = $1")
        .execute(Tuple.of(externalId)).map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(rows.iterator().next().getOffsetDateTime("requested_at").toInstant()));
  }

  /** Records updates and moves the request's public status to the last one; false if it is not an Open311 request. */
  Future<Boolean> addUpdates(SqlClient tx, UUID ticketId, List<Update> updates, Optional<String> agency) {
    if (updates.isEmpty()) {
      return Future.succeededFuture(true);
    }
    Update last = updates.get(updates.size() - 1);
    List<Tuple> batch = new ArrayList<>();
    updates.forEach(u -> batch.add(Tuple.of(ticketId, u.status(), u.kind(), u.description(), utc(u.at()))));
    return tx.preparedQuery("""
            UPDATE open311_request SET status = $2, status_notes = $3, agency = $4, updated_at = $5
            WHERE ticket_id = $1""")
        .execute(Tuple.tuple(java.util.Arrays.asList(ticketId, last.status(), last.description(),
            agency.orElse(null), utc(last.at()))))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false)
            : tx.preparedQuery("INSERT INTO open311_update (ticket_id, status, kind, description, at) VALUES ($1, $2, $3, $4, $5)")
                .executeBatch(batch).map(true));
  }

  /**
   * An action's updates as rows of its own statement ({@link ChangeRows}: {@code ins} is the ticket, $1 its
   * id): the request's status, then its updates in order, which are written only when the ticket has a request
   * (an OPEN311 ticket that did not come through the facade has none) since they read the rows the first wrote.
   */
  static final String CHANGE_REQUEST = """
      UPDATE open311_request r SET status = $2, status_notes = $3, agency = $4, updated_at = $5
        FROM ins
       WHERE ins.id = $1 AND r.ticket_id = $1
      RETURNING r.ticket_id""";
  static final String CHANGE_UPDATES = """
      INSERT INTO open311_update (ticket_id, status, kind, description, at)
      SELECT r.ticket_id, u.status, u.kind, u.description, u.at
        FROM {rows} r,
             unnest($6::text[], $7::text[], $8::text[], $9::timestamptz[])
               WITH ORDINALITY AS u(status, kind, description, at, n)
       ORDER BY u.n""";

  /** {@link #addUpdates} as rows of an action's own statement. */
  static ChangeRows changeRows(UUID ticketId, List<Update> updates, Optional<String> agency) {
    Update last = updates.get(updates.size() - 1);
    return new ChangeRows(CHANGE_REQUEST, java.util.Arrays.asList(ticketId, last.status(), last.description(),
        agency.orElse(null), utc(last.at()), updates.stream().map(Update::status).toArray(String[]::new),
        updates.stream().map(Update::kind).toArray(String[]::new),
        updates.stream().map(Update::description).toArray(String[]::new),
        updates.stream().map(u -> utc(u.at())).toArray(OffsetDateTime[]::new)), CHANGE_UPDATES);
  }

  Future<Optional<PublicRequest>> request(SqlClient db, UUID ticketId) {
    return db.preparedQuery("SELECT " + REQUEST_COLUMNS
            + " FROM open311_request r JOIN open311_service s ON s.code = r.service_code WHERE r.ticket_id = $1")
        .execute(Tuple.of(ticketId)).map(rows -> requests(rows).stream().findFirst());
  }

  Future<List<PublicRequest>> requests(SqlClient db, Query q) {
    return db.preparedQuery("SELECT " + REQUEST_COLUMNS + """
             FROM open311_request r JOIN open311_service s ON s.code = r.service_code
            WHERE r.requested_at >= $1 AND r.requested_at <= $2
              AND (cardinality($3::uuid[]) = 0 OR r.ticket_id = ANY($3))
              AND (cardinality($4::text[]) = 0 OR r.service_code = ANY($4))
              AND (cardinality($5::text[]) = 0 OR r.status = ANY($5))
            ORDER BY r.requested_at DESC, r.ticket_id
            LIMIT $6""")
        .execute(Tuple.of(utc(q.from()), utc(q.to()), q.ids().toArray(new UUID[0]),
            q.serviceCodes().toArray(new String[0]), q.statuses().toArray(new String[0]), q.limit()))
        .map(Open311Store::requests);
  }

  private static List<PublicRequest> requests(RowSet<Row> rows) {
    List<PublicRequest> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new PublicRequest(r.getUUID("ticket_id"), r.getString("service_code"), r.getString("service_name"),
          r.getString("description"), Optional.ofNullable(r.getString("address")),
          Optional.ofNullable(r.getDouble("lat")), Optional.ofNullable(r.getDouble("lon")),
          r.getOffsetDateTime("requested_at").toInstant(), r.getString("status"),
          Optional.ofNullable(r.getString("status_notes")), Optional.ofNullable(r.getString("agency")),
          r.getOffsetDateTime("updated_at").toInstant()));
    }
    return out;
  }

  Future<List<Update>> updates(SqlClient db, Instant from, Instant to, int limit) {
    return db.preparedQuery("""
            SELECT id, ticket_id, status, kind, description, at FROM open311_update
            WHERE at >= $1 AND at <= $2 ORDER BY at, id LIMIT $3""")
        .execute(Tuple.of(utc(from), utc(to), limit)).map(rows -> {
          List<Update> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Update(r.getLong("id"), r.getUUID("ticket_id"), r.getString("status"),
              r.getString("kind"), r.getString("description"), r.getOffsetDateTime("at").toInstant())));
          return out;
        });
  }

  static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
