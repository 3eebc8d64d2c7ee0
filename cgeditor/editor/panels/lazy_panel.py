"""Dock panels that follow the document only while they are on screen.

A panel tabbed behind another one, or closed, would otherwise redo its work after every edit
for nobody to see (on a 10,000-node graph, more than the edit itself costs); it catches up the
moment it is shown again.
"""

from __future__ import annotations


class RefreshWhenShown:
    """Mixin for a QWidget with a `refresh()` method: call `refresh_when_shown()` when its
    content may have changed, and `follow_dock()` with the dock it sits in."""

    _dock_shows: bool | None = None  # what the dock last said (a tab behind another: False)
    _behind = False  # something changed while the panel was not on screen

    def follow_dock(self, dock) -> None:
        """Qt keeps a dock tabbed behind another "visible" (moved out of sight), so only the
        dock's own signal tells whether the panel can be seen.  Until it speaks, a dock not yet
        on screen counts as hidden: a window's first show would otherwise refresh every panel,
        those tabbed out of sight included (a fifth of opening a 10,000-node file)."""
        self._dock_shows = dock.isVisible() and not dock.visibleRegion().isEmpty()
        dock.visibilityChanged.connect(self._dock_visibility_changed)

    def on_screen(self) -> bool:
        return self.isVisible() and self._dock_shows is not False

    def refresh_when_shown(self) -> None:
        self._behind = True
        self._catch_up()

    def _catch_up(self) -> None:
        if self._behind and self.on_screen():
            self._behind = False
            self.refresh()

    def _dock_visibility_changed(self, shown: bool) -> None:
        self._dock_shows = shown
        self._catch_up()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._catch_up()
