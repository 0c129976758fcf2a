package org.jiesu.open311;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jiesu.platform.Problem;

/**
 * A GeoReport v2 {@code POST requests} form, read and checked: plain Java, no I/O. Every problem is
 * reported at once, each naming its form field ({@code description}, {@code attribute[WHAT]}). Only the
 * documented fields are accepted; {@code device_id}, {@code account_id}, {@code media_url} and
 * {@code jurisdiction_id} are accepted (clients send them) and not kept.
 */
public record Submission(String serviceCode, String description, Optional<String> address, Optional<Double> lat,
    Optional<Double> lon, Optional<String> callerName, Optional<String> phone, Optional<String> email,
    List<Answer> answers) {

  public static final int DESCRIPTION_MAX = 4_000;
  static final int ADDRESS_MAX = 256;
  static final int NAME_MAX = 32;
  static final int STRING_MAX = 256;

  /** An answered attribute: the keys as sent and what they say, in the service's attribute order. */
  public record Answer(Service.Attribute attribute, List<String> values, String shown) {}

  private static final Set<String> FIELDS = Set.of("api_key", "jurisdiction_id", "service_code", "lat", "long",
      "address_string", "address_id", "email", "device_id", "account_id", "first_name", "last_name", "phone",
      "description", "media_url");
  private static final Pattern ATTRIBUTE = Pattern.compile("^attribute\\[([^\\[\\]]{1,64})\\](\\[\\])?$");
  private static final Pattern PHONE = Pattern.compile("^\\+?[0-9][0-9-]{2,19}$");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,189}$");
  private static final Pattern URL = Pattern.compile("^https?://\\S{1,2040}$");

  public Submission {
    answers = List.copyOf(answers);
  }

  /**
   * The service code a form names, checked on its own so the service can be looked up before the rest
   * of the form is read against its attributes.
   */
  public static String serviceCode(Map<String, List<String>> form) {
    List<Problem.FieldError> errors = new ArrayList<>();
    String code = single(form, "service_code", errors);
    if (code == null && errors.isEmpty()) {
      errors.add(new Problem.FieldError("service_code", "is required"));
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return code;
  }

  /** Reads the form against its service; throws a 400 {@link Problem} naming every bad field. */
  public static Submission parse(Map<String, List<String>> form, Service service) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Map<String, List<String>> attributes = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : form.entrySet()) {
      String name = e.getKey();
      Matcher m = ATTRIBUTE.matcher(name);
      if (m.matches()) {
        attributes.computeIfAbsent(m.group(1), k -> new ArrayList<>()).addAll(e.getValue());
      } else if (!FIELDS.contains(name)) {
        errors.add(new Problem.FieldError(name, "unknown field"));
      }
      for (String value : e.getValue()) {
        control(value).ifPresent(msg -> errors.add(new Problem.FieldError(name, msg)));
      }
    }
    if (!errors.isEmpty()) {
      // unknown fields and unreadable characters first: the rest of the form is not worth reading
      throw Problem.invalid(errors);
    }
    String description = single(form, "description", errors);
    if (description == null || description.isBlank()) {
      if (!has(errors, "description")) {
        errors.add(new Problem.FieldError("description", "is required"));
      }
    } else if (description.codePointCount(0, description.length()) > DESCRIPTION_MAX) {
      errors.add(new Problem.FieldError("description", "is longer than " + DESCRIPTION_MAX + " characters"));
    }
    Optional<Double> lat = coordinate(form, "lat", 90, errors);
    Optional<Double> lon = coordinate(form, "long", 180, errors);
    if (lat.isPresent() != lon.isPresent() && !has(errors, "lat") && !has(errors, "long")) {
      errors.add(new Problem.FieldError(lat.isPresent() ? "long" : "lat", "lat and long come together"));
    }
    Optional<String> address = text(form, "address_string", ADDRESS_MAX, errors);
    if (single(form, "address_id", errors) != null) {
      errors.add(new Problem.FieldError("address_id", "is not supported here: send lat and long or address_string"));
    } else if (lat.isEmpty() && lon.isEmpty() && address.isEmpty() && !has(errors, "lat") && !has(errors, "long")
        && !has(errors, "address_string")) {
      errors.add(new Problem.FieldError("lat", "a location is required: lat and long, or address_string"));
    }
    Optional<String> first = text(form, "first_name", NAME_MAX, errors);
    Optional<String> last = text(form, "last_name", NAME_MAX, errors);
    Optional<String> phone = text(form, "phone", 32, errors).map(p -> p.replace(" ", ""));
    if (phone.isPresent() && !PHONE.matcher(phone.get()).matches()) {
      errors.add(new Problem.FieldError("phone", "is not a telephone number (digits, an optional + and hyphens)"));
    }
    Optional<String> email = text(form, "email", 254, errors);
    if (email.isPresent() && !EMAIL.matcher(email.get()).matches()) {
      errors.add(new Problem.FieldError("email", "is not an email address"));
    }
    text(form, "device_id", 64, errors);
    text(form, "account_id", 64, errors);
    text(form, "jurisdiction_id", 64, errors);
    Optional<String> media = text(form, "media_url", 2048, errors);
    if (media.isPresent() && !URL.matcher(media.get()).matches()) {
      errors.add(new Problem.FieldError("media_url", "is not an http or https URL"));
    }
    List<Answer> answers = answers(service, attributes, errors);
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    Optional<String> name = Optional.of(String.join(" ", first.orElse(""), last.orElse("")).trim())
        .filter(n -> !n.isEmpty());
    return new Submission(service.code(), description.strip(), address, lat, lon, name, phone, email, answers);
  }

  private static List<Answer> answers(Service service, Map<String, List<String>> given,
      List<Problem.FieldError> errors) {
    for (String code : given.keySet()) {
      Optional<Service.Attribute> a = service.attribute(code);
      if (a.isEmpty() || !a.get().variable()) {
        errors.add(new Problem.FieldError(field(code), "is not an attribute service " + service.code() + " asks"));
      }
    }
    List<Answer> out = new ArrayList<>();
    for (Service.Attribute a : service.attributes()) {
      List<String> values = given.getOrDefault(a.code(), List.of()).stream().map(String::strip)
          .filter(v -> !v.isEmpty()).toList();
      String field = field(a.code());
      if (values.isEmpty()) {
        if (a.required()) {
          errors.add(new Problem.FieldError(field, "is required: " + a.description()));
        }
        continue;
      }
      if (a.datatype() != Service.Datatype.MULTIVALUELIST && values.size() > 1) {
        errors.add(new Problem.FieldError(field, "takes one value"));
        continue;
      }
      String value = values.get(0);
      switch (a.datatype()) {
        case STRING -> {
          if (value.length() > STRING_MAX) {
            errors.add(new Problem.FieldError(field, "is longer than " + STRING_MAX + " characters"));
          }
        }
        case TEXT -> {
          if (value.length() > DESCRIPTION_MAX) {
            errors.add(new Problem.FieldError(field, "is longer than " + DESCRIPTION_MAX + " characters"));
          }
        }
        case NUMBER -> {
          try {
            new BigDecimal(value);
          } catch (NumberFormatException e) {
            errors.add(new Problem.FieldError(field, "must be a number"));
          }
        }
        case DATETIME -> {
          try {
            OffsetDateTime.parse(value);
          } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(field, "must be an ISO 8601 date-time with offset"));
          }
        }
        case SINGLEVALUELIST, MULTIVALUELIST -> {
          for (String v : values) {
            if (a.values().stream().noneMatch(x -> x.key().equals(v))) {
              errors.add(new Problem.FieldError(field, "'" + v + "' is not one of its keys "
                  + a.values().stream().map(Service.Value::key).toList()));
            }
          }
        }
        default -> throw new IllegalStateException();
      }
      String shown = a.datatype().isList()
          ? String.join("、", values.stream().map(v -> a.values().stream().filter(x -> x.key().equals(v))
              .map(Service.Value::name).findFirst().orElse(v)).toList())
          : value;
      out.add(new Answer(a, values, shown));
    }
    return out;
  }

  /** The ticket content: the description as written, then each answered attribute on its own line. */
  public String content() {
    StringBuilder out = new StringBuilder(description);
    if (!answers.isEmpty()) {
      out.append("\n");
      for (Answer a : answers) {
        out.append("\n").append(a.attribute().description()).append(": ").append(a.shown());
      }
    }
    return out.toString();
  }

  static String field(String code) {
    return "attribute[" + code + "]";
  }

  private static boolean has(List<Problem.FieldError> errors, String field) {
    return errors.stream().anyMatch(e -> e.field().equals(field));
  }

  private static String single(Map<String, List<String>> form, String name, List<Problem.FieldError> errors) {
    List<String> values = form.getOrDefault(name, List.of());
    if (values.size() > 1) {
      errors.add(new Problem.FieldError(name, "is given more than once"));
      return null;
    }
    return values.isEmpty() ? null : values.get(0);
  }

  private static Optional<String> text(Map<String, List<String>> form, String name, int max,
      List<Problem.FieldError> errors) {
    String value = single(form, name, errors);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.strip();
    if (v.codePointCount(0, v.length()) > max) {
      errors.add(new Problem.FieldError(name, "is longer than " + max + " characters"));
      return Optional.empty();
    }
    return Optional.of(v);
  }

  private static Optional<Double> coordinate(Map<String, List<String>> form, String name, double bound,
      List<Problem.FieldError> errors) {
    String value = single(form, name, errors);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      double d = new BigDecimal(value.strip()).doubleValue();
      if (d < -bound || d > bound) {
        errors.add(new Problem.FieldError(name, "must lie between " + (int) -bound + " and " + (int) bound));
        return Optional.empty();
      }
      return Optional.of(d);
    } catch (NumberFormatException e) {
      errors.add(new Problem.FieldError(name, "must be a decimal number"));
      return Optional.empty();
    }
  }

  /** U+0000 cannot be stored, and other control characters have no place in a report (tab and newlines do). */
  private static Optional<String> control(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f || c == 0xFFFE || c == 0xFFFF) {
        return Optional.of("contains a control character");
      }
      if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1)))) {
        if (!(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(value.charAt(i - 1)))) {
          return Optional.of("contains an unpaired surrogate");
        }
      }
    }
    return Optional.empty();
  }
}
