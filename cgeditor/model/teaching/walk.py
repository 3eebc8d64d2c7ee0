"""A step-through as a list of events, built from the narration model, and the state after each.

Every walk starts with the forward pass (inputs given, then each op lighting up with its value
in topological order); reverse mode then walks the evaluator's recorded backward pass edge by
edge, and forward mode pushes d node / d input from the chosen input to the output.  The state
at a position is found by replaying the events up to it, so a walk over a big graph costs
nothing until it is stepped.  Pure Python: no Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cgeditor.model.evaluate import Evaluation
from cgeditor.model.teaching.forward_mode import forward_mode
from cgeditor.model.graph import Edge, Graph, GraphError, NodeKind
from cgeditor.model.teaching.narration import (Symbols, narrate_backward, narrate_forward, narrate_forward_mode,
                                              symbol)
from cgeditor.model.numbers import format_compact

from cgeditor.model.teaching.view_state import QUIZ_TEXT, Shown, TeachingState

MODES = {"backward": "Backpropagation", "forward": "Forward pass", "forward_mode": "Forward mode"}
MAX_LISTED_INPUTS = 6  # the opening line names this many inputs, then "…"
PENDING = " + …"  # after a running sum that still waits for contributions
_RESULT = re.compile(r"= [^=]*$")


class WalkError(ValueError):
    """Why a graph cannot be stepped through, in one line."""


@dataclass(frozen=True)
class _Event:
    phase: str
    lines: tuple[str, ...]
    node: str | None = None  # the node lit up (forward) or receiving a derivative
    edge: Edge | None = None
    grad: tuple[str, float, bool] | None = None  # (node, running total, complete)
    reveal: tuple[str, ...] = ()  # values revealed


class Walk:
    """The positions of one step-through of `graph` as evaluated, in one `mode`."""

    def __init__(self, graph: Graph, evaluation: Evaluation, mode: str = "backward",
                 wrt: str | None = None, constants: bool = False):
        """`constants`: also step through the gradients with respect to number literals, which
        a lesson rarely wants (the 2 in 2·x is not something to learn), so they are skipped."""
        if mode not in MODES:
            raise WalkError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
        if evaluation.problems:
            raise WalkError(f"fix the graph first: {evaluation.problems[0].message}")
        if mode != "forward" and evaluation.output is None:
            raise WalkError("choose an output first: there is nothing to differentiate")
        self.mode = mode
        self.wrt = wrt if mode == "forward_mode" else None
        if mode == "forward_mode" and (wrt is None or wrt not in evaluation.values):
            raise WalkError("choose the input to differentiate by (d node / d input)")
        out = symbol(graph, evaluation.output) if evaluation.output is not None else "?"
        self.grad_symbol = f"∂{{}}/∂{symbol(graph, wrt)}" if self.wrt else f"∂{out}/∂{{}}"
        self.events = _forward_events(graph, evaluation)
        if mode == "backward":
            self.events += _backward_events(graph, evaluation, constants)
        elif mode == "forward_mode":
            self.events += _forward_mode_events(graph, evaluation, wrt)

    def __len__(self) -> int:
        return len(self.events)

    def state(self, position: int, hidden: frozenset[str] = frozenset()) -> TeachingState:
        """What is revealed once the events up to `position` have happened; gradients of
        `hidden` nodes read "?" (and so do the results of the lines that give them away)."""
        position = max(0, min(position, len(self.events) - 1))
        values: set[str] = set()
        grads: dict[str, Shown] = {}
        edges: set[Edge] = set()
        lines: list[str] = []
        for event in self.events[:position + 1]:
            values.update(event.reveal)
            if event.edge is not None:
                edges.add(event.edge)
            masked = event.grad is not None and event.grad[0] in hidden
            lines += [_mask(line) if masked else line for line in event.lines]
            if event.grad is not None:
                node, total, complete = event.grad
                text = format_compact(total) + ("" if complete else PENDING)
                grads[node] = Shown(total, QUIZ_TEXT if node in hidden else text, complete, node in hidden)
        event = self.events[position]
        return TeachingState(self.mode, event.phase, position, len(self.events), frozenset(values), grads,
                             frozenset(edges), self.grad_symbol, event.node, event.edge,
                             tuple(lines[len(lines) - len(event.lines):]), tuple(lines))


def full_state(graph: Graph, evaluation: Evaluation, hidden: frozenset[str]) -> TeachingState:
    """Everything revealed as in the normal display, except the gradients of `hidden` (the quiz)."""
    out = symbol(graph, evaluation.output) if evaluation.output is not None else "?"
    grads = {n: Shown(g, QUIZ_TEXT if n in hidden else format_compact(g), True, n in hidden)
             for n, g in evaluation.grads.items()}
    return TeachingState("backward", "backward", 0, 1, frozenset(evaluation.values), grads,
                         frozenset(evaluation.edge_grads), f"∂{out}/∂{{}}")


def _forward_events(graph: Graph, evaluation: Evaluation) -> list[_Event]:
    leaves = [n.id for n in graph if n.kind is not NodeKind.OP and n.id in evaluation.values]
    names = Symbols(graph)
    given = [f"{names[n]} = {format_compact(evaluation.values[n])}" for n in leaves]
    shown = given[:MAX_LISTED_INPUTS] + (["…"] if len(given) > MAX_LISTED_INPUTS else [])
    start = "Forward pass. Given " + ", ".join(shown) if shown else "Forward pass"
    events = [_Event("forward", (start,), reveal=tuple(leaves))]
    for step in narrate_forward(graph, evaluation):
        events.append(_Event("forward", (step.text,), node=step.node, reveal=(step.node,)))
    return events


def _backward_events(graph: Graph, evaluation: Evaluation, constants: bool) -> list[_Event]:
    narration = narrate_backward(graph, evaluation)
    out = evaluation.output
    events = [_Event("backward", (f"Backward pass. {narration.start}",), node=out, grad=(out, 1.0, True))]
    for step in narration.steps:
        source = step.edge.source
        if not constants and graph.nodes[source].kind is NodeKind.CONSTANT:
            continue
        events.append(_Event("backward", tuple(step.lines()), node=source, edge=step.edge,
                             grad=(source, step.step.total, step.step.final)))
    return events


def _forward_mode_events(graph: Graph, evaluation: Evaluation, wrt: str) -> list[_Event]:
    try:
        result = forward_mode(graph, evaluation, wrt)
    except GraphError as e:
        raise WalkError(str(e)) from None
    narration = narrate_forward_mode(graph, result)
    due: dict[str, int] = {}
    for step in result.steps:
        due[step.edge.target] = due.get(step.edge.target, 0) + 1
    events = [_Event("forward_mode", (f"Forward mode. {narration.start}",), node=wrt, grad=(wrt, 1.0, True))]
    for step in narration.steps:
        target = step.edge.target
        due[target] -= 1
        events.append(_Event("forward_mode", tuple(step.lines()), node=target, edge=step.edge,
                             grad=(target, step.step.total, due[target] == 0)))
    return events


def _mask(line: str) -> str:
    """The line without its result, so a quiz question is not answered on the projector."""
    return _RESULT.sub(f"= {QUIZ_TEXT}", line)
