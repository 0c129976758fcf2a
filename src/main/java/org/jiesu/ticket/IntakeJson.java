package org.jiesu.ticket;

import org.jiesu.ticket.workflow.Channel;
import org.jiesu.ticket.workflow.Urgency;
import org.jiesu.ticket.workflow.TicketType;
import org.jiesu.ticket.workflow.Ticket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.jiesu.platform.CreditCode;
import org.jiesu.platform.Problem;

/**
 * Reads an intake body that already passed the OpenAPI schema (types, required fields, lengths, no unknown
 * fields) and applies the checks a schema cannot express. All problems are reported together.
 */
public final class IntakeJson {

  /** Clocks drift; a call "received" a little in the future is still believable. */
  private static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);
  /** No 12345 call predates this; an earlier date is a typing or clock error. */
  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  private IntakeJson() {}

  public static Intake parse(JsonObject body, Instant now) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Instant receivedAt = instant(body.getString("receivedAt"), "/receivedAt", errors);
    if (receivedAt != null && receivedAt.isAfter(now.plus(FUTURE_TOLERANCE))) {
      errors.add(new Problem.FieldError("/receivedAt", "lies in the future"));
    }
    if (receivedAt != null && receivedAt.isBefore(EARLIEST)) {
      errors.add(new Problem.FieldError("/receivedAt", "lies before " + EARLIEST));
    }
    JsonObject callerJson = body.getJsonObject("caller", new JsonObject());
    Ticket.Caller caller = new Ticket.Caller(
        trimmed(callerJson.getString("name")), trimmed(callerJson.getString("phone")),
        callerJson.getBoolean("confidential", false));
    JsonObject loc = body.getJsonObject("location", new JsonObject());
    Ticket.Location location = new Ticket.Location(trimmed(loc.getString("district")),
        trimmed(loc.getString("street")), trimmed(loc.getString("address")),
        loc.getDouble("lat"), loc.getDouble("lon"));
    if ((location.lat() == null) != (location.lon() == null)) {
      errors.add(new Problem.FieldError(location.lat() == null ? "/location/lat" : "/location/lon",
          "lat and lon come together"));
    }
    Optional<Ticket.Subject> subject = Optional.ofNullable(body.getJsonObject("subject")).map(s ->
        new Ticket.Subject(trimmed(s.getString("creditCode")), trimmed(s.getString("name"))));
    subject.map(Ticket.Subject::creditCode).map(CreditCode::problem)
        .ifPresent(p -> errors.add(new Problem.FieldError("/subject/creditCode", p)));
    Optional<String> lead = Optional.ofNullable(trimmed(body.getString("leadDepartment")));
    List<String> assisting = new ArrayList<>();
    JsonArray assistingJson = body.getJsonArray("assistingDepartments", new JsonArray());
    for (int i = 0; i < assistingJson.size(); i++) {
      assisting.add(assistingJson.getString(i));
    }
    if (new LinkedHashSet<>(assisting).size() != assisting.size()) {
      errors.add(new Problem.FieldError("/assistingDepartments", "names a department twice"));
    }
    if (lead.isPresent() && assisting.contains(lead.get())) {
      errors.add(new Problem.FieldError("/assistingDepartments", "contains the lead department"));
    }
    if (lead.isEmpty() && !assisting.isEmpty()) {
      errors.add(new Problem.FieldError("/leadDepartment", "assisting departments need a lead department"));
    }
    Optional<String> answeredBy = Optional.ofNullable(body.getString("answeredBy"));
    Optional<java.util.UUID> article = Optional.empty();
    String articleText = body.getString("knowledgeArticleId");
    if (articleText != null) {
      try {
        article = Optional.of(java.util.UUID.fromString(articleText));
      } catch (IllegalArgumentException e) {
        errors.add(new Problem.FieldError("/knowledgeArticleId", "is not an article id"));
      }
    }
    if (answeredBy.isPresent()) {
      if (!"CONSULTATION".equals(body.getString("type"))) {
        errors.add(new Problem.FieldError("/answeredBy", "only a CONSULTATION can be answered by the hotline"));
      }
      if (articleText == null) {
        errors.add(new Problem.FieldError("/knowledgeArticleId", "is required when the hotline answered"));
      }
      if (lead.isPresent()) {
        errors.add(new Problem.FieldError("/leadDepartment", "a ticket the hotline answered is not dispatched"));
      }
    } else if (articleText != null) {
      errors.add(new Problem.FieldError("/answeredBy", "is required with knowledgeArticleId"));
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return new Intake(body.getString("externalId").trim(),
        TicketType.valueOf(body.getString("type")), Urgency.valueOf(body.getString("urgency")),
        body.getString("category").trim(), body.getString("title").trim(), body.getString("content"),
        receivedAt, caller, location, subject, lead, assisting, answeredBy, article, Channel.HOTLINE);
  }

  /** SHA-256 over a canonical rendering of the normalised intake (fixed field order, UTC instants). */
  public static String hash(Intake in) {
    JsonObject canonical = new JsonObject()
        .put("externalId", in.externalId())
        .put("type", in.type().name())
        .put("urgency", in.urgency().name())
        .put("category", in.category())
        .put("title", in.title())
        .put("content", in.content())
        .put("receivedAt", in.receivedAt().toString())
        .put("caller", new JsonObject().put("name", in.caller().name()).put("phone", in.caller().phone())
            .put("confidential", in.caller().confidential()))
        .put("location", new JsonObject().put("district", in.location().district())
            .put("street", in.location().street()).put("address", in.location().address())
            .put("lat", in.location().lat()).put("lon", in.location().lon()))
        .put("subject", in.subject().map(s -> new JsonObject().put("creditCode", s.creditCode())
            .put("name", s.name())).orElse(null))
        .put("leadDepartment", in.leadDepartment().orElse(null))
        // the order assisting departments are named in carries no meaning
        .put("assistingDepartments", new JsonArray(in.assistingDepartments().stream().sorted().toList()));
    // added after the first intakes were stored: only present when used, so older hashes stay valid
    in.answeredBy().ifPresent(a -> canonical.put("answeredBy", a));
    in.knowledgeArticleId().ifPresent(k -> canonical.put("knowledgeArticleId", k.toString()));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(canonical.encode().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Instant instant(String text, String field, List<Problem.FieldError> errors) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      errors.add(new Problem.FieldError(field, "must be an RFC 3339 date-time with offset"));
      return null;
    }
  }

  private static String trimmed(String s) {
    if (s == null) {
      return null;
    }
    String t = s.trim();
    return t.isEmpty() ? null : t;
  }
}
