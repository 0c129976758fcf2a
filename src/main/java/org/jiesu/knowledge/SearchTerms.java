package org.jiesu.knowledge;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a search query into terms. Chinese has no spaces between words, so a run of Han characters is
 * searched as itself and as its overlapping pairs (bigrams): "营业执照办理" finds an article about "办理营业执照".
 * Latin words are lower-cased; full-width forms are folded (NFKC) so "ＡＢＣ" finds "abc".
 */
public final class SearchTerms {

  /** Enough to rank well, few enough that one query stays cheap. */
  public static final int MAX_TERMS = 32;

  private SearchTerms() {}

  public static List<String> of(String query) {
    String text = normalise(query);
    Set<String> terms = new LinkedHashSet<>();
    StringBuilder run = new StringBuilder();
    boolean runIsHan = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      boolean han = Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN;
      boolean word = han || Character.isLetterOrDigit(cp);
      if (!word || (run.length() > 0 && han != runIsHan)) {
        flush(run, runIsHan, terms);
      }
      if (word) {
        run.appendCodePoint(cp);
        runIsHan = han;
      }
    }
    flush(run, runIsHan, terms);
    List<String> out = new ArrayList<>(terms);
    return out.size() > MAX_TERMS ? out.subList(0, MAX_TERMS) : out;
  }

  public static String normalise(String s) {
    return Normalizer.normalize(s == null ? "" : s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
  }

  private static void flush(StringBuilder run, boolean han, Set<String> terms) {
    if (run.length() == 0) {
      return;
    }
    String token = run.toString();
    run.setLength(0);
    terms.add(token);
    int length = token.codePointCount(0, token.length());
    if (han && length > 2) {
      int[] cps = token.codePoints().toArray();
      for (int i = 0; i + 1 < cps.length; i++) {
        terms.add(new String(cps, i, 2));
      }
    }
  }
}
