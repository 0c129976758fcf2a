package org.jiesu.bench;

import java.util.SplittableRandom;

/**
 * Seeded text that searches like Chinese: a vocabulary of one- to four-character words over a few
 * thousand Han characters, drawn with Zipf frequencies (a few words everywhere, most words rare), in
 * clauses and sentences, with an occasional Latin or digit word. The same seed gives the same corpus and
 * the same queries, so runs compare.
 */
final class ChineseLikeText {

  private static final int CHARACTERS = 3000;
  private static final int WORDS = 20_000;

  private final SplittableRandom random;
  private final String[] words = new String[WORDS];
  /** Cumulative Zipf (s = 1) weights of the word ranks. */
  private final double[] cumulative = new double[WORDS];

  ChineseLikeText(long seed) {
    random = new SplittableRandom(seed);
    int[] characters = new int[CHARACTERS];
    for (int i = 0; i < CHARACTERS; i++) {
      characters[i] = 0x4E00 + random.nextInt(0x9FA5 - 0x4E00);
    }
    for (int i = 0; i < WORDS; i++) {
      int roll = random.nextInt(100);
      int length = roll < 15 ? 1 : roll < 75 ? 2 : roll < 90 ? 3 : 4;
      StringBuilder w = new StringBuilder();
      for (int j = 0; j < length; j++) {
        // common characters are common: a skewed pick, not a uniform one
        double u = random.nextDouble();
        w.appendCodePoint(characters[(int) (CHARACTERS * u * u)]);
      }
      words[i] = w.toString();
    }
    double sum = 0;
    for (int i = 0; i < WORDS; i++) {
      sum += 1.0 / (i + 1);
      cumulative[i] = sum;
    }
  }

  private String word() {
    double target = random.nextDouble() * cumulative[WORDS - 1];
    int at = java.util.Arrays.binarySearch(cumulative, target);
    return words[Math.min(WORDS - 1, at < 0 ? -at - 1 : at)];
  }

  /** About {@code length} characters of sentences. */
  String body(int length) {
    StringBuilder text = new StringBuilder(length + 16);
    int clause = 0;
    while (text.length() < length) {
      if (random.nextInt(50) == 0) {
        text.append(random.nextBoolean() ? Integer.toString(10_000 + random.nextInt(90_000)) : "ETC");
      } else {
        text.append(word());
      }
      if (++clause >= 4 + random.nextInt(10)) {
        text.append(random.nextInt(3) == 0 ? "。" : "，");
        clause = 0;
      }
    }
    text.setLength(length);
    return text.toString();
  }

  /** A title of 8 to 20 characters. */
  String title() {
    StringBuilder t = new StringBuilder();
    int target = 8 + random.nextInt(13);
    while (t.length() < target) {
      t.append(word());
    }
    return t.substring(0, Math.min(t.length(), 20));
  }

  /** A tag: one word of two characters or more. */
  String tag() {
    return longWord(true);
  }

  /**
   * What a caller types: one word of two characters or more, sometimes two words together. Words are
   * drawn by their frequency in the text ({@code common}: the most frequent words, found in every
   * article, come up most, the costly case) or evenly from the vocabulary (topic words, as callers mostly
   * search).
   */
  String query(boolean common) {
    return random.nextInt(10) < 7 ? longWord(common) : longWord(common) + longWord(common);
  }

  private String longWord(boolean common) {
    String w;
    do {
      w = common ? word() : words[random.nextInt(WORDS)];
    } while (w.codePointCount(0, w.length()) < 2);
    return w;
  }
}
