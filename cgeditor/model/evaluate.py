"""Forward values and reverse-mode gradients, iterative over a cached topological order.

The loop is micrograd's idea laid flat: every op states d output / d input per port, and the
backward pass walks the order in reverse, pushing upstream × local to each source.  It never
recurses (a 200,000-node chain is fine), starts its gradients fresh every run, and records
each step so the editor can replay backpropagation one edge at a time.

`Evaluator` keeps a plan per graph structure and the last forward values, so a value edit
recomputes only what lies downstream of it.
"""

from __future__ import annotations

from operator import attrgetter
from typing import NamedTuple, Sequence

from cgeditor.model.collector import collector_paused
from cgeditor.model.graph import Edge, Graph, NodeKind
from cgeditor.model.evaluation import Evaluation
from cgeditor.model.compiled_loop import ForwardKernel, backward_entries, forward_kernel, run_backward
from cgeditor.model.numbers import same_number
from cgeditor.model.ops import Forward, Op, Partials
from cgeditor.model.suggest import did_you_mean, listing
from cgeditor.model.validate import UNCOMPUTABLE, InvalidGraphError, Problem, validate


class OutputError(ValueError):
    """The output node is unknown, or several sinks exist and none was chosen."""




class PlanOp(NamedTuple):
    """One computable op node of a plan, with what the loops need to compute it."""

    node: int  # the node's index in the plan's ids (and in every per-node list)
    forward: Forward
    partials: Partials
    inputs: tuple[int, ...]  # the indices of its inputs, in port order
    in_edges: tuple[Edge, ...]  # the edges they arrive by, in the same order
    op_name: str


class PathStep(NamedTuple):
    """One op node on the backward path: its gradient is pushed to `inputs` over `in_edges`."""

    node: int
    inputs: tuple[int, ...]
    in_edges: tuple[Edge, ...]


class _Plan:
    """What an evaluation needs from the structure, computed once per structural change."""

    __slots__ = ("ids", "index", "ops", "op_position", "leaves", "problems", "_consumers", "edge_count", "kernel",
                 "paths")

    def __init__(self, ids: list[str], index: dict[str, int], ops: list[PlanOp], op_position: dict[int, int],
                 leaves: list[tuple[int, str]], problems: list[Problem], consumers: list[list[int]] | None,
                 edge_count: int, kernel: ForwardKernel,
                 paths: dict[int, tuple[list[PathStep], list]] | None = None) -> None:
        self.ids = ids  # computable nodes in topological order
        self.index = index
        self.ops = ops  # every computable op node, in topological order
        self.op_position = op_position  # node index → position in `ops`
        self.leaves = leaves
        self.problems = problems
        self._consumers = consumers  # see `consumers`; None until asked for
        self.edge_count = edge_count  # edges into computable op nodes
        self.kernel = kernel
        self.paths = {} if paths is None else paths  # output index → the backward path and its kernel entries

    @property
    def consumers(self) -> list[list[int]]:
        """Node index → indices of the op nodes that read it, ascending: what a value edit
        recomputes.  Built on first use, as a one-off evaluation (the command line) never
        needs it."""
        if self._consumers is None:
            consumers: list[list[int]] = [[] for _ in self.ids]
            for op in self.ops:
                for j in set(op.inputs):
                    consumers[j].append(op.node)
            self._consumers = consumers
        return self._consumers


def resolve_output(graph: Graph, output: str | None = None) -> str:
    """The explicit choice, else the graph's own output, else its only sink."""
    if output is not None:
        if output not in graph:
            ids = [n.id for n in graph]
            raise OutputError(f"unknown output node {output!r}{did_you_mean(output, ids)} (nodes: {listing(ids)})")
        return output
    if graph.output is not None:
        return graph.output
    sinks = graph.sinks()
    if len(sinks) == 1:
        return sinks[0]
    if not sinks:
        raise OutputError("the graph has no nodes, so there is no output")
    raise OutputError(f"several sinks and no output chosen: {listing(sinks)}")


def _build_plan(graph: Graph) -> _Plan:
    with collector_paused():  # a plan of 100k ops is half a million objects, none of them garbage
        problems = validate(graph)
        broken = {p.owners[0] for p in problems if p.code in UNCOMPUTABLE}
        ids: list[str] = []
        index: dict[str, int] = {}
        ops: list[PlanOp] = []
        leaves: list[tuple[int, str]] = []
        place_nodes(graph, graph.topological_order(), broken, ids, index, ops, leaves)
        return _Plan(ids, index, ops, {op.node: k for k, op in enumerate(ops)}, leaves, problems, None,
                     sum(map(len, map(_IN_EDGES, ops))), forward_kernel(ops))


def place_nodes(graph: Graph, order: Sequence[str], broken: set[str], ids: list[str], index: dict[str, int],
                ops: list[PlanOp], leaves: list[tuple[int, str]]) -> None:
    """Append the computable nodes of `order` (topological) to a plan's lists.  Run once per node
    of a 200k-node file, so what the loop calls is bound once outside it."""
    nodes, sorted_in_edges, op_named, op_kind = graph.nodes, graph.sorted_in_edges, graph.op, NodeKind.OP
    new_tuple = tuple.__new__  # PlanOp(...) without its Python-level __new__
    found: dict[str, Op] = {}  # op name → op, asked of the graph once per name
    for node_id in order:  # cycles and what they feed are left out
        if node_id in broken:
            continue
        node = nodes[node_id]
        k = len(ids)
        if node.kind is not op_kind:
            index[node_id] = k
            leaves.append((k, node_id))
            ids.append(node_id)
            continue
        in_edges = sorted_in_edges(node_id)
        try:
            if len(in_edges) == 2:
                inputs = (index[in_edges[0].source], index[in_edges[1].source])
            elif len(in_edges) == 1:
                inputs = (index[in_edges[0].source],)
            else:
                inputs = tuple([index[e.source] for e in in_edges])
        except KeyError:
            continue  # fed by something that cannot be computed
        op = found.get(node.op)
        if op is None:
            op = found[node.op] = op_named(node.op)  # known: unknown ops are in `broken`
        index[node_id] = k
        ops.append(new_tuple(PlanOp, (k, op.forward, op.partials, inputs, in_edges, op.name)))
        ids.append(node_id)


_IN_EDGES = attrgetter("in_edges")


def _backward_path(plan: _Plan, out_index: int) -> list[PathStep]:
    """The op nodes that reach the output, in reverse topological order, so that a node's
    gradient is complete before its inputs are visited."""
    reaches = [False] * len(plan.ids)
    reaches[out_index] = True
    path = []
    ops, new_tuple = plan.ops, tuple.__new__  # PathStep(...) without its Python-level __new__
    for pos in range(plan.op_position.get(out_index, -1), -1, -1):
        op = ops[pos]
        if reaches[op.node]:
            inputs = op.inputs
            path.append(new_tuple(PathStep, (op.node, inputs, op.in_edges)))
            for j in inputs:
                reaches[j] = True
    return path


class Evaluator:
    """Evaluates one graph repeatedly, reusing its plan and the forward values that still hold."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self._plan: _Plan | None = None
        self._plan_version = -1
        self._values: list[float] = []
        self._partials: list = []
        self._stale_from = 0  # ops from this position on are computed on the next forward pass
        self._value_version = -1  # the graph's value log at the last forward pass: leaves set since are compared
        # (a backward path, the gradients it gave), while no op computed before them was recomputed
        self._last_grad: tuple[tuple, list[float]] | None = None

    def plan(self) -> _Plan:
        """The plan for the graph as it is: extended when the structure changed only at the end
        of the document (see `replan`), else built again."""
        if self._plan is None or self._plan_version != self.graph.structure_version:
            touched = self.graph.journal.since(self._plan_version) if self._plan is not None else None
            grown = None
            if touched is not None:
                grown = replan.replanned(self.graph, self._plan, touched)
            if grown is None:
                self._plan, self._values = _build_plan(self.graph), []
            else:
                old, (self._plan, kept, kept_ops) = self._plan, grown
                if len(self._values) == len(old.ids):  # the kept nodes' values still hold
                    new = len(self._plan.ids) - kept
                    del self._values[kept:], self._partials[kept:]  # the evaluator's own lists: no copies
                    self._values += [0.0] * new
                    self._partials += [()] * new
                    self._stale_from = kept_ops
                    nodes = self.graph.nodes
                    for i, node_id in reversed(self._plan.leaves):
                        if i < kept:
                            break
                        self._values[i] = nodes[node_id].value
                else:
                    self._values = []
            self._plan_version = self.graph.structure_version
        return self._plan

    @property
    def problems(self) -> list[Problem]:
        return self.plan().problems

    def evaluate(self, output: str | None = None, strict: bool = True) -> Evaluation:
        """Forward and backward.  `strict` refuses an invalid graph; otherwise whatever can be
        computed is, and `problems` says what could not."""
        plan = self.plan()
        if strict and plan.problems:
            raise InvalidGraphError(plan.problems)
        try:
            out_id = resolve_output(self.graph, output)
        except OutputError:
            if strict:
                raise
            out_id = None
        recomputed = self._forward(plan)
        # Later runs overwrite these lists in place; the evaluation keeps its own copies.
        values, partials = self._values[:], self._partials[:]
        grad = path = None
        if out_id is not None and out_id in plan.index:
            out_index = plan.index[out_id]
            cached = plan.paths.get(out_index)
            if cached is None:
                path = _backward_path(plan, out_index)
                cached = plan.paths[out_index] = (path, backward_entries(path))
            grad = self._gradients(plan, out_index, cached)
            path = cached[0]
        elif out_id is not None and strict:
            raise InvalidGraphError(plan.problems)
        return Evaluation(out_id, plan, values, partials, grad, path, recomputed)

    def _gradients(self, plan: _Plan, out_index: int, cached: tuple) -> list[float]:
        """d output / d node for every node.  The last pass's, padded with zeros for the nodes
        appended since, when the backward path is the same and no op on it was recomputed: an
        edit that added nodes the output does not read changes no gradient of the old graph
        (every node on the path comes at or before the output in the plan)."""
        last = self._last_grad
        if last is not None and last[0] is cached:
            grad = last[1][:out_index + 1]
            grad += [0.0] * (len(plan.ids) - len(grad))
        else:
            path, entries = cached
            grad = [0.0] * len(plan.ids)
            grad[out_index] = 1.0
            run_backward(entries, path, self._partials, grad)
        self._last_grad = (cached, grad)
        return grad

    def _forward(self, plan: _Plan) -> int:
        """Recompute the op nodes downstream of changed leaves; all of them after a structure
        change, or when so many leaves changed that finding their downstream costs more than
        it saves."""
        nodes = self.graph.nodes
        kernel = plan.kernel
        stale, self._stale_from = self._stale_from, len(plan.ops)
        kept_grad, self._last_grad = self._last_grad, None  # unless only ops appended since are computed
        log = self.graph.value_log
        set_since = log.since(self._value_version)
        self._value_version = log.version
        if len(self._values) != len(plan.ids):
            self._values = values = [0.0] * len(plan.ids)
            self._partials = [()] * len(plan.ids)
            for i, node_id in plan.leaves:
                values[i] = nodes[node_id].value
            kernel.run(kernel.entries, values, self._partials, plan.ops)
            return len(plan.ops)
        values = self._values
        changed = []
        leaves = plan.leaves if set_since is None or len(set_since) > len(plan.leaves) else _set_leaves(plan, set_since)
        for i, node_id in leaves:
            v = nodes[node_id].value
            old = values[i]
            if not same_number(v, old):
                values[i] = v
                changed.append(i)
        if len(changed) > 1 and len(changed) * _FULL_FORWARD_SHARE > len(plan.leaves):
            kernel.run(kernel.entries, values, self._partials, plan.ops)
            return len(plan.ops)
        if not changed:  # only what a re-plan appended, if anything: the plan's consumers not needed
            self._last_grad = kept_grad
            selected = kernel.entries[stale:]
            kernel.run(selected, values, self._partials, plan.ops)
            return len(selected)
        consumers = plan.consumers
        dirty = bytearray(len(values))  # a flag per node: cheaper than a set when most are hit
        first = stale  # ops a re-plan appended are computed whatever changed
        op_position = plan.op_position
        for i in changed:
            for c in consumers[i]:
                dirty[c] = 1
                first = min(first, op_position[c])
        if first >= stale:
            self._last_grad = kept_grad
        selected = []
        entries = kernel.entries
        for pos in range(first, len(entries)):
            entry = entries[pos]
            i = entry[0]
            if dirty[i] or pos >= stale:
                for c in consumers[i]:
                    dirty[c] = 1
                selected.append(entry)
        kernel.run(selected, values, self._partials, plan.ops)
        return len(selected)


def _set_leaves(plan: _Plan, node_ids: list[str]) -> list[tuple[int, str]]:
    """The leaves of `plan` among `node_ids` (values set since the last pass), as `plan.leaves`
    lists them: every computable node that is not an op is a leaf."""
    index, ids, op_position = plan.index, plan.ids, plan.op_position
    found = {index[n] for n in node_ids if n in index}
    return [(i, ids[i]) for i in sorted(found) if i not in op_position]


# When several leaves change and they are more than one in this many, the forward pass
# recomputes everything without looking for what the changes reach (a value edit changes one
# leaf; a descent step changes all).
_FULL_FORWARD_SHARE = 8


def evaluate(graph: Graph, output: str | None = None, strict: bool = True) -> Evaluation:
    """One-off evaluation; see `Evaluator` for repeated evaluation of a changing graph."""
    return Evaluator(graph).evaluate(output, strict)


__all__ = ["Evaluation", "Evaluator", "InvalidGraphError", "OutputError", "evaluate",
           "resolve_output"]

# Last, as it builds on this module's plan types; at load, so a user's first edit does not wait for it.
from cgeditor.model import replan  # noqa: E402
