"""Quiz mode: chosen gradients (or all) read "?" until a click on the node reveals them, so
students can work the answer out first."""

from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import QObject, Signal


class Quiz(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._hidden: frozenset[str] = frozenset()

    @property
    def hidden(self) -> frozenset[str]:
        return self._hidden

    def is_active(self) -> bool:
        return bool(self._hidden)

    def hide(self, node_ids: Iterable[str]) -> None:
        self._set(self._hidden | set(node_ids))

    def reveal(self, node_id: str) -> bool:
        """Show one hidden gradient; False if it was not hidden."""
        if node_id not in self._hidden:
            return False
        self._set(self._hidden - {node_id})
        return True

    def clear(self) -> None:
        self._set(frozenset())

    def _set(self, hidden) -> None:
        hidden = frozenset(hidden)
        if hidden != self._hidden:
            self._hidden = hidden
            self.changed.emit()
