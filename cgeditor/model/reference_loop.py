"""Reverse mode in its plainest form: the loop to read beside a derivation by hand.

Three passes over the graph's topological order, with nothing cached and nothing generated:

1. forward: each op node's value from its inputs' values (`op.forward`);
2. local gradients: for each op node, d node / d input for every input port (`op.partials`);
3. backward: d output / d output = 1; then, from the output down (the order reversed), each
   node that reaches the output pushes  upstream × local  into each input's gradient
   (the chain rule), adding up where paths meet (the multivariate chain rule).

`Evaluator` does exactly this, in the same order, through a compiled loop that skips the
per-node calls; its results are tested against this one to the last bit.  This one takes only
a valid graph, so that it can stay this short.
"""

from __future__ import annotations

from dataclasses import dataclass

from cgeditor.model.graph import Graph, NodeKind
from cgeditor.model.validate import InvalidGraphError, validate


@dataclass
class ReferenceResult:
    values: dict[str, float]  # every node's value
    local: dict[str, tuple[float, ...]]  # op node → d node / d input, one per input port
    grads: dict[str, float]  # d output / d node for every node (0 where it does not reach the output)


def reference_evaluate(graph: Graph, output: str) -> ReferenceResult:
    problems = validate(graph)
    if problems:
        raise InvalidGraphError(problems)
    order = graph.topological_order()

    values: dict[str, float] = {}
    local: dict[str, tuple[float, ...]] = {}
    for node_id in order:  # 1 and 2: forward values, and local gradients while the inputs are at hand
        node = graph.nodes[node_id]
        if node.kind is not NodeKind.OP:
            values[node_id] = node.value
            continue
        op = graph.op(node.op)
        inputs = [values[e.source] for e in graph.in_edges(node_id)]
        values[node_id] = op.forward(*inputs)
        local[node_id] = tuple(op.partials(inputs, values[node_id]))

    grads = dict.fromkeys(order, 0.0)  # fresh on every run: nothing accumulates across calls
    grads[output] = 1.0
    reaches_output = {output}  # a node off every path passes nothing back, not even 0 × inf
    for node_id in reversed(order):  # 3: a node's gradient is complete before its inputs get it
        if node_id not in reaches_output or node_id not in local:
            continue
        for edge, d_node_d_input in zip(graph.in_edges(node_id), local[node_id]):
            grads[edge.source] += grads[node_id] * d_node_d_input
            reaches_output.add(edge.source)
    return ReferenceResult(values, local, grads)
