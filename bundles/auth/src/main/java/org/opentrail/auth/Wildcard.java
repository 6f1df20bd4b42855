package org.opentrail.auth;

/**
 * A policy pattern: {@code *} matches any run of characters (also none, also {@code :} and {@code
 * /}), {@code ?} exactly one; everything else matches itself.
 */
final class Wildcard {
  private final String pattern;
  private final boolean literal;

  Wildcard(String pattern) {
    this.pattern = pattern;
    this.literal = pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
  }

  boolean matches(String text) {
    return literal ? pattern.equals(text) : matches(pattern, text);
  }

  /**
   * Iterative matching with one backtrack point: linear for the usual patterns, never recursive.
   */
  static boolean matches(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int mark = 0;
    while (t < text.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
