"""What happens inside a block instance: the one place an inside is evaluated for showing.

An instance is one op to the evaluator.  `inside_at` runs its inside again at the instance's
inputs: the body with its params bound, evaluated as any graph is, so every inner value and
local gradient is the evaluator's own, and every gradient, scaled by the instance's upstream
one, is that of the matching node in the flattened document (`block_edits.flatten`: instance
`h1`'s node `z` is `h1/z`).  `eval --json` and the DOT export read it through
`instance_tree`; the editor's expanded frame and a block opened for editing read it directly
(an unfed port is tolerated there: what it feeds is left uncomputed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Iterator

from cgeditor.model.blocks import BlockLibrary
from cgeditor.model.evaluate import Evaluator
from cgeditor.model.evaluation import Evaluation
from cgeditor.model.graph import Edge, Graph, NodeKind


@dataclass(frozen=True)
class Inside:
    """One instance's inside at its inputs."""

    evaluation: Evaluation  # of the body with its params bound: values, d output / d node,
    #                         local gradients, problems
    grads: Mapping[str, float]  # upstream × d output / d node: d of what the instance feeds

    @property
    def values(self) -> Mapping[str, float]:
        return self.evaluation.values

    @property
    def edge_grads(self) -> Mapping[Edge, float]:
        return self.evaluation.edge_grads


def inside_at(library: BlockLibrary, name: str, inputs: Mapping[str, float],
              upstream: float | None = 1.0) -> Inside:
    """Block `name`'s inside with its params bound to `inputs` (param → value; a param left out
    keeps the body's own value, and without one what it feeds is not computed, as the body's
    broken parts are not), its gradients scaled by `upstream`, d L / d instance (None: not
    known, as when nothing is the output, so no gradients)."""
    body = library[name].body
    bound = body.copy_contents()
    bound.blocks = body.blocks
    for param, value in inputs.items():  # set as given: `set_value` keeps 0.0 over -0.0
        bound.nodes[param].value = value  # (a fresh copy, planned below: nothing to tell)
    evaluation = Evaluator(bound).evaluate(strict=False)
    if upstream is None:
        grads: Mapping[str, float] = {}
    else:
        grads = evaluation.grads if upstream == 1.0 else {n: upstream * g for n, g in evaluation.grads.items()}
    return Inside(evaluation, grads)


def instance_inputs(graph: Graph, evaluation: Evaluation, instance_id: str) -> dict[str, float]:
    """Param → the value flowing into instance `instance_id`'s port, for the ports fed by
    something computable."""
    params = graph.blocks[graph.node(instance_id).op].params
    values = evaluation.values
    return {params[e.port]: values[e.source] for e in graph.in_edges(instance_id)
            if e.port < len(params) and e.source in values}


@dataclass
class InstanceValues:
    block: str
    nodes: dict[str, tuple[float, float]]  # inner id -> (value, d L / d inner node)
    inner: dict[str, "InstanceValues"] = field(default_factory=dict)  # nested instances by inner id


def instance_tree(graph: Graph, evaluation: Evaluation) -> dict[str, InstanceValues]:
    """Every instance the evaluation computed, by id, in document order, with its nested ones."""
    return {node.id: _visit(graph, evaluation, node.id, evaluation.grads.get(node.id, 0.0))
            for node in graph if node.kind is NodeKind.OP and node.op in graph.blocks and node.id in evaluation.values}


def instance_values(graph: Graph, evaluation: Evaluation) -> dict[str, InstanceValues]:
    """The same, nested instances listed after their outer one under their path (`h1/n2`)."""
    return dict(_paths(instance_tree(graph, evaluation), ""))


def _paths(tree: dict[str, InstanceValues], prefix: str) -> Iterator[tuple[str, InstanceValues]]:
    for node_id, found in tree.items():
        yield prefix + node_id, found
        yield from _paths(found.inner, f"{prefix}{node_id}/")


def _visit(graph: Graph, evaluation: Evaluation, instance_id: str, upstream: float) -> InstanceValues:
    name = graph.node(instance_id).op
    inside = inside_at(graph.blocks, name, instance_inputs(graph, evaluation, instance_id), upstream)
    values, grads = inside.values, inside.grads
    found = InstanceValues(name, {n: (values[n], grads[n]) for n in values})
    body = graph.blocks[name].body
    for inner in body:
        if inner.kind is NodeKind.OP and inner.op in graph.blocks:
            found.inner[inner.id] = _visit(body, inside.evaluation, inner.id, grads[inner.id])
    return found
