"""Forward-mode differentiation: d node / d one chosen input, pushed from the inputs to the output.

Reverse mode gives d output / d every node in one backward sweep; forward mode gives d every
node / d one input in one forward sweep.  Both multiply the same local gradients (the
evaluator's `edge_grads`) along the same paths, so the output's tangent equals the input's
reverse-mode gradient, which is what a class comparing the two directions should see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from cgeditor.model.evaluate import Evaluation
from cgeditor.model.graph import Edge, Graph, GraphError, NodeKind


class ForwardModeStep(NamedTuple):
    """One edge: `contribution` = `tangent_in` × `local` arrives at the target, whose running
    tangent becomes `total`."""

    edge: Edge
    tangent_in: float  # d edge.source / d wrt
    local: float  # d edge.target / d edge.source through edge.port
    contribution: float
    total: float


@dataclass
class ForwardModeResult:
    wrt: str
    tangents: dict[str, float]  # d node / d wrt for every computed node (0 where it does not depend)
    steps: list[ForwardModeStep]  # topological order; only edges whose source depends on wrt


def forward_mode(graph: Graph, evaluation: Evaluation, wrt: str) -> ForwardModeResult:
    graph.node(wrt)  # an unknown id fails here, named
    if wrt not in evaluation.values:
        raise GraphError(f"{wrt} cannot be computed, so nothing can be differentiated with respect to it")
    order = graph.topological_order(evaluation.values)
    tangents = dict.fromkeys(order, 0.0)
    tangents[wrt] = 1.0
    depends = {wrt}
    steps = []
    for node_id in order:
        if node_id == wrt or graph.nodes[node_id].kind is not NodeKind.OP:
            continue
        for edge in graph.in_edges(node_id):
            if edge.source not in depends:
                continue  # its tangent is exactly 0: adding 0 × local could only turn inf into nan
            depends.add(node_id)
            local = evaluation.edge_grads[edge]
            contribution = tangents[edge.source] * local
            tangents[node_id] += contribution
            steps.append(ForwardModeStep(edge, tangents[edge.source], local, contribution, tangents[node_id]))
    return ForwardModeResult(wrt, tangents, steps)
