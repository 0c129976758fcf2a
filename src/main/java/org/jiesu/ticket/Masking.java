package org.jiesu.ticket;

/** How personal information looks to those who may not see it in full. Plain rules, no I/O. */
public final class Masking {

  private Masking() {}

  /** What confidential callers' data looks like to staff: nothing of it, not even its length. */
  public static final String WITHHELD = "***";

  /**
   * 13812345678 → 138****5678 (the usual form for mobile numbers). Shorter numbers keep only their last
   * four digits, and numbers under eight characters nothing: never more than half a number shows.
   */
  public static String phone(String phone) {
    if (phone == null) {
      return null;
    }
    if (phone.length() >= 11) {
      return phone.substring(0, 3) + "****" + phone.substring(phone.length() - 4);
    }
    if (phone.length() >= 8) {
      return "****" + phone.substring(phone.length() - 4);
    }
    return "****";
  }

  /** 张三丰 → 张**: the family name only. */
  public static String name(String name) {
    if (name == null || name.isEmpty()) {
      return name;
    }
    int first = name.offsetByCodePoints(0, 1);
    int rest = name.codePointCount(first, name.length());
    return name.substring(0, first) + "*".repeat(Math.max(1, rest));
  }

  /** Keeps the first three characters (usually the district) but never more than half, hides the rest. */
  public static String address(String address) {
    if (address == null || address.isEmpty()) {
      return address;
    }
    int keep = Math.min(3, address.codePointCount(0, address.length()) / 2);
    return address.substring(0, address.offsetByCodePoints(0, keep)) + "****";
  }

  /** About a kilometre: enough to route, not enough to find a door. */
  public static Double coordinate(Double value) {
    return value == null ? null : Math.round(value * 100.0) / 100.0;
  }
}
