package org.opentrail.logsearch;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Log Service's regular expression functions (Simple Log Service, "Regular expression functions",
 * Presto's): {@code regexp_like(s, pattern)} (a match anywhere), {@code regexp_extract(s, pattern[,
 * group])} (the first match, or its group; NULL if none), {@code regexp_replace(s, pattern[,
 * replacement])} (every match removed, or replaced; {@code $1} names a group). A NULL argument
 * makes NULL.
 *
 * <p>Their cost is bounded: patterns run on RE2/J, in time linear in the text (no backtracking, so
 * no pattern can run away on a row; RE2 syntax, so no back-references or look-arounds), a pattern
 * longer than {@link #MAX_PATTERN} characters is refused, each distinct pattern is compiled once (a
 * cache of at most {@link #CACHED} patterns), and a replacement stops at {@link
 * LogSqlFunctions#MAX_TEXT} characters. A pattern RE2 cannot compile, a group it does not have, or
 * a too-long pattern is {@code InvalidQuery} naming the pattern.
 */
public final class LogSqlRegex {
  /** The longest pattern accepted, in characters. */
  static final int MAX_PATTERN = 1000;

  /**
   * The most times counted repetitions may repeat one piece of a pattern, nested ones multiplied
   * ({@code (a{100}){100}} is 10,000): as RE2's own limit, since RE2/J compiles each repetition
   * into a copy of its piece and a nest of them fills the heap before anything runs.
   */
  static final int MAX_REPEAT = 1000;

  /** Compiled patterns kept; the cache starts again when it holds more. */
  static final int CACHED = 256;

  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private LogSqlRegex() {}

  /** {@code regexp_like(s, pattern)}: whether {@code pattern} matches anywhere in {@code s}. */
  public static Boolean regexpLike(String s, String pattern) {
    if (s == null || pattern == null) {
      return null;
    }
    return compile("regexp_like", pattern).matcher(s).find();
  }

  /** {@code regexp_extract(s, pattern)}: the first match, NULL if none. */
  public static String regexpExtract(String s, String pattern) {
    return regexpExtractGroup(s, pattern, 0L);
  }

  /** {@code regexp_extract(s, pattern, group)}: the group of the first match, NULL if none. */
  public static String regexpExtractGroup(String s, String pattern, Long group) {
    if (s == null || pattern == null || group == null) {
      return null;
    }
    Pattern p = compile("regexp_extract", pattern);
    if (group < 0 || group > p.groupCount()) {
      throw LogSqlFunctions.invalid(
          "regexp_extract: the pattern '"
              + shown(pattern)
              + "' has "
              + p.groupCount()
              + " group(s); there is no group "
              + group
              + ".");
    }
    Matcher m = p.matcher(s);
    return m.find() ? m.group(group.intValue()) : null;
  }

  /** {@code regexp_replace(s, pattern)}: {@code s} without the matches. */
  public static String regexpRemove(String s, String pattern) {
    return regexpReplace(s, pattern, "");
  }

  /**
   * {@code regexp_replace(s, pattern, replacement)}: every match replaced ({@code $n} is group n,
   * {@code \$} a dollar), refused once the result would pass {@link LogSqlFunctions#MAX_TEXT}.
   */
  public static String regexpReplace(String s, String pattern, String replacement) {
    if (s == null || pattern == null || replacement == null) {
      return null;
    }
    Matcher m = compile("regexp_replace", pattern).matcher(s);
    StringBuilder b = new StringBuilder();
    try {
      while (m.find()) {
        m.appendReplacement(b, replacement);
        if (b.length() > LogSqlFunctions.MAX_TEXT) {
          throw LogSqlFunctions.tooLong("regexp_replace");
        }
      }
    } catch (IllegalArgumentException | IndexOutOfBoundsException bad) {
      throw LogSqlFunctions.invalid(
          "regexp_replace: the replacement '"
              + shown(replacement)
              + "' names a group the pattern '"
              + shown(pattern)
              + "' does not have ("
              + bad.getMessage()
              + ").");
    }
    m.appendTail(b);
    return LogSqlFunctions.limited(b.toString(), "regexp_replace");
  }

  /** The compiled {@code pattern}, from the cache when it was seen before. */
  static Pattern compile(String function, String pattern) {
    Pattern p = PATTERNS.get(pattern);
    if (p != null) {
      return p;
    }
    if (pattern.length() > MAX_PATTERN) {
      throw LogSqlFunctions.invalid(
          function
              + ": the pattern '"
              + shown(pattern)
              + "' is "
              + pattern.length()
              + " characters long; at most "
              + MAX_PATTERN
              + " are accepted.");
    }
    long repeats = repeats(pattern);
    if (repeats > MAX_REPEAT) {
      throw LogSqlFunctions.invalid(
          function
              + ": the pattern '"
              + shown(pattern)
              + "' repeats a piece "
              + (repeats == Long.MAX_VALUE ? "too many" : repeats)
              + " times (counted repetitions, nested ones multiplied); at most "
              + MAX_REPEAT
              + " are accepted.");
    }
    try {
      p = Pattern.compile(pattern);
    } catch (PatternSyntaxException bad) {
      throw LogSqlFunctions.invalid(
          function
              + ": '"
              + shown(pattern)
              + "' is not a valid regular expression (RE2 syntax): "
              + bad.getDescription()
              + ".");
    }
    if (PATTERNS.size() >= CACHED) {
      PATTERNS.clear();
    }
    PATTERNS.put(pattern, p);
    return p;
  }

  /**
   * The most times {@code pattern}'s counted repetitions ({@code {n}}, {@code {n,}}, {@code {n,m}})
   * repeat one piece of it, nested ones multiplied; 1 without any. Reads RE2's syntax only as far
   * as it needs: escapes ({@code \x{41}}, {@code \pL}, {@code \Q...\E}), classes and groups; a
   * pattern RE2 would refuse may be counted loosely, it is refused anyway.
   */
  static long repeats(String pattern) {
    java.util.ArrayDeque<long[]> groups = new java.util.ArrayDeque<>();
    long[] current = {1};
    long last = 1; // the repetitions inside the piece just read
    int n = pattern.length();
    for (int i = 0; i < n; i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < n) {
        char e = pattern.charAt(++i);
        if (e == 'Q') {
          int end = pattern.indexOf("\\E", i);
          i = end < 0 ? n : end + 1;
        } else if ((e == 'x' || e == 'p' || e == 'P')
            && i + 1 < n
            && pattern.charAt(i + 1) == '{') {
          int end = pattern.indexOf('}', i);
          i = end < 0 ? n : end;
        }
        last = 1;
      } else if (c == '[') {
        i = classEnd(pattern, i);
        last = 1;
      } else if (c == '(') {
        groups.push(current);
        current = new long[] {1};
      } else if (c == ')' && !groups.isEmpty()) {
        last = current[0];
        current = groups.pop();
        current[0] = Math.max(current[0], last);
      } else if (c == '{') {
        int end = pattern.indexOf('}', i);
        long count = end < 0 ? -1 : count(pattern.substring(i + 1, end));
        if (count < 0) {
          last = 1;
          continue;
        }
        last =
            count == 0 || last <= Long.MAX_VALUE / count
                ? last * Math.max(count, 1)
                : Long.MAX_VALUE;
        current[0] = Math.max(current[0], last);
        i = end;
      } else if (c != '*' && c != '+' && c != '?') {
        last = 1;
      }
    }
    return current[0];
  }

  /** The larger bound of a repetition's {@code n}, {@code n,} or {@code n,m}; -1 if it is none. */
  private static long count(String bounds) {
    if (!bounds.matches("[0-9]+(,[0-9]*)?")) {
      return -1;
    }
    long most = 0;
    for (String b : bounds.split(",")) {
      most = Math.max(most, b.length() > 9 ? Long.MAX_VALUE / 2 : Long.parseLong(b));
    }
    return most;
  }

  /** The index of the {@code ]} that ends the class opened at {@code open}. */
  private static int classEnd(String pattern, int open) {
    int i = open + 1;
    if (i < pattern.length() && pattern.charAt(i) == '^') {
      i++;
    }
    if (i < pattern.length() && pattern.charAt(i) == ']') {
      i++;
    }
    for (; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[' && pattern.startsWith("[:", i)) {
        int end = pattern.indexOf(":]", i + 2);
        i = end < 0 ? i : end + 1;
      } else if (c == ']') {
        return i;
      }
    }
    return pattern.length();
  }

  /** At most 100 characters of a pattern, for an error message. */
  static String shown(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }
}
