package org.opentrail.logsearch;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableHashJoin;
import org.apache.calcite.adapter.enumerable.EnumerableInterpreter;
import org.apache.calcite.adapter.enumerable.EnumerableNestedLoopJoin;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Uncollect;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;

/**
 * Calcite's standard optimisation, then a {@link Guard} on every edge of the physical plan into and
 * out of an operator that multiplies rows (joins of any kind, including those Calcite makes of
 * {@code IN}, {@code EXISTS} and scalar subqueries, correlates, windows, unnests), so every row
 * such an operator pulls or gives checks the analysis's {@link AnalysisDeadline}. Such an operator
 * loops without pulling (a nested-loop join over the list it built of its inner input, a window
 * over a partition) at most once per row it pulls from its outer input, over rows it holds in
 * memory; so the work between two checks is bounded by the rows held, not by the product of the
 * inputs. Every other operator's work is linear in the rows it pulls, which come from a guarded
 * edge, a {@code VALUES} (bounded by the SQL's length) or a read of {@code log} (an interpreted
 * {@code BindableTableScan}, which checks its own deadline in {@link LogTable}). The plain {@code
 * log} pipelines (scan, filter, aggregate, sort) get no guard and pay nothing. The rows a hash or
 * nested-loop join keeps of its inner side are counted and bounded ({@link GroupLimit#joined}), so
 * a product of subqueries cannot fill the heap before its time is up.
 *
 * <p>Installed for one analysis with {@code Hook.PROGRAM.addThread}, which Calcite's {@code
 * Prepare.getProgram} consults before falling back to {@link Programs#standard()}.
 */
final class DeadlinePlan {
  private DeadlinePlan() {}

  /** {@link Programs#standard()}, then guards reading {@code deadline}. */
  static Program program(AnalysisDeadline deadline) {
    Program standard = Programs.standard();
    return (planner, rel, traits, materializations, lattices) ->
        guarded(standard.run(planner, rel, traits, materializations, lattices), deadline);
  }

  /**
   * {@code rel} with a guard on each edge into or out of an operator that multiplies rows: a join,
   * a correlate, a window, an unnest.
   */
  static RelNode guarded(RelNode rel, AnalysisDeadline deadline) {
    if (!(rel instanceof EnumerableRel) || rel instanceof EnumerableInterpreter) {
      return rel; // the interpreter's input is not enumerable code; LogTable checks its scans
    }
    List<RelNode> inputs = new ArrayList<>();
    boolean changed = false;
    for (int i = 0; i < rel.getInputs().size(); i++) {
      RelNode input = rel.getInput(i);
      RelNode g = guarded(input, deadline);
      if (g instanceof EnumerableRel && (multiplies(rel) || multiplies(input))) {
        g = new Guard(g.getCluster(), g, deadline, i == 1 && holdsInner(rel));
      }
      changed |= g != input;
      inputs.add(g);
    }
    return changed ? rel.copy(rel.getTraitSet(), inputs) : rel;
  }

  /**
   * Whether {@code rel} can make more rows (or loop more) than it pulls: the only operators whose
   * work is not linear in their inputs' rows (a sort's n log n aside, over rows it holds).
   */
  private static boolean multiplies(RelNode rel) {
    return rel instanceof Join
        || rel instanceof Correlate
        || rel instanceof Window
        || rel instanceof Uncollect;
  }

  /**
   * Whether {@code rel} keeps every row of its second (inner) input in memory while it reads its
   * first: a nested-loop join's list, a hash join's table (a hash semi- or anti-join on equal keys
   * only keeps the distinct keys, as a GROUP BY would, and is not counted).
   */
  private static boolean holdsInner(RelNode rel) {
    return rel instanceof EnumerableNestedLoopJoin
        || rel instanceof EnumerableHashJoin j
            && (j.getJoinType().projectsRight() || !j.analyzeCondition().isEqui());
  }

  /** Its input's rows unchanged (same type, traits and physical format), each after a check. */
  static final class Guard extends SingleRel implements EnumerableRel {
    private final AnalysisDeadline deadline;
    private final boolean holds;

    /**
     * @param holds whether the parent keeps these rows in memory (counted by {@link
     *     GroupLimit#joined})
     */
    Guard(RelOptCluster cluster, RelNode input, AnalysisDeadline deadline, boolean holds) {
      super(cluster, input.getTraitSet(), input);
      this.deadline = deadline;
      this.holds = holds;
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
      return new Guard(getCluster(), sole(inputs), deadline, holds);
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
      Result child = implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
      BlockBuilder b = new BlockBuilder();
      Expression input = b.append("input", child.block);
      Expression flag = implementor.stash(deadline, AnalysisDeadline.class);
      b.add(
          Expressions.return_(
              null,
              Expressions.call(
                  AnalysisDeadline.class, "guard", input, flag, Expressions.constant(holds))));
      return implementor.result(child.physType, b.toBlock());
    }
  }
}
