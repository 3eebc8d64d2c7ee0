"""What happens inside each block instance of an evaluated graph, for reports and tools.

An instance is one op to the evaluator; here its inside is run again at the instance's inputs
(`blocks.inside`), and the gradients scaled by the instance's own, so every inner node's value
and d output / d node are those of the matching node in the flattened document
(`block_edits.flatten`: instance `h1`'s node `z` is `h1/z`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from cgeditor.model.blocks import inside
from cgeditor.model.evaluation import Evaluation
from cgeditor.model.graph import Graph, NodeKind


@dataclass
class InstanceValues:
    block: str
    nodes: dict[str, tuple[float, float]]  # inner id -> (value, d output / d inner node)
    inner: dict[str, "InstanceValues"] = field(default_factory=dict)  # nested instances by inner id


def instance_tree(graph: Graph, evaluation: Evaluation) -> dict[str, InstanceValues]:
    """Every instance the evaluation computed, by id, in document order, with its nested ones."""
    found: dict[str, InstanceValues] = {}
    values, grads = evaluation.values, evaluation.grads
    for node in graph:
        if node.kind is NodeKind.OP and node.op in graph.blocks and node.id in values:
            args = [values[e.source] for e in graph.sorted_in_edges(node.id)]
            found[node.id] = _visit(graph, node.op, args, grads.get(node.id, 0.0))
    return found


def instance_values(graph: Graph, evaluation: Evaluation) -> dict[str, InstanceValues]:
    """The same, nested instances listed after their outer one under their path (`h1/n2`)."""
    return dict(_paths(instance_tree(graph, evaluation), ""))


def _paths(tree: dict[str, InstanceValues], prefix: str) -> Iterator[tuple[str, InstanceValues]]:
    for node_id, found in tree.items():
        yield prefix + node_id, found
        yield from _paths(found.inner, f"{prefix}{node_id}/")


def _visit(graph: Graph, name: str, args: list[float], scale: float) -> InstanceValues:
    nodes = {i: (value, scale * grad) for i, (value, grad) in inside(graph.blocks, name, args).items()}
    found = InstanceValues(name, nodes)
    body = graph.blocks[name].body
    for inner in body:
        if inner.kind is NodeKind.OP and inner.op in graph.blocks:
            inner_args = [nodes[e.source][0] for e in body.sorted_in_edges(inner.id)]
            found.inner[inner.id] = _visit(graph, inner.op, inner_args, nodes[inner.id][1])
    return found
