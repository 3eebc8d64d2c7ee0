"""The gradient chart dock: one bar per variable, as long as |d output / d variable|.

It shows at a glance which inputs the output is most sensitive to, and follows every edit
while it is on screen.  Painted directly with QPainter (no plotting library).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from cgeditor.model.graph import NodeKind
from cgeditor.model.numbers import format_compact

from cgeditor.editor.panels.lazy_panel import RefreshWhenShown

ROW_H = 26
TEXT_PX = 14
BAR_COLOR = "#e8590c"
NONFINITE_COLOR = "#c92a2a"


class GradientChart(RefreshWhenShown, QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._document = None
        self._rows: list[tuple[str, float]] = []  # (label, d output / d variable)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)

    def set_document(self, document) -> None:
        if self._document is not None:
            self._document.evaluated.disconnect(self.refresh_when_shown)
        self._document = document
        document.evaluated.connect(self.refresh_when_shown)
        self.refresh_when_shown()

    def rows(self) -> list[tuple[str, float]]:
        """(variable label, gradient) in document order, as drawn."""
        return list(self._rows)

    def refresh(self) -> None:
        doc = self._document
        grads = doc.evaluation.grads
        self._rows = [(n.label, grads[n.id]) for n in doc.graph
                      if n.kind is NodeKind.VARIABLE and n.id in grads]
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(260, max(3, len(self._rows)) * ROW_H + 16)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 3 * ROW_H)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        font = QFont()
        font.setPixelSize(TEXT_PX)
        p.setFont(font)
        metrics = QFontMetricsF(font)
        if not self._rows:
            p.setPen(QColor("#6b7280"))
            p.drawText(QRectF(self.rect()), Qt.AlignCenter | Qt.TextWordWrap,
                       "No gradients: the graph needs an output and variables")
            return
        widest = max(metrics.horizontalAdvance(label) for label, _ in self._rows)
        names_w = min(widest + 8, self.width() * 0.35)
        numbers_w = max(metrics.horizontalAdvance(format_compact(g)) for _, g in self._rows) + 8
        finite = [abs(g) for _, g in self._rows if math.isfinite(g)]
        top = max(finite, default=0.0) or 1.0
        bar_w = max(self.width() - names_w - numbers_w - 16, 10.0)
        for i, (label, grad) in enumerate(self._rows):
            y = 8 + i * ROW_H
            p.setPen(QColor("#1f2430"))
            name = metrics.elidedText(label, Qt.ElideRight, names_w - 8)
            p.drawText(QRectF(8, y, names_w - 8, ROW_H), Qt.AlignRight | Qt.AlignVCenter, name)
            ok = math.isfinite(grad)
            length = bar_w * abs(grad) / top if ok else bar_w
            p.setPen(Qt.NoPen)
            p.setBrush(QColor(BAR_COLOR if ok else NONFINITE_COLOR))
            p.drawRoundedRect(QRectF(names_w + 4, y + 5, max(length, 1.0), ROW_H - 10), 3, 3)
            p.setPen(QColor("#1f2430"))
            p.drawText(QRectF(names_w + 8 + length, y, numbers_w, ROW_H), Qt.AlignLeft | Qt.AlignVCenter,
                       format_compact(grad))
