package org.opentrail.logsearch;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.util.TimestampString;

/**
 * Makes {@code cast(<number> as timestamp)} read the number as Unix seconds, as {@code __time__}
 * and every time an analysis computes are: Calcite reads a number cast to TIMESTAMP as milliseconds
 * since 1970, so {@code cast(__time__ as timestamp)} answered a time in January 1970. The plan's
 * casts of a number to TIMESTAMP become casts of the number times 1000; a number literal cast to
 * TIMESTAMP, which Calcite folds into a TIMESTAMP literal of milliseconds before the plan exists,
 * becomes the TIMESTAMP literal of its seconds in the parse tree ({@link #literal}).
 */
final class TimeCasts {
  private TimeCasts() {}

  /** The first and last millisecond a TIMESTAMP holds: 0001-01-01 to 9999-12-31, UTC. */
  private static final long FIRST = -62_135_596_800_000L;

  private static final long LAST = 253_402_300_799_999L;

  /**
   * The TIMESTAMP literal of {@code seconds} since 1970 (to the millisecond), for {@code
   * cast(<number> as timestamp)}; a time outside the years 1 to 9999 is {@code InvalidQuery}.
   */
  static SqlNode literal(SqlNumericLiteral seconds) {
    BigDecimal s = seconds.getValueAs(BigDecimal.class);
    BigDecimal millis = s.movePointRight(3).setScale(0, RoundingMode.FLOOR);
    if (millis.compareTo(BigDecimal.valueOf(FIRST)) < 0
        || millis.compareTo(BigDecimal.valueOf(LAST)) > 0) {
      throw SearchSyntax.invalid(
          "cast("
              + s.toPlainString()
              + " as timestamp): a TIMESTAMP is from year 1 to 9999, "
              + FIRST / 1000
              + " to "
              + LAST / 1000
              + " seconds since 1970.");
    }
    return SqlLiteral.createTimestamp(
        SqlTypeName.TIMESTAMP,
        TimestampString.fromMillisSinceEpoch(millis.longValue()),
        3,
        seconds.getParserPosition());
  }

  private static boolean timestamp(RexNode n) {
    return n.getType().getSqlTypeName() == SqlTypeName.TIMESTAMP;
  }

  private static RexNode thousand(RexBuilder rex) {
    return rex.makeExactLiteral(BigDecimal.valueOf(1000));
  }

  /** The Unix seconds (BIGINT) of a TIMESTAMP, from its milliseconds. */
  private static RexNode seconds(RexBuilder rex, RexNode timestamp) {
    RelDataType bigint =
        rex.getTypeFactory()
            .createTypeWithNullability(
                rex.getTypeFactory().createSqlType(SqlTypeName.BIGINT),
                timestamp.getType().isNullable());
    RexNode millis = rex.makeReinterpretCast(bigint, timestamp, rex.makeLiteral(false));
    return rex.makeCall(SqlStdOperatorTable.DIVIDE, millis, thousand(rex));
  }

  /** {@code rel} with every number-to-TIMESTAMP cast reading seconds. */
  static RelNode seconds(RelNode rel) {
    RexBuilder rex = rel.getCluster().getRexBuilder();
    RexShuttle casts =
        new RexShuttle() {
          @Override
          public RexNode visitCall(RexCall call) {
            RexNode visited = super.visitCall(call);
            if (!(visited instanceof RexCall c)) {
              return visited;
            }
            if (c.getKind() == SqlKind.CAST
                && timestamp(c.getOperands().get(0))
                && SqlTypeUtil.isNumeric(c.getType())) {
              // e.g. the cast Calcite adds to pass current_timestamp to date_trunc: seconds
              return rex.makeCast(c.getType(), seconds(rex, c.getOperands().get(0)));
            }
            if (c.getKind() != SqlKind.CAST
                || c.getType().getSqlTypeName() != SqlTypeName.TIMESTAMP
                || !SqlTypeUtil.isNumeric(c.getOperands().get(0).getType())) {
              return visited;
            }
            RexNode millis =
                rex.makeCall(SqlStdOperatorTable.MULTIPLY, c.getOperands().get(0), thousand(rex));
            return rex.makeCast(c.getType(), millis);
          }
        };
    return rel.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            return super.visit(other).accept(casts);
          }
        });
  }
}
