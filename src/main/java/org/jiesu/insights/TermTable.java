package org.jiesu.insights;

import java.util.Set;

/**
 * One call's terms in an open-addressing table, so that the candidates of a crowded street are counted
 * against it without a set, a string or a hash computation per term of theirs: a candidate's terms arrive as
 * the one string the statement reads (stored terms joined by U+001F, see {@link SimilarTickets}), and each is
 * hashed and compared where it lies in that string. Building a set per candidate and hashing its terms into
 * it was the largest part of a located intake's server CPU in a profile (README, "Measured"). Plain Java.
 */
final class TermTable {

  /** Between two terms in the joined form; no term contains it. */
  static final char SEPARATOR = 31;

  /** How many terms two calls share, and how many the other call has. */
  record Overlap(int shared, int size) {}

  private final String[] slots;
  private final int[] hashes;
  private final int mask;
  private final int size;

  TermTable(Set<String> terms) {
    // at most half full, so a probe for a term that is not there stops after a slot or two
    int capacity = Integer.highestOneBit(Math.max(2, terms.size() * 2) - 1) << 1;
    slots = new String[capacity];
    hashes = new int[capacity];
    mask = capacity - 1;
    for (String t : terms) {
      int h = t.hashCode();
      int i = spread(h) & mask;
      while (slots[i] != null) {
        i = (i + 1) & mask;
      }
      slots[i] = t;
      hashes[i] = h;
    }
    size = terms.size();
  }

  int size() {
    return size;
  }

  /**
   * The overlap of the terms in {@code joined} (separated by {@link #SEPARATOR}, each once, as
   * {@link StoredTerms} writes a set) with this table's.
   */
  Overlap overlap(String joined) {
    int shared = 0;
    int count = 0;
    int from = 0;
    int length = joined.length();
    while (from < length) {
      int h = 0;
      int to = from;
      char c;
      while (to < length && (c = joined.charAt(to)) != SEPARATOR) {
        h = 31 * h + c; // String.hashCode over the region
        to++;
      }
      count++;
      if (contains(joined, from, to - from, h)) {
        shared++;
      }
      from = to + 1;
    }
    return new Overlap(shared, count);
  }

  /** The overlap of a set of terms with this table's (a candidate whose terms were computed from its text). */
  Overlap overlap(Set<String> terms) {
    int shared = 0;
    for (String t : terms) {
      if (contains(t, 0, t.length(), t.hashCode())) {
        shared++;
      }
    }
    return new Overlap(shared, terms.size());
  }

  private boolean contains(String s, int from, int length, int h) {
    int i = spread(h) & mask;
    String t;
    while ((t = slots[i]) != null) {
      if (hashes[i] == h && t.length() == length && t.regionMatches(0, s, from, length)) {
        return true;
      }
      i = (i + 1) & mask;
    }
    return false;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }
}
