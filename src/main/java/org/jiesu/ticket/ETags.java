package org.jiesu.ticket;

/** {@code If-Match} as RFC 9110 defines it for state-changing requests. Plain rules. */
public final class ETags {

  private static final java.util.regex.Pattern IF_MATCH = java.util.regex.Pattern.compile(
      "\\*|(W/)?\"[\\x21\\x23-\\x7e\\x80-\\xff]*\"([ \\t]*,[ \\t]*((W/)?\"[\\x21\\x23-\\x7e\\x80-\\xff]*\")?)*");

  private ETags() {}

  /**
   * The header as sent, once its syntax is checked: absent is fine, and otherwise it must be {@code *} or
   * a list of entity tags ({@code "3"}, {@code W/"3"}). Anything else ({@code 2} unquoted) is a malformed
   * request (400), not a stale one (412).
   */
  public static java.util.Optional<String> ifMatch(String header) {
    if (header == null) {
      return java.util.Optional.empty();
    }
    if (!IF_MATCH.matcher(header.strip()).matches()) {
      throw org.jiesu.platform.Problem.invalid("If-Match", "must be * or a list of entity tags such as \"3\"");
    }
    return java.util.Optional.of(header);
  }

  /**
   * True when {@code header} allows a change to a resource whose current entity tag is {@code current}:
   * {@code *}, or a list with a strong tag equal to it. Weak tags never match (strong comparison). A
   * header that is not a list of entity tags matches nothing here; {@link #ifMatch} refuses it first.
   */
  public static boolean matches(String header, String current) {
    String h = header.trim();
    if (h.equals("*")) {
      return true;
    }
    int i = 0;
    while (i < h.length()) {
      while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',' || h.charAt(i) == '\t')) {
        i++;
      }
      if (i >= h.length()) {
        return false;
      }
      boolean weak = h.startsWith("W/", i);
      if (weak) {
        i += 2;
      }
      if (i >= h.length() || h.charAt(i) != '"') {
        return false;
      }
      int end = h.indexOf('"', i + 1);
      if (end < 0) {
        return false;
      }
      if (!weak && h.substring(i, end + 1).equals(current)) {
        return true;
      }
      i = end + 1;
    }
    return false;
  }
}
