"""What a graph is made of: nodes (variables, constants, ops) and per-port edges, with the rules
that belong to one node alone (a label is one line, which variables are trained, which ids the
editor made up)."""

from __future__ import annotations

import re
from enum import Enum
from typing import Any, NamedTuple

from cgeditor.model.numbers import same_number
from cgeditor.model.records import Record


MAX_ID_LENGTH = 200  # characters
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # every break str.splitlines honours


def label_problem(label: str) -> str | None:
    """Why `label` cannot be a node's label, or None.

    A label is one line: a line break in it would start a new line of whatever it is written
    into (a comment in an exported script, a Markdown table, a terminal table).
    """
    if not label.isprintable() and any(ch in LINE_BREAKS for ch in label):  # breaks are unprintable
        return "a label cannot contain a line break"
    return None


class NodeKind(str, Enum):
    VARIABLE = "variable"
    CONSTANT = "constant"
    OP = "op"


class Node(Record):
    """A variable, a constant or an op node; equal to another with equal fields (see `records`)."""

    __slots__ = ("id", "kind", "label", "value", "op", "pos", "extra", "trainable")

    def __init__(self, id: str, kind: NodeKind, label: str = "", value: float | None = None,  # noqa: A002
                 op: str | None = None, pos: tuple[float, float] | None = None,
                 extra: dict[str, Any] | None = None, trainable: bool | None = None) -> None:
        self.id = id
        self.kind = kind
        self.label = label or id  # an empty label shows the id
        self.value = value  # variables and constants
        self.op = op  # op nodes: a name from the registry (possibly unknown)
        self.pos = pos
        self.extra = {} if extra is None else extra  # unknown file keys, kept on save
        self.trainable = trainable  # variables: whether descent may change it; None follows the name

    def copy(self) -> "Node":
        return Node(self.id, self.kind, self.label, self.value, self.op, self.pos, dict(self.extra),
                    self.trainable)


# Names that say "data": inputs and targets are given, not learned.  Anything else a variable is
# called (w, b, θ, weights, a, ...) is a parameter by default.
_DATA_WORDS = frozenset({"x", "y", "t", "input", "inputs", "target", "targets", "data", "label", "labels"})
_WORD = re.compile(r"[^\W\d_₀-₉]+")


def trainable_by_name(node: Node) -> bool:
    """The default for a variable's trainable flag: off when a word of its label (what the class
    sees) names data (x, y, t, x1, x₂, "y (target)", inputs), on otherwise (w, b, θ, weights)."""
    words = {w.lower() for w in _WORD.findall(node.label)}
    return not words & _DATA_WORDS


def is_generated_id(node: Node) -> bool:
    """Whether `node`'s id is one the editor made up (x2, c3, add4: its kind's stem and a
    number, as `Graph.fresh_id` gives them) rather than one somebody chose."""
    stem = node.op if node.kind is NodeKind.OP else ("x" if node.kind is NodeKind.VARIABLE else "c")
    return re.fullmatch(rf"{re.escape(stem or '')}\d*", node.id) is not None


def usable_id(name: str) -> bool:
    """Whether `name` can be an id typed on a command line (`--set w=4`): an identifier."""
    return name.isidentifier() and len(name) <= MAX_ID_LENGTH


def is_trainable(node: Node) -> bool:
    """Whether gradient descent may change `node`: only variables, as flagged or as named."""
    if node.kind is not NodeKind.VARIABLE:
        return False
    return trainable_by_name(node) if node.trainable is None else node.trainable


class Edge(NamedTuple):
    """The output of `source` feeding input `port` of op node `target`.

    A named tuple: made, hashed and compared in C, as a 300,000-edge file needs 300,000 times
    over (a frozen dataclass's Python-level `__init__` and `__hash__` were most of loading it)."""

    source: str
    target: str
    port: int


def same_node(a: Node, b: Node) -> bool:
    return (
        a.id == b.id and a.kind == b.kind and a.label == b.label and a.op == b.op
        and same_number(a.value, b.value) and a.pos == b.pos and a.extra == b.extra
        and is_trainable(a) == is_trainable(b)
    )


class GraphError(ValueError):
    """A mutation the graph cannot take (unknown node, duplicate id, ...)."""
