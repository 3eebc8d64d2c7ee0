"""Re-planning after a structural edit at the end of the document, in time proportional to the edit.

Building a plan validates and orders the whole graph: 0.4 s at 10,000 ops, for an edit that added
one node and two edges.  When every node the edits touched (`Graph.journal`) sits at the end of
the document and feeds nothing outside them, the full plan is the old one up to those nodes,
followed by them, so that is what is built here:

- the topological order puts the ready node earliest in the document first, and nothing before
  the touched nodes depends on them, so they come after everything else, in their own order;
- a node's problems depend only on the node and its in-edges, which are unchanged for every
  node not touched, and no cycle can pass through nodes that feed only each other acyclically.

The result equals `_build_plan` of the graph (tests/model/test_replan.py compares values,
gradients, edge gradients and steps after random edits); anything else (an edit in the middle,
a cycle, an edit touching most of the graph) answers None and the caller builds from scratch.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import islice
from typing import Sequence

from cgeditor.model.compiled_loop import extended_kernel
from cgeditor.model.evaluate import _Plan, place_nodes
from cgeditor.model.graph import Graph
from cgeditor.model.validate import UNCOMPUTABLE, ProblemCode, node_problems


def replanned(graph: Graph, plan: _Plan, touched: Sequence[str]) -> tuple[_Plan, int, int] | None:
    """The plan for `graph` built from `plan` and the nodes touched since, with how many of the
    old plan's nodes and ops it kept; None when that shortcut does not apply."""
    touched_set = set(touched)
    if len(touched_set) * 2 > len(plan.ids) + 1:
        return None
    if any(p.code is ProblemCode.CYCLE for p in plan.problems):
        return None
    nodes = graph.nodes
    present = [n for n in touched_set if n in nodes]
    tail = list(islice(reversed(nodes), len(present)))[::-1]  # the document's last nodes, in order
    if set(tail) != set(present):
        return None
    if any(e.target not in touched_set for n in tail for e in graph.out_edges(n)):
        return None
    if len(tail) == 1 and all(e.target != e.source for e in graph.out_edges(tail[0])):
        order = tail  # one node and no self-loop: asking the graph would walk every node
    else:
        order = graph.topological_order(among=set(tail))
    if len(order) != len(tail):
        return None
    kept = len(plan.ids) - sum(1 for n in touched_set if n in plan.index)
    if any(plan.index[n] < kept for n in touched_set if n in plan.index):
        return None

    problems = [p for p in plan.problems if p.owners[0] not in touched_set]
    for node_id in tail:
        problems += node_problems(graph, nodes[node_id])
    broken = {p.owners[0] for p in problems if p.code in UNCOMPUTABLE and p.owners[0] in touched_set}

    ids, index = plan.ids[:kept], dict(plan.index)
    for node_id in plan.ids[kept:]:
        del index[node_id]
    kept_ops = len(plan.ops) - sum(1 for n in touched_set if plan.index.get(n, -1) in plan.op_position)
    ops = plan.ops[:kept_ops]
    leaves = plan.leaves[:bisect_left(plan.leaves, (kept,))]  # by index, ascending: (kept,) sorts before (kept, id)
    place_nodes(graph, order, broken, ids, index, ops, leaves)

    consumers = _consumers(plan, ids, ops, kept, kept_ops)

    op_position = dict(plan.op_position)
    for op in plan.ops[kept_ops:]:
        del op_position[op.node]
    for k in range(kept_ops, len(ops)):
        op_position[ops[k].node] = k
    edge_count = (plan.edge_count - sum(len(op.in_edges) for op in plan.ops[kept_ops:])
                  + sum(len(op.in_edges) for op in ops[kept_ops:]))
    kernel = extended_kernel(plan.kernel, ops, kept_ops)
    paths = {out: cached for out, cached in plan.paths.items() if out < kept}
    return (_Plan(ids, index, ops, op_position, leaves, problems, consumers, edge_count, kernel, paths),
            kept, kept_ops)


def _consumers(plan: _Plan, ids: list[str], ops: list, kept: int, kept_ops: int) -> list[list[int]] | None:
    """The new plan's consumer lists from the old plan's, or None (built on first use) if the
    old plan never built its own: a plan just opened has none, and building them would walk
    every op of the graph for an edit that added one."""
    if plan._consumers is None:
        return None
    consumers = plan.consumers[:kept]
    dropped = {j for op in plan.ops[kept_ops:] for j in op.inputs if j < kept}
    for j in dropped:  # a consumer list is ascending: the dropped ops are at its end
        readers = consumers[j] = list(consumers[j])
        while readers and readers[-1] >= kept:
            readers.pop()
    consumers += [[] for _ in range(len(ids) - kept)]
    for op in ops[kept_ops:]:
        for j in set(op.inputs):
            if j < kept and consumers[j] is plan.consumers[j]:
                consumers[j] = list(consumers[j])  # the old plan's lists stay as they were
            consumers[j].append(op.node)
    return consumers
