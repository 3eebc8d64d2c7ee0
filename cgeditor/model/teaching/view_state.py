"""What the canvas shows at one moment of a step-through: a plain, immutable value.

The scene applies a `TeachingState` (which values, gradients and local gradients are revealed so
far, and with what text) and the canvas layer highlights its current edge or node and shows its
callout.  Keeping it a value, computed without Qt, lets the stepper be tested without a view and
lets any position of a walk be shown again exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from cgeditor.model.graph import Edge

QUIZ_TEXT = "?"  # what a gradient hidden for the quiz shows until it is revealed


@dataclass(frozen=True)
class Shown:
    """A node's gradient (or, in forward mode, its tangent) as revealed so far."""

    value: float  # the running total: the sum of the contributions that have arrived
    text: str  # what the canvas shows: "12", "3 + …" while more contributions are due, or "?"
    complete: bool  # every contribution has arrived
    hidden: bool = False  # hidden for the quiz until clicked


@dataclass(frozen=True)
class TeachingState:
    mode: str  # "backward", "forward" or "forward_mode"
    phase: str  # "forward" (values lighting up), "backward" or "forward_mode" (derivatives)
    position: int  # 0 = the start; len(walk) - 1 = the last step
    count: int  # positions in the walk
    values: frozenset[str]  # nodes whose values are revealed
    grads: Mapping[str, Shown]  # nodes whose gradient (tangent) is revealed
    edges: frozenset[Edge]  # edges whose local gradient is revealed
    grad_symbol: str  # how a revealed derivative reads, "∂L/∂{}" or "∂{}/∂x"
    current_node: str | None = None
    current_edge: Edge | None = None
    callout: tuple[str, ...] = ()  # the current step's chain-rule line(s)
    lines: tuple[str, ...] = field(default=())  # the narration so far, the callout last
