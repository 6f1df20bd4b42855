package org.opentrail.logsearch;

import java.util.ArrayList;
import java.util.List;

/**
 * A strict RFC 4180 reader for tests, written independently of the exporter: records end with CRLF,
 * a quoted field may hold commas, CR, LF and doubled quotes; anything else is an error.
 */
final class Csv {
  private Csv() {}

  static List<List<String>> parse(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    int i = 0;
    int n = text.length();
    boolean atFieldStart = true;
    while (i < n) {
      char c = text.charAt(i);
      if (atFieldStart && c == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException("unterminated quoted field at " + i);
          }
          char q = text.charAt(i);
          if (q == '"') {
            if (i + 1 < n && text.charAt(i + 1) == '"') {
              cell.append('"');
              i += 2;
            } else {
              i++;
              break;
            }
          } else {
            cell.append(q);
            i++;
          }
        }
        atFieldStart = false;
        if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\r') {
          throw new IllegalArgumentException("text after a closing quote at " + i);
        }
        continue;
      }
      if (c == ',') {
        row.add(cell.toString());
        cell.setLength(0);
        atFieldStart = true;
        i++;
      } else if (c == '\r') {
        if (i + 1 >= n || text.charAt(i + 1) != '\n') {
          throw new IllegalArgumentException("a bare CR at " + i);
        }
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        atFieldStart = true;
        i += 2;
      } else if (c == '\n' || c == '"') {
        throw new IllegalArgumentException("a bare " + (c == '"' ? "quote" : "LF") + " at " + i);
      } else {
        cell.append(c);
        atFieldStart = false;
        i++;
      }
    }
    if (!atFieldStart || !row.isEmpty()) {
      throw new IllegalArgumentException("the last record does not end with CRLF");
    }
    return rows;
  }
}
