"""Adding nodes on the canvas: a palette entry created or dropped at a point (an op dropped onto
an edge goes into it), and the node search popup that creates its choice where it was opened."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt

from cgeditor.model.graph import GraphError, NodeKind
from cgeditor.editor.canvas.items import EdgeItem, OverlayLabel
from cgeditor.editor.panels.node_entries import node_entries
from cgeditor.editor.panels.node_search import NodeSearchPopup


def create_node(scene, key: str, pos: QPointF) -> str | None:
    """Add the palette entry `key` ("variable", "constant", an op's or a block's name) centred
    at `pos`; None, with the reason in the status bar, where it cannot go (a block inside
    itself)."""
    doc = scene.document
    at = (pos.x(), pos.y())
    if key == "variable":
        return doc.add_node(NodeKind.VARIABLE, pos=at)
    if key == "constant":
        return doc.add_node(NodeKind.CONSTANT, pos=at)
    try:
        return doc.add_node(NodeKind.OP, op=key, pos=at)
    except GraphError as e:
        scene.say(str(e))
        return None


def edge_at(scene, pos: QPointF) -> EdgeItem | None:
    """The edge under `pos`, seen through overlay labels (an edge's label sits on the edge)."""
    for item in scene.items_at(pos):
        if not isinstance(item, OverlayLabel):
            return item if isinstance(item, EdgeItem) else None
    return None


def drop_entry(scene, key: str, pos: QPointF) -> str | None:
    """A palette entry dropped on the canvas: an op dropped onto an edge goes into that edge."""
    edge = edge_at(scene, pos)
    if edge is not None and key not in ("variable", "constant"):
        try:
            return scene.document.insert_on_edge(edge.edge, key, (pos.x(), pos.y()))
        except GraphError as e:
            scene.say(str(e))
            return None
    return create_node(scene, key, pos)


def open_node_search(scene, pos: QPointF, entries=None, on_chosen=None, title: str = "Add node"):
    """The search popup at scene position `pos`; the chosen entry is created there."""
    view = scene.view()
    if view is None:
        return None
    popup = NodeSearchPopup(entries or node_entries(scene.graph.blocks), view, title)
    popup.setAttribute(Qt.WA_DeleteOnClose)
    popup.chosen.connect(on_chosen or (lambda key: create_node(scene, key, pos)))
    popup.open_at(view.viewport().mapToGlobal(view.mapFromScene(pos)))
    scene.search_popup = popup
    return popup
