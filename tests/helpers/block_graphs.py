"""Graphs with blocks for the editor's tests: sigmoid written out with exp, add and div, ready
to be grouped, and the same with the group already made."""

from __future__ import annotations

from cgeditor.model import block_edits
from cgeditor.model.graph import Edge, Graph, Node, NodeKind

SIGMOID_PARTS = ["one", "e", "d", "s"]  # 1, exp(x), 1 + exp(x), exp(x) / (1 + exp(x))


def written_out_sigmoid(x: float = 0.7) -> Graph:
    """L = w · σ(x) with σ(x) = exp(x) / (1 + exp(x)) written out, one ready to group (only
    `s` feeds the rest: one, e, d and s are a block of one input)."""
    g = Graph()
    g.add_node(Node("x", NodeKind.VARIABLE, value=x, pos=(0.0, 0.0)))
    g.add_node(Node("one", NodeKind.CONSTANT, value=1.0, pos=(0.0, 120.0)))
    g.add_node(Node("w", NodeKind.VARIABLE, value=3.0, pos=(320.0, 200.0)))
    for node_id, op, sources, pos in [("e", "exp", ["x"], (140.0, 0.0)), ("d", "add", ["one", "e"], (260.0, 90.0)),
                                      ("s", "div", ["e", "d"], (380.0, 20.0)), ("L", "mul", ["s", "w"], (520.0, 60.0))]:
        g.add_node(Node(node_id, NodeKind.OP, op=op, pos=pos))
        for port, source in enumerate(sources):
            g.add_edge(Edge(source, node_id, port))
    g.set_output("L")
    return g


def grouped_sigmoid(x: float = 0.7) -> Graph:
    """`written_out_sigmoid` with one, e, d and s grouped as block `sig` (instance `sig`)."""
    g = written_out_sigmoid(x)
    block_edits.apply_rewrite(g, block_edits.group(g, SIGMOID_PARTS, "sig"))
    return g
