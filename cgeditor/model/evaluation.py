"""What one evaluation found: values, gradients, local gradients per edge, and the backward pass
step by step, as read-only views over the evaluator's lists (no dict per node at 100k nodes)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Sequence

from cgeditor.model.graph import Edge
from cgeditor.model.records import Frozen
from cgeditor.model.validate import Problem

if TYPE_CHECKING:
    from cgeditor.model.evaluate import PathStep, _Plan

class BackwardStep(Frozen):
    """One edge of the backward pass: `contribution` = `upstream` × `local` arrives at the source."""

    __slots__ = ("edge", "upstream", "local", "contribution", "total", "final")

    edge: Edge
    upstream: float  # d output / d edge.target
    local: float  # d edge.target / d edge.source through edge.port
    contribution: float
    total: float  # the source's running gradient after this step
    final: bool  # whether this is the last contribution the source receives

    def __init__(self, edge: Edge, upstream: float, local: float, contribution: float, total: float,
                 final: bool) -> None:
        self._set(edge, upstream, local, contribution, total, final)


_MISSING = object()
_IN_EDGES, _NODE = attrgetter("in_edges"), attrgetter("node")


class IndexedMapping(Mapping):
    """A read-only id → number view over a list, so an evaluation of 100k nodes costs no dict."""

    __slots__ = ("_index", "_items")

    def __init__(self, index: Mapping, items: Sequence):
        self._index = index
        self._items = items

    def __getitem__(self, key):
        return self._items[self._index[key]]

    def __iter__(self) -> Iterator:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __repr__(self) -> str:
        return repr(dict(self))

    def take(self, keys: Iterable, default: object = _MISSING) -> list:
        """The values of `keys`, in order (`default` for a key not here, else KeyError): one
        comprehension rather than a Mapping call per key, for writing 200k of them out."""
        index, items = self._index, self._items
        keys = keys if isinstance(keys, list) else list(keys)
        if len(keys) == len(items) and keys == list(index):  # in the index's order: compared in C
            return list(items)
        if default is _MISSING:
            return [items[index[k]] for k in keys]
        return [items[index[k]] if k in index else default for k in keys]


class _EdgeGrads(Mapping):
    """Edge → d target / d source, read from the per-node partials the forward pass kept.

    An edge is found through its target's in-edges (where it sits at its port, as a rule), so
    planning builds no edge-keyed dict: hashing tens of thousands of edges after every
    structural edit cost more than the lookups it saved."""

    __slots__ = ("_plan", "_partials")

    def __init__(self, plan: _Plan, partials: list):
        self._plan = plan
        self._partials = partials

    def _slot(self, edge: object) -> tuple[int, int] | None:
        plan = self._plan
        try:
            i = plan.index.get(edge.target)  # type: ignore[attr-defined]
            k = edge.port  # type: ignore[attr-defined]
        except (AttributeError, TypeError):
            return None
        pos = plan.op_position.get(i) if i is not None else None
        if pos is None:
            return None
        in_edges = plan.ops[pos].in_edges
        if not (isinstance(k, int) and 0 <= k < len(in_edges) and in_edges[k] == edge):
            if edge not in in_edges:
                return None
            k = in_edges.index(edge)
        return i, k

    def __getitem__(self, edge: Edge) -> float:
        slot = self._slot(edge)
        if slot is None:
            raise KeyError(edge)
        return self._partials[slot[0]][slot[1]]

    def __iter__(self) -> Iterator[Edge]:
        return (e for op in self._plan.ops for e in op.in_edges)

    def __len__(self) -> int:
        return self._plan.edge_count

    def __contains__(self, edge: object) -> bool:
        return self._slot(edge) is not None

    def take(self, edges: Iterable[Edge]) -> list[float]:
        """The local gradients of `edges`, in order (KeyError for an edge not here): each
        looked for first where it sits as a rule, at its port in its target's in-edges (the
        same Edge object there), without a Mapping call per edge."""
        plan, partials = self._plan, self._partials
        index, op_position, ops = plan.index, plan.op_position, plan.ops
        edges = edges if isinstance(edges, list) else list(edges)
        if len(edges) == plan.edge_count and edges == list(chain.from_iterable(map(_IN_EDGES, ops))):
            # in the plan's order (a document listing each node's inputs before the next node)
            grads = list(chain.from_iterable(map(partials.__getitem__, map(_NODE, ops))))
            if len(grads) == len(edges):
                return grads
        grads = []
        for e in edges:
            i = index.get(e.target)
            pos = op_position.get(i)
            k = e.port
            if pos is not None and k < len(in_edges := ops[pos].in_edges) and in_edges[k] is e:
                grads.append(partials[i][k])
            else:
                grads.append(self[e])
        return grads


class Evaluation:
    """The result of one evaluation: a snapshot that later evaluations do not change.

    `values` holds every computable node, `grads` d output / d node for each of them (empty
    without an output), `edge_grads` d target / d source for every edge into a computable op,
    `steps` the backward pass edge by edge (replayed on first access, so runs that never look
    at them pay nothing).
    """

    def __init__(self, output: str | None, plan: _Plan, values: list[float], partials: list,
                 grad: list[float] | None, path: list[PathStep] | None, recomputed: int):
        self.output = output
        self.problems: list[Problem] = list(plan.problems)
        self.recomputed = recomputed  # how many op nodes the forward pass computed this time
        self.values: Mapping[str, float] = IndexedMapping(plan.index, values)
        self.grads: Mapping[str, float] = IndexedMapping(plan.index if grad else {}, grad or [])
        self.edge_grads: Mapping[Edge, float] = _EdgeGrads(plan, partials)
        self._n = len(plan.ids)
        self._partials = partials
        self._path = path
        self._steps: list[BackwardStep] | None = None

    @property
    def steps(self) -> list[BackwardStep]:
        if self._steps is None:
            self._steps = _replay_steps(self._n, self._path or [], self._partials,
                                        self._path[0].node if self._path else None)
        return self._steps


def _replay_steps(n: int, path: list[PathStep], partials: list, out_index: int | None) -> list[BackwardStep]:
    """The backward pass again, this time writing down each edge's step with running totals."""
    pending = [0] * n
    for step in path:
        for j in step.inputs:
            pending[j] += 1
    grad = [0.0] * n
    if out_index is not None:
        grad[out_index] = 1.0
    steps = []
    for i, inputs, in_edges in path:
        upstream = grad[i]
        local = partials[i]
        for k, j in enumerate(inputs):
            contribution = upstream * local[k]
            grad[j] += contribution
            pending[j] -= 1
            steps.append(BackwardStep(in_edges[k], upstream, local[k], contribution, grad[j], pending[j] == 0))
    return steps
