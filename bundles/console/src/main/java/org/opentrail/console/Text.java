package org.opentrail.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Text put into pages: HTML-escaped (OWASP XSS Prevention Cheat Sheet, rule 1 and 2: {@code & < > "
 * '} as entities, in element content and quoted attributes alike), URL-encoded, clipped.
 */
final class Text {
  private Text() {}

  /** {@code s} safe in HTML element content and in a double- or single-quoted attribute. */
  static String esc(Object o) {
    if (o == null) {
      return "";
    }
    String s = o.toString();
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(Character.isISOControl(c) && c != '\n' && c != '\t' ? '\uFFFD' : c);
      }
    }
    return b.toString();
  }

  /** {@code s} as a URL query component (UTF-8). */
  static String url(String s) {
    return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** At most {@code max} characters of {@code s}, with "..." if it was longer; null stays null. */
  static String clip(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    return s.substring(0, max) + "...";
  }

  /** {@code s} clipped to 64 characters with control characters shown as '?', for messages. */
  static String quote(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 64; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    return s.length() > 64 ? b + "..." : b.toString();
  }
}
