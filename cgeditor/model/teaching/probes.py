"""Numerical tools for a lesson: finite differences, nudges, gradient descent, a results table.

They show a class what a gradient means (nudge an input, watch the output move by about
gradient × h), that automatic differentiation is exact where finite differences are not, and
what gradients are for (descent lowers a loss).  None of them changes the graph it is given:
they evaluate a copy, which also keeps the editor's listeners and undo stack out of it.  What
to apply (`descent_step`'s new values) is returned for the caller to apply as one undo step.
"""

from __future__ import annotations

from typing import NamedTuple

from cgeditor.model.escape import markdown_text
from cgeditor.model.evaluate import Evaluation, Evaluator, evaluate, resolve_output
from cgeditor.model.graph import Graph, GraphError, NodeKind
from cgeditor.model.numbers import format_compact


class GradientCheck(NamedTuple):
    var: str
    ad_grad: float  # automatic differentiation: exact up to rounding
    fd_estimate: float  # central finite difference
    rel_error: float  # |ad - fd| / max(|ad|, |fd|), 0 when both are 0


class Nudge(NamedTuple):
    delta_output: float  # f(v + h) - f(v), what really happens
    linear_estimate: float  # gradient × h, what the gradient predicts


class TrainingRun(NamedTuple):
    losses: list[float]  # losses[k]: the output after k steps (so one more than the steps)
    values: dict[str, float]  # the trainable variables' final values


def finite_difference(graph: Graph, output: str | None, var: str, h: float) -> float:
    """(f(v + h) - f(v - h)) / 2h for the variable or constant `var`."""
    return _Probe(graph, output).central_difference(var, h)


def gradient_check(graph: Graph, output: str | None, h: float) -> list[GradientCheck]:
    """Every variable's AD gradient beside its finite-difference estimate, in document order."""
    probe = _Probe(graph, output)
    grads = probe.base.grads
    checks = []
    for node in graph:
        if node.kind is NodeKind.VARIABLE:
            ad, fd = grads[node.id], probe.central_difference(node.id, h)
            scale = max(abs(ad), abs(fd))
            checks.append(GradientCheck(node.id, ad, fd, abs(ad - fd) / scale if scale else 0.0))
    return checks


def nudge(graph: Graph, output: str | None, var: str, h: float) -> Nudge:
    """Move `var` by h: how far the output really moves, and how far its gradient says it would."""
    probe = _Probe(graph, output)
    after = probe.output_at(var, probe.leaf_value(var) + h)
    return Nudge(after - probe.base.values[probe.output], probe.base.grads[var] * h)


def descent_step(graph: Graph, output: str | None, trainable: list[str], lr: float) -> dict[str, float]:
    """v ← v − lr · d output / d v for each trainable variable; returned, not applied."""
    _check_trainable(graph, trainable)
    grads = evaluate(graph, output).grads
    return {v: graph.nodes[v].value - lr * grads[v] for v in trainable}


def train(graph: Graph, output: str | None, trainable: list[str], lr: float, steps: int) -> TrainingRun:
    """`steps` descent steps on a copy: the loss before the first step and after each one."""
    _check_trainable(graph, trainable)
    if steps < 0:
        raise ValueError(f"the number of steps must be 0 or more, not {steps}")
    work = graph.copy()
    out = resolve_output(work, output)
    evaluator = Evaluator(work)
    result = evaluator.evaluate(out)
    losses = [result.values[out]]
    for _ in range(steps):
        for v in trainable:
            work.set_value(v, work.nodes[v].value - lr * result.grads[v])
        result = evaluator.evaluate(out)
        losses.append(result.values[out])
    return TrainingRun(losses, {v: work.nodes[v].value for v in trainable})


def results_markdown(graph: Graph, evaluation: Evaluation) -> str:
    """A Markdown table, one row per node in document order: label | value | gradient.

    Nodes that could not be computed show "—" rather than a number they do not have.
    """
    rows = ["| node | value | gradient |", "| --- | ---: | ---: |"]
    for node in graph:
        value = evaluation.values.get(node.id)
        grad = evaluation.grads.get(node.id)
        rows.append(f"| {markdown_text(node.label)} | {_number(value)} | {_number(grad)} |")
    return "\n".join(rows) + "\n"


class _Probe:
    """Re-evaluates a private copy of the graph with one leaf value changed at a time."""

    def __init__(self, graph: Graph, output: str | None):
        self.graph = graph.copy()
        self.output = resolve_output(self.graph, output)
        self.evaluator = Evaluator(self.graph)
        self.base = self.evaluator.evaluate(self.output)  # also refuses an invalid graph up front

    def output_at(self, var: str, value: float) -> float:
        original = self.graph.node(var).value
        self.graph.set_value(var, value)
        try:
            return self.evaluator.evaluate(self.output).values[self.output]
        finally:
            self.graph.set_value(var, original)

    def leaf_value(self, var: str) -> float:
        node = self.graph.node(var)
        if node.kind is NodeKind.OP:
            raise GraphError(f"{var} is an op: only a variable or constant can be varied")
        return node.value

    def central_difference(self, var: str, h: float) -> float:
        value = self.leaf_value(var)
        if not h > 0.0:
            raise ValueError(f"the step h must be positive, not {h}")
        return (self.output_at(var, value + h) - self.output_at(var, value - h)) / (2.0 * h)


def _check_trainable(graph: Graph, trainable: list[str]) -> None:
    for v in trainable:
        kind = graph.node(v).kind
        if kind is not NodeKind.VARIABLE:
            what = "an op" if kind is NodeKind.OP else "a constant"
            raise GraphError(f"{v} is {what}; only variables can be trained")


def _number(x: float | None) -> str:
    return "—" if x is None else format_compact(x)
