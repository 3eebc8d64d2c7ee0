"""A palette and a view on one document in a window, driven with real mouse and keyboard
input: the test verbs GUI tests build graphs with."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from cgeditor.editor.document.document import Document
from cgeditor.editor.panels.palette import PaletteWidget
from cgeditor.editor.canvas.scene import GraphScene
from cgeditor.editor.canvas.view import GraphView


class Canvas:
    """A palette and a view on one document, shown in a window, with gestures as test verbs."""

    def __init__(self, qtbot, document: Document):
        self.qtbot = qtbot
        self.document = document
        self.window = QWidget()
        document.setParent(self.window)  # Qt deletes document, scene and widgets together
        self.scene = GraphScene(document, parent=document)
        self.view = GraphView(self.scene)
        self.palette = PaletteWidget(self.view)
        layout = QHBoxLayout(self.window)
        layout.addWidget(self.palette, 1)
        layout.addWidget(self.view, 4)
        qtbot.addWidget(self.window)
        self.window.resize(1200, 800)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.view.setTransform(self.view.transform().fromScale(1, 1))
        self.view.centerOn(250, 60)
        self.messages: list[str] = []
        self.scene.show_message.connect(self.messages.append)

    @property
    def graph(self):
        return self.document.graph

    def at(self, scene_pos) -> QPoint:
        x, y = scene_pos if isinstance(scene_pos, tuple) else (scene_pos.x(), scene_pos.y())
        return self.view.mapFromScene(QPointF(x, y))

    def drop_from_palette(self, key: str, scene_pos) -> str:
        """What a drag from the palette entry `key` ends with: enter, move, drop on the viewport."""
        before = set(self.graph.nodes)
        data: QMimeData = self.palette.mime_data(key)
        pos = QPointF(self.at(scene_pos))
        target = self.view.viewport()
        for event in (QDragEnterEvent(pos.toPoint(), Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier),
                      QDragMoveEvent(pos.toPoint(), Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier),
                      QDropEvent(pos, Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier)):
            QApplication.sendEvent(target, event)
        (new,) = set(self.graph.nodes) - before
        return new

    def port_pos(self, node_id: str, port: int | None):
        item = self.scene.node_item(node_id)
        p = item.output_port() if port is None else item.input_port(port)
        return p.scenePos()

    def drag(self, start: QPoint, end_scene, steps: int = 4) -> None:
        """Press at `start`, move in steps to `end_scene` (a scene point, or a callable giving
        one, read after the press), release there."""
        vp = self.view.viewport()
        self.qtbot.mousePress(vp, Qt.LeftButton, pos=start)
        end = self.at(end_scene() if callable(end_scene) else end_scene)
        for i in range(1, steps + 1):
            p = start + (end - start) * (i / steps)
            self.qtbot.mouseMove(vp, p)
        self.qtbot.mouseRelease(vp, Qt.LeftButton, pos=end)

    def wire(self, source: str, target: str, port: int) -> None:
        """Drag from `source`'s output port to `target`'s input `port`."""
        self.drag(self.at(self.port_pos(source, None)), lambda: self.port_pos(target, port))

    def double_click(self, scene_pos) -> None:
        self.qtbot.mouseDClick(self.view.viewport(), Qt.LeftButton, pos=self.at(scene_pos))

    def type_into_editor(self, text: str) -> None:
        editor = self.scene.inline_editor
        assert editor is not None and editor.isVisible()
        editor.selectAll()
        self.qtbot.keyClicks(editor, text)
        self.qtbot.keyClick(editor, Qt.Key_Return)

    def set_value(self, node_id: str, text: str) -> None:
        self.wait_evaluated()
        label = self.scene.value_label(node_id)
        self.double_click(label.sceneBoundingRect().center())
        self.type_into_editor(text)

    def rename(self, node_id: str, text: str) -> None:
        self.wait_evaluated()
        self.double_click(self.scene.node_item(node_id).sceneBoundingRect().center())
        self.type_into_editor(text)

    def wait_evaluated(self) -> None:
        """Flush the pending evaluation, then wait until the labels have settled."""
        self.document.evaluate_now()
        self.qtbot.waitUntil(lambda: not self.scene.placement_pending())

    def node_by_label(self, label: str) -> str:
        (node_id,) = [n.id for n in self.graph if n.label == label]
        return node_id


def context_menu_choose(canvas, scene_pos, action_text):
    """Open the canvas context menu at `scene_pos` and pick `action_text` from it (the menu runs
    its own event loop, so the choice is made from a timer)."""
    chosen = []

    def pick():
        menu = QApplication.activePopupWidget()
        if menu is None:
            QTimer.singleShot(5, pick)
            return
        chosen.extend(a.text() for a in menu.actions())
        (action,) = [a for a in menu.actions() if a.text() == action_text]
        menu.close()
        action.trigger()

    QTimer.singleShot(0, pick)
    vp = canvas.view.viewport()
    pos = canvas.at(scene_pos)
    QApplication.sendEvent(vp, QContextMenuEvent(QContextMenuEvent.Mouse, pos, vp.mapToGlobal(pos)))
    return chosen
