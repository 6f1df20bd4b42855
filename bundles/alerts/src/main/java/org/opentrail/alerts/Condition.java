package org.opentrail.alerts;

import org.opentrail.api.InvalidParameterException;

/**
 * A rule's condition, parsed. The grammar is deliberately small (a subset of what Log Service's
 * alert "trigger condition" accepts):
 *
 * <pre>
 * condition := "count" op integer          e.g. count &gt; 100
 *            | field "==" value            e.g. errorCode == "AccessDenied"
 * op        := "&gt;" | "&gt;=" | "&lt;" | "&lt;=" | "=="
 * field     := letter (letter | digit | "_" | ".")*      (nested keys such as userIdentity.userName)
 * value     := '"' (any character but '"' and '\', or '\' followed by one) '"' | integer
 * </pre>
 *
 * A field condition holds when at least one event of the window matches the rule's search and has
 * that value; it is evaluated by adding {@code and field: "value"} to the search.
 *
 * @param field {@code null} for a count condition
 * @param op for a count condition, the operator
 * @param threshold for a count condition, the integer it compares with
 * @param value for a field condition, the value
 */
record Condition(String field, String op, long threshold, String value) {
  static final String PARAM = "Condition";

  /**
   * Parses {@code text}.
   *
   * @throws InvalidParameterException {@code InvalidParameter} naming {@code Condition}, saying at
   *     which character and what was expected
   */
  static Condition parse(String text) {
    if (text == null || text.isBlank()) {
      throw InvalidParameterException.missing(PARAM);
    }
    Scanner s = new Scanner(text.trim());
    String name = s.identifier();
    String op = s.operator();
    if (name.equals("count")) {
      long n = s.integer();
      s.end();
      return new Condition(null, op, n, null);
    }
    if (!op.equals("==")) {
      throw s.error("a field condition compares with ==, not " + op);
    }
    String v = s.peek() == '"' ? s.quoted() : Long.toString(s.integer());
    s.end();
    return new Condition(name, "==", 0, v);
  }

  /** Whether the condition holds for {@code count} matching events. */
  boolean holds(long count) {
    if (field != null) {
      return count >= 1;
    }
    return switch (op) {
      case ">" -> count > threshold;
      case ">=" -> count >= threshold;
      case "<" -> count < threshold;
      case "<=" -> count <= threshold;
      default -> count == threshold;
    };
  }

  /** The search to count: the rule's, narrowed by the field condition. */
  String search(String query) {
    if (field == null) {
      return query;
    }
    String q = query == null || query.isBlank() ? "*" : query;
    String quoted = "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    return "(" + q + ") and " + field + ": " + quoted;
  }

  /** A scanner over the condition's text, reporting errors by 1-based character position. */
  private static final class Scanner {
    private final String text;
    private int pos;

    Scanner(String text) {
      this.text = text;
    }

    InvalidParameterException error(String why) {
      return new InvalidParameterException(
          PARAM, "Condition \"" + text + "\" at character " + (pos + 1) + ": " + why + ".");
    }

    private void spaces() {
      while (pos < text.length() && text.charAt(pos) == ' ') {
        pos++;
      }
    }

    char peek() {
      spaces();
      return pos < text.length() ? text.charAt(pos) : 0;
    }

    String identifier() {
      spaces();
      int start = pos;
      if (pos >= text.length() || !Character.isLetter(text.charAt(pos))) {
        throw error("expected count or a field name");
      }
      while (pos < text.length()
          && (Character.isLetterOrDigit(text.charAt(pos))
              || text.charAt(pos) == '_'
              || text.charAt(pos) == '.')) {
        pos++;
      }
      return text.substring(start, pos);
    }

    String operator() {
      spaces();
      for (String op : new String[] {">=", "<=", "==", ">", "<"}) {
        if (text.startsWith(op, pos)) {
          pos += op.length();
          return op;
        }
      }
      throw error("expected one of >, >=, <, <=, ==");
    }

    long integer() {
      spaces();
      int start = pos;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      if (start == pos || pos - start > 18) {
        pos = start;
        throw error("expected a whole number (0 to 18 digits)");
      }
      return Long.parseLong(text.substring(start, pos));
    }

    String quoted() {
      pos++;
      StringBuilder b = new StringBuilder();
      while (pos < text.length() && text.charAt(pos) != '"') {
        char c = text.charAt(pos++);
        if (c == '\\' && pos < text.length()) {
          c = text.charAt(pos++);
        }
        b.append(c);
      }
      if (pos >= text.length()) {
        throw error("the quoted value is not closed");
      }
      pos++;
      return b.toString();
    }

    void end() {
      spaces();
      if (pos < text.length()) {
        throw error("unexpected \"" + text.substring(pos) + "\"");
      }
    }
  }
}
