package org.opentrail.logservice;

/**
 * Log Service's query shape {@code search | analysis} ("Query and analysis"): the analysis part
 * starts at the first {@code |} outside double quotes. Only to tell the two apart and to echo them
 * in GetLogs' {@code whereQuery}/{@code aggQuery}; {@link org.opentrail.api.logsearch.LogSearch}
 * parses both.
 */
final class QueryText {
  private QueryText() {}

  /** Where the analysis part's {@code |} is, or -1. */
  static int bar(String query) {
    boolean quoted = false;
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (c == '\\' && quoted) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '|' && !quoted) {
        return i;
      }
    }
    return -1;
  }

  static boolean hasAnalysis(String query) {
    return bar(query) >= 0;
  }

  /** The search part, trimmed. */
  static String search(String query) {
    int b = bar(query);
    return (b < 0 ? query : query.substring(0, b)).strip();
  }

  /** The analysis part after the bar, trimmed; empty if none. */
  static String analysis(String query) {
    int b = bar(query);
    return b < 0 ? "" : query.substring(b + 1).strip();
  }
}
