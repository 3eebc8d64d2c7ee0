"""The items of an instructor's annotations: notes (text on a soft yellow card) and arrows.

Like the graph's items they hold only what they draw; the scene's `AnnotationLayer` pushes each
note's or arrow's state into them and turns their mouse input into Document edits, so undo,
files and exported pictures follow by themselves.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (QBrush, QColor, QPainterPath, QPainterPathStroker, QPen, QPolygonF,
                           QTextOption)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem

from cgeditor.model.annotations import Arrow, Note
from cgeditor.model.escape import visible_lines

Z_NOTE, Z_ARROW = 5.0, 15.0  # notes under the nodes they sit beside, arrows over them
NOTE_WIDTH = 240.0  # scene units: text wraps here
NOTE_PADDING = 10.0
NOTE_TEXT_PX = 15  # as large as the overlay numbers, readable from the back of a room
NOTE_FILL, NOTE_BORDER, NOTE_TEXT = "#fff4b8", "#e2c044", "#3b3000"
ARROW_COLOR = "#e8590c"
ARROW_WIDTH = 4.0
ARROW_HEAD = 16.0  # length of the head
ARROW_HIT_WIDTH = 16.0
HANDLE_RADIUS = 7.0


class _DraggedByLayer:
    """Mouse presses select the item as usual; the drag that follows is a gesture the layer
    begins (one undo step), and the scene routes the mouse to it until the release."""

    layer: "object"

    def mousePressEvent(self, event) -> None:
        super().mousePressEvent(event)  # selection first
        if event.button() == Qt.LeftButton:
            self.layer.press(self, event.scenePos())


class NoteItem(_DraggedByLayer, QGraphicsItem):
    """A note: word-wrapped text on a card; the layer moves it and edits its text."""

    def __init__(self, note: Note, layer, font):
        super().__init__()
        self.layer = layer
        self.note = note
        self.setFlag(QGraphicsItem.ItemIsSelectable)
        self.setZValue(Z_NOTE)
        self.setCursor(Qt.OpenHandCursor)
        self.text_item = QGraphicsTextItem(self)
        self.text_item.setAcceptedMouseButtons(Qt.NoButton)  # the card takes the clicks
        self.text_item.setFont(font)
        self.text_item.setDefaultTextColor(QColor(NOTE_TEXT))
        self.text_item.setTextWidth(NOTE_WIDTH - 2 * NOTE_PADDING)
        option = self.text_item.document().defaultTextOption()
        option.setWrapMode(QTextOption.WrapAtWordBoundaryOrAnywhere)  # a long url still wraps
        self.text_item.document().setDefaultTextOption(option)
        self.text_item.setPos(NOTE_PADDING, NOTE_PADDING)
        self.set_note(note)

    @property
    def ann_id(self) -> str:
        return self.note.id

    def set_note(self, note: Note) -> None:
        self.note = note
        shown = visible_lines(note.text)  # a control would reach an exported SVG raw
        if self.text_item.toPlainText() != shown:
            self.prepareGeometryChange()
            self.text_item.setPlainText(shown)
        self.setPos(*note.pos)

    def boundingRect(self) -> QRectF:
        height = self.text_item.boundingRect().height() + 2 * NOTE_PADDING
        return QRectF(0, 0, NOTE_WIDTH, height)

    def paint(self, p, option, widget=None) -> None:
        rect = self.boundingRect().adjusted(1, 1, -1, -1)
        p.setBrush(QColor(NOTE_FILL))
        border = QColor("#2f80ed") if self.isSelected() else QColor(NOTE_BORDER)
        p.setPen(QPen(border, 2.0 if self.isSelected() else 1.2))
        p.drawRoundedRect(rect, 6, 6)

    def mouseDoubleClickEvent(self, event) -> None:
        if event.button() == Qt.LeftButton:
            self.layer.edit_note(self.ann_id)
        event.accept()


class ArrowItem(_DraggedByLayer, QGraphicsItem):
    """A thick arrow with a head at its end; a handle at each end drags that end alone."""

    def __init__(self, arrow: Arrow, layer):
        super().__init__()
        self.layer = layer
        self.arrow = arrow
        self.setFlag(QGraphicsItem.ItemIsSelectable)
        self.setZValue(Z_ARROW)
        self.setCursor(Qt.OpenHandCursor)
        self.setAcceptHoverEvents(True)
        self._hovered = False
        self.handles = (ArrowHandle(self, 0), ArrowHandle(self, 1))
        self._line = QPainterPath()
        self._head = QPolygonF()
        self.set_arrow(arrow)

    @property
    def ann_id(self) -> str:
        return self.arrow.id

    def set_arrow(self, arrow: Arrow) -> None:
        self.prepareGeometryChange()
        self.arrow = arrow
        (x0, y0), (x1, y1) = arrow.start, arrow.end
        length = math.hypot(x1 - x0, y1 - y0)
        ux, uy = ((x1 - x0) / length, (y1 - y0) / length) if length else (1.0, 0.0)
        head = min(ARROW_HEAD, max(length, 1.0))
        bx, by = x1 - ux * head, y1 - uy * head  # the head's base, where the shaft stops
        half = head * 0.5
        self._head = QPolygonF([QPointF(x1, y1), QPointF(bx - uy * half, by + ux * half),
                                QPointF(bx + uy * half, by - ux * half)])
        self._line = QPainterPath(QPointF(x0, y0))
        self._line.lineTo(bx, by)
        for handle, (x, y) in zip(self.handles, arrow.points):
            handle.setPos(x, y)
        self.update()

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(ARROW_HIT_WIDTH)
        path = stroker.createStroke(self._line)
        path.addPolygon(self._head)
        return path

    def boundingRect(self) -> QRectF:
        pad = ARROW_HIT_WIDTH
        return self._line.boundingRect().united(self._head.boundingRect()).adjusted(-pad, -pad, pad, pad)

    def paint(self, p, option, widget=None) -> None:
        color = QColor("#2f80ed") if self.isSelected() else QColor(ARROW_COLOR)
        p.setPen(QPen(color, ARROW_WIDTH, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
        p.setBrush(Qt.NoBrush)
        p.drawPath(self._line)
        p.setPen(QPen(color, 1.0, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
        p.setBrush(QBrush(color))
        p.drawPolygon(self._head)

    def handles_shown(self) -> bool:
        return self.isSelected() or self._hovered

    def hoverEnterEvent(self, event) -> None:
        self._hovered = True
        for handle in self.handles:
            handle.update()

    def hoverLeaveEvent(self, event) -> None:
        self._hovered = False
        for handle in self.handles:
            handle.update()

    def itemChange(self, change, value):
        if change == QGraphicsItem.ItemSelectedHasChanged:
            for handle in self.handles:
                handle.update()
        return super().itemChange(change, value)


class ArrowHandle(QGraphicsItem):
    """One end of an arrow: always a mouse target, drawn as a ring while the arrow is selected
    or hovered."""

    def __init__(self, arrow: ArrowItem, end: int):
        super().__init__(arrow)
        self.end = end  # 0: the tail (start), 1: the head (end)
        self.setCursor(Qt.CrossCursor)
        self.setAcceptHoverEvents(True)

    def boundingRect(self) -> QRectF:
        r = HANDLE_RADIUS + 1
        return QRectF(-r, -r, 2 * r, 2 * r)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), HANDLE_RADIUS, HANDLE_RADIUS)
        return path

    def paint(self, p, option, widget=None) -> None:
        if not self.parentItem().handles_shown():
            return
        p.setBrush(QColor("#ffffff"))
        p.setPen(QPen(QColor("#2f80ed"), 2.0))
        p.drawEllipse(QPointF(0, 0), HANDLE_RADIUS - 1.5, HANDLE_RADIUS - 1.5)

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.LeftButton:
            event.ignore()
            return
        arrow = self.parentItem()
        if not arrow.isSelected():
            if not event.modifiers() & Qt.ControlModifier:
                arrow.scene().clearSelection()
            arrow.setSelected(True)
        self.layer().press(arrow, event.scenePos(), self.end)

    def layer(self):
        return self.parentItem().layer


ANNOTATION_ITEMS = (NoteItem, ArrowItem)


def annotation_owner(item) -> NoteItem | ArrowItem | None:
    """The note or arrow `item` belongs to (itself, a note's text, an arrow's handle), or None."""
    while item is not None:
        if isinstance(item, ANNOTATION_ITEMS):
            return item
        item = item.parentItem()
    return None
