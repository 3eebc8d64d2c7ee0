"""Expanded instances: a block instance's inside shown in place, in a frame below it.

Expanding is view state, not an edit: nothing in the document changes and nothing is undone.
Each frame (inside_frame.py) paints the block's body with, at this instance's inputs, every
inner value, d L / d inner node (through this instance) and local gradient;
`Insides` gets those from `inside_at`, the body with the params bound to the instance's inputs
and its gradients scaled by d L / d instance, and pushes them in,
as the scene does for its own items.  An instance inside a frame expands in a frame nested in
that one (its path is "h1/n2"), its inputs those the outer inside computes.
Double-clicking an inner instance expands (or collapses) it; double-clicking elsewhere in the
frame, Escape or "Collapse" folds the frame back, with the frames nested in it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal

from cgeditor.model.block_edits import is_instance
from cgeditor.model.changes import BLOCK_CHANGES
from cgeditor.model.graph import Graph, NodeKind, NodeMoved, NodeRemoved
from cgeditor.model.instance_values import Inside, inside_at, instance_inputs
from cgeditor.model.layout import layered_layout
from cgeditor.model.numbers import format_compact
from cgeditor.model.teaching.expanded import last, level_graph, parent
from cgeditor.model.teaching.view_state import TeachingState
from cgeditor.editor.canvas.inside_frame import (NONE, PAD, ROW, STEM, TITLE_H, InnerNode, InsideFrame, Step,
                                                 Texts)
from cgeditor.editor.canvas.items import NodeItem, OverlayLabel
from cgeditor.editor.canvas.node_geometry import input_count, node_shape

NESTED_GAP = 18.0  # between frames side by side in the band below an inside
WIDE_LABEL = "∂ -0.001014 + …"  # as wide as a number gets in a frame (a running sum while stepping)
STEM_STEPS = (0.0, 40.0, 80.0, 120.0, 160.0)  # how much longer the line to a frame may grow to clear nodes


class Insides(QObject):
    """The scene's expanded instances (GraphScene.insides): which are open, and their frames."""

    changed = Signal()  # an instance was expanded or collapsed: read .expanded()

    def __init__(self, scene):
        super().__init__(scene)
        self.scene = scene
        self._frames: dict[str, InsideFrame] = {}  # path → its frame, outer ones before inner ones
        self._steps: dict[str, Step] = {}  # path → how a step-through shows in it

    def is_expanded(self, path: str) -> bool:
        return path in self._frames

    def frame(self, path: str) -> InsideFrame | None:
        return self._frames.get(path)

    def expanded(self) -> list[str]:
        return list(self._frames)

    def toggle(self, path: str) -> None:
        if self.is_expanded(path):
            self.collapse(path)
        else:
            self.expand(path)

    def expand(self, path: str) -> None:
        """Open the instance at `path` ("h1", or "h1/n2" for n2 inside h1's open frame)."""
        if path in self._frames or (parent(path) and parent(path) not in self._frames):
            return
        if level_graph(self.scene.graph, path) is None:
            return
        frame = InsideFrame(path, self.scene.painter)
        self._frames[path] = frame
        if parent(path):
            frame.set_nested()
            frame.setParentItem(self._frames[parent(path)])
        else:
            self.scene.addItem(frame)
        self._build(self._root(path))
        if path in self._frames:
            self._bring_into_view(path)
        self.changed.emit()

    def collapse(self, path: str) -> None:
        """Fold the frame at `path`, with the frames nested in it."""
        if path not in self._frames:
            return
        for inner in [p for p in self._frames if p.startswith(path + "/")] + [path]:
            frame = self._frames.pop(inner)
            if frame.scene() is not None:
                self.scene.removeItem(frame)
        if parent(path) in self._frames:
            self._build(self._root(path))
        self.changed.emit()

    def collapse_last(self) -> bool:
        """Escape: fold the frame opened last; False if none is open."""
        if not self._frames:
            return False
        self.collapse(list(self._frames)[-1])
        return True

    def double_clicked(self, frame: InsideFrame, scene_pos: QPointF) -> None:
        """An inner instance toggles its own frame; anywhere else folds this one."""
        path = frame.instance_id
        inner = frame.inner_at(frame.mapFromScene(scene_pos))
        g = level_graph(self.scene.graph, path)
        if inner is not None and g is not None and inner in g and is_instance(g, g.nodes[inner]):
            self.toggle(f"{path}/{inner}")
        else:
            self.collapse(path)

    def _bring_into_view(self, path: str) -> None:
        """Scroll to the new frame with its instance; where the two are taller (or wider) than
        the view, to their top left: the instance and the frame's top, or (a frame above it)
        the frame's title and inputs."""
        view = self.scene.view()
        if view is None:
            return
        frame = self._frames[path]
        rect = frame.mapRectToScene(frame.frame_rect())
        item = self.scene.node_item(path)
        if item is not None:
            rect = rect.united(item.sceneBoundingRect())
        seen = view.mapToScene(view.viewport().rect()).boundingRect().adjusted(20, 20, -20, -20)
        view.ensureVisible(QRectF(rect.topLeft(), rect.size().boundedTo(seen.size())), 20, 20)

    @staticmethod
    def _root(path: str) -> str:
        return path.split("/", 1)[0]

    def frames_rect(self) -> QRectF:
        """The scene area the open frames cover (empty when none is open)."""
        rect = QRectF()
        for path, frame in self._frames.items():
            if "/" not in path:
                rect = rect.united(frame.sceneBoundingRect())
        return rect

    def inner_rects(self) -> list[QRectF]:
        """The scene areas of every open frame's nodes with their numbers, and of its title."""
        rects = []
        for frame in self._frames.values():
            rects += [frame.mapRectToScene(r) for r in frame.drawn_rects()]
        return rects

    # -- a step-through ------------------------------------------------------------------------

    def show_teaching(self, states: dict[str, TeachingState] | None, color: str = "", scale: float = 1.0) -> None:
        """Show in each frame what a walk has revealed there (None: the normal display)."""
        self._steps = {p: Step(s, color, scale) for p, s in (states or {}).items()}
        for path, frame in self._frames.items():
            frame.set_step(self._steps.get(path))

    def step_rect(self, path: str) -> QRectF:
        """The scene area of the current step inside frame `path` (empty if none is there)."""
        frame, step = self._frames.get(path), self._steps.get(path)
        rect = QRectF()
        if frame is None or step is None:
            return rect
        edge, node = step.state.current_edge, step.state.current_node
        if edge is not None and frame.has_node(edge.source) and frame.has_node(edge.target):
            rect = rect.united(frame.mapRectToScene(frame.edge_path(edge).boundingRect()))
        if node is not None and frame.has_node(node):
            rect = rect.united(frame.mapRectToScene(frame.node_rect(node).adjusted(-8, -8, 8, 8)))
        return rect

    def step_anchor(self, path: str) -> QPointF | None:
        """Where a callout points in frame `path`: the current edge's middle, else the node's bottom."""
        frame, step = self._frames.get(path), self._steps.get(path)
        if frame is None or step is None:
            return None
        edge, node = step.state.current_edge, step.state.current_node
        if edge is not None and frame.has_node(edge.source) and frame.has_node(edge.target):
            return frame.mapToScene(frame.edge_path(edge).pointAtPercent(0.5))
        if node is not None and frame.has_node(node):
            r = frame.node_rect(node)
            return frame.mapToScene(QPointF(r.center().x(), r.bottom()))
        return None

    # -- following the graph and its evaluation --------------------------------------------

    def on_change(self, change) -> None:
        if not self._frames:
            return
        if isinstance(change, NodeRemoved) and change.node.id in self._frames:
            self.collapse(change.node.id)
        elif isinstance(change, NodeMoved) and change.node_id in self._frames:
            self._place(change.node_id)
        elif isinstance(change, BLOCK_CHANGES):
            for path in [p for p in self._frames if "/" not in p]:
                self._build(path)

    def show_evaluation(self) -> None:
        known: dict[str, tuple[Graph, Inside] | None] = {}
        for path, frame in self._frames.items():
            frame.set_texts(self._texts(path, known))

    def _build(self, root: str) -> None:
        if not self._lay_out(root):
            self.collapse(root)
            return
        if root in self._frames:
            self._place(root)
        known: dict = {}
        for path, frame in self._frames.items():
            if path == root or path.startswith(root + "/"):
                frame.set_texts(self._texts(path, known))
                frame.set_step(self._steps.get(path))

    def _lay_out(self, path: str) -> bool:
        """Lay out the frame at `path` and those nested in it (inner ones first: an outer frame
        makes room for them in a band below its inside); False if there is no inside to show."""
        body = level_graph(self.scene.graph, path)
        if body is None or not len(body):
            return False
        up = level_graph(self.scene.graph, parent(path))
        instance = up.nodes[last(path)]
        block = up.blocks[instance.op]
        missing = [n.id for n in body if n.pos is None]
        spots = {n.id: n.pos for n in body if n.pos is not None}
        spots.update(layered_layout(body, missing) if missing else {})
        measure = self.scene.painter.measure
        shapes = {n.id: node_shape(n, input_count(body, n), measure,
                                   op=body.op(n.op) if n.kind is NodeKind.OP else None) for n in body}
        half = self.scene.painter.label_size(WIDE_LABEL)[0] / 2  # the numbers are centred on their nodes
        left = min(spots[n][0] + min(s.bounds.x, -half) for n, s in shapes.items())
        top = min(spots[n][1] + s.body.y - ROW for n, s in shapes.items())
        right = max(spots[n][0] + max(s.bounds.right, half) for n, s in shapes.items())
        bottom = max(spots[n][1] + s.body.bottom + ROW for n, s in shapes.items())
        dx, dy = PAD - left, PAD + TITLE_H - top
        nodes = {n.id: InnerNode(n.copy(), shapes[n.id], (spots[n.id][0] + dx, spots[n.id][1] + dy), NONE, NONE,
                                 n.id == body.output) for n in body}
        title = f"inside {block.name}({', '.join(block.params)}) at {instance.label}"
        width = max(right - left + 2 * PAD, measure("label", title) + 28)
        height = bottom - top + 2 * PAD + TITLE_H
        nested = sorted((p for p in self._frames if parent(p) == path and last(p) in nodes),
                        key=lambda p: nodes[last(p)].pos[0])
        links, x, band = [], PAD, 0.0
        for inner in nested:
            if not self._lay_out(inner):
                continue
            child = self._frames[inner]
            size = child.frame_rect().size()
            x = max(x, nodes[last(inner)].pos[0] - size.width() / 2)
            child.setPos(x, height + STEM - PAD)
            links.append((last(inner), QRectF(QPointF(x, height + STEM - PAD), size)))
            x += size.width() + NESTED_GAP
            band = max(band, size.height())
        if links:
            width = max(width, x - NESTED_GAP + PAD)
            height += STEM - PAD + band + PAD
        self._frames[path].set_contents(title, nodes, list(body.edges), (width, height), links)
        return True

    def _place(self, node_id: str) -> None:
        """Centred on the instance, below it or above it, as near as it can be without covering
        nodes or their numbers: the side and the length of the line to it that cover fewest."""
        frame, item = self._frames[node_id], self.scene.node_item(node_id)
        size = frame.frame_rect().size()
        body = item.shape_info.body
        options = []
        for extra in STEM_STEPS:
            for below in (True, False):
                stem = STEM + extra
                y = item.y() + body.bottom + stem if below else item.y() + body.y - stem - size.height()
                corner = QPointF(item.x() - size.width() / 2, y)
                options.append((self._covered(QRectF(corner, size), frame), extra, not below, corner, stem))
        _, _, above, corner, stem = min(options, key=lambda o: o[:3])
        frame.set_below(not above, stem)
        frame.setPos(corner)

    def _covered(self, rect: QRectF, frame: InsideFrame) -> int:
        """The canvas' nodes and shown numbers a frame at `rect` would hide."""
        return sum(isinstance(i, NodeItem) or (isinstance(i, OverlayLabel) and i.isVisible())
                   for i in self.scene.items(rect, Qt.IntersectsItemBoundingRect)
                   if i is not frame and not frame.isAncestorOf(i))

    def _texts(self, path: str, known: dict) -> Texts:
        """Each inner value, d L / d inner node and local gradient at this instance's inputs:
        the evaluator's, on the body with its params bound to them, so each reads as the same
        node of the flattened document would ("–" where an input, the block or d L / d instance
        cannot be computed)."""
        body = level_graph(self.scene.graph, path)
        empty = {n: (NONE, NONE) for n in body.nodes}
        computed = self._evaluation(path, known)
        if computed is None:
            return Texts(empty, {})
        inside = computed[1]
        shown = {n: (format_compact(v), format_compact(inside.grads[n]) if n in inside.grads else NONE)
                 for n, v in inside.values.items()}
        return Texts({**empty, **shown}, {e: format_compact(g) for e, g in inside.edge_grads.items()})

    def _evaluation(self, path: str, known: dict) -> tuple[Graph, Inside] | None:
        """The body at `path` and its inside at the instance's inputs (`inside_at`); an inner
        instance's inputs are what the inside around it computes."""
        if path in known:
            return known[path]
        if parent(path):
            outer = self._evaluation(parent(path), known)
            around, evaluation, grads = (outer[0], outer[1].evaluation, outer[1].grads) if outer else (None,) * 3
        else:
            around, evaluation = self.scene.graph, self.scene.document.evaluation
            grads = evaluation.grads
        result = None
        if around is not None:
            block = around.blocks[around.nodes[last(path)].op]
            inputs = instance_inputs(around, evaluation, last(path))
            if len(inputs) == len(block.params) and around.blocks.problem(block.name) is None:
                result = (block.body, inside_at(around.blocks, block.name, inputs, grads.get(last(path))))
        known[path] = result
        return result
