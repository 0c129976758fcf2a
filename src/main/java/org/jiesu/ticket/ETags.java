package org.jiesu.ticket;

/** {@code If-Match} as RFC 9110 defines it for state-changing requests. Plain rules. */
public final class ETags {

  private ETags() {}

  /**
   * True when {@code header} allows a change to a resource whose current entity tag is {@code current}:
   * {@code *}, or a list with a strong tag equal to it. Weak tags never match (strong comparison), and a
   * header that is not a list of entity tags matches nothing, so the answer is 412, not an error.
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
