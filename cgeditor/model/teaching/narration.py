"""The forward pass, backpropagation and forward mode told as arithmetic with the actual numbers.

The step-through panel, the canvas callout and `cgeditor explain` all read these, so a class
sees the same sentence on the projector as on the handout.  The backward lines come from the
evaluator's recorded steps, one per edge, in the order the gradients actually flowed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Sequence

from cgeditor.model.evaluate import OutputError
from cgeditor.model.evaluation import BackwardStep, Evaluation
from cgeditor.model.teaching.forward_mode import ForwardModeResult, ForwardModeStep
from cgeditor.model.graph import Edge, Graph, NodeKind
from cgeditor.model.numbers import format_compact, format_count, format_equation
from cgeditor.model.ops import Op
from cgeditor.model.teaching.paths import Path, PathDecomposition

# Ops with a notation of their own rather than a function name ({0}: the first input).  Operands
# beside an operator get parentheses when negative; inside |…| or f(…) they need none.
_OPERATOR_NOTATION = {"neg": "−{0}", "square": "{0}²", "pow": "{0}^{1}"}
_ENCLOSING_NOTATION = {"abs": "|{0}|"}
_REMARK = re.compile(r"\s+\([^()]*\)\s*$")


@dataclass(frozen=True)
class NarrationStep:
    """One step along an edge: `text` like ∂L/∂x += ∂L/∂p · ∂p/∂x = 4 · 3 = 12, and, when this
    step completes a sum of several contributions, `summary` like ∂L/∂b = 2·1 + 3·1 = 5."""

    index: int
    edge: Edge
    text: str
    summary: str | None
    step: BackwardStep | ForwardModeStep

    def lines(self) -> list[str]:
        return [self.text] if self.summary is None else [self.text, self.summary]


@dataclass(frozen=True)
class Narration:
    start: str  # ∂L/∂L = 1 (backward) or ∂x/∂x = 1 (forward mode): where the walk begins
    steps: list[NarrationStep]

    def lines(self) -> list[str]:
        """Everything in reading order: the start, then each step and its summary."""
        out = [self.start]
        for step in self.steps:
            out += step.lines()
        return out


@dataclass(frozen=True)
class ForwardStep:
    """One op node computed: `text` like z1 = x × y = 2 × 3 = 6."""

    index: int
    node: str
    text: str
    value: float


def narrate_backward(graph: Graph, evaluation: Evaluation) -> Narration:
    """One line per recorded backward step, plus a summary wherever a fork's sum completes."""
    if evaluation.output is None:
        raise OutputError("no output is chosen, so there is no backward pass to narrate")
    names = Symbols(graph)
    out = names[evaluation.output]

    def line(edge: Edge, src: str, tgt: str) -> tuple[str, str, str]:
        local = _local(graph, names, edge.target, src) if edge.target == evaluation.output else f"∂{tgt}/∂{src}"
        return f"∂{out}/∂{src}", f"∂{out}/∂{tgt}", local

    steps = _told(names, evaluation.steps, line, lambda edge: edge.source, lambda s: s.upstream,
                  lambda step, arrived: step.final)
    return Narration(f"∂{out}/∂{out} = 1", steps)


def narrate_forward_mode(graph: Graph, result: ForwardModeResult) -> Narration:
    """Forward-mode steps told the same way, so a class can set the two directions side by side:
    ∂p/∂x += ∂x/∂x · ∂[x × w]/∂x = 1 · 3 = 3, with a summary where several tangents meet."""
    names = Symbols(graph)
    wrt = names[result.wrt]
    expected: dict[str, int] = {}
    for step in result.steps:
        expected[step.edge.target] = expected.get(step.edge.target, 0) + 1

    def line(edge: Edge, src: str, tgt: str) -> tuple[str, str, str]:
        local = _local(graph, names, edge.target, src) if edge.source == result.wrt else f"∂{tgt}/∂{src}"
        return f"∂{tgt}/∂{wrt}", f"∂{src}/∂{wrt}", local

    steps = _told(names, result.steps, line, lambda edge: edge.target, lambda s: s.tangent_in,
                  lambda step, arrived: len(arrived) == expected[step.edge.target])
    return Narration(f"∂{wrt}/∂{wrt} = 1", steps)


def _told(names: Symbols, steps: Sequence, line: Callable, gathers_at: Callable, incoming: Callable,
          complete: Callable) -> list[NarrationStep]:
    """The chain rule along each step's edge, in either direction: `line` names the derivative
    being accumulated, the one it comes from and the local one; the contributions gathering at a
    node are summed in a summary once `complete` says the last of several has arrived."""
    received: dict[str, list] = {}
    told = []
    for index, step in enumerate(steps):
        edge = step.edge
        accumulated, upstream, local = line(edge, names[edge.source], names[edge.target])
        text = (f"{accumulated} += {upstream} · {local} = "
                f"{_product_line([incoming(step), step.local], step.contribution)}")
        arrived = received.setdefault(gathers_at(edge), [])
        arrived.append(step)
        summary = None
        if len(arrived) > 1 and complete(step, arrived):
            summary = f"{accumulated} = {_sum_line([(incoming(s), s.local) for s in arrived], step.total)}"
        told.append(NarrationStep(index, edge, text, summary, step))
    return told


def narrate_forward(graph: Graph, evaluation: Evaluation) -> list[ForwardStep]:
    """One step per computed op node, each after the nodes it reads."""
    steps = []
    names = Symbols(graph)
    for node_id in graph.topological_order(evaluation.values):
        node = graph.nodes[node_id]
        if node.kind is not NodeKind.OP:
            continue
        sources = [e.source for e in graph.in_edges(node_id)]
        op = graph.op(node.op)
        value = evaluation.values[node_id]
        labels = [names[s] for s in sources]
        values = [evaluation.values[s] for s in sources]
        formula = _expression(op, labels, labels)
        shown, total = format_equation(values, value, lambda xs, op=op: op.forward(*xs))
        numbers = _expression(op, shown, [_wrapped(t) for t in shown])
        text = f"{names[node_id]} = {formula} = {numbers} = {total}"
        steps.append(ForwardStep(len(steps), node_id, text, value))
    return steps


def path_text(graph: Graph, evaluation: Evaluation, path: Path, names: Symbols | None = None) -> str:
    """A path with its chain-rule product, from the output down: e → c → b: 2 · 1 = 2 (`names`:
    the graph's symbols, when a caller lists many paths)."""
    names = names or Symbols(graph)
    chain = " → ".join(names[n] for n in path.nodes)
    if not path.edges:
        return f"{chain}: 1"
    factors = [evaluation.edge_grads.get(e, math.nan) for e in path.edges]
    return f"{chain}: {_product_line(factors, path.product)}"


def paths_sum_text(out: str, node: str, paths: PathDecomposition) -> str:
    """d out / d node as the sum of the path products (`out` and `node` as symbols): term by
    term when every path is listed, negative terms in parentheses as every operand is."""
    total = format_compact(paths.sum)
    if paths.count == 0:
        return f"∂{out}/∂{node} = 0 (no path from {out} down to {node})"
    if paths.unlisted:
        return f"∂{out}/∂{node} = sum over all {format_count(paths.count)} paths = {total}"
    if paths.count == 1:
        return f"∂{out}/∂{node} = {total}"
    return f"∂{out}/∂{node} = {' + '.join(operand(p.product) for p in paths.listed)} = {total}"


def symbol(graph: Graph, node_id: str) -> str:
    """A node's name in a formula (see `Symbols`); for one name, where a table is not worth it."""
    return Symbols(graph)[node_id]


class Symbols:
    """Every node's name in a formula: its label, up to any "=" ("z1 = x·y" is z1) or trailing
    remark in parentheses ("y (target)" is y), and parenthesised unless it is a plain name,
    so that ∂L/∂(x·w) and ∂L/∂(d²) cannot be misread.  A name several nodes share (three
    constants labelled 3) carries the node's id, (3)[k3a], so each line says which one it means.
    Built once per narration: telling names apart reads the whole graph."""

    def __init__(self, graph: Graph):
        self._graph = graph
        self._names = {n.id: _name(n.label) for n in graph}
        self._shared = {name for name, count in Counter(self._names.values()).items() if count > 1}

    def __getitem__(self, node_id: str) -> str:
        name = self._names[node_id]
        plain = name.isidentifier() and "·" not in name  # Python lets a middle dot into identifiers
        shown = name if plain else f"({name})"
        return f"{shown}[{node_id}]" if name in self._shared else shown


def _name(label: str) -> str:
    return _REMARK.sub("", label.split("=", 1)[0]).strip() or label


def _local(graph: Graph, names: Symbols, node_id: str, source: str) -> str:
    """The local derivative of `node_id` by its input `source`, written through the node's own
    formula: where the node is the output (or `source` is forward mode's input), ∂L/∂z2 would
    read the same as the gradient being accumulated, but ∂[z2²]/∂z2 cannot."""
    node = graph.nodes[node_id]
    labels = [names[e.source] for e in graph.in_edges(node_id)]
    return f"∂[{_expression(graph.op(node.op), labels, labels)}]/∂{source}"


def _expression(op: Op, plain: Sequence[str], wrapped: Sequence[str]) -> str:
    """`op` applied to its inputs, given each input as it stands alone and as an operand."""
    if op.name in _OPERATOR_NOTATION:
        return _OPERATOR_NOTATION[op.name].format(*wrapped)
    if op.name in _ENCLOSING_NOTATION:
        return _ENCLOSING_NOTATION[op.name].format(*plain)
    if op.infix:
        return f" {op.symbol} ".join(wrapped)
    return f"{op.symbol}({', '.join(plain)})"


def operand(x: float) -> str:
    """A number as an operand: negative ones in parentheses, so 4 · (-1) cannot read as 4 - 1."""
    return _wrapped(format_compact(x))


def _wrapped(text: str) -> str:
    return f"({text})" if text.startswith("-") else text


def _product_line(factors: Sequence[float], product: float) -> str:
    """`a · b · … = product`, with the digits it needs to check out as printed."""
    shown, total = format_equation(factors, product, math.prod)
    return f"{' · '.join(_wrapped(t) for t in shown)} = {total}"


def _sum_line(pairs: Sequence[tuple[float, float]], total: float) -> str:
    """`a·b + c·d + … = total` for the contributions meeting at a fork."""
    flat = [x for pair in pairs for x in pair]
    shown, result = format_equation(flat, total,
                                    lambda xs: math.fsum(xs[i] * xs[i + 1] for i in range(0, len(xs), 2)))
    terms = " + ".join(f"{_wrapped(shown[i])}·{_wrapped(shown[i + 1])}" for i in range(0, len(shown), 2))
    return f"{terms} = {result}"
