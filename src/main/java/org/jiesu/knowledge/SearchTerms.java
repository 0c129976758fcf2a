package org.jiesu.knowledge;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a search query into terms, and an article into the index terms that find it. Chinese has no
 * spaces between words, so a run of Han characters is searched as itself and as its overlapping pairs
 * (bigrams): "营业执照办理" finds an article about "办理营业执照". Latin words are lower-cased; full-width
 * forms are folded (NFKC) so "ＡＢＣ" finds "abc".
 *
 * <p>An article is indexed by every Han character and every pair of adjacent Han characters, and by its
 * other words whole. A query term is then found by index lookups only ({@link #keys}): a character, a pair
 * or a word is one index term; a longer Han run counts as present in a field when all its pairs are.
 */
public final class SearchTerms {

  /** Enough to rank well, few enough that one query stays cheap. */
  public static final int MAX_TERMS = 32;
  /**
   * Words are indexed and searched by their first 64 characters: an index key must stay far below
   * PostgreSQL's limit of about 2.7 kB, and no real word is longer.
   */
  public static final int MAX_WORD = 64;

  private SearchTerms() {}

  public static List<String> of(String query) {
    Set<String> terms = new LinkedHashSet<>();
    tokens(query, (token, han) -> {
      terms.add(token);
      if (han && token.codePointCount(0, token.length()) > 2) {
        pairs(token, terms::add);
      }
    });
    List<String> out = new ArrayList<>(terms);
    return out.size() > MAX_TERMS ? out.subList(0, MAX_TERMS) : out;
  }

  /** The index terms of one field of an article: Han characters and pairs, other words whole. */
  public static Set<String> indexed(String text) {
    Set<String> terms = new HashSet<>();
    tokens(text, (token, han) -> {
      if (han) {
        token.codePoints().forEach(cp -> terms.add(new String(Character.toChars(cp))));
        pairs(token, terms::add);
      } else {
        terms.add(token);
      }
    });
    return terms;
  }

  /** Where a term was found, with its weight in the ranking and its prefix in the stored index terms. */
  public enum Field {
    TITLE(3, "t:"), TAGS(2, "g:"), BODY(1, "b:");

    public final int weight;
    public final String prefix;

    Field(int weight, String prefix) {
      this.weight = weight;
      this.prefix = prefix;
    }
  }

  /** Everything an article is found by, each term prefixed with its field: what the index column holds. */
  public static String[] document(String title, List<String> tags, String body) {
    List<String> out = new ArrayList<>();
    indexed(title).forEach(t -> out.add(Field.TITLE.prefix + t));
    indexed(String.join(" ", tags)).forEach(t -> out.add(Field.TAGS.prefix + t));
    indexed(body).forEach(t -> out.add(Field.BODY.prefix + t));
    return out.toArray(new String[0]);
  }

  /**
   * What the index column holds for a live article: {@link #document(String, List, String)} and the article's
   * own key ({@link #idKey}), so that a lookup can be restricted to a few given articles inside the index (the
   * newest ones, see {@code KnowledgeRepository}) without reading any article's stored terms.
   */
  public static String[] document(java.util.UUID id, String title, List<String> tags, String body) {
    String[] fields = document(title, tags, body);
    String[] out = java.util.Arrays.copyOf(fields, fields.length + 1);
    out[fields.length] = idKey(id);
    return out;
  }

  /** The index term naming one article (prefix {@code i:}; no query term has it: query keys carry a field prefix). */
  public static String idKey(java.util.UUID id) {
    return "i:" + id;
  }

  /** The index terms a query term needs, all in the same field: a long Han run needs all its pairs. */
  public static List<String> keys(String term) {
    int[] cps = term.codePoints().toArray();
    if (cps.length > 2 && Character.UnicodeScript.of(cps[0]) == Character.UnicodeScript.HAN) {
      Set<String> pairs = new LinkedHashSet<>();
      pairs(term, pairs::add);
      return List.copyOf(pairs);
    }
    return List.of(term);
  }

  private interface TokenSink {
    void accept(String token, boolean han);
  }

  /** Splits normalised text into Han runs and other words (letters and digits), in order. */
  private static void tokens(String raw, TokenSink sink) {
    String text = normalise(raw);
    StringBuilder run = new StringBuilder();
    boolean runIsHan = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      boolean han = Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN;
      boolean word = han || Character.isLetterOrDigit(cp);
      if (!word || (run.length() > 0 && han != runIsHan)) {
        flush(run, runIsHan, sink);
      }
      if (word) {
        run.appendCodePoint(cp);
        runIsHan = han;
      }
    }
    flush(run, runIsHan, sink);
  }

  public static String normalise(String s) {
    return Normalizer.normalize(s == null ? "" : s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
  }

  private static void flush(StringBuilder run, boolean han, TokenSink sink) {
    if (run.length() == 0) {
      return;
    }
    String token = run.toString();
    run.setLength(0);
    if (!han && token.codePointCount(0, token.length()) > MAX_WORD) {
      token = token.substring(0, token.offsetByCodePoints(0, MAX_WORD));
    }
    sink.accept(token, han);
  }

  private static void pairs(String hanRun, java.util.function.Consumer<String> out) {
    int[] cps = hanRun.codePoints().toArray();
    for (int i = 0; i + 1 < cps.length; i++) {
      out.accept(new String(cps, i, 2));
    }
  }
}
