package org.opentrail.api.logsearch;

import java.util.List;

/**
 * The rows of an analysis, the SQL part of Log Service's {@code search | SQL} query, as Log
 * Service's GetLogs answers it for an analysis: named columns and rows of values as strings.
 *
 * @param columns the column names, in the order of the SELECT list (an unnamed expression is named
 *     as the SQL engine names it, e.g. {@code EXPR$1}, or by its alias)
 * @param rows the rows, each holding one value per column; SQL NULL is {@code "null"}, as Log
 *     Service shows it; numbers in their shortest decimal form, timestamps as ISO-8601 UTC
 * @param processedRows how many events matched the search part and were fed to the SQL
 * @param complete {@code false} ("Incomplete") while the index has not caught up with the store
 * @param elapsedMillis how long the analysis took, in milliseconds
 */
public record AnalysisResult(
    List<String> columns,
    List<List<String>> rows,
    long processedRows,
    boolean complete,
    long elapsedMillis) {
  public AnalysisResult {
    columns = List.copyOf(columns);
    rows = rows.stream().map(List::copyOf).toList();
  }
}
