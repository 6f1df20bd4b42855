package org.opentrail.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The compact result block a scenario ends with: one figure per line, plain text, meant to be
 * pasted into docs/PERFORMANCE.md as is. {@code all} prints every scenario's lines again as one
 * table.
 */
final class Summary {
  private final String scenario;
  private final String context;
  private final List<String[]> lines = new ArrayList<>();

  /**
   * @param context the conditions in one line, e.g. "200,000 events, 4 producers x 1000"
   */
  Summary(String scenario, String context) {
    this.scenario = scenario;
    this.context = context;
  }

  String scenario() {
    return scenario;
  }

  Summary add(String label, String value) {
    lines.add(new String[] {label, value});
    return this;
  }

  Summary add(String label, String format, Object... args) {
    return add(label, String.format(Locale.ROOT, format, args));
  }

  void print(PrintStream out) {
    out.println();
    out.println("```");
    out.println("OpenTrail bench: " + scenario + " -- " + context);
    out.println(RunHeader.oneLine());
    int width = 0;
    for (String[] l : lines) {
      width = Math.max(width, l[0].length());
    }
    for (String[] l : lines) {
      out.println("  " + pad(l[0], width) + "  " + l[1]);
    }
    out.println("```");
    out.flush();
  }

  /** Every summary's lines as one table (the end of {@code all}). */
  static void printTable(List<Summary> summaries, PrintStream out) {
    int width = 0;
    for (Summary s : summaries) {
      for (String[] l : s.lines) {
        width = Math.max(width, l[0].length());
      }
    }
    out.println();
    out.println("```");
    out.println("OpenTrail bench: all");
    out.println(RunHeader.oneLine());
    for (Summary s : summaries) {
      out.println();
      out.println(s.scenario + " (" + s.context + ")");
      for (String[] l : s.lines) {
        out.println("  " + pad(l[0], width) + "  " + l[1]);
      }
    }
    out.println("```");
    out.flush();
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  /** 1234567 as "1,234,567". */
  static String n(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  /** A rate such as 48,312 events/s. */
  static String perSecond(double value) {
    return String.format(Locale.ROOT, "%,.0f", value);
  }
}
