"""Keeping Python's cyclic garbage collector off a large graph's objects.

Opening a 10,000-node file builds about a million Python objects, none of them garbage; the
collector would walk the growing heap again and again (about 0.3 s of the 1.6 s to first
paint), and afterwards rescan all of them in every full collection.  So building runs with
the collector paused, and a large document's objects are then frozen (`gc.freeze`): later
collections skip them.  Reference counting frees as usual; only cycles wait.  When a large
document is closed, `release` thaws everything so its cycles are collected at that quiet moment.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

from PySide6.QtCore import QTimer

from cgeditor.model.collector import collector_paused  # noqa: F401  (the editor's builds use it too)
from cgeditor.model.graph import Graph

LARGE_GRAPH = 1000  # nodes; smaller documents build in a blink and are left to the collector


def freeze_if_large(graph: Graph) -> None:
    """Move every object alive now out of the collector's sight, if `graph` is large."""
    if len(graph) > LARGE_GRAPH:
        gc.freeze()


@contextmanager
def bulk_edit(graph: Graph) -> Iterator[None]:
    """A paste, duplicate or delete of many nodes, or its undo or redo: with the collector
    paused, and what it made frozen afterwards if the graph is large, as on opening.  Left on,
    the collector walked the thousands of new nodes, items and labels three times over (young,
    middle, then full collection), about a tenth of pasting 4,000 nodes, and found no garbage."""
    with collector_paused():
        yield
        freeze_if_large(graph)  # before the collector is back: its next pass would walk them all


def release(document) -> None:
    """`document` is going away: if its graph is large, thaw what was frozen, and collect once
    Qt has deleted it, so its cycles go at this quiet moment rather than in the middle of a
    later edit."""
    if len(document.graph) > LARGE_GRAPH and gc.get_freeze_count():
        gc.unfreeze()
        document.destroyed.connect(_collect_soon)


def _collect_soon() -> None:
    QTimer.singleShot(0, gc.collect)  # after the deletion under way has finished
