package org.jiesu.credit;

import org.jiesu.platform.CreditCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jiesu.platform.Problem;

/**
 * Bulk import of entities as CSV (RFC 4180: comma-separated, double quotes around fields that hold commas,
 * quotes or line breaks; a UTF-8 BOM from Excel is skipped). The first line names the columns: creditCode,
 * name, kind, and optionally district, in any order. Every line is checked before anything is stored, and
 * the problems name the line and column ({@code /lines/3/creditCode}).
 */
public final class EntityCsv {

  public static final Set<String> KINDS = Set.of("PATENT_AGENCY", "TRADEMARK_AGENCY", "ENTERPRISE",
      "INDIVIDUAL_BUSINESS", "SOCIAL_ORGANIZATION", "OTHER");
  public static final int MAX_ROWS = 5_000;

  private EntityCsv() {}

  public static List<Entity> parse(String text, Instant now) {
    List<List<String>> lines = rows(text.startsWith("\uFEFF") ? text.substring(1) : text);
    if (lines.isEmpty()) {
      throw Problem.ruleViolation("/lines/1", "the first line must name the columns: creditCode,name,kind[,district]");
    }
    List<String> header = lines.get(0).stream().map(String::strip).toList();
    Map<String, Integer> column = new java.util.HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      column.put(header.get(i), i);
    }
    for (String required : List.of("creditCode", "name", "kind")) {
      if (!column.containsKey(required)) {
        throw Problem.ruleViolation("/lines/1", "the column " + required + " is missing (columns: creditCode,name,kind[,district])");
      }
    }
    for (String name : header) {
      if (!Set.of("creditCode", "name", "kind", "district").contains(name)) {
        throw Problem.ruleViolation("/lines/1", "unknown column '" + name + "'");
      }
    }
    if (lines.size() - 1 > MAX_ROWS) {
      throw Problem.ruleViolation("/lines", "at most " + MAX_ROWS + " entities per import");
    }
    List<Problem.FieldError> errors = new ArrayList<>();
    List<Entity> out = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    for (int n = 1; n < lines.size(); n++) {
      List<String> row = lines.get(n);
      String at = "/lines/" + (n + 1) + "/";
      if (row.size() != header.size()) {
        errors.add(new Problem.FieldError("/lines/" + (n + 1), "has " + row.size() + " fields, the header " + header.size()));
        continue;
      }
      String code = row.get(column.get("creditCode")).strip();
      String name = row.get(column.get("name")).strip();
      String kind = row.get(column.get("kind")).strip();
      Optional<String> district = Optional.ofNullable(column.get("district")).map(row::get).map(String::strip)
          .filter(d -> !d.isEmpty());
      String codeProblem = CreditCode.problem(code);
      if (codeProblem != null) {
        errors.add(new Problem.FieldError(at + "creditCode", codeProblem));
      } else if (!seen.add(code)) {
        errors.add(new Problem.FieldError(at + "creditCode", "appears on an earlier line"));
      }
      if (name.isEmpty() || name.length() > 200) {
        errors.add(new Problem.FieldError(at + "name", "must be 1 to 200 characters"));
      }
      if (!KINDS.contains(kind)) {
        errors.add(new Problem.FieldError(at + "kind", "must be one of " + new java.util.TreeSet<>(KINDS)));
      }
      if (district.map(d -> d.length() > 64).orElse(false)) {
        errors.add(new Problem.FieldError(at + "district", "must be at most 64 characters"));
      }
      out.add(new Entity(code, name, kind, district, Entity.VERIFIED, now, now));
    }
    if (!errors.isEmpty()) {
      List<Problem.FieldError> shown = errors.stream().limit(Problem.MAX_ERRORS).toList();
      throw new Problem(422, "rule-violation", "The request breaks a handling rule",
          errors.size() + " problem(s) in the CSV, first " + shown.get(0).field() + ": " + shown.get(0).message(),
          shown, null);
    }
    return out;
  }

  /** RFC 4180 records; blank lines are skipped. */
  static List<List<String>> rows(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        any = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
        any = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (any || field.length() > 0) {
          row.add(field.toString());
          rows.add(row);
        }
        row = new ArrayList<>();
        field.setLength(0);
        any = false;
      } else {
        field.append(c);
        any = true;
      }
    }
    if (any || field.length() > 0) {
      row.add(field.toString());
      rows.add(row);
    }
    return rows;
  }
}
