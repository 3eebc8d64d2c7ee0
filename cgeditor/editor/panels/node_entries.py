"""The entries the palette and the node search offer: every op of the registry plus Variable and
Constant, and the document's blocks, ranked against typed text, each with a miniature of its node
as icon.

Entries are generated from `cgeditor.model.ops.OPS` and the document's `BlockLibrary`, so a new
op or block appears in both without touching either.  A palette drag carries an entry's key under `NODE_MIME`, which the canvas view reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from cgeditor.model.blocks import BLOCK_CATEGORY, BlockLibrary
from cgeditor.model.ops import OPS
from cgeditor.editor.canvas.theme import DEFAULT_THEME, Theme

NODE_MIME = "application/x-cgeditor-node"
KEY_ROLE = Qt.UserRole + 1  # item data role holding an entry's key, in the palette and the search list


@dataclass(frozen=True)
class Entry:
    key: str  # "variable", "constant", an op's or a block's name
    title: str
    symbol: str
    category: str
    keywords: str  # lower-case words a search matches
    short_title: str = ""  # the palette's name for it when the title is too long for a dock

    @property
    def palette_title(self) -> str:
        return self.short_title or self.title

    def rank(self, text: str) -> int | None:
        """How well `text` matches: 0 exact, 1 prefix, 2 anywhere, None not at all."""
        text = text.strip().lower()
        if not text:
            return 2
        words = [self.key, self.title.lower(), self.symbol.lower()]
        if text in words:
            return 0
        if any(w.startswith(text) for w in words + self.keywords.split()):
            return 1
        return 2 if text in self.keywords else None


def node_entries(blocks: BlockLibrary | None = None) -> list[Entry]:
    entries = [Entry("variable", "Variable", "x", "inputs", "variable input leaf parameter"),
               Entry("constant", "Constant", "c", "inputs", "constant number literal fixed")]
    for op in OPS.values():
        words = " ".join([op.name, op.title.lower(), op.symbol.lower(), *op.aliases, op.infix or ""])
        entries.append(Entry(op.name, op.title, op.symbol, op.category, words, op.short_title))
    return entries + block_entries(blocks)


def block_entries(blocks: BlockLibrary | None) -> list[Entry]:
    """One entry per block of the document, in definition order; a block's icon shows ƒ, the
    palette its name, and the tooltip and search its parameters (`name(x1, x2, ...)` is too
    wide for the dock)."""
    return [Entry(b.name, f"{b.name}({', '.join(b.params)})", "ƒ", BLOCK_CATEGORY,
                  f"{b.name.lower()} block function {' '.join(b.params).lower()}", b.name) for b in blocks or ()]


def search(entries: list[Entry], text: str) -> list[Entry]:
    """Matching entries, best matches first, palette order within a rank."""
    ranked = [(r, i, e) for i, e in enumerate(entries) if (r := e.rank(text)) is not None]
    return [e for _, _, e in sorted(ranked, key=lambda t: (t[0], t[1]))]


def entry_icon(entry: Entry, theme: Theme = DEFAULT_THEME, size: QSize = QSize(40, 24)) -> QIcon:
    """A miniature of the node: ellipse, pill or rounded box with the symbol inside."""
    ratio = 2.0
    pix = QPixmap(size * ratio)
    pix.setDevicePixelRatio(ratio)
    pix.fill(Qt.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.Antialiasing)
    r = QRectF(1.5, 2.5, size.width() - 3, size.height() - 5)
    path = QPainterPath()
    if entry.key == "variable":
        path.addEllipse(r)
        p.setBrush(theme.color("variable_fill"))
        pen = QPen(theme.color("variable_border"), 1.3)
    elif entry.key == "constant":
        path.addRoundedRect(r, r.height() / 2, r.height() / 2)
        p.setBrush(theme.color("constant_fill"))
        pen = QPen(theme.color("constant_border"), 1.2, Qt.DashLine)
    else:
        path.addRoundedRect(r, 5, 5)
        p.setBrush(theme.color("node_fill"))
        pen = QPen(theme.color("node_border"), 1.2)
    p.setPen(pen)
    p.drawPath(path)
    font = theme.font(12 if len(entry.symbol) <= 2 else 9, bold=entry.key in ("variable", "constant"))
    p.setFont(font)
    p.setPen(QColor(theme.text))
    p.drawText(r, Qt.AlignCenter, entry.symbol)
    p.end()
    return QIcon(pix)
