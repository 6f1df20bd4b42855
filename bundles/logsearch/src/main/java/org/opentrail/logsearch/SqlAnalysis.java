package org.opentrail.logsearch;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Properties;
import java.util.TimeZone;
import java.util.function.Consumer;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.Planner;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.RelRunner;
import org.apache.calcite.tools.ValidationException;
import org.apache.calcite.util.CancelFlag;
import org.apache.calcite.util.Holder;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.logsearch.AnalysisResult;
import org.opentrail.api.logsearch.LogSearch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the SQL part of Log Service's {@code search | SQL} in Apache Calcite over a {@link
 * LogTable}: parsed in Log Service's lexical style (identifiers in double quotes, strings in single
 * quotes, names case-insensitive), checked by {@link SqlChecks} (queries only, {@code FROM log}
 * added where missing, the LIMIT), validated against a schema holding only {@code log} and {@link
 * LogSqlFunctions}, planned and run by Calcite's enumerable engine. Values answered as text: NULL
 * as {@code null}, numbers in their shortest decimal form, timestamps ISO-8601 UTC.
 *
 * <p>Errors are {@code InvalidQuery} (400) saying where (line and column of the SQL part, from
 * Calcite) and why, or {@code QueryTimeout} (400); never a Calcite stack trace.
 */
final class SqlAnalysis {
  private static final Logger LOG = LoggerFactory.getLogger(SqlAnalysis.class);

  /** Longest SQL part accepted, in characters. */
  static final int MAX_SQL = 16_384;

  private SqlAnalysis() {}

  /** A query split at its first {@code |} outside double quotes; {@code sql} null if none. */
  record Split(String search, String sql) {}

  /** Splits {@code query} as Log Service does: search, then the analysis after the first '|'. */
  static Split split(String query) {
    String q = query == null ? "" : query;
    boolean quoted = false;
    for (int i = 0; i < q.length(); i++) {
      char c = q.charAt(i);
      if (c == '\\' && quoted) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '|' && !quoted) {
        return new Split(q.substring(0, i), q.substring(i + 1));
      }
    }
    return new Split(q, null);
  }

  /**
   * The rows of {@code sql} over {@code table}.
   *
   * @param deadlineNanos when the analysis is cut short with {@code QueryTimeout}
   * @param timeoutMillis the limit named in that error
   * @param maxGroups the most groups a GROUP BY may hold ({@link GroupLimit})
   */
  static AnalysisResult run(
      String sql,
      LogTable table,
      long deadlineNanos,
      long timeoutMillis,
      boolean complete,
      int maxGroups) {
    long start = System.nanoTime();
    if (sql.strip().isEmpty()) {
      throw invalid("The analysis (the SQL after '|') is empty; e.g. '* | SELECT count(*)'.");
    }
    if (sql.length() > MAX_SQL) {
      throw invalid("The analysis is longer than " + MAX_SQL + " characters.");
    }
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    // Calcite and Janino load generated code and their own classes through it: this bundle's
    thread.setContextClassLoader(SqlAnalysis.class.getClassLoader());
    AnalysisDeadline deadline = new AnalysisDeadline(deadlineNanos);
    try {
      SchemaPlus root = Frameworks.createRootSchema(false);
      root.add("log", table);
      LogSqlFunctions.register(root);
      List<String> columns = new ArrayList<>();
      List<List<String>> rows = new ArrayList<>();
      try (Planner planner = Frameworks.getPlanner(config(root, deadline))) {
        SqlNode parsed = SqlChecks.parse(planner, sql);
        int limit = SqlChecks.check(parsed);
        SqlNode validated = planner.validate(parsed);
        RelNode rel = GroupLimit.bound(TimeCasts.seconds(planner.rel(validated).project()));
        GroupLimit.start(maxGroups);
        try {
          read(rel, table, limit, deadline, columns, rows);
        } finally {
          GroupLimit.end();
        }
      }
      long elapsed = (System.nanoTime() - start) / 1_000_000;
      return new AnalysisResult(columns, rows, table.fed(), complete, elapsed);
    } catch (ValidationException e) {
      throw validation(e);
    } catch (OpenTrailException e) {
      throw e;
    } catch (Exception | ExceptionInInitializerError | AssertionError | StackOverflowError e) {
      // constants Calcite folds into generated code fail in its static initializer (1 / 0);
      // Calcite asserts what it cannot plan (MATCH_RECOGNIZE with a quantifier); the planner
      // stopped by the deadline says "preparation aborted"
      throw failure(e, timeoutMillis, deadline.expired());
    } finally {
      deadline.close();
      thread.setContextClassLoader(before);
    }
  }

  /** Runs the plan through Calcite's JDBC driver, reading at most {@code limit} rows as text. */
  private static void read(
      RelNode rel,
      LogTable table,
      int limit,
      AnalysisDeadline deadline,
      List<String> columns,
      List<List<String>> rows)
      throws SQLException {
    try (Connection c = new org.apache.calcite.jdbc.Driver().connect("jdbc:calcite:", props())) {
      // the generated code finds the table by name in the connection's schema; validation saw
      // only the clean schema (log and our functions, no metadata)
      c.unwrap(CalciteConnection.class).getRootSchema().add("log", table);
      Consumer<Holder<Program>> guards = h -> h.set(DeadlinePlan.program(deadline));
      PreparedStatement prepared;
      try (Hook.Closeable hook = Hook.PROGRAM.addThread(guards)) {
        prepared = c.unwrap(RelRunner.class).prepareStatement(rel);
      }
      try (PreparedStatement ps = prepared) {
        ps.setMaxRows(limit);
        try (ResultSet rs = ps.executeQuery()) {
          ResultSetMetaData md = rs.getMetaData();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            columns.add(md.getColumnLabel(i));
          }
          while (rows.size() < limit && rs.next()) {
            deadline.check();
            List<String> row = new ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
              row.add(text(rs, i, md.getColumnType(i)));
            }
            rows.add(row);
          }
        }
      }
    }
  }

  private static FrameworkConfig config(SchemaPlus root, AnalysisDeadline deadline) {
    return Frameworks.newConfigBuilder()
        .defaultSchema(root)
        .operatorTable(SqlOperatorTables.chain(SqlStdOperatorTable.instance(), SqlRewrites.LIBRARY))
        // the Volcano planner checks it between rule calls
        .context(Contexts.of(new CancelFlag(deadline.flag())))
        .typeSystem(TYPES)
        .parserConfig(
            SqlParser.config()
                .withQuoting(Quoting.DOUBLE_QUOTE)
                .withUnquotedCasing(Casing.UNCHANGED)
                .withQuotedCasing(Casing.UNCHANGED)
                .withCaseSensitive(false)
                .withConformance(SqlConformanceEnum.LENIENT))
        .sqlValidatorConfig(
            SqlValidator.Config.DEFAULT
                .withConformance(SqlConformanceEnum.LENIENT)
                .withIdentifierExpansion(true))
        .build();
  }

  /**
   * Calcite's types, but strings of different lengths meeting in a CASE or UNION are VARCHAR, as in
   * Log Service, not CHAR padded with spaces to the longest ({@code 'ok '}).
   */
  private static final RelDataTypeSystem TYPES =
      new RelDataTypeSystemImpl() {
        @Override
        public boolean shouldConvertRaggedUnionTypesToVarying() {
          return true;
        }
      };

  private static Properties props() {
    Properties p = new Properties();
    p.setProperty("timeZone", "UTC");
    return p;
  }

  private static final ThreadLocal<Calendar> UTC =
      ThreadLocal.withInitial(() -> Calendar.getInstance(TimeZone.getTimeZone("UTC")));

  /** A value as Log Service shows it. */
  static String text(ResultSet rs, int i, int type) throws SQLException {
    if (type == Types.TIMESTAMP) {
      Timestamp t = rs.getTimestamp(i, UTC.get());
      return t == null ? "null" : t.toInstant().toString();
    }
    return text(rs.getObject(i));
  }

  /** NULL as {@code null}, numbers in their shortest decimal form, the rest as text. */
  static String text(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return Double.toString(d);
      }
      return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
    if (v instanceof BigDecimal b) {
      return b.signum() == 0 ? "0" : b.stripTrailingZeros().toPlainString();
    }
    return v.toString();
  }

  static OpenTrailException invalid(String message) {
    return SearchSyntax.invalid(message);
  }

  static String where(int line, int column) {
    return "at line " + line + ", column " + column + " of the SQL";
  }

  static String firstLine(String message) {
    String m = message == null ? "" : message.strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).strip();
  }

  private static OpenTrailException validation(ValidationException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CalciteContextException c) {
        String why = c.getCause() == null ? c.getMessage() : c.getCause().getMessage();
        return invalid(
            "Invalid SQL " + where(c.getPosLine(), c.getPosColumn()) + ": " + firstLine(why));
      }
    }
    return invalid("Invalid SQL: " + firstLine(rootMessage(e)));
  }

  private static OpenTrailException failure(Throwable e, long timeoutMillis, boolean expired) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof LogTable.TimeoutException || expired) {
        return new OpenTrailException(
            "QueryTimeout",
            "The analysis ran longer than its limit of "
                + timeoutMillis
                + " ms and was stopped; narrow the search or the time range.",
            400);
      }
      if (t instanceof OpenTrailException o) {
        return o;
      }
    }
    LOG.info("An analysis failed: {}", firstLine(rootMessage(e)));
    LOG.debug("An analysis failed", e);
    String why = firstLine(rootMessage(e));
    if (why.startsWith("Unable to implement")) {
      // the planner's own words name its plan nodes and costs, which say nothing to a user; what
      // gets here is an untyped NULL where a typed value is needed (max_by(x, null))
      return invalid(
          "The SQL could not be run: an argument has no type Calcite can implement (a bare NULL?"
              + " write cast(null AS varchar) or cast(null AS bigint)).");
    }
    return invalid("The SQL could not be run: " + why);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }

  /** The most rows an analysis answers (kept here for the error text). */
  static final int MAX_ROWS = LogSearch.MAX_ROWS;
}
