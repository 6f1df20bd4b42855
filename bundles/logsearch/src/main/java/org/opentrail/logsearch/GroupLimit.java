package org.opentrail.logsearch;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

/**
 * Bounds the groups a {@code GROUP BY} (or {@code DISTINCT}) of an analysis holds in memory:
 * Calcite keeps every group in a hash table until its input ends, so a GROUP BY on a field with a
 * value per event ({@code eventId}) over months of events would fill the heap long before its time
 * limit. {@link #bound} puts a filter under each aggregate that counts its distinct keys and stops
 * the analysis with {@code InvalidQuery} at {@code max}. The values that aggregate functions hold
 * until their input ends ({@code count(distinct x)}, with or without GROUP BY, listagg, collect,
 * percentile_cont, and our approx_distinct and approx_percentile through {@link #held}) are counted
 * together for the whole analysis and bounded by the same {@code max}. The counting runs on the
 * analysing thread, between {@link #start} and {@link #end}.
 */
public final class GroupLimit {
  private static final ThreadLocal<GroupLimit> CURRENT = new ThreadLocal<>();

  private final int max;
  private final Map<Integer, Set<Object>> seen = new HashMap<>();
  private long held;
  private long joined;

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
  private static final SqlUserDefinedFunction DISTINCT = udf("distinct");
  private static final SqlUserDefinedFunction HOLD = udf("hold");

  private static SqlUserDefinedFunction udf(String method) {
    return new SqlUserDefinedFunction(
        new SqlIdentifier("$group_" + method, SqlParserPos.ZERO),
        SqlKind.OTHER_FUNCTION,
        null,
        null,
        null,
        ScalarFunctionImpl.create(GroupLimit.class, method));
  }

  /**
   * Aggregate functions that hold a value for every row they are fed (listagg's strings,
   * percentile_cont's numbers, collect's multiset, ...), counted by {@link #hold}.
   */
  private static final Set<SqlKind> HOLDING =
      Set.of(
          SqlKind.LISTAGG,
          SqlKind.STRING_AGG,
          SqlKind.GROUP_CONCAT,
          SqlKind.ARRAY_AGG,
          SqlKind.ARRAY_CONCAT_AGG,
          SqlKind.COLLECT,
          SqlKind.FUSION,
          SqlKind.INTERSECTION,
          SqlKind.JSON_ARRAYAGG,
          SqlKind.JSON_OBJECTAGG,
          SqlKind.PERCENTILE_CONT,
          SqlKind.PERCENTILE_DISC);

  /**
   * {@code rel} with each aggregate's input filtered through the group count and the count of
   * distinct values its {@code DISTINCT} (and {@code MODE}) calls hold, and the values its {@link
   * #HOLDING} calls hold counted as they are fed.
   */
  static RelNode bound(RelNode rel) {
    int[] ids = {0};
    return rel.accept(
        new RelShuttleImpl() {
          @Override
          public RelNode visit(LogicalAggregate aggregate) {
            RelNode a = super.visit(aggregate);
            if (!(a instanceof LogicalAggregate agg)) {
              return a;
            }
            RelNode input = agg.getInput();
            RexBuilder rex = agg.getCluster().getRexBuilder();
            RelDataType bool = rex.getTypeFactory().createSqlType(SqlTypeName.BOOLEAN);
            List<RexNode> groupKey = new ArrayList<>();
            for (int i : agg.getGroupSet()) {
              groupKey.add(rex.makeInputRef(input, i));
            }
            List<RexNode> checks = new ArrayList<>();
            Map<Integer, String> held = new HashMap<>();
            if (!groupKey.isEmpty()) {
              checks.add(call(rex, bool, ADMIT, ++ids[0], key(rex, groupKey)));
            }
            for (AggregateCall c : agg.getAggCallList()) {
              String name = c.getAggregation().getName().toLowerCase(Locale.ROOT);
              if (c.isDistinct() || c.getAggregation().getKind() == SqlKind.MODE) {
                List<RexNode> k = new ArrayList<>(groupKey);
                for (int arg : c.getArgList()) {
                  k.add(rex.makeInputRef(input, arg));
                }
                checks.add(
                    rex.makeCall(
                        bool,
                        DISTINCT,
                        List.of(
                            rex.makeExactLiteral(BigDecimal.valueOf(++ids[0])),
                            rex.makeLiteral(c.isDistinct() ? name + "(distinct)" : name),
                            key(rex, k))));
              } else if (HOLDING.contains(c.getAggregation().getKind())
                  && !c.getArgList().isEmpty()) {
                held.merge(c.getArgList().get(0), name, (x, y) -> x);
              }
            }
            if (!held.isEmpty()) {
              // each value fed to them passes through $group_hold, which counts it: a projection,
              // which no planner rule moves below another aggregate (a filter would be pushed
              // below a DISTINCT subquery's aggregate and count the rows it reads)
              List<RexNode> fields = new ArrayList<>();
              for (int i = 0; i < input.getRowType().getFieldCount(); i++) {
                RexNode ref = rex.makeInputRef(input, i);
                String function = held.get(i);
                fields.add(
                    function == null
                        ? ref
                        : rex.makeCall(
                            ref.getType(), HOLD, List.of(rex.makeLiteral(function), ref)));
              }
              input =
                  LogicalProject.create(
                      input, List.of(), fields, input.getRowType().getFieldNames());
            }
            if (checks.isEmpty() && held.isEmpty()) {
              return a;
            }
            if (!checks.isEmpty()) {
              RexNode condition =
                  checks.size() == 1
                      ? checks.get(0)
                      : rex.makeCall(SqlStdOperatorTable.AND, checks);
              input = LogicalFilter.create(input, condition);
            }
            return agg.copy(
                agg.getTraitSet(),
                input,
                agg.getGroupSet(),
                agg.getGroupSets(),
                agg.getAggCallList());
          }
        });
  }

  private static RexNode call(
      RexBuilder rex, RelDataType type, SqlUserDefinedFunction f, int id, RexNode key) {
    return rex.makeCall(type, f, List.of(rex.makeExactLiteral(BigDecimal.valueOf(id)), key));
  }

  /** The values of {@code refs} as one key (nested pairs), or the one value if only one. */
  private static RexNode key(RexBuilder rex, List<RexNode> refs) {
    RelDataType any = rex.getTypeFactory().createSqlType(SqlTypeName.ANY);
    RexNode key = null;
    for (RexNode ref : refs) {
      key = key == null ? ref : rex.makeCall(any, KEY, List.of(key, ref));
    }
    return key == null ? rex.makeNullLiteral(any) : key;
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

  /**
   * True, counting {@code key} among the distinct values held by call {@code id} (a {@code
   * DISTINCT} aggregate or {@code MODE}, key including the group's); past the limit an error.
   */
  public static boolean distinct(int id, String function, Object key) {
    GroupLimit g = CURRENT.get();
    if (g != null && g.seen.computeIfAbsent(id, i -> new HashSet<>()).add(key)) {
      g.hold(function);
    }
    return true;
  }

  /**
   * {@code value}, counted as one more value held by {@code function} (listagg, collect, ...)
   * unless NULL.
   */
  public static Object hold(String function, Object value) {
    GroupLimit g = CURRENT.get();
    if (g != null && value != null) {
      g.hold(function);
    }
    return value;
  }

  /**
   * Counts one more value held by {@code function} in this thread's analysis (for aggregate
   * functions that hold what they are fed, as {@code approx_distinct} and {@code
   * approx_percentile}); past the limit {@code InvalidQuery}.
   */
  static void held(String function) {
    GroupLimit g = CURRENT.get();
    if (g != null) {
      g.hold(function);
    }
  }

  /** Rows a join may keep in memory, in all, for each group or value allowed. */
  static final int JOIN_ROWS_PER_GROUP = 10;

  /**
   * Counts one more row kept in memory by a join of this thread's analysis (Calcite makes joins of
   * IN, EXISTS and scalar subqueries); past {@link #JOIN_ROWS_PER_GROUP} times the limit {@code
   * InvalidQuery}.
   */
  static void joined() {
    GroupLimit g = CURRENT.get();
    if (g != null && ++g.joined > (long) JOIN_ROWS_PER_GROUP * g.max) {
      throw SearchSyntax.invalid(
          "A subquery (IN, EXISTS or a scalar subquery) makes a join that keeps more than "
              + (long) JOIN_ROWS_PER_GROUP * g.max
              + " rows in memory, the most an analysis holds; narrow the search or the time"
              + " range, or compare fewer rows.");
    }
  }

  private void hold(String function) {
    if (++held > max) {
      throw SearchSyntax.invalid(
          "The analysis holds more than "
              + max
              + " values for "
              + function
              + " (and its other distinct counts, lists and percentiles), the most an analysis"
              + " holds; narrow the search or the time range.");
    }
  }
}
