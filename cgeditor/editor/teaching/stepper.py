"""The step-through controller: Next, Previous, Play/Pause, Reset and a speed, over a `Walk`.

It rebuilds its walk from the document's latest evaluation, so what it narrates is always what
the canvas computed.  Every evaluation (an edit that can change a value or a gradient) restarts
the walk at the forward pass (an old position would narrate numbers that no longer exist),
keeping the mode; a rename, never evaluated, only rewrites the narration in place.  The walk
steps into the instances expanded on the canvas (`set_expanded`): it goes over the graph with
their insides written out (model/teaching/expanded.py), and goes on where it stood when one is
expanded or collapsed mid-way.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from cgeditor.model.graph import Change, GraphError, LabelChanged

from cgeditor.model.teaching.expanded import ExpandedView, Split, carried_position
from cgeditor.model.teaching.view_state import TeachingState
from cgeditor.model.teaching.walk import MODES, Walk, WalkError

DEFAULT_SPEED = 1.0  # steps per second while playing
MIN_SPEED, MAX_SPEED = 0.25, 8.0


class StepThrough(QObject):
    changed = Signal()  # position, mode, walk or playing changed: read .state()

    def __init__(self, document, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self._mode = "backward"
        self._wrt: str | None = None
        self._constants = False  # gradients with respect to number literals are skipped
        self._position = 0
        self._walk: Walk | None = None
        self._expanded: tuple[str, ...] = ()  # the instances the walk steps into
        self._view: ExpandedView | None = None  # the graph walked, with those written out
        self._problem: str | None = None
        self._stale = True  # the walk is built when first needed: most evaluations are not taught
        self._speed = DEFAULT_SPEED
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.setInterval(self._interval())
        document.evaluated.connect(self._on_evaluated)
        document.graph.subscribe(self._on_graph_change)

    def detach(self) -> None:
        """Stop following the document (before it is replaced)."""
        self._timer.stop()
        self.document.evaluated.disconnect(self._on_evaluated)
        self.document.graph.unsubscribe(self._on_graph_change)

    # -- what is shown -----------------------------------------------------------------

    @property
    def mode(self) -> str:
        return self._mode

    @property
    def wrt(self) -> str | None:
        return self._wrt

    @property
    def position(self) -> int:
        return self._position

    @property
    def problem(self) -> str | None:
        """Why there is no walk, in one line (None when there is one)."""
        self._ensure_walk()
        return self._problem

    def count(self) -> int:
        walk = self._ensure_walk()
        return len(walk) if walk is not None else 0

    def state(self, hidden: frozenset[str] = frozenset()) -> TeachingState | None:
        walk = self._ensure_walk()
        return walk.state(self._position, self._view.hidden(hidden)) if walk is not None else None

    def split(self, state: TeachingState) -> Split:
        """`state` (of this walk) as the canvas and each expanded instance's frame show it."""
        self._ensure_walk()
        return self._view.split(state) if self._view is not None else Split(state, {})

    # -- choosing ----------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
        if mode != self._mode:
            self._mode = mode
            self._restart()

    def set_wrt(self, node_id: str | None) -> None:
        """The input forward mode differentiates by."""
        if node_id != self._wrt:
            self._wrt = node_id
            if self._mode == "forward_mode":
                self._restart()

    def set_constants(self, on: bool) -> None:
        """Whether the walk also steps through gradients with respect to constants."""
        if on != self._constants:
            self._constants = on
            self._restart()

    def set_expanded(self, paths) -> None:
        """Step into the instances at `paths` ("h1", "h1/n2"), each other one being one step;
        a walk under way goes on where the canvas showed as much (carried_position)."""
        paths = tuple(paths)
        if paths == self._expanded:
            return
        old = None if self._stale or self._walk is None else (self._view, self._walk, self._position)
        self._expanded = paths
        self._stale = True
        walk = self._ensure_walk()
        if old is not None and walk is not None:
            self._position = carried_position(*old, self._view, walk)
        self.changed.emit()

    # -- stepping ----------------------------------------------------------------------

    def next(self) -> bool:
        """One step on; False (and playing stops) at the end."""
        if self._position + 1 >= self.count():
            self.pause()
            return False
        self._position += 1
        self.changed.emit()
        return True

    def previous(self) -> bool:
        if self._position <= 0:
            return False
        self._position -= 1
        self.changed.emit()
        return True

    def reset(self) -> None:
        self.pause()
        self._position = 0
        self.changed.emit()

    def end(self) -> None:
        """Jump to the last step: every gradient in place."""
        self.pause()
        self.go_to(self.count() - 1)

    def go_to(self, position: int) -> None:
        self._position = max(0, min(position, self.count() - 1))
        self.changed.emit()

    def is_playing(self) -> bool:
        return self._timer.isActive()

    def play(self) -> None:
        if self._ensure_walk() is None or self.is_playing():
            return
        if self._position + 1 >= self.count():
            self._position = 0  # playing from the end starts over
        self._timer.start()
        self.changed.emit()

    def pause(self) -> None:
        if self.is_playing():
            self._timer.stop()
            self.changed.emit()

    def toggle_play(self) -> None:
        self.pause() if self.is_playing() else self.play()

    @property
    def speed(self) -> float:
        return self._speed

    def set_speed(self, steps_per_second: float) -> None:
        self._speed = max(MIN_SPEED, min(MAX_SPEED, float(steps_per_second)))
        self._timer.setInterval(self._interval())

    def _interval(self) -> int:
        return round(1000 / self._speed)

    def _tick(self) -> None:
        self.next()

    # -- following the document --------------------------------------------------------

    def _on_evaluated(self) -> None:
        # The document evaluates only after edits that can change numbers; checking whether any
        # did would mean comparing every value and gradient, dearer than the evaluation itself.
        self._restart()

    def _on_graph_change(self, change: Change) -> None:
        if isinstance(change, LabelChanged):  # same numbers, new names: stay where we are
            self._stale = True
            self.changed.emit()

    def _restart(self) -> None:
        self._position = 0
        self._stale = True
        self.changed.emit()

    def _ensure_walk(self) -> Walk | None:
        """The walk for the current evaluation, built now if it is out of date."""
        if self._stale:
            self._stale = False
            try:
                self._view = ExpandedView(self.document.graph, self.document.evaluation, self._expanded)
                self._walk = Walk(self._view.graph, self._view.evaluation, self._mode, self._wrt,
                                  self._constants)
                self._problem = None
            except (WalkError, GraphError) as e:
                self._walk, self._view, self._problem = None, None, str(e)
                self._timer.stop()
            self._position = min(self._position, max(len(self._walk) - 1, 0) if self._walk else 0)
        return self._walk
