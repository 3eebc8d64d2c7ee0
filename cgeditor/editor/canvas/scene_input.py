"""How the scene answers the mouse and the keyboard (a mixin of `GraphScene`).

A press on a port or a node begins a gesture (`gestures.Gesture`); a note or an arrow begins its
own when Qt hands it the press.  Until the release (or Escape) the gesture in progress gets every
mouse move and nothing else does.  Double clicks open the inline editors or the node search, or
expand an instance of a block (and collapse it, as Escape does); Delete deletes the selection,
and a right click opens the context menu.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QTransform

from cgeditor.model.graph import GraphError, NodeKind
from cgeditor.editor.canvas.context_menu import context_menu
from cgeditor.editor.canvas.gestures import Gesture, NodeDrag
from cgeditor.editor.canvas.inline_editors import edit_value, rename_inline
from cgeditor.editor.canvas.inside_frame import InsideFrame
from cgeditor.editor.canvas.items import NodeItem, OverlayLabel, PortItem
from cgeditor.editor.canvas.node_creation import open_node_search
from cgeditor.editor.canvas.node_geometry import PORT_HIT_RADIUS
from cgeditor.editor.canvas.wire_drag import WireDrag


class SceneInput:
    """Mouse and key handling for a QGraphicsScene that has `document`, `graph`, `annotations`,
    `show_message` and the selection queries (GraphScene); listed before QGraphicsScene among
    the bases, so Qt's handlers are its `super()`."""

    _gesture: Gesture | None = None  # the mouse gesture in progress

    def say(self, text: str) -> None:
        """Show a refusal or an input error in the status bar, as a sentence."""
        self.show_message.emit(text[:1].upper() + text[1:])

    def delete_selection(self) -> None:
        """Delete, Backspace, the context menu and the Edit menu: the selection goes, in one step."""
        nodes, edges, notes = self.selected_node_ids(), self.selected_edges(), self.annotations.selected_ids()
        if nodes or edges or notes:
            try:
                self.document.remove_nodes(nodes, edges, notes)
            except GraphError as e:
                self.say(str(e))

    def begin_gesture(self, gesture: Gesture, pos: QPointF) -> None:
        """Route the mouse to `gesture` until the release (or Escape), starting at `pos`."""
        self._gesture = gesture
        gesture.start(pos)

    # -- hit testing ------------------------------------------------------------------------

    def item_at(self, pos: QPointF):
        """The topmost item under `pos` (ports included)."""
        self._ports_near(pos)
        views = self.views()
        return self.itemAt(pos, views[0].transform() if views else QTransform())

    def items_at(self, pos: QPointF) -> list:
        """Every item under `pos`, topmost first."""
        self._ports_near(pos)
        views = self.views()
        return self.items(pos, Qt.IntersectsItemShape, Qt.DescendingOrder,
                          views[0].transform() if views else QTransform())

    def _ports_near(self, pos: QPointF) -> None:
        """Make the port items of the nodes around `pos` (nodes make them on first use), so
        that hovering and clicking find them."""
        r = PORT_HIT_RADIUS
        for item in self.items(QRectF(pos.x() - r, pos.y() - r, 2 * r, 2 * r), Qt.IntersectsItemBoundingRect):
            if isinstance(item, NodeItem):
                item.ports()

    # -- events ---------------------------------------------------------------------------

    def mousePressEvent(self, event) -> None:
        if self._gesture is not None:
            event.accept()
            return
        item = self.item_at(event.scenePos())
        if event.button() == Qt.LeftButton and isinstance(item, PortItem):
            self.begin_gesture(WireDrag(self, item), event.scenePos())
            event.accept()
            return
        super().mousePressEvent(event)  # selects; a note or an arrow begins its own drag there
        if event.button() == Qt.LeftButton and isinstance(item, NodeItem) and self._gesture is None:
            self.begin_gesture(NodeDrag(self, item), event.scenePos())

    def mouseMoveEvent(self, event) -> None:
        if self._gesture is not None:
            self._gesture.move(event.scenePos())
            event.accept()
        else:
            self._ports_near(event.scenePos())  # before Qt dispatches hover events to them
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        gesture, self._gesture = self._gesture, None
        if gesture is None:
            super().mouseReleaseEvent(event)
            return
        if gesture.selects:
            super().mouseReleaseEvent(event)  # lets a plain click narrow the selection
        gesture.finish(event.scenePos())
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:
        if event.button() != Qt.LeftButton:
            super().mouseDoubleClickEvent(event)
            return
        item = self.item_at(event.scenePos())
        if isinstance(item, OverlayLabel) and item.style == "value":
            self._edit_value(item.owner)
        elif isinstance(item, NodeItem) and self.document.is_instance(item.node_id):
            self.insides.toggle(item.node_id)
        elif isinstance(item, NodeItem):
            rename_inline(self, item.node_id)
        elif isinstance(item, InsideFrame):
            self.insides.double_clicked(item, event.scenePos())
        elif self.annotations.owns(item):
            super().mouseDoubleClickEvent(event)  # a note opens its editor
        elif item is None:
            open_node_search(self, event.scenePos())
        event.accept()

    def _edit_value(self, node_id: str) -> None:
        node = self.graph.node(node_id)
        try:
            self.document.check_param_value(node_id)
        except GraphError as e:
            self.say(str(e))
            return
        if node.kind is not NodeKind.OP:
            edit_value(self, node_id)
        else:
            self.show_message.emit(f"{node.label} is computed by {node.op}; edit its inputs instead")

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key_Delete, Qt.Key_Backspace) and self.focusItem() is None:
            self.delete_selection()
            event.accept()
        elif event.key() == Qt.Key_Escape and self._gesture is not None:
            self._gesture.cancel()
            self._gesture = None
            event.accept()
        elif event.key() == Qt.Key_Escape and self.focusItem() is None and self.insides.collapse_last():
            event.accept()
        else:
            super().keyPressEvent(event)

    def contextMenuEvent(self, event) -> None:
        context_menu(self, self.item_at(event.scenePos()), event.scenePos(), event.screenPos())
        event.accept()
