package org.opentrail.logsearch;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.Planner;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.logsearch.LogSearch;

/**
 * What an analysis may be, parsed (adding {@code FROM log} where Calcite's grammar needs one) and
 * checked on Calcite's parse tree before validation: a query ({@code SELECT}, {@code WITH}, {@code
 * UNION}/{@code INTERSECT}/{@code EXCEPT} of them, {@code VALUES}), never DML or DDL (which
 * Calcite's query parser refuses anyway); no {@code WITH RECURSIVE} (it never reads {@code log}, so
 * no scan's time limit stops it); no joins (a join of {@code log} with itself multiplies the rows
 * fed and is how a runaway query starts); a {@code SELECT} without {@code FROM} reads {@code log},
 * as in Log Service; the outer {@code LIMIT} at most {@link LogSearch#MAX_ROWS}, 100 when none is
 * given (Log Service's default). Tables other than {@code log} cannot be reached: the schema holds
 * nothing else. {@code VALUES} lists hold at most {@link #MAX_VALUES_ROWS} rows in all: a larger
 * constant table has no use in log analysis and only multiplies work (and code Calcite compiles).
 */
final class SqlChecks {
  /** Rows an analysis without a LIMIT answers, as Log Service. */
  static final int DEFAULT_LIMIT = 100;

  private static final Set<SqlKind> QUERIES =
      Set.of(
          SqlKind.SELECT,
          SqlKind.WITH,
          SqlKind.UNION,
          SqlKind.INTERSECT,
          SqlKind.EXCEPT,
          SqlKind.ORDER_BY,
          SqlKind.VALUES);

  private SqlChecks() {}

  /**
   * Checks (and completes, adding {@code FROM log}) a parsed analysis.
   *
   * @return the most rows to answer
   * @throws OpenTrailException {@code InvalidQuery} saying what is not allowed and where
   */
  static int check(SqlNode node) {
    if (!QUERIES.contains(node.getKind())) {
      throw invalid(
          node.getParserPosition(),
          "only queries (SELECT, WITH, UNION of them) can analyse a logstore, not "
              + node.getKind().sql);
    }
    int[] valuesRows = {0};
    walk(node, valuesRows);
    SqlNode fetch = null;
    if (node instanceof SqlOrderBy o) {
      fetch = o.fetch;
    } else if (node instanceof SqlSelect s) {
      fetch = s.getFetch();
    }
    if (fetch == null) {
      return DEFAULT_LIMIT;
    }
    if (!(fetch instanceof SqlNumericLiteral n) || !n.isInteger()) {
      throw invalid(fetch.getParserPosition(), "LIMIT takes a whole number");
    }
    BigDecimal v = n.getValueAs(BigDecimal.class);
    if (v.compareTo(BigDecimal.valueOf(LogSearch.MAX_ROWS)) > 0) {
      throw invalid(
          fetch.getParserPosition(),
          "LIMIT "
              + v.toPlainString()
              + " is above the most rows an analysis answers, "
              + LogSearch.MAX_ROWS);
    }
    return v.intValue();
  }

  /** The most rows all VALUES lists of an analysis hold together. */
  static final int MAX_VALUES_ROWS = 100;

  /** The most grouping sets one GROUP BY makes (CUBE of 10 columns). */
  static final int MAX_GROUPING_SETS = 1024;

  /**
   * How many grouping sets a GROUP BY list makes: the product of its items', CUBE of n items making
   * 2^n, ROLLUP n + 1, GROUPING SETS the sum of its own; above {@link #MAX_GROUPING_SETS}, any
   * number above it.
   */
  private static long groupingSets(List<SqlNode> items) {
    long product = 1;
    for (SqlNode item : items) {
      long sets = 1;
      if (item instanceof SqlCall c && item.getKind() == SqlKind.CUBE) {
        sets = c.operandCount() > 20 ? MAX_GROUPING_SETS + 1 : 1L << c.operandCount();
      } else if (item instanceof SqlCall c && item.getKind() == SqlKind.ROLLUP) {
        sets = c.operandCount() + 1L;
      } else if (item instanceof SqlCall c && item.getKind() == SqlKind.GROUPING_SETS) {
        sets = 0;
        for (SqlNode set : c.getOperandList()) {
          sets = Math.min(MAX_GROUPING_SETS + 1, sets + groupingSets(List.of(set)));
        }
      }
      product = Math.min(MAX_GROUPING_SETS + 1, product * sets);
    }
    return product;
  }

  private static void walk(SqlNode node, int[] valuesRows) {
    if (node instanceof SqlIdentifier id
        && id.isSimple()
        && !id.isComponentQuoted(0)
        && id.getSimple().equalsIgnoreCase("system_user")) {
      // Calcite answers the operating system account OpenTrail runs as
      throw invalid(id.getParserPosition(), "SYSTEM_USER is not available in an analysis");
    }
    if (node == null || node instanceof SqlLiteral || node instanceof SqlIdentifier) {
      return;
    }
    if (node instanceof SqlNodeList list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), valuesRows);
        list.set(i, SqlRewrites.rewrite(list.get(i)));
      }
      return;
    }
    if (node instanceof SqlJoin j) {
      throw invalid(
          j.getParserPosition(),
          "joins are not supported in an analysis; it reads the table log once");
    }
    if (node instanceof SqlWithItem w && w.recursive != null && w.recursive.booleanValue()) {
      // its rows come from itself, not from log: no scan's time limit would ever stop it
      throw invalid(
          w.name.getParserPosition(),
          "WITH RECURSIVE is not supported in an analysis; it reads the table log");
    }
    if (node.getKind() == SqlKind.VALUES
        && (valuesRows[0] += ((SqlCall) node).operandCount()) > MAX_VALUES_ROWS) {
      // a constant table is only a way to multiply work and memory without reading log
      throw invalid(
          node.getParserPosition(),
          "VALUES lists hold at most "
              + MAX_VALUES_ROWS
              + " rows in all in an analysis (it reads the table log; a larger constant table"
              + " only multiplies work)");
    }
    if (node instanceof SqlSelect s && s.getFrom() == null) {
      s.setFrom(new SqlIdentifier("log", SqlParserPos.ZERO));
    }
    if (node instanceof SqlSelect s
        && s.getGroup() != null
        && groupingSets(s.getGroup().getList()) > MAX_GROUPING_SETS) {
      // Calcite expands them all while validating, before any time limit: CUBE of 20 columns is a
      // million sets, which fills the heap
      throw invalid(
          s.getGroup().getParserPosition(),
          "GROUP BY makes more than "
              + MAX_GROUPING_SETS
              + " grouping sets (with CUBE, ROLLUP or GROUPING SETS), the most an analysis groups"
              + " by");
    }
    if (node instanceof SqlCall avg
        && (avg.getKind() == SqlKind.AVG
            || avg.getOperator().getName().equalsIgnoreCase("avg")) // unresolved until validated
        && avg.operandCount() == 1
        && avg.operand(0) != null) {
      // Log Service's avg is a double; standard SQL's avg of a BIGINT column divides integers
      SqlParserPos pos = avg.operand(0).getParserPosition();
      avg.setOperand(
          0,
          SqlStdOperatorTable.CAST.createCall(
              pos,
              avg.operand(0),
              new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.DOUBLE, pos), pos)));
    }
    if (node instanceof SqlCall call) {
      List<SqlNode> operands = call.getOperandList();
      for (int i = 0; i < operands.size(); i++) {
        SqlNode n = operands.get(i);
        walk(n, valuesRows);
        SqlNode b = SqlRewrites.rewrite(n);
        if (b != n) {
          call.setOperand(i, b);
        }
      }
    }
  }

  /** Clauses Calcite's grammar accepts only after a FROM; Log Service lets FROM log be left out. */
  private static final Pattern NEEDS_FROM =
      Pattern.compile("(?i)(where|group|having|window|qualify)\\b");

  private static final String FROM_LOG = "FROM log ";

  /**
   * Parses {@code sql}, adding {@code FROM log} before a WHERE, GROUP BY or HAVING that Calcite's
   * grammar refuses for want of a FROM (Log Service's {@code SELECT ... GROUP BY ...}).
   *
   * @throws OpenTrailException {@code InvalidQuery} with the line and column of the user's text
   */
  static SqlNode parse(Planner planner, String sql) {
    String text = sql;
    List<Integer> added = new ArrayList<>(); // where FROM log went, in the current text
    for (int attempt = 0; ; attempt++) {
      try {
        return planner.parse(text);
      } catch (SqlParseException e) {
        if (e.getCause() instanceof StackOverflowError) {
          // the parser's exception then has no message and no position
          throw SearchSyntax.invalid(
              "The SQL nests expressions or subqueries too deeply to parse; use fewer levels.");
        }
        // no position when the parser itself gave up (too deeply nested)
        int at =
            e.getPos() == null
                ? -1
                : offset(text, e.getPos().getLineNum(), e.getPos().getColumnNum());
        if (attempt < 8
            && at >= 0
            && NEEDS_FROM.matcher(text).region(at, text.length()).lookingAt()) {
          text = text.substring(0, at) + FROM_LOG + text.substring(at);
          added.replaceAll(q -> q >= at ? q + FROM_LOG.length() : q);
          added.add(at);
          continue;
        }
        int original = at;
        for (int q : added) {
          if (q + FROM_LOG.length() <= at) {
            original -= FROM_LOG.length();
          }
        }
        String message =
            SqlAnalysis.firstLine(e.getMessage()).replaceAll(" at line \\d+, column \\d+", "");
        java.util.Collection<String> expected = e.getExpectedTokenNames();
        // a short list of words and symbols helps; token classes (<IDENTIFIER>...) do not
        if (expected != null
            && !expected.isEmpty()
            && expected.size() <= 6
            && expected.stream().allMatch(t -> t.startsWith("\""))) {
          message =
              message.replaceAll("\\.$", "") + "; expected " + String.join(" or ", expected) + ".";
        }
        throw SearchSyntax.invalid("SQL syntax error " + where(sql, original) + ": " + message);
      }
    }
  }

  /** The offset of a 1-based line and column in {@code text}, -1 if outside. */
  static int offset(String text, int line, int column) {
    int at = 0;
    for (int l = 1; l < line; l++) {
      at = text.indexOf('\n', at);
      if (at < 0) {
        return -1;
      }
      at++;
    }
    at += column - 1;
    return at >= 0 && at <= text.length() ? at : -1;
  }

  private static String where(String text, int offset) {
    if (offset < 0) {
      return "in the SQL";
    }
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return SqlAnalysis.where(line, offset - lineStart + 1);
  }

  private static OpenTrailException invalid(SqlParserPos pos, String why) {
    return SearchSyntax.invalid(
        "Invalid SQL at line "
            + pos.getLineNum()
            + ", column "
            + pos.getColumnNum()
            + " of the SQL: "
            + why
            + ".");
  }
}
