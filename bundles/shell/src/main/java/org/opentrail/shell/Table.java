package org.opentrail.shell;

import java.util.ArrayList;
import java.util.List;

/** A plain text table with left-aligned columns, for command output. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final int[] widths;
  private final int maxWidth;

  Table(int maxWidth, String... header) {
    this.maxWidth = maxWidth;
    this.widths = new int[header.length];
    row((Object[]) header);
  }

  Table row(Object... cells) {
    String[] r = new String[widths.length];
    for (int i = 0; i < widths.length; i++) {
      String s = i < cells.length && cells[i] != null ? cells[i].toString() : "-";
      if (s.length() > maxWidth) {
        s = s.substring(0, maxWidth - 1) + "…";
      }
      r[i] = s;
      widths[i] = Math.max(widths[i], s.length());
    }
    rows.add(r);
    return this;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        b.append(r[i]);
        if (i < r.length - 1) {
          b.append(" ".repeat(widths[i] - r[i].length() + 2));
        }
      }
      b.append('\n');
    }
    return b.toString();
  }
}
