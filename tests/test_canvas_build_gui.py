"""Build L = (x + x·y)² from an empty document with the palette, the mouse and the keyboard,
then read the forward values and gradients off the overlay labels.

Palette drags are delivered as the drop events a real drag ends with, carrying the palette's
own mime data: QDrag.exec blocks under the offscreen platform, so the drag itself cannot run.
Everything else is real mouse and keyboard input on the real widgets.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from cgeditor.editor.document.document import Document
from cgeditor.editor.panels.palette import PaletteWidget
from cgeditor.editor.canvas.scene import GraphScene
from cgeditor.editor.canvas.view import GraphView
from cgeditor.model.graph import Edge


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


@pytest.fixture
def canvas(qtbot):
    return Canvas(qtbot, Document())


def build_l(canvas: Canvas) -> dict[str, str]:
    ids = {
        "x": canvas.drop_from_palette("variable", (0, 0)),
        "y": canvas.drop_from_palette("variable", (0, 140)),
        "z1": canvas.drop_from_palette("mul", (180, 140)),
        "z2": canvas.drop_from_palette("add", (360, 60)),
        "L": canvas.drop_from_palette("square", (540, 60)),
    }
    for name in ("y", "z1", "z2", "L"):
        canvas.rename(ids[name], name)
    canvas.wire(ids["x"], ids["z1"], 0)
    canvas.wire(ids["y"], ids["z1"], 1)
    canvas.wire(ids["x"], ids["z2"], 0)
    canvas.wire(ids["z1"], ids["z2"], 1)
    canvas.wire(ids["z2"], ids["L"], 0)
    canvas.wait_evaluated()
    canvas.set_value(ids["x"], "2")
    canvas.set_value(ids["y"], "3")
    canvas.wait_evaluated()
    return ids


def test_building_l_with_mouse_and_keyboard_shows_its_values_and_gradients(canvas):
    ids = build_l(canvas)
    scene = canvas.scene
    assert {n.label for n in canvas.graph} == {"x", "y", "z1", "z2", "L"}
    assert len(canvas.graph.edges) == 5
    canvas.qtbot.waitUntil(lambda: scene.value_label(ids["L"]).text() == "64")
    assert scene.grad_label(ids["x"]).text() == "∂ 64"
    assert scene.grad_label(ids["y"]).text() == "∂ 32"
    assert scene.edge_label(Edge(ids["x"], ids["z1"], 0)).text() == "∂ 3"
    assert scene.value_label(ids["z1"]).text() == "6"
    assert scene.node_item(ids["L"]).is_output()


def test_renaming_by_double_click_changes_the_label_only(canvas):
    node_id = canvas.drop_from_palette("variable", (0, 0))
    canvas.rename(node_id, "weight")
    assert canvas.graph.node(node_id).label == "weight"
    assert canvas.scene.node_item(node_id).label == "weight"


def test_dropping_a_palette_entry_creates_that_node_at_the_drop_point(canvas):
    node_id = canvas.drop_from_palette("sigmoid", (100, 40))
    node = canvas.graph.node(node_id)
    assert node.op == "sigmoid"
    assert abs(node.pos[0] - 100) <= 1 and abs(node.pos[1] - 40) <= 1


def test_palette_enter_adds_the_filtered_entry_at_the_view_centre(canvas):
    canvas.qtbot.keyClicks(canvas.palette.filter_edit, "tanh")
    canvas.qtbot.keyClick(canvas.palette.filter_edit, Qt.Key_Return)
    (node,) = canvas.graph
    assert node.op == "tanh"
    centre = canvas.view.mapToScene(canvas.view.viewport().rect().center())
    assert abs(node.pos[0] - centre.x()) <= 1 and abs(node.pos[1] - centre.y()) <= 1


def test_palette_filter_hides_entries_that_do_not_match(canvas):
    canvas.qtbot.keyClicks(canvas.palette.filter_edit, "sig")
    assert canvas.palette.visible_keys() == ["sigmoid"]


def test_palette_lists_every_op_of_the_registry_plus_variable_and_constant(canvas):
    from cgeditor.model.ops import OPS
    assert set(canvas.palette.visible_keys()) == {"variable", "constant", *OPS}
