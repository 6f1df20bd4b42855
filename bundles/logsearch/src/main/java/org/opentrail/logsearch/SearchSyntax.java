package org.opentrail.logsearch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.WildcardQuery;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.logsearch.IndexConfig;
import org.opentrail.api.logsearch.IndexConfig.FieldType;

/**
 * Log Service's search syntax ("Search syntax" and "Query syntax" of Simple Log Service), parsed by
 * recursive descent straight into Lucene queries:
 *
 * <pre>
 * query   := or EOF
 * or      := and ( "or" and )*
 * and     := not ( ["and"] not )*          (juxtaposition is "and", as in Log Service)
 * not     := "not" not | primary
 * primary := "(" or ")" | "*" | key ":" value | key ":" "*" (has the field) | key (">"|">="|"<"|"<=") number
 *          | key "in" ("["|"(") number number ("]"|")") | word | "phrase"
 * </pre>
 *
 * Operators are case-insensitive; a bare word or phrase searches the full text; {@code *} and
 * {@code ?} are wildcards inside a word but cannot start one (Log Service forbids that, and it
 * would scan every term). Lucene's own query parsers are not used: their grammar differs (a {@code
 * :} right after the key, {@code AND}/{@code OR} upper case only, ranges as {@code [a TO b]}, no
 * {@code key > n}) and adapting them would cost more than these 250 lines; the queries built are
 * Lucene's own (term, wildcard, phrase, point range, boolean).
 *
 * <p>Every error is {@code InvalidQuery} (400) naming the character position and what was expected.
 */
final class SearchSyntax {
  private final String text;
  private final IndexConfig config;
  private final Analyzer analyzer;
  private final List<Token> tokens;
  private int at;

  private record Token(String text, boolean quoted, int position) {
    boolean is(String s) {
      return !quoted && text.equalsIgnoreCase(s);
    }
  }

  private SearchSyntax(String text, IndexConfig config, Analyzer analyzer) {
    this.text = text;
    this.config = config;
    this.analyzer = analyzer;
    this.tokens = tokens(text);
  }

  /**
   * The Lucene query for a search.
   *
   * @throws OpenTrailException {@code InvalidQuery} (400) saying where and why
   */
  static Query parse(String text, IndexConfig config, Analyzer analyzer) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      return new MatchAllDocsQuery();
    }
    SearchSyntax p = new SearchSyntax(t, config, analyzer);
    Query q = p.or();
    if (p.at < p.tokens.size()) {
      throw p.error(p.tokens.get(p.at), "unexpected '" + p.tokens.get(p.at).text() + "'");
    }
    return q;
  }

  static OpenTrailException invalid(String message) {
    return new OpenTrailException("InvalidQuery", message, 400);
  }

  private OpenTrailException error(Token t, String why) {
    int pos = t == null ? text.length() + 1 : t.position() + 1;
    return invalid("Invalid query at character " + pos + ": " + why + ".");
  }

  private static final String SINGLE = "()[]:";

  private static List<Token> tokens(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '|') {
        throw invalid(
            "Invalid query at character "
                + (i + 1)
                + ": '|' starts an analysis (SQL), which a search does not run; run"
                + " 'search | SQL' as an analysis (LogSearch.analyze, log:query).");
      } else if (c == '"') {
        StringBuilder b = new StringBuilder();
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != '"') {
          if (s.charAt(j) == '\\' && j + 1 < s.length()) {
            j++;
          }
          b.append(s.charAt(j++));
        }
        if (j >= s.length()) {
          throw invalid(
              "Invalid query at character " + (i + 1) + ": the phrase is not closed by '\"'.");
        }
        out.add(new Token(b.toString(), true, i));
        i = j + 1;
      } else if (SINGLE.indexOf(c) >= 0) {
        out.add(new Token(String.valueOf(c), false, i++));
      } else if (c == '<' || c == '>' || c == '=') {
        int j = i + 1;
        if (j < s.length() && s.charAt(j) == '=') {
          j++;
        }
        out.add(new Token(s.substring(i, j), false, i));
        i = j;
      } else {
        int j = i;
        while (j < s.length()) {
          char d = s.charAt(j);
          if (Character.isWhitespace(d) || SINGLE.indexOf(d) >= 0 || "\"<>=|".indexOf(d) >= 0) {
            break;
          }
          j++;
        }
        out.add(new Token(s.substring(i, j), false, i));
        i = j;
      }
    }
    return out;
  }

  private Token peek(int ahead) {
    return at + ahead < tokens.size() ? tokens.get(at + ahead) : null;
  }

  private Token next(String expected) {
    Token t = peek(0);
    if (t == null) {
      throw error(null, "the query ends where " + expected + " was expected");
    }
    at++;
    return t;
  }

  private Query or() {
    List<Query> any = new ArrayList<>(List.of(and()));
    while (peek(0) != null && peek(0).is("or")) {
      at++;
      any.add(and());
    }
    if (any.size() == 1) {
      return any.get(0);
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    any.forEach(q -> b.add(q, Occur.SHOULD));
    return b.build();
  }

  private Query and() {
    List<Query> all = new ArrayList<>(List.of(not()));
    while (peek(0) != null && !peek(0).is("or") && !peek(0).is(")")) {
      if (peek(0).is("and")) {
        at++;
      }
      all.add(not());
    }
    if (all.size() == 1) {
      return all.get(0);
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (Query q : all) {
      b.add(q, Occur.MUST);
    }
    return b.build();
  }

  private Query not() {
    Token t = peek(0);
    if (t != null && t.is("not")) {
      at++;
      Query q = not();
      return new BooleanQuery.Builder()
          .add(new MatchAllDocsQuery(), Occur.MUST)
          .add(q, Occur.MUST_NOT)
          .build();
    }
    return primary();
  }

  private Query primary() {
    Token t = next("a term, a phrase, '(' or 'not'");
    if (t.is("(")) {
      Query q = or();
      Token close = peek(0);
      if (close == null || !close.is(")")) {
        throw error(t, "this '(' is not closed by ')'");
      }
      at++;
      return q;
    }
    if (!t.quoted()
        && (SINGLE.contains(t.text())
            || t.text().startsWith("<")
            || t.text().startsWith(">")
            || t.text().startsWith("=")
            || t.is("and")
            || t.is("or"))) {
      throw error(t, "expected a term, a phrase, '(' or 'not', not '" + t.text() + "'");
    }
    Token op = peek(0);
    if (!t.quoted()
        && op != null
        && !op.quoted()
        && (op.is(":")
            || op.text().startsWith("<")
            || op.text().startsWith(">")
            || op.is("in")
            || op.is("="))) {
      at++;
      return keyed(t, op);
    }
    if (t.is("*")) {
      return new MatchAllDocsQuery();
    }
    if (!config.fullText()) {
      throw error(t, "this logstore has no full-text index; search a field (key: value)");
    }
    return value(t, StreamIndex.TEXT, FieldType.TEXT);
  }

  private Query keyed(Token key, Token op) {
    FieldType type = config.fields().get(key.text());
    if (type == null) {
      throw error(
          key,
          "the field '"
              + key.text()
              + "' is not indexed in this logstore (log:index shows its indexed fields)");
    }
    String field = StreamIndex.FIELD_PREFIX + key.text();
    boolean numeric = type == FieldType.LONG || type == FieldType.DOUBLE;
    if (op.is(":") || op.is("=")) {
      Token v = next("a value after '" + key.text() + op.text() + "'");
      if (!v.quoted() && (SINGLE.contains(v.text()) || v.is("and") || v.is("or") || v.is("not"))) {
        throw error(
            v, "expected a value after '" + key.text() + op.text() + "', not '" + v.text() + "'");
      }
      if (numeric) {
        if (v.is("*")) {
          return range(key, type, field, null, null, true, true);
        }
        return range(key, type, field, v, v, true, true);
      }
      if (v.is("*")) {
        // Log Service's "key: *": the event has the field (any value), from its doc values
        return new FieldExistsQuery(StreamIndex.VALUES_PREFIX + key.text());
      }
      return value(v, field, type);
    }
    if (!numeric) {
      throw error(
          op,
          "'"
              + op.text()
              + "' needs a long or double field, and "
              + key.text()
              + " is "
              + type.name().toLowerCase(Locale.ROOT));
    }
    if (op.is("in")) {
      Token open = next("'[' or '('");
      if (!open.is("[") && !open.is("(")) {
        throw error(open, "expected '[' or '(' after 'in'");
      }
      Token lo = next("a number");
      Token hi = next("a number");
      Token close = next("']' or ')'");
      if (!close.is("]") && !close.is(")")) {
        throw error(close, "expected ']' or ')' to end the range");
      }
      return range(key, type, field, lo, hi, open.is("["), close.is("]"));
    }
    Token n = next("a number after '" + op.text() + "'");
    return switch (op.text()) {
      case ">" -> range(key, type, field, n, null, false, true);
      case ">=" -> range(key, type, field, n, null, true, true);
      case "<" -> range(key, type, field, null, n, true, false);
      case "<=" -> range(key, type, field, null, n, true, true);
      default -> throw error(op, "unknown operator '" + op.text() + "'");
    };
  }

  private Query range(
      Token key, FieldType type, String field, Token lo, Token hi, boolean loIn, boolean hiIn) {
    if (type == FieldType.LONG) {
      long a = lo == null ? Long.MIN_VALUE : number(lo, key).longValue();
      long b = hi == null ? Long.MAX_VALUE : number(hi, key).longValue();
      if (lo != null && !loIn) {
        if (a == Long.MAX_VALUE) {
          return new MatchNoDocsQuery();
        }
        a++;
      }
      if (hi != null && !hiIn) {
        if (b == Long.MIN_VALUE) {
          return new MatchNoDocsQuery();
        }
        b--;
      }
      return LongPoint.newRangeQuery(field, a, b);
    }
    double a = lo == null ? Double.NEGATIVE_INFINITY : number(lo, key).doubleValue();
    double b = hi == null ? Double.POSITIVE_INFINITY : number(hi, key).doubleValue();
    if (lo != null && !loIn) {
      a = Math.nextUp(a);
    }
    if (hi != null && !hiIn) {
      b = Math.nextDown(b);
    }
    return DoublePoint.newRangeQuery(field, a, b);
  }

  private Number number(Token t, Token key) {
    try {
      if (config.fields().get(key.text()) == FieldType.LONG) {
        return Long.parseLong(t.text());
      }
      return Double.parseDouble(t.text());
    } catch (NumberFormatException e) {
      throw error(
          t,
          "'"
              + t.text()
              + "' is not a number, and "
              + key.text()
              + " is "
              + config.fields().get(key.text()).name().toLowerCase(Locale.ROOT));
    }
  }

  /** A word or phrase against a keyword or text field. */
  private Query value(Token v, String field, FieldType type) {
    String s = v.text();
    boolean wild = !v.quoted() && (s.indexOf('*') >= 0 || s.indexOf('?') >= 0);
    if (wild && (s.startsWith("*") || s.startsWith("?"))) {
      throw error(v, "a wildcard cannot start a word ('" + s + "'); Log Service requires a prefix");
    }
    if (type == FieldType.KEYWORD) {
      Term term = new Term(field, StreamIndex.keyword(s));
      return wild ? new WildcardQuery(term) : new TermQuery(term);
    }
    if (wild) {
      return new WildcardQuery(new Term(field, s.toLowerCase(Locale.ROOT)));
    }
    List<String> words = words(field, s);
    if (words.isEmpty()) {
      return new MatchNoDocsQuery();
    }
    if (words.size() == 1) {
      return new TermQuery(new Term(field, words.get(0)));
    }
    return new PhraseQuery(field, words.toArray(String[]::new));
  }

  private List<String> words(String field, String s) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream(field, s)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
