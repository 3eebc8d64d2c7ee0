"""Documents with blocks, built inline: a sigmoid block from exp, add and div, a neuron block
using it, and a network of two neuron instances (blocks nested two deep)."""

from __future__ import annotations

from cgeditor.model.blocks import Block
from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from helpers.graph_builders import build


def body(params: list[str], constants: dict, ops: list, output: str) -> Graph:
    """Params (variables without values), constants, then op nodes (id, op, [sources])."""
    g = Graph()
    for x, name in enumerate(params):
        g.add_node(Node(name, NodeKind.VARIABLE, pos=(0.0, 80.0 * x)))
    for name, value in constants.items():
        g.add_node(Node(name, NodeKind.CONSTANT, value=float(value), pos=(0.0, -80.0)))
    for x, (name, op, sources) in enumerate(ops):
        g.add_node(Node(name, NodeKind.OP, op=op, pos=(120.0 * (x + 1), 0.0)))
        for port, source in enumerate(sources):
            g.add_edge(Edge(source, name, port))
    g.set_output(output)
    return g


def sig_block() -> Block:
    """sig(t) = exp(t) / (1 + exp(t))."""
    return Block("sig", ("t",), body(["t"], {"one": 1}, [
        ("e", "exp", ["t"]), ("d", "add", ["one", "e"]), ("z", "div", ["e", "d"])], "z"),
        formula="exp(t) / (1 + exp(t))", derivatives={"t": "sig(t) * (1 - sig(t))"})


def neuron_block() -> Block:
    """neuron(x, w, b) = sig(x·w + b): a block using a block."""
    return Block("neuron", ("x", "w", "b"), body(["x", "w", "b"], {}, [
        ("p", "mul", ["x", "w"]), ("s", "add", ["p", "b"]), ("n2", "sig", ["s"])], "n2"))


def network() -> Graph:
    """L = neuron(x, a, b1) · neuron(x, c, b2) + sig(x)."""
    g = build({"x": 0.5, "a": -1.2, "c": 0.8, "b1": 0.3, "b2": -0.4},
              [("h1", "neuron", ["x", "a", "b1"]), ("h2", "neuron", ["x", "c", "b2"]),
               ("s", "sig", ["x"]), ("m", "mul", ["h1", "h2"]), ("L", "add", ["m", "s"])])
    for k, node_id in enumerate(g.nodes):
        g.move_node(node_id, (100.0 * k, 50.0 * (k % 3)))
    g.define_block(sig_block())
    g.define_block(neuron_block())
    return g
