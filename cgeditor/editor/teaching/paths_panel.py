"""The paths dock: the selected node's gradient taken apart into paths from the output down.

Each row is one path with its product of local gradients; their sum is the node's gradient
(e = (a + b)(b + 1): 1·2 + 1·3 = 5).  Paths are counted by dynamic programming and at most
`LIMIT` listed, since their number can double at every fork.  Hovering a row asks the canvas to
highlight that path.  The paths are worked out while the panel is on screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from cgeditor.model.evaluate import OutputError
from cgeditor.model.graph import GraphError
from cgeditor.model.teaching.narration import Symbols, path_text, paths_sum_text
from cgeditor.model.numbers import format_count
from cgeditor.model.teaching.paths import LIMIT, Path, list_paths

from cgeditor.editor.panels.lazy_panel import RefreshWhenShown

ROW_PX = 16
PATH_ROLE = Qt.UserRole


class PathsPanel(RefreshWhenShown, QWidget):
    path_hovered = Signal(object)  # the Path under the mouse, or None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._document = None
        self._node: str | None = None
        self.heading = QLabel("Select a node to see the paths its gradient flows along.")
        self.heading.setWordWrap(True)
        self.list = QListWidget()
        self.list.setMouseTracking(True)
        self.list.setWordWrap(True)
        font = QFont()
        font.setPixelSize(ROW_PX)
        self.list.setFont(font)
        self.total = QLabel()
        self.total.setTextFormat(Qt.PlainText)  # document text, never markup
        self.total.setFont(font)
        self.total.setWordWrap(True)
        self.total.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.total)
        self.list.itemEntered.connect(self._entered)
        self.list.viewport().installEventFilter(self)

    def set_document(self, document) -> None:
        if self._document is not None:
            self._document.evaluated.disconnect(self.refresh_when_shown)
        self._document, self._node = document, None
        document.evaluated.connect(self.refresh_when_shown)
        self.refresh_when_shown()

    def set_node(self, node_id: str | None) -> None:
        self._node = node_id
        self.refresh_when_shown()

    def refresh(self) -> None:
        self.list.clear()
        self.total.clear()
        self.path_hovered.emit(None)
        doc, node = self._document, self._node
        if doc is None or node is None or node not in doc.graph:
            self.heading.setText("Select a node to see the paths its gradient flows along.")
            return
        graph, ev = doc.graph, doc.evaluation
        try:
            paths = list_paths(graph, ev, node, LIMIT)
        except (OutputError, GraphError) as e:
            self.heading.setText(f"No paths: {e}")
            return
        names = Symbols(graph)
        out, name = names[ev.output], names[node]
        if not paths.count:
            self.heading.setText(f"{name} does not feed {out}: no path, so ∂{out}/∂{name} = 0")
            return
        self.heading.setText(f"{format_count(paths.count)} path{'s' if paths.count != 1 else ''} "
                             f"from {out} down to {name}")
        for path in paths.listed:
            item = QListWidgetItem(path_text(graph, ev, path, names))
            item.setData(PATH_ROLE, path)
            self.list.addItem(item)
        if paths.unlisted:
            more = QListWidgetItem(f"and {format_count(paths.unlisted)} more")
            more.setFlags(Qt.NoItemFlags)
            self.list.addItem(more)
        self.total.setText(paths_sum_text(out, name, paths))

    def rows(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def path_at(self, row: int) -> Path | None:
        item = self.list.item(row)
        return item.data(PATH_ROLE) if item is not None else None

    def _entered(self, item: QListWidgetItem) -> None:
        self.path_hovered.emit(item.data(PATH_ROLE))

    def eventFilter(self, watched, event) -> bool:
        if event.type() == event.Type.Leave:
            self.path_hovered.emit(None)
        return False
