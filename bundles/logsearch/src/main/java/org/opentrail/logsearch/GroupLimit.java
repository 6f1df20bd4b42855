package org.opentrail.logsearch;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

/**
 * Bounds the groups a {@code GROUP BY} (or {@code DISTINCT}) of an analysis holds in memory:
 * Calcite keeps every group in a hash table until its input ends, so a GROUP BY on a field with a
 * value per event ({@code eventId}) over months of events would fill the heap long before its time
 * limit. {@link #bound} puts a filter under each aggregate that counts its distinct keys and stops
 * the analysis with {@code InvalidQuery} at {@code max}. The counting runs on the analysing thread,
 * between {@link #start} and {@link #end}.
 */
public final class GroupLimit {
  private static final ThreadLocal<GroupLimit> CURRENT = new ThreadLocal<>();

  private final int max;
  private final Map<Integer, Set<Object>> seen = new HashMap<>();

  private GroupLimit(int max) {
    this.max = max;
  }

  /** Counts the groups of the analysis that runs next on this thread, at most {@code max}. */
  static void start(int max) {
    CURRENT.set(new GroupLimit(max));
  }

  /** Forgets the groups counted on this thread. */
  static void end() {
    CURRENT.remove();
  }

  private static final SqlUserDefinedFunction ADMIT = udf("admit");
  private static final SqlUserDefinedFunction KEY = udf("key");

  private static SqlUserDefinedFunction udf(String method) {
    return new SqlUserDefinedFunction(
        new SqlIdentifier("$group_" + method, SqlParserPos.ZERO),
        SqlKind.OTHER_FUNCTION,
        null,
        null,
        null,
        ScalarFunctionImpl.create(GroupLimit.class, method));
  }

  /** {@code rel} with each aggregate's input filtered through the group count. */
  static RelNode bound(RelNode rel) {
    List<Integer> ids = new ArrayList<>();
    return rel.accept(
        new RelShuttleImpl() {
          @Override
          public RelNode visit(LogicalAggregate aggregate) {
            RelNode a = super.visit(aggregate);
            if (!(a instanceof LogicalAggregate agg) || agg.getGroupSet().isEmpty()) {
              return a;
            }
            RelNode input = agg.getInput();
            RexBuilder rex = agg.getCluster().getRexBuilder();
            RelDataType any = rex.getTypeFactory().createSqlType(SqlTypeName.ANY);
            RexNode key = null;
            for (int i : agg.getGroupSet()) {
              RexNode ref = rex.makeInputRef(input, i);
              key = key == null ? ref : rex.makeCall(any, KEY, List.of(key, ref));
            }
            ids.add(ids.size());
            RexNode admit =
                rex.makeCall(
                    rex.getTypeFactory().createSqlType(SqlTypeName.BOOLEAN),
                    ADMIT,
                    List.of(rex.makeExactLiteral(BigDecimal.valueOf(ids.size())), key));
            return agg.copy(
                agg.getTraitSet(),
                LogicalFilter.create(input, admit),
                agg.getGroupSet(),
                agg.getGroupSets(),
                agg.getAggCallList());
          }
        });
  }

  /** Two group keys as one. */
  public static Object key(Object a, Object b) {
    return Arrays.asList(a, b);
  }

  /**
   * True, counting {@code key} among the groups of aggregate {@code id}; past the limit an error.
   */
  public static boolean admit(int id, Object key) {
    GroupLimit g = CURRENT.get();
    if (g == null) {
      return true;
    }
    Set<Object> keys = g.seen.computeIfAbsent(id, i -> new HashSet<>());
    if (keys.add(key) && keys.size() > g.max) {
      throw SearchSyntax.invalid(
          "The GROUP BY makes more than "
              + g.max
              + " groups, the most an analysis holds; group by fewer or coarser values"
              + " (e.g. date_trunc) or narrow the search.");
    }
    return true;
  }
}
