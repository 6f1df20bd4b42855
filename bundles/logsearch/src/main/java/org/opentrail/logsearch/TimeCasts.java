package org.opentrail.logsearch;

import java.math.BigDecimal;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Makes {@code cast(<number> as timestamp)} read the number as Unix seconds, as {@code __time__}
 * and every time an analysis computes are: Calcite reads a number cast to TIMESTAMP as milliseconds
 * since 1970, so {@code cast(__time__ as timestamp)} answered a time in January 1970. The plan's
 * casts of a number to TIMESTAMP become casts of the number times 1000.
 */
final class TimeCasts {
  private TimeCasts() {}

  /** {@code rel} with every number-to-TIMESTAMP cast reading seconds. */
  static RelNode seconds(RelNode rel) {
    RexBuilder rex = rel.getCluster().getRexBuilder();
    RexShuttle casts =
        new RexShuttle() {
          @Override
          public RexNode visitCall(RexCall call) {
            RexNode visited = super.visitCall(call);
            if (!(visited instanceof RexCall c)
                || c.getKind() != SqlKind.CAST
                || c.getType().getSqlTypeName() != SqlTypeName.TIMESTAMP
                || !SqlTypeUtil.isNumeric(c.getOperands().get(0).getType())) {
              return visited;
            }
            RexNode operand = c.getOperands().get(0);
            RexNode millis =
                rex.makeCall(
                    SqlStdOperatorTable.MULTIPLY,
                    operand,
                    rex.makeExactLiteral(BigDecimal.valueOf(1000)));
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
