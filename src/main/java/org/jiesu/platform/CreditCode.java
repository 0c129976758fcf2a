package org.jiesu.platform;

/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-letter alphabet (no I, O, S, V, Z), the last
 * one a check character computed from the first 17 with fixed weights, modulo 31.
 */
public final class CreditCode {

  private static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

  private CreditCode() {}

  /** Null when valid, else what is wrong with it. */
  public static String problem(String code) {
    if (code == null || code.length() != 18) {
      return "must be 18 characters";
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      int value = ALPHABET.indexOf(code.charAt(i));
      if (value < 0) {
        return "character " + (i + 1) + " ('" + code.charAt(i) + "') is not allowed";
      }
      sum += value * WEIGHTS[i];
    }
    int check = (31 - sum % 31) % 31;
    if (ALPHABET.indexOf(code.charAt(17)) != check) {
      return "check character should be '" + ALPHABET.charAt(check) + "'";
    }
    return null;
  }

  public static boolean isValid(String code) {
    return problem(code) == null;
  }

  /** Completes 17 characters with their check character (tests and fixtures). */
  public static String withCheck(String first17) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += ALPHABET.indexOf(first17.charAt(i)) * WEIGHTS[i];
    }
    return first17 + ALPHABET.charAt((31 - sum % 31) % 31);
  }
}
