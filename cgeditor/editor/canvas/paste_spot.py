"""Where a pasted or duplicated copy goes: centred on the mouse when the mouse is over the
canvas, otherwise just right of the selection; in either case moved to the nearest spot where
it covers no node (pasting on top hid the originals and pushed every value and gradient label
away from its node).

The copy's footprint is measured with the canvas's own node geometry before it exists, so the
result is the `at` that `Document.paste_text` takes: where the copy's top-left node goes.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt

from cgeditor.model.graph import Graph
from cgeditor.editor.canvas.items import NodeItem
from cgeditor.editor.canvas.node_geometry import input_count, node_shape

GAP = 60.0  # scene units between the selection and a copy put beside it
ROOM = 50.0  # kept free round the copy's nodes: their value and gradient labels go there
STEP = 40.0  # how far apart the spots tried for a free place are
TRIES = 12  # spots tried out to this many steps away; beyond, the copy goes where it was asked


def paste_spot(scene, source: Graph, mouse: QPointF | None) -> tuple[float, float]:
    """The `at` for pasting `source` into `scene`: centred on `mouse` (a scene point, or None
    when the mouse is not over the canvas), else right of the selection, else right of the
    whole graph; then the nearest spot from there where the copy covers no node."""
    foot = footprint(scene, source)
    if mouse is not None:
        return _at(source, foot, _free(scene, foot.translated(mouse - foot.center())))
    anchor = QRectF()
    for node_id in scene.selected_node_ids() or scene.items_by_node:
        anchor = anchor.united(scene.node_item(node_id).sceneBoundingRect())
    if anchor.isNull():
        return _at(source, foot, foot)
    beside = foot.translated(anchor.right() + GAP - foot.left(), anchor.top() - foot.top())
    return _at(source, foot, _free(scene, beside))


def footprint(scene, source: Graph) -> QRectF:
    """What the nodes of `source` would cover on `scene` at their own positions."""
    rect = QRectF()
    for node in source:
        b = node_shape(node, input_count(source, node), scene.painter.measure).bounds
        x, y = node.pos or (0.0, 0.0)
        rect = rect.united(QRectF(x + b.x, y + b.y, b.w, b.h))
    return rect


def _free(scene, wanted: QRectF) -> QRectF:
    """`wanted`, or the nearest shift of it by whole steps that covers no node (with room for
    labels round it); `wanted` itself when none is free within reach."""
    shifts = sorted(((dx, dy) for dx in range(-TRIES, TRIES + 1) for dy in range(-TRIES, TRIES + 1)),
                    key=lambda d: (math.hypot(*d), d))
    # The scene is asked once, for every node within reach: asking it at each of the 625 spots
    # returned thousands of items a time for a large copy (2 s to paste 2,000 nodes).
    reach = TRIES * STEP + ROOM
    nodes = [item.sceneBoundingRect()
             for item in scene.items(wanted.adjusted(-reach, -reach, reach, reach), Qt.IntersectsItemBoundingRect)
             if isinstance(item, NodeItem)]
    for dx, dy in shifts:
        rect = wanted.translated(dx * STEP, dy * STEP)
        room = rect.adjusted(-ROOM, -ROOM, ROOM, ROOM)
        hit = next((k for k, node in enumerate(nodes) if room.intersects(node)), None)
        if hit is None:
            return rect
        nodes.insert(0, nodes.pop(hit))  # the node in the way here is likely in the way next door
    return wanted


def _at(source: Graph, foot: QRectF, placed: QRectF) -> tuple[float, float]:
    """`paste_text`'s `at` (the top-left node position) that moves `foot` onto `placed`."""
    dx, dy = placed.left() - foot.left(), placed.top() - foot.top()
    xs, ys = zip(*((n.pos or (0.0, 0.0)) for n in source))
    return round(min(xs) + dx), round(min(ys) + dy)  # whole units, as a hand-placed node has
