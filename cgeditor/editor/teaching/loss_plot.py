"""The loss-versus-step plot of a gradient-descent run, painted with QPainter."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from cgeditor.model.numbers import format_compact

LINE_COLOR = "#1971c2"


class LossPlot(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._losses: list[float] = []
        self.setMinimumHeight(120)

    def set_losses(self, losses: list[float]) -> None:
        self._losses = list(losses)
        self.update()

    def losses(self) -> list[float]:
        return list(self._losses)

    def sizeHint(self) -> QSize:
        return QSize(260, 150)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        font = QFont()
        font.setPixelSize(12)
        p.setFont(font)
        finite = [x for x in self._losses if math.isfinite(x)]
        plot = QRectF(self.rect()).adjusted(56, 10, -10, -22)
        p.setPen(QPen(QColor("#9aa1ad"), 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        p.drawLine(plot.bottomLeft(), plot.topLeft())
        p.setPen(QColor("#4b5563"))
        if not finite:
            p.drawText(plot, Qt.AlignCenter, "loss per step appears here")
            return
        low, high = min(finite), max(finite)
        span = (high - low) or 1.0
        n = max(len(self._losses) - 1, 1)
        p.drawText(QRectF(0, plot.top() - 6, 52, 14), Qt.AlignRight, format_compact(high))
        p.drawText(QRectF(0, plot.bottom() - 8, 52, 14), Qt.AlignRight, format_compact(low))
        p.drawText(QRectF(plot.left(), plot.bottom() + 4, plot.width(), 16), Qt.AlignCenter,
                   f"step (0–{len(self._losses) - 1})")
        points = QPolygonF([QPointF(plot.left() + plot.width() * k / n,
                                    plot.bottom() - plot.height() * (x - low) / span)
                            for k, x in enumerate(self._losses) if math.isfinite(x)])
        p.setPen(QPen(QColor(LINE_COLOR), 2))
        p.drawPolyline(points)
        p.setBrush(QColor(LINE_COLOR))
        for point in points:
            p.drawEllipse(point, 2.5, 2.5)
