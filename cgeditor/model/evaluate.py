"""Forward values and reverse-mode gradients, iterative over a cached topological order.

The loop is micrograd's idea laid flat: every op states d output / d input per port, and the
backward pass walks the order in reverse, pushing upstream × local to each source.  It never
recurses (a 200,000-node chain is fine), starts its gradients fresh every run, and records
each step so the editor can replay backpropagation one edge at a time.

`Evaluator` keeps a plan per graph structure and the last forward values, so a value edit
recomputes only what lies downstream of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

from .graph import Edge, Graph, NodeKind
from .ops import get_op
from .validate import InvalidGraphError, Problem, validate


class OutputError(ValueError):
    """The output node is unknown, or several sinks exist and none was chosen."""


@dataclass(frozen=True)
class BackwardStep:
    """One edge of the backward pass: `contribution` = `upstream` × `local` arrives at the source."""

    edge: Edge
    upstream: float  # d output / d edge.target
    local: float  # d edge.target / d edge.source through edge.port
    contribution: float
    total: float  # the source's running gradient after this step
    final: bool  # whether this is the last contribution the source receives


@dataclass
class Evaluation:
    output: str | None
    values: dict[str, float]  # every node that can be computed
    grads: dict[str, float]  # d output / d node for every computable node; empty without an output
    edge_grads: dict[Edge, float]  # d target / d source for every edge into a computable op
    steps: list[BackwardStep]
    problems: list[Problem] = field(default_factory=list)
    recomputed: int = 0  # how many op nodes the forward pass had to compute this time


@dataclass
class _Plan:
    """What an evaluation needs from the structure, computed once per structural change."""

    ids: list[str]  # computable nodes in topological order
    index: dict[str, int]
    ops: list[tuple[int, Callable[..., float], Callable, tuple[int, ...], tuple[Edge, ...]]]
    op_position: dict[int, int]  # node index → position in `ops`
    leaves: list[tuple[int, str]]
    problems: list[Problem]
    consumers: list[list[int]]  # node index → indices of op nodes that read it


def resolve_output(graph: Graph, output: str | None = None) -> str:
    """The explicit choice, else the graph's own output, else its only sink."""
    if output is not None:
        if output not in graph:
            raise OutputError(f"unknown output node {output!r}")
        return output
    if graph.output is not None:
        return graph.output
    sinks = graph.sinks()
    if len(sinks) == 1:
        return sinks[0]
    if not sinks:
        raise OutputError("the graph has no nodes, so there is no output")
    raise OutputError(f"several sinks and no output chosen: {', '.join(sinks)}")


def _build_plan(graph: Graph) -> _Plan:
    problems = validate(graph)
    broken = {p.nodes[0] for p in problems if p.code in ("unknown_op", "unconnected_port",
                                                       "port_connected_twice", "port_beyond_arity",
                                                       "missing_value")}
    ids: list[str] = []
    index: dict[str, int] = {}
    ops = []
    leaves = []
    for node_id in graph.topological_order():  # cycles and what they feed are left out
        node = graph.nodes[node_id]
        if node_id in broken:
            continue
        if node.kind is not NodeKind.OP:
            index[node_id] = len(ids)
            leaves.append((len(ids), node_id))
            ids.append(node_id)
            continue
        in_edges = tuple(graph.in_edges(node_id))
        if any(e.source not in index for e in in_edges):
            continue  # fed by something that cannot be computed
        op = get_op(node.op)  # known: unknown ops are in `broken`
        index[node_id] = len(ids)
        ops.append((len(ids), op.forward, op.partials, tuple(index[e.source] for e in in_edges), in_edges))
        ids.append(node_id)
    consumers: list[list[int]] = [[] for _ in ids]
    for i, _, _, inputs, _ in ops:
        for j in set(inputs):
            consumers[j].append(i)
    return _Plan(ids, index, ops, {op[0]: k for k, op in enumerate(ops)}, leaves, problems, consumers)


class Evaluator:
    """Evaluates one graph repeatedly, reusing its plan and the forward values that still hold."""

    def __init__(self, graph: Graph, record_steps: bool = True):
        self.graph = graph
        self.record_steps = record_steps
        self._plan: _Plan | None = None
        self._plan_version = -1
        self._values: list[float] = []
        self._partials: list[Sequence[float] | None] = []
        self._leaf_values: dict[str, float] = {}

    def plan(self) -> _Plan:
        if self._plan is None or self._plan_version != self.graph.structure_version:
            self._plan = _build_plan(self.graph)
            self._plan_version = self.graph.structure_version
            self._values = []
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
        values = dict(zip(plan.ids, self._values))
        edge_grads: dict[Edge, float] = {}
        for i, _, _, _, in_edges in plan.ops:
            local = self._partials[i]
            for k, e in enumerate(in_edges):
                edge_grads[e] = local[k]
        grads: dict[str, float] = {}
        steps: list[BackwardStep] = []
        if out_id is not None and out_id in plan.index:
            grads, steps = self._backward(plan, plan.index[out_id])
        elif out_id is not None and strict:
            raise InvalidGraphError(plan.problems)
        return Evaluation(out_id, values, grads, edge_grads, steps, list(plan.problems), recomputed)

    def _forward(self, plan: _Plan) -> int:
        """Recompute the op nodes downstream of changed leaves; all of them after a structure change."""
        nodes = self.graph.nodes
        if len(self._values) != len(plan.ids):
            self._values = [0.0] * len(plan.ids)
            self._partials = [None] * len(plan.ids)
            dirty_from = 0
            dirty = None  # everything
            for i, node_id in plan.leaves:
                self._values[i] = nodes[node_id].value
        else:
            dirty = set()
            for i, node_id in plan.leaves:
                v = nodes[node_id].value
                old = self._values[i]
                if v != old and not (v != v and old != old):
                    self._values[i] = v
                    dirty.update(plan.consumers[i])
            if not dirty:
                return 0
            dirty_from = min(plan.op_position[i] for i in dirty)
        values, partials = self._values, self._partials
        count = 0
        for i, forward, local, inputs, _ in plan.ops[dirty_from:]:
            if dirty is not None:
                if i not in dirty:
                    continue
                dirty.update(plan.consumers[i])
            args = [values[j] for j in inputs]
            out = forward(*args)
            values[i] = out
            partials[i] = local(args, out)
            count += 1
        return count

    def _backward(self, plan: _Plan, out_index: int) -> tuple[dict[str, float], list[BackwardStep]]:
        n = len(plan.ids)
        reaches = [False] * n
        reaches[out_index] = True
        op_at = plan.op_position
        # Reverse topological order: a node's gradient is complete before its inputs are visited.
        relevant = []
        for pos in range(op_at.get(out_index, -1), -1, -1):
            i, _, _, inputs, in_edges = plan.ops[pos]
            if reaches[i]:
                relevant.append((i, in_edges, inputs))
                for j in inputs:
                    reaches[j] = True
        pending = [0] * n
        if self.record_steps:
            for _, _, inputs in relevant:
                for j in inputs:
                    pending[j] += 1
        grad = [0.0] * n
        grad[out_index] = 1.0
        steps: list[BackwardStep] = []
        partials = self._partials
        record = self.record_steps
        for i, in_edges, inputs in relevant:
            upstream = grad[i]
            local = partials[i]
            for k, j in enumerate(inputs):
                contribution = upstream * local[k]
                grad[j] += contribution
                if record:
                    pending[j] -= 1
                    steps.append(BackwardStep(in_edges[k], upstream, local[k], contribution, grad[j],
                                              pending[j] == 0))
        return dict(zip(plan.ids, grad)), steps


def evaluate(graph: Graph, output: str | None = None, strict: bool = True) -> Evaluation:
    """One-off evaluation; see `Evaluator` for repeated evaluation of a changing graph."""
    return Evaluator(graph).evaluate(output, strict)


__all__ = ["BackwardStep", "Evaluation", "Evaluator", "InvalidGraphError", "OutputError", "evaluate",
           "resolve_output"]
