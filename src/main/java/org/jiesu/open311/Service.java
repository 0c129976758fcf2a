package org.jiesu.open311;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jiesu.platform.Problem;
import org.jiesu.ticket.workflow.TicketType;

/**
 * A GeoReport v2 service: what a civic client may report, and the dispatch category and ticket type a
 * report under it becomes. {@code metadata} is not stored: a service has a definition exactly when it has
 * attributes, so the flag cannot disagree with what {@code services/{code}} answers.
 */
public record Service(String code, String name, String description, String group, List<String> keywords,
    String category, TicketType ticketType, List<Attribute> attributes, boolean active) {

  /** GeoReport attribute datatypes. */
  public enum Datatype {
    STRING, NUMBER, DATETIME, TEXT, SINGLEVALUELIST, MULTIVALUELIST;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Datatype of(String wire) {
      return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
    }

    boolean isList() {
      return this == SINGLEVALUELIST || this == MULTIVALUELIST;
    }
  }

  /** One value of a list attribute. */
  public record Value(String key, String name) {}

  /** A question the service asks beyond the core fields; {@code variable: false} is shown, never answered. */
  public record Attribute(String code, boolean variable, Datatype datatype, boolean required,
      String datatypeDescription, int order, String description, List<Value> values) {}

  public Service {
    keywords = List.copyOf(keywords);
    attributes = List.copyOf(attributes);
  }

  public boolean metadata() {
    return !attributes.isEmpty();
  }

  public java.util.Optional<Attribute> attribute(String code) {
    return attributes.stream().filter(a -> a.code().equals(code)).findFirst();
  }

  /** The ADMIN's input (already checked against the contract), with the checks a schema cannot make. */
  public static Service fromInput(String code, JsonObject in) {
    List<Problem.FieldError> errors = new ArrayList<>();
    List<Attribute> attributes = new ArrayList<>();
    JsonArray list = in.getJsonArray("attributes", new JsonArray());
    Set<String> codes = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonObject a = list.getJsonObject(i);
      String at = "/attributes/" + i;
      Datatype type = Datatype.of(a.getString("datatype"));
      List<Value> values = new ArrayList<>();
      JsonArray vs = a.getJsonArray("values", new JsonArray());
      Set<String> keys = new HashSet<>();
      for (int j = 0; j < vs.size(); j++) {
        JsonObject v = vs.getJsonObject(j);
        if (!keys.add(v.getString("key"))) {
          errors.add(new Problem.FieldError(at + "/values/" + j + "/key", "names a key twice"));
        }
        values.add(new Value(v.getString("key"), v.getString("name")));
      }
      if (type.isList() && values.isEmpty()) {
        errors.add(new Problem.FieldError(at + "/values", "a " + type.wire() + " needs values"));
      }
      if (!type.isList() && !values.isEmpty()) {
        errors.add(new Problem.FieldError(at + "/values", "only list datatypes take values"));
      }
      if (!codes.add(a.getString("code"))) {
        errors.add(new Problem.FieldError(at + "/code", "names an attribute twice"));
      }
      boolean variable = a.getBoolean("variable", true);
      boolean required = a.getBoolean("required", false);
      if (required && !variable) {
        errors.add(new Problem.FieldError(at + "/required", "an attribute that is not variable cannot be required"));
      }
      attributes.add(new Attribute(a.getString("code"), variable, type, required,
          a.getString("datatypeDescription", ""), a.getInteger("order", i + 1), a.getString("description"),
          values));
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    attributes.sort(java.util.Comparator.comparingInt(Attribute::order));
    return new Service(code, in.getString("name").trim(), in.getString("description", "").trim(),
        in.getString("group", "").trim(), org.jiesu.platform.JsonValues.strings(in.getJsonArray("keywords",
        new JsonArray())), in.getString("category"), TicketType.valueOf(in.getString("ticketType")), attributes,
        in.getBoolean("active", true));
  }

  /** Attributes as stored (and as the ADMIN API shows them): camelCase, like every jiesu body. */
  public JsonArray attributesJson() {
    JsonArray out = new JsonArray();
    for (Attribute a : attributes) {
      JsonArray values = new JsonArray();
      a.values().forEach(v -> values.add(new JsonObject().put("key", v.key()).put("name", v.name())));
      out.add(new JsonObject().put("code", a.code()).put("variable", a.variable()).put("datatype", a.datatype().wire())
          .put("required", a.required()).put("datatypeDescription", a.datatypeDescription()).put("order", a.order())
          .put("description", a.description()).put("values", values));
    }
    return out;
  }

  static List<Attribute> attributesFrom(JsonArray stored) {
    List<Attribute> out = new ArrayList<>();
    for (int i = 0; i < stored.size(); i++) {
      JsonObject a = stored.getJsonObject(i);
      List<Value> values = new ArrayList<>();
      a.getJsonArray("values", new JsonArray()).forEach(v -> values.add(
          new Value(((JsonObject) v).getString("key"), ((JsonObject) v).getString("name"))));
      out.add(new Attribute(a.getString("code"), a.getBoolean("variable"), Datatype.of(a.getString("datatype")),
          a.getBoolean("required"), a.getString("datatypeDescription"), a.getInteger("order"),
          a.getString("description"), values));
    }
    return out;
  }

  /** What an ADMIN sees: the GeoReport face and the mapping behind it. */
  public JsonObject adminJson() {
    return new JsonObject().put("code", code).put("name", name).put("description", description)
        .put("group", group).put("keywords", new JsonArray(keywords)).put("category", category)
        .put("ticketType", ticketType.name()).put("metadata", metadata()).put("attributes", attributesJson())
        .put("active", active);
  }
}
