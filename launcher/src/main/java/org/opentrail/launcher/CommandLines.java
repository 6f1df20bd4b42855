package org.opentrail.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line at the {@code ;} that separate commands, leaving those inside quotes,
 * braces, brackets and parentheses alone, so that each command's output can be shown (Gogo itself
 * returns only the last command's result).
 */
final class CommandLines {
  private CommandLines() {}

  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int depth = 0;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        cur.append(c);
        if (c == '\\' && i + 1 < line.length()) {
          cur.append(line.charAt(++i));
        } else if (c == quote) {
          quote = 0;
        }
        continue;
      }
      switch (c) {
        case '\'', '"' -> quote = c;
        case '{', '[', '(' -> depth++;
        case '}', ']', ')' -> depth = Math.max(0, depth - 1);
        case '\\' -> {
          cur.append(c);
          if (i + 1 < line.length()) {
            cur.append(line.charAt(++i));
          }
          continue;
        }
        case ';', '\n' -> {
          if (depth == 0) {
            add(out, cur);
            continue;
          }
        }
        default -> {}
      }
      cur.append(c);
    }
    add(out, cur);
    return out;
  }

  private static void add(List<String> out, StringBuilder cur) {
    String s = cur.toString().strip();
    if (!s.isEmpty()) {
      out.add(s);
    }
    cur.setLength(0);
  }
}
