package org.opentrail.logsearch;

import java.util.Locale;
import java.util.Map;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlOperatorTables;

/**
 * Rewrites of single calls of an analysis' parse tree, applied by {@link SqlChecks} to every
 * operand before validation:
 *
 * <ul>
 *   <li>calls that make a longer string ({@code ||}, {@code overlay}, {@code replace}) go through
 *       {@link LogSqlFunctions#textLimit} or {@link LogSqlFunctions#textReplace}: a nest of them
 *       doubles (or squares) a string at each level, and a row's value is computed in one go,
 *       between the scan's checks of the time limit, until the heap is full;
 *   <li>Log Service's {@code concat(a, b, ...)} becomes {@code a || b || ...} (NULL if any is
 *       NULL), its {@code replace(s, from)} {@code replace(s, from, '')};
 *   <li>{@code cast(<number literal> as timestamp)} casts the TIMESTAMP literal of that many
 *       seconds ({@link TimeCasts#literal}): Calcite would fold it into milliseconds;
 *   <li>Log Service's aggregates that Calcite has under other names become Calcite's: {@code
 *       count_if} its COUNTIF, {@code arbitrary} ANY_VALUE; {@code max_by}/{@code min_by} are its
 *       MAX_BY/MIN_BY by name ({@link #LIBRARY}): typed as their argument, one value per group.
 * </ul>
 */
final class SqlRewrites {
  private static final Map<String, SqlAggFunction> AGGREGATES =
      Map.of("count_if", SqlLibraryOperators.COUNTIF, "arbitrary", SqlStdOperatorTable.ANY_VALUE);

  /**
   * Calcite's library operators an analysis may call besides its standard ones ({@code max_by} and
   * {@code min_by} by these names; COUNTIF for {@code count_if}).
   */
  static final SqlOperatorTable LIBRARY =
      SqlOperatorTables.of(
          SqlLibraryOperators.MAX_BY, SqlLibraryOperators.MIN_BY, SqlLibraryOperators.COUNTIF);

  private SqlRewrites() {}

  /** {@code node} rewritten as the class comment says, or {@code node} itself. */
  static SqlNode rewrite(SqlNode node) {
    if (!(node instanceof SqlCall call)) {
      return node;
    }
    SqlParserPos pos = call.getParserPosition();
    if (call.getOperator() == SqlStdOperatorTable.CONCAT
        || call.getOperator() == SqlStdOperatorTable.OVERLAY) {
      return function("text_limit").createCall(pos, call);
    }
    if (call.getKind() == SqlKind.CAST
        && call.operand(0) instanceof SqlNumericLiteral seconds
        && call.operand(1) instanceof SqlDataTypeSpec type
        && type.getTypeName().getSimple().equalsIgnoreCase("TIMESTAMP")) {
      return call.getOperator().createCall(pos, TimeCasts.literal(seconds), type);
    }
    if (!(call.getOperator() instanceof SqlUnresolvedFunction)) {
      return node;
    }
    String name = call.getOperator().getName().toLowerCase(Locale.ROOT);
    if (name.equals("replace") && call.operandCount() == 3) {
      return function("text_replace").createCall(pos, call.getOperandList());
    }
    if (name.equals("replace") && call.operandCount() == 2) {
      return function("text_replace")
          .createCall(pos, call.operand(0), call.operand(1), SqlLiteral.createCharString("", pos));
    }
    if (name.equals("concat") && call.operandCount() > 0) {
      SqlNode chain = call.operand(0);
      for (int i = 1; i < call.operandCount(); i++) {
        chain = SqlStdOperatorTable.CONCAT.createCall(pos, chain, call.operand(i));
      }
      return function("text_limit").createCall(pos, chain);
    }
    SqlAggFunction aggregate = AGGREGATES.get(name);
    if (aggregate != null) {
      // keeps DISTINCT and the like: only the operator changes
      return aggregate.createCall(
          call.getFunctionQuantifier(), pos, call.getOperandList().toArray(new SqlNode[0]));
    }
    return node;
  }

  private static SqlFunction function(String name) {
    return new SqlUnresolvedFunction(
        new SqlIdentifier(name, SqlParserPos.ZERO),
        null,
        null,
        null,
        null,
        SqlFunctionCategory.USER_DEFINED_FUNCTION);
  }
}
