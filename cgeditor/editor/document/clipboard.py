"""Copy, paste and duplicate: the file format's JSON is the clipboard text, and a copy goes
into the graph as one undo command, under fresh ids, shifted into place."""

from __future__ import annotations

import re
from typing import Iterable

from cgeditor.model import fileformat
from cgeditor.model.fileformat import DocumentError
from cgeditor.model.graph import Edge, Graph, Node

from cgeditor.editor.document.commands import AddNodesCommand, Command
from cgeditor.editor.document.positions import point, shift_within

PASTE_OFFSET = (40.0, 40.0)  # a pasted or duplicated copy lands beside its original


def copy_text(graph: Graph, node_ids: Iterable[str]) -> str:
    """The nodes and the edges among them as file-format JSON."""
    return fileformat.dumps(selection(graph, node_ids))


def selection(graph: Graph, node_ids: Iterable[str]) -> Graph:
    """The nodes and the edges among them, and the output if it is one of them, as a graph of
    their own.  It shares the graph's blocks, so an instance among them stays one (the file
    format alone could not read it back without its block)."""
    keep = set(node_ids)
    part = Graph()
    part.blocks = graph.blocks
    # what `graph` holds was checked when it was added, so it is taken without a Change per
    # item (copying 4,000 nodes announced 10,000 changes that nothing listened to)
    part.take_checked({node.id: node.copy() for node in graph if node.id in keep},
                      dict.fromkeys(e for e in graph.edges if e.source in keep and e.target in keep))
    if graph.output in keep:
        part.set_output(graph.output)
    return part


def pasted_graph(text: str) -> Graph:
    """The graph a file-format text holds; DocumentError (one line) if it is none or empty."""
    pasted = fileformat.loads(text)
    if not len(pasted):
        raise DocumentError("nothing to paste: the text holds no nodes")
    return pasted


def add_copy_command(graph: Graph, source: Graph, at, text: str) -> tuple[Command, list[str]]:
    """The command adding every node and edge of `source` to `graph` under fresh ids, with its
    top-left node at `at` (or beside the original), and the new ids in `source`'s order."""
    xs = [n.pos[0] for n in source]
    ys = [n.pos[1] for n in source]
    dx, dy = shift_within(xs, ys, *((at[0] - min(xs), at[1] - min(ys)) if at is not None else PASTE_OFFSET))
    new_ids: dict[str, str] = {}
    given: set[str] = set()  # the graph has none of them until the command is pushed
    copies = []
    for node in source:
        fresh = node.id not in graph and node.id not in given
        new_id = node.id if fresh else graph.fresh_id(_stem(node.id), given)
        given.add(new_id)
        new_ids[node.id] = new_id
        label = new_id if node.label == node.id else node.label
        copies.append(Node(new_id, node.kind, label, node.value, node.op,
                           point((node.pos[0] + dx, node.pos[1] + dy)), dict(node.extra), node.trainable))
    edges = [Edge(new_ids[e.source], new_ids[e.target], e.port) for e in source.edges]
    command = AddNodesCommand(graph, copies, edges, f"{text} {len(source)} node{'s' if len(source) != 1 else ''}")
    return command, list(new_ids.values())


def _stem(node_id: str) -> str:
    """`x2` → `x`, so a copy of x2 is called x3 rather than x22."""
    return re.sub(r"\d+$", "", node_id) or node_id
