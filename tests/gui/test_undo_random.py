"""Random sequences of 200 edits through the Document: undo all, redo all, byte for byte.

Each sequence starts from an example graph and makes 200 edits (each one undo step) picked at
random from everything the editor can do: add, delete, connect (also onto occupied ports, and
refused wires that must change nothing), disconnect, move (merged drags too), value (merged
typing too), rename, paste, duplicate, insert into an edge, add a connected node, arrange, set
output.  The serialised document is recorded after every step; undoing everything must pass
back through each recorded state to the initial bytes, and redoing everything must reach the
final bytes.
"""

from __future__ import annotations

import json
import math
import random

import pytest

from cgeditor.editor.document.commands import new_merge_id
from cgeditor.editor.document.document import Document
from cgeditor.model import fileformat
from cgeditor.model.graph import NodeKind
from cgeditor.model.ops import OPS
from cgeditor.resources import example_path, list_examples

EDITS = 200
SEEDS = [1, 2, 3, 4, 5]
VALUES = [0.0, -0.0, 1.5, -2.0, 1e300, 5e-324, math.nan, math.inf, -math.inf]


class RandomEditor:
    """Makes one random edit at a time through the Document's edit methods."""

    def __init__(self, document: Document, rnd: random.Random):
        self.doc, self.rnd = document, rnd
        self.drag_id = self.typing_id = None  # merge ids of an ongoing drag / typing session

    def some_nodes(self, k_max=3) -> list[str]:
        ids = list(self.doc.graph.nodes)
        return self.rnd.sample(ids, self.rnd.randint(1, min(k_max, len(ids)))) if ids else []

    def leaf(self) -> str | None:
        leaves = [n.id for n in self.doc.graph if n.kind is not NodeKind.OP]
        return self.rnd.choice(leaves) if leaves else None

    def pos(self):
        return (self.rnd.uniform(-2000, 2000), self.rnd.uniform(-2000, 2000))

    def edit(self) -> str:
        """Try one kind of edit; returns its name (some attempts legitimately do nothing)."""
        kind = self.rnd.choice(["add", "add", "delete", "connect", "connect", "disconnect",
                                "move", "drag", "value", "typing", "rename", "paste", "duplicate",
                                "insert", "add_connected", "arrange", "output"])
        getattr(self, kind)()
        return kind

    def add(self):
        kind = self.rnd.choice(list(NodeKind))
        op = self.rnd.choice(list(OPS)) if kind is NodeKind.OP else None
        value = self.rnd.choice(VALUES) if kind is not NodeKind.OP else None
        self.doc.add_node(kind, op=op, pos=self.pos(), value=value,
                          label=self.rnd.choice([None, "w", "λ₁", "a b"]))

    def delete(self):
        edges = self.rnd.sample(self.doc.graph.edges, min(2, len(self.doc.graph.edges)))
        self.doc.remove_nodes(self.some_nodes(), edges if self.rnd.random() < 0.3 else ())

    def connect(self):
        ids = list(self.doc.graph.nodes)
        if len(ids) >= 2:
            source, target = self.rnd.sample(ids, 2)
            self.doc.connect(source, target, self.rnd.randint(0, 3))  # a refusal changes nothing

    def disconnect(self):
        edges = self.doc.graph.edges
        if edges:
            self.doc.disconnect(self.rnd.sample(edges, self.rnd.randint(1, min(3, len(edges)))))

    def move(self):
        self.doc.move_nodes({n: self.pos() for n in self.some_nodes()})

    def drag(self):
        if self.drag_id is None or self.rnd.random() < 0.3:
            self.drag_id = new_merge_id()
        self.doc.move_nodes({n: self.pos() for n in self.some_nodes()}, merge_id=self.drag_id)

    def value(self):
        node = self.leaf()
        if node is not None:
            self.doc.set_value(node, self.rnd.choice(VALUES + [self.rnd.uniform(-5, 5)]))

    def typing(self):
        node = self.leaf()
        if node is not None:
            if self.typing_id is None or self.rnd.random() < 0.3:
                self.typing_id = new_merge_id()
            self.doc.set_value(node, self.rnd.uniform(-5, 5), merge_id=self.typing_id)

    def rename(self):
        for node in self.some_nodes(1):
            self.doc.rename(node, self.rnd.choice(["loss", "x̂", "  padded  ", "z" * 40, "→"]))

    def paste(self):
        nodes = self.some_nodes(4)
        if nodes:
            at = self.pos() if self.rnd.random() < 0.5 else None
            self.doc.paste_text(self.doc.copy_text(nodes), at=at)

    def duplicate(self):
        self.doc.duplicate(self.some_nodes())

    def insert(self):
        edges = self.doc.graph.edges
        if edges:
            op = self.rnd.choice([o.name for o in OPS.values() if o.min_arity == 1])
            self.doc.insert_on_edge(self.rnd.choice(edges), op, self.pos())

    def add_connected(self):
        source = self.rnd.choice(list(self.doc.graph.nodes) + [None])
        self.doc.add_connected_node(self.rnd.choice(list(OPS)), self.pos(), source=source)

    def arrange(self):
        self.doc.arrange(self.some_nodes(5) if self.rnd.random() < 0.5 else None)

    def output(self):
        self.doc.set_output(self.rnd.choice(list(self.doc.graph.nodes) + [None]))


def canonical(text: str) -> str:
    """The document with its edges sorted: equal documents whatever order the edges were added."""
    data = json.loads(text)
    data["edges"].sort(key=lambda e: (e["source"], e["target"], e["port"]))
    return json.dumps(data, sort_keys=True)


def _run_sequence(seed: int, start, same=str.__eq__) -> tuple[int, set[str]]:
    """200 edits from `start`, then undo all and redo all; `same(a, b)` compares serialised
    documents (exact bytes, unless a test passes a looser comparison)."""
    rnd = random.Random(seed)
    document = Document.open(start)
    stack = document.undo_stack
    editor = RandomEditor(document, rnd)
    snapshots = {0: fileformat.dumps(document.graph)}
    kinds: set[str] = set()
    attempts = 0
    while stack.count() < EDITS:
        attempts += 1
        assert attempts < 20 * EDITS, "the random editor hardly ever changes anything"
        before_count, before_text = stack.count(), fileformat.dumps(document.graph)
        kind = editor.edit()
        text = fileformat.dumps(document.graph)
        assert stack.index() == stack.count()
        if stack.count() > before_count:
            kinds.add(kind)
        elif kind not in ("drag", "typing"):
            assert text == before_text, f"{kind} changed the graph without an undo step"
        snapshots[stack.index()] = text  # a merged drag or typing step replaces the last state
    document.evaluate_now()
    final = fileformat.dumps(document.graph)
    while stack.canUndo():
        stack.undo()
        undone = stack.text(stack.index())
        assert same(fileformat.dumps(document.graph), snapshots[stack.index()]), f"undo {undone!r}"
    assert same(fileformat.dumps(document.graph), fileformat.dumps(fileformat.load(start)))
    document.evaluate_now()
    while stack.canRedo():
        stack.redo()
        redone = stack.text(stack.index() - 1)
        assert same(fileformat.dumps(document.graph), snapshots[stack.index()]), f"redo {redone!r}"
    assert same(fileformat.dumps(document.graph), final)
    document.evaluate_now()
    document.deleteLater()
    return stack.count(), kinds


KINDS = {"add", "delete", "connect", "disconnect", "move", "value", "rename", "paste", "output"}


@pytest.mark.parametrize("seed", SEEDS)
def test_undo_all_restores_the_initial_bytes_and_redo_all_the_final(qapp, seed):
    examples = list_examples()
    steps, kinds = _run_sequence(seed, examples[seed % len(examples)])
    assert steps == EDITS and KINDS <= kinds


@pytest.mark.parametrize("seed", SEEDS)
def test_undo_all_restores_the_initial_document_up_to_edge_order(qapp, seed):
    examples = list_examples()
    steps, kinds = _run_sequence(seed, examples[seed % len(examples)],
                                 same=lambda a, b: canonical(a) == canonical(b))
    assert steps == EDITS and KINDS <= kinds


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(100, 150))
def test_many_more_random_sequences_undo_and_redo(qapp, seed):
    steps, _ = _run_sequence(seed, example_path(), same=lambda a, b: canonical(a) == canonical(b))
    assert steps == EDITS
