"""A scene's activation: its window's first activation does not visit every item (Qt sorts them
all for it: a second on a 100,000-node graph), and the scene is active exactly while a window
showing it is."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF
from PySide6.QtWidgets import QApplication, QGraphicsItem

from cgeditor.editor.canvas.scene import GraphScene
from cgeditor.editor.canvas.view import GraphView
from cgeditor.editor.document.document import Document

from helpers.graph_builders import pairs


class Listening(QGraphicsItem):
    """An item that notes the activation events it is sent."""

    def __init__(self):
        super().__init__()
        self.heard: list[QEvent.Type] = []

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, 1, 1)

    def paint(self, p, option, widget=None) -> None:
        pass

    def sceneEvent(self, event) -> bool:
        if event.type() in (QEvent.WindowActivate, QEvent.WindowDeactivate):
            self.heard.append(event.type())
        return super().sceneEvent(event)


def test_the_first_activation_spares_the_items_and_the_scene_is_active_while_its_window_is(qtbot):
    document = Document(pairs(20))
    scene = GraphScene(document, parent=document)
    listening = Listening()
    scene.addItem(listening)
    view = GraphView(scene)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    assert scene.isActive() and listening.heard == []

    QApplication.sendEvent(scene, QEvent(QEvent.WindowDeactivate))  # as the view does when its window is left
    assert not scene.isActive() and listening.heard == [QEvent.WindowDeactivate]
    QApplication.sendEvent(scene, QEvent(QEvent.WindowActivate))
    assert scene.isActive() and listening.heard == [QEvent.WindowDeactivate, QEvent.WindowActivate]
