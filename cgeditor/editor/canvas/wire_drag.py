"""Drawing a wire: the gesture that connects ports, explains refusals, or offers a new node
where a wire is dropped on empty canvas."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QToolTip

from cgeditor.model.graph import GraphError, NodeKind
from cgeditor.model.validate import connection_problem
from cgeditor.editor.canvas.gestures import DRAG_THRESHOLD, Gesture
from cgeditor.editor.canvas.items import Z_WIRE, EdgeItem, NodeItem, PortItem
from cgeditor.editor.canvas.node_creation import open_node_search
from cgeditor.editor.canvas.node_geometry import edge_controls
from cgeditor.editor.panels.node_entries import node_entries

MARK_ALL_LIMIT = 400  # above this many nodes, only ports in view are marked while wiring
PICK_PX = 10  # a drop this close to a port (on screen) lands on it: aimed at it, just missed


class WireDrag(Gesture):
    """Drawing a wire from a port: a curve follows the mouse, ports that would take it light up,
    and the release connects, explains a refusal, or offers new nodes on empty canvas."""

    def __init__(self, scene, port: PortItem):
        super().__init__(scene)
        self.graph = scene.graph
        self.node_id, self.port = port.node_id, port.index
        self.from_output = not port.is_input

    def start(self, pos: QPointF) -> None:
        scene = self.scene
        self.press = pos
        scene.set_spare_ports(True)
        self.preview = QGraphicsPathItem()
        pen = QPen(scene.painter.theme.color("wire_preview"), 1.6, Qt.DashLine)
        pen.setCosmetic(True)
        self.preview.setPen(pen)
        self.preview.setZValue(Z_WIRE)
        scene.addItem(self.preview)
        self.marked: list[PortItem] = []
        self.hovered: PortItem | None = None
        self._mark_targets()
        self.move(pos)

    def _anchor(self) -> QPointF:
        item = self.scene.node_item(self.node_id)
        x, y = item.output_scene_point() if self.from_output else item.input_scene_point(self.port)
        return QPointF(x, y)

    def problem(self, port: PortItem) -> str | None:
        """Why a wire from the start port to `port` is refused, or None."""
        if port.is_input != self.from_output:
            side = "output" if self.from_output else "input"
            return f"an {side} connects to an {'input' if self.from_output else 'output'}, not to another {side}"
        if self.from_output:
            return connection_problem(self.graph, self.node_id, port.node_id, port.index)
        return connection_problem(self.graph, port.node_id, self.node_id, self.port)

    def _mark_targets(self) -> None:
        items = self.scene.node_items()
        view = self.scene.view()
        if len(items) > MARK_ALL_LIMIT and view is not None:
            seen = view.mapToScene(view.viewport().rect()).boundingRect()
            items = [i for i in items if seen.intersects(i.sceneBoundingRect())]
        for item in items:
            for port in item.ports():
                if port.is_input == self.from_output:
                    port.set_state("valid" if self.problem(port) is None else "invalid")
                    self.marked.append(port)

    def move(self, pos: QPointF) -> None:
        if self.scene.node_item(self.node_id) is None:
            return  # the start node went away (undone meanwhile); release will clean up
        a = self._anchor()
        p0, p1 = ((a.x(), a.y()), (pos.x(), pos.y())) if self.from_output else ((pos.x(), pos.y()), (a.x(), a.y()))
        c = edge_controls(p0, p1)
        path = QPainterPath(QPointF(*c[0]))
        path.cubicTo(QPointF(*c[1]), QPointF(*c[2]), QPointF(*c[3]))
        self.preview.setPath(path)
        target = self._target_at(pos)
        hovered = target if isinstance(target, PortItem) and target in self.marked else None
        if hovered is not self.hovered:
            if self.hovered is not None:
                self.hovered.set_state("valid" if self.problem(self.hovered) is None else "invalid")
            if hovered is not None and hovered.state() == "valid":
                hovered.set_state("hover")
            self.hovered = hovered
            reason = self.problem(hovered) if hovered is not None else None
            if reason is not None:
                self._tell(f"cannot connect: {reason}", pos)
            else:
                QToolTip.hideText()

    def _target_at(self, pos: QPointF):
        """The port or node under the mouse, looking through the wire itself and any label;
        off every node, a port a few pixels away (a drop aimed at a port, refused or not,
        must not become the "Connect to" list)."""
        for item in self.scene.items_at(pos):
            if isinstance(item, (PortItem, NodeItem)):
                return item
            if isinstance(item, EdgeItem):
                break
        view = self.scene.view()
        reach = PICK_PX / (view.transform().m11() if view is not None else 1.0)
        def distance(port: PortItem) -> float:
            c = port.scenePos()
            return math.hypot(c.x() - pos.x(), c.y() - pos.y())

        nearest = min(self.marked, key=distance, default=None)
        return nearest if nearest is not None and distance(nearest) <= reach else None

    def _clear(self) -> None:
        for port in self.marked:
            port.set_state(None)
        self.scene.removeItem(self.preview)

    def cancel(self) -> None:
        self._clear()
        self.scene.set_spare_ports(False)

    def finish(self, pos: QPointF) -> None:
        target = self._target_at(pos)
        self.drop = pos
        self._clear()
        if self.node_id not in self.graph:
            self.scene.set_spare_ports(False)
            return
        try:
            if isinstance(target, PortItem):
                if target.node_id == self.node_id and target.index == self.port:
                    return  # a click on a port, not a wire
                self._connect_port(target)
            elif isinstance(target, NodeItem):
                self._connect_node(target)
            elif math.hypot(pos.x() - self.press.x(), pos.y() - self.press.y()) >= DRAG_THRESHOLD:
                self._offer_new_node(pos)
        finally:
            self.scene.set_spare_ports(False)

    def _tell(self, text: str, pos: QPointF) -> None:
        """Say why beside the pointer, where the eyes are, as well as in the status bar."""
        view = self.scene.view()
        if view is not None:
            QToolTip.showText(view.viewport().mapToGlobal(view.mapFromScene(pos)), text[:1].upper() + text[1:],
                              view.viewport())

    def _refuse(self, text: str) -> None:
        self.scene.say(text)
        self._tell(text, self.drop)

    def _connect(self, source: str, target: str, port: int) -> None:
        reason = self.scene.document.connect(source, target, port)
        if reason is not None:
            self._refuse(f"cannot connect: {reason}")

    def _connect_port(self, port: PortItem) -> None:
        if port.is_input != self.from_output:
            self._refuse(f"cannot connect: {self.problem(port)}")
        elif self.from_output:
            self._connect(self.node_id, port.node_id, port.index)
        else:
            self._connect(port.node_id, self.node_id, self.port)

    def _connect_node(self, item: NodeItem) -> None:
        """A wire dropped on a node's body: into its first free input, or from its output."""
        if not self.from_output:
            self._connect(item.node_id, self.node_id, self.port)
            return
        if item.node.kind is not NodeKind.OP:
            self._connect(self.node_id, item.node_id, 0)  # refused, with the reason
            return
        taken = {e.port for e in self.graph.in_edges(item.node_id)}
        free = [p.index for p in item.ports() if p.is_input and p.index not in taken]
        if not free:
            self._refuse(f"every input of {item.label} is taken: drop onto a port to replace its wire")
            return
        self._connect(self.node_id, item.node_id, free[0])

    def _offer_new_node(self, pos: QPointF) -> None:
        source = self.node_id if self.from_output else None
        target = None if self.from_output else (self.node_id, self.port)
        scene = self.scene

        def add(op: str) -> None:
            try:
                scene.document.add_connected_node(op, (pos.x(), pos.y()), source=source, target=target)
            except GraphError as e:
                scene.say(str(e))

        entries = [e for e in node_entries(self.scene.graph.blocks) if e.key not in ("variable", "constant")]
        open_node_search(scene, pos, entries, add, title="Connect to")
