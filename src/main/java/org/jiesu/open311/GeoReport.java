package org.jiesu.open311;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import org.jiesu.platform.Times;

/**
 * GeoReport v2 documents, in the field names the specification uses (snake_case, not jiesu's camelCase).
 * Each document is built once as JSON; XML is written from that same tree, so the two formats cannot
 * carry different fields: an object is an element per key, an array a wrapper element whose items are
 * named by {@link #ITEM}, null an empty element.
 */
final class GeoReport {

  /** How a response is written: chosen by the path's extension ({@code .json} or {@code .xml}). */
  enum Format {
    JSON("application/json; charset=utf-8"), XML("application/xml; charset=utf-8");

    final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }

    static Format of(String path) {
      return path.endsWith(".xml") ? XML : JSON;
    }
  }

  /** Element names of array items in XML, by the name of the array. */
  private static final Map<String, String> ITEM = Map.of("services", "service", "service_requests", "request",
      "attributes", "attribute", "values", "value", "errors", "error", "service_request_updates", "request_update");

  private GeoReport() {}

  static JsonObject service(Service s) {
    return new JsonObject().put("service_code", s.code()).put("service_name", s.name())
        .put("description", s.description()).put("metadata", s.metadata())
        // requests are created as they are posted: GeoReport's "realtime"
        .put("type", "realtime").put("keywords", String.join(",", s.keywords())).put("group", s.group());
  }

  static JsonObject definition(Service s) {
    JsonArray attributes = new JsonArray();
    for (Service.Attribute a : s.attributes()) {
      JsonObject attribute = new JsonObject().put("variable", a.variable()).put("code", a.code())
          .put("datatype", a.datatype().wire()).put("required", a.required())
          .put("datatype_description", a.datatypeDescription()).put("order", a.order())
          .put("description", a.description());
      if (!a.values().isEmpty()) {
        JsonArray values = new JsonArray();
        a.values().forEach(v -> values.add(new JsonObject().put("key", v.key()).put("name", v.name())));
        attribute.put("values", values);
      }
      attributes.add(attribute);
    }
    return new JsonObject().put("service_code", s.code()).put("attributes", attributes);
  }

  static JsonObject request(Open311Store.PublicRequest r) {
    return new JsonObject().put("service_request_id", r.ticketId().toString()).put("status", r.status())
        .put("status_notes", r.statusNotes().orElse(null)).put("service_name", r.serviceName())
        .put("service_code", r.serviceCode()).put("description", r.description())
        .put("agency_responsible", r.agency().orElse(null)).put("service_notice", null)
        .put("requested_datetime", Times.rfc3339(r.requestedAt()))
        .put("updated_datetime", Times.rfc3339(r.updatedAt())).put("expected_datetime", null)
        .put("address", r.address().orElse(null)).put("address_id", null).put("zipcode", null)
        .put("lat", r.lat().orElse(null)).put("long", r.lon().orElse(null)).put("media_url", null);
  }

  static JsonObject posted(UUID id, String notice) {
    return new JsonObject().put("service_request_id", id.toString()).put("service_notice", notice)
        .put("account_id", null);
  }

  static JsonObject update(Open311Store.Update u) {
    return new JsonObject().put("update_id", Long.toString(u.id()))
        .put("service_request_id", u.ticketId().toString()).put("status", u.status())
        .put("updated_datetime", Times.rfc3339(u.at())).put("description", u.description()).put("media_url", null);
  }

  static JsonObject error(int code, String description) {
    return new JsonObject().put("code", code).put("description", description);
  }

  /**
   * The document in its format. {@code root} names the XML document element; JSON answers the value
   * itself (GeoReport answers lists as bare JSON arrays, the service definition as an object).
   */
  static String write(Format format, String root, Object value) {
    if (format == Format.JSON) {
      return value instanceof JsonArray a ? a.encode() : ((JsonObject) value).encode();
    }
    StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    element(out, root, value);
    return out.toString();
  }

  private static void element(StringBuilder out, String name, Object value) {
    out.append('<').append(name).append('>');
    if (value instanceof JsonObject o) {
      o.forEach(e -> element(out, e.getKey(), e.getValue()));
    } else if (value instanceof JsonArray a) {
      String item = ITEM.getOrDefault(name, "item");
      a.forEach(v -> element(out, item, v));
    } else if (value != null) {
      text(out, String.valueOf(value));
    }
    out.append("</").append(name).append('>');
  }

  /** Escapes text; characters XML 1.0 cannot carry at all (the form refuses them anyway) become U+FFFD. */
  private static void text(StringBuilder out, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\r' -> out.append("&#13;");
        default -> out.append(c < 0x20 && c != '\t' && c != '\n' || c == 0xFFFE || c == 0xFFFF ? '\uFFFD' : c);
      }
    }
  }
}
