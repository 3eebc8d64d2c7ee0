"""A multilayer perceptron as a graph: the network a class draws, built in one call.

`build_mlp([2, 3, 1])` gives inputs x1…xn and targets t1…tm (data: not trainable), weights
`w{layer}_{unit}_{input}` labelled w⁽¹⁾₂₁ and biases `b{layer}_{unit}` (trainable), one neuron
block instance per unit (`h{layer}_{unit}` for hidden units, `y{unit}` for outputs), one loss
block instance per output and the loss `L`, laid out column by column.

As in micrograd's MLP, hidden layers use the chosen activation and the output layer is linear
for the mean squared error; for binary cross-entropy the output is a sigmoid, so it is a
probability.  The loss is the mean over the outputs, as PyTorch's `MSELoss` and `BCELoss` take it.
Initial weights and biases are uniform in ±1/√fan-in (PyTorch's `nn.Linear` default), rounded
to 3 decimals so the canvas reads well, from `random.Random(seed)`; or all zero.
"""

from __future__ import annotations

import math
import random
from typing import Sequence

from cgeditor.model.blocks import Block
from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.model.layout import LAYER_GAP, ROW_GAP, layered_layout

ACTIVATIONS = ("tanh", "sigmoid", "relu")
LOSSES = ("mse", "bce")
INITS = ("random", "zero")
MAX_LAYERS = 10
MAX_UNITS = 100  # per layer: a network a canvas (and a class) can still take in
MAX_WEIGHTS = 5_000

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


class NetworkError(ValueError):
    """A network `build_mlp` refuses to build, with the reason in one line."""


def build_mlp(sizes: Sequence[int], activation: str = "tanh", loss: str = "mse", seed: int = 0,
              init: str = "random") -> Graph:
    """The graph of a fully connected network with layer sizes `sizes` (inputs first)."""
    _check(sizes, activation, loss, init)
    rng = random.Random(seed)
    graph = Graph()
    inputs = [_variable(graph, f"x{i}", "x" + _sub(i), round(rng.uniform(-1, 1), 2), False)
              for i in range(1, sizes[0] + 1)]
    targets = [round(rng.uniform(-1, 1), 2) if loss == "mse" else float(rng.random() < 0.5)
               for _ in range(sizes[-1])]
    column = 0
    _stack(graph, inputs, column, _band_height(sizes[1], sizes[0]))
    previous = inputs
    for layer in range(1, len(sizes)):
        fan_in, units = sizes[layer - 1], sizes[layer]
        last = layer == len(sizes) - 1
        kind = ("linear" if loss == "mse" else "sigmoid") if last else activation
        block = _neuron_block(graph, kind, fan_in)
        outputs = []
        for unit in range(1, units + 1):
            weights = [_variable(graph, f"w{layer}_{unit}_{i}", f"w⁽{_sup(layer)}⁾{_sub(unit, i)}",
                                 _initial(rng, fan_in, init), True) for i in range(1, fan_in + 1)]
            bias = _variable(graph, f"b{layer}_{unit}", f"b⁽{_sup(layer)}⁾{_sub(unit)}",
                             _initial(rng, fan_in, init), True)
            unit_id = f"y{unit}" if last else f"h{layer}_{unit}"
            label = "y" + _sub(unit) if last else f"h⁽{_sup(layer)}⁾{_sub(unit)}"
            outputs.append(_instance(graph, unit_id, label, block, [*previous, *weights, bias]))
            top = _band_top(units, fan_in) + (unit - 1) * (fan_in + 1) * ROW_GAP
            for row, node_id in enumerate([*weights, bias]):
                graph.nodes[node_id].pos = ((column + 1) * LAYER_GAP, top + row * ROW_GAP)
            graph.nodes[unit_id].pos = ((column + 2) * LAYER_GAP, top + fan_in * ROW_GAP / 2)
        column += 2
        previous = outputs
    _loss(graph, loss, previous, targets, column)
    return graph


def _check(sizes: Sequence[int], activation: str, loss: str, init: str) -> None:
    if activation not in ACTIVATIONS:
        raise NetworkError(f"unknown activation {activation!r} (choose {', '.join(ACTIVATIONS)})")
    if loss not in LOSSES:
        raise NetworkError(f"unknown loss {loss!r} (choose {', '.join(LOSSES)})")
    if init not in INITS:
        raise NetworkError(f"unknown init {init!r} (choose {', '.join(INITS)})")
    if not 2 <= len(sizes) <= MAX_LAYERS:
        raise NetworkError(f"a network needs 2 to {MAX_LAYERS} layer sizes (inputs first, such as "
                           f"2,3,1), got {len(sizes)}")
    if any(not isinstance(n, int) or not 1 <= n <= MAX_UNITS for n in sizes):
        raise NetworkError(f"every layer size must be a whole number from 1 to {MAX_UNITS}")
    weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    if weights > MAX_WEIGHTS:
        raise NetworkError(f"the network would have {weights:,} weights (at most {MAX_WEIGHTS:,})")


def _initial(rng: random.Random, fan_in: int, init: str) -> float:
    if init == "zero":
        return 0.0
    bound = 1 / math.sqrt(fan_in)
    return round(rng.uniform(-bound, bound), 3)


def _neuron_block(graph: Graph, kind: str, fan_in: int) -> str:
    """The block `{kind}_neuron{n}`: z = x1*w1 + … + xn*wn + b, then the activation (none for
    linear); defined once per kind and fan-in."""
    name = f"{kind}_neuron{fan_in}"
    if name in graph.blocks:
        return name
    body = Graph()
    params = [f"x{i}" for i in range(1, fan_in + 1)] + [f"w{i}" for i in range(1, fan_in + 1)] + ["b"]
    for p in params:
        body.add_node(Node(p, NodeKind.VARIABLE, p[0] + _sub(int(p[1:])) if p != "b" else "b"))
    for i in range(1, fan_in + 1):
        body.add_node(Node(f"p{i}", NodeKind.OP, op="mul"))
        body.add_edge(Edge(f"x{i}", f"p{i}", 0))
        body.add_edge(Edge(f"w{i}", f"p{i}", 1))
    body.add_node(Node("z", NodeKind.OP, op="add"))
    for port, source in enumerate([*(f"p{i}" for i in range(1, fan_in + 1)), "b"]):
        body.add_edge(Edge(source, "z", port))
    out = "z"
    if kind != "linear":
        out = kind
        body.add_node(Node(out, NodeKind.OP, op=kind))
        body.add_edge(Edge("z", out, 0))
    body.set_output(out)
    _place_body(body)
    graph.define_block(Block(name, tuple(params), body))
    return name


def _loss_block(graph: Graph, loss: str) -> str:
    """`squared_error(y, t) = (y - t)²` or `bce(y, t) = -(t·ln y + (1 - t)·ln(1 - y))`."""
    name = "squared_error" if loss == "mse" else "bce"
    if name in graph.blocks:
        return name
    body = Graph()
    for p in ("y", "t"):
        body.add_node(Node(p, NodeKind.VARIABLE))
    ops: list[tuple[str, str, list[str]]]
    if loss == "mse":
        ops = [("e", "sub", ["y", "t"]), ("se", "square", ["e"])]
    else:
        body.add_node(Node("one", NodeKind.CONSTANT, "1", 1.0))
        ops = [("log_y", "log", ["y"]), ("not_y", "sub", ["one", "y"]), ("log_not_y", "log", ["not_y"]),
               ("not_t", "sub", ["one", "t"]), ("hit", "mul", ["t", "log_y"]),
               ("miss", "mul", ["not_t", "log_not_y"]), ("ll", "add", ["hit", "miss"]),
               ("ce", "neg", ["ll"])]
    for node_id, op, sources in ops:
        body.add_node(Node(node_id, NodeKind.OP, op=op))
        for port, source in enumerate(sources):
            body.add_edge(Edge(source, node_id, port))
    body.set_output(ops[-1][0])
    _place_body(body)
    graph.define_block(Block(name, ("y", "t"), body))
    return name


def _loss(graph: Graph, loss: str, outputs: list[str], targets: list[float], column: int) -> None:
    """Targets t1…tm beside the outputs, one loss instance per output, and their mean `L`."""
    block = _loss_block(graph, loss)
    many = len(outputs) > 1
    terms = []
    for j, (output, value) in enumerate(zip(outputs, targets), start=1):
        target = _variable(graph, f"t{j}", "t" + _sub(j), value, False)
        y = graph.nodes[output].pos[1]
        graph.nodes[target].pos = ((column + 1) * LAYER_GAP, y + ROW_GAP)
        term = f"loss{j}" if many else "L"
        _instance(graph, term, term if many else "L", block, [output, target])
        graph.nodes[term].pos = ((column + 2) * LAYER_GAP, y)
        terms.append(term)
    if many:
        graph.add_node(Node("total", NodeKind.OP, op="add"))
        for port, term in enumerate(terms):
            graph.add_edge(Edge(term, "total", port))
        graph.add_node(Node("outputs", NodeKind.CONSTANT, str(len(terms)), float(len(terms))))
        graph.add_node(Node("L", NodeKind.OP, op="div"))
        graph.add_edge(Edge("total", "L", 0))
        graph.add_edge(Edge("outputs", "L", 1))
        graph.nodes["total"].pos = ((column + 3) * LAYER_GAP, 0.0)
        graph.nodes["outputs"].pos = ((column + 3) * LAYER_GAP, ROW_GAP)
        graph.nodes["L"].pos = ((column + 4) * LAYER_GAP, 0.0)
    graph.set_output("L")


def _variable(graph: Graph, node_id: str, label: str, value: float, trainable: bool) -> str:
    graph.add_node(Node(node_id, NodeKind.VARIABLE, label, value, trainable=trainable))
    return node_id


def _instance(graph: Graph, node_id: str, label: str, block: str, sources: list[str]) -> str:
    graph.add_node(Node(node_id, NodeKind.OP, label, op=block))
    for port, source in enumerate(sources):
        graph.add_edge(Edge(source, node_id, port))
    return node_id


def _band_height(units: int, fan_in: int) -> float:
    """How tall a layer's column of weights and biases is: (fan-in + 1) rows per unit."""
    return (units * (fan_in + 1) - 1) * ROW_GAP


def _band_top(units: int, fan_in: int) -> float:
    return -_band_height(units, fan_in) / 2


def _stack(graph: Graph, node_ids: list[str], column: int, height: float) -> None:
    """`node_ids` spread evenly down a column `height` tall, centred on y = 0."""
    step = height / len(node_ids) if len(node_ids) > 1 else 0.0
    top = -step * (len(node_ids) - 1) / 2
    for row, node_id in enumerate(node_ids):
        graph.nodes[node_id].pos = (column * LAYER_GAP, top + row * step)


def _place_body(body: Graph) -> None:
    for node_id, pos in layered_layout(body).items():
        body.nodes[node_id].pos = pos


def _sup(n: int) -> str:
    return str(n).translate(_SUPERSCRIPT)


def _sub(*indices: int) -> str:
    """₂₁ for (2, 1); ₁₀,₃ once an index has two digits, so the indices stay apart."""
    sep = "," if any(i >= 10 for i in indices) else ""
    return sep.join(str(i).translate(_SUBSCRIPT) for i in indices)
