"""The overlay labels: each node's value and gradient and each edge's local gradient.

One owner for the evaluation-to-labels work: the labels are made when first needed, shown as the
overlay toggles and a teaching walk say, filled in from the latest evaluation (only those in view
on a large graph, so one edit costs what the screen shows) and kept placed by `LabelLayout`.
The scene tells it what changed (items touched, owners removed, a new evaluation) and the view
what it shows; its `LabelLayout` reads the label stores it owns.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF

from cgeditor.model.graph import Edge
from cgeditor.editor.canvas.items import OverlayLabel
from cgeditor.editor.canvas.label_layout import REACH, LabelLayout

OVERLAYS = ("values", "grads", "edge_grads")


class _Labels(dict):
    """One kind of overlay label by owner, each made when first looked up: a large graph
    places (and so needs) only the labels that come into view, not tens of thousands up front.
    `get`, `in` and iteration see only the labels made so far."""

    def __init__(self, make):
        super().__init__()
        self._make = make

    def __missing__(self, owner) -> OverlayLabel:
        label = self[owner] = self._make(owner)
        return label


class OverlayLabels:
    def __init__(self, scene):
        self.scene = scene
        self.nodes, self.edges = scene.items_by_node, scene.items_by_edge  # read-only views
        self.values = _Labels(lambda owner: self._new_label("value", owner))
        self.grads = _Labels(lambda owner: self._new_label("grad", owner))
        self.edge_grads = _Labels(lambda owner: self._new_label("edge_grad", owner))
        self._visible = dict.fromkeys(OVERLAYS, True)
        self._has_output = True  # whether the last evaluation had an output (node gradients shown)
        self._out_label: str | None = None  # the output's label, named by gradient tooltips
        self._serial = 0  # labels showing the latest evaluation carry this number
        self._teaching = None  # a TeachingState: what a step-through or quiz has revealed so far
        self.layout = LabelLayout(scene, self)

    # -- reading ---------------------------------------------------------------------------

    def value_label(self, node_id: str) -> OverlayLabel | None:
        return self.values[node_id] if node_id in self.nodes else None

    def grad_label(self, node_id: str) -> OverlayLabel | None:
        return self.grads[node_id] if node_id in self.nodes else None

    def edge_label(self, edge: Edge) -> OverlayLabel | None:
        return self.edge_grads[edge] if edge in self.edges else None

    def made(self) -> list[OverlayLabel]:
        """The labels made so far: every label once placed; on a large graph, those that came
        into view (the others would be hidden anyway)."""
        return [*self.values.values(), *self.grads.values(), *self.edge_grads.values()]

    def labels_of(self, owner, make: bool = True) -> list[OverlayLabel]:
        """The labels of `owner` (a node id or an edge); without `make`, only those already made."""
        return [store[owner] for store in self._stores(owner) if make or owner in store]

    def _stores(self, owner) -> tuple[_Labels, ...]:
        return (self.edge_grads,) if isinstance(owner, Edge) else (self.values, self.grads)

    def wanted(self, label: OverlayLabel) -> bool:
        """Whether the overlay toggles ask for `label`."""
        if label.style == "value":
            return self._visible["values"]
        if label.style == "grad":
            return self._visible["grads"] and self._has_output  # gradients need an output
        return self._visible["edge_grads"]

    def visible(self, kind: str) -> bool:
        return self._visible[kind]

    # -- what the scene tells it -----------------------------------------------------------------

    def set_visible(self, kind: str, visible: bool) -> None:
        if kind not in self._visible:
            raise ValueError(f"unknown overlay {kind!r}; expected one of {', '.join(OVERLAYS)}")
        if self._visible[kind] == visible:
            return
        self._visible[kind] = visible
        if self.layout.pending():  # a placement of everything is due anyway (a render's, say)
            self.layout.invalidate_all()
        else:
            self.place_all()

    def set_teaching(self, state) -> bool:
        """Show only what a step-through (or quiz) has revealed; None: the normal display.
        False if nothing changes (the normal display already shows the latest evaluation)."""
        if state is None and self._teaching is None:
            return False
        self._teaching = state
        return True

    def forget(self, owner) -> None:
        """`owner` (a node id or an edge) left the graph: its labels leave the canvas."""
        for store in self._stores(owner):
            label = store.pop(owner, None)
            if label is not None:
                self.layout.touch(label)
                self.scene.removeItem(label)

    def show_evaluation(self, ev) -> bool:
        """A new evaluation (or a new teaching state, or a rename): the labels in view show it,
        the rest when they scroll into view.  True if a label's slot changed."""
        graph = self.scene.graph
        self._out_label = graph.node(ev.output).label if ev.output in graph else None
        resized = False
        if (self._out_label is not None) != self._has_output:
            self._has_output = self._out_label is not None  # node gradients exist only with an output
            self.layout.invalidate_all()
            resized = True
        self._serial += 1
        seen = self.layout.readable_view_rect()
        # Labels not placed yet get theirs when they are.
        if seen is None:  # a small graph, or no view
            owners = self._placed(self.nodes, self.edges)
        else:
            owners = self._placed(*self.layout.owners_in([seen])) if not seen.isEmpty() else ((), ())
        return self.show_numbers(*owners) or resized

    def reveal(self, seen: QRectF) -> None:
        """The view shows `seen` now; labels there get the latest numbers and, if still
        waiting, their places (large graphs)."""
        self.layout.reveal(seen)  # fills in the labels it places
        if self.layout.lazy() and self.layout.readable():
            if self.show_numbers(*self._placed(*self.layout.owners_in(
                    [seen.adjusted(-REACH, -REACH, REACH, REACH)]))):
                self.schedule()

    def _placed(self, node_ids, edges) -> tuple[list[str], list[Edge]]:
        """The owners among these with a label on the canvas."""
        values, grads, edge_grads = self.values, self.grads, self.edge_grads
        return ([n for n in node_ids if (n in values and values[n].placed) or (n in grads and grads[n].placed)],
                [e for e in edges if e in edge_grads and edge_grads[e].placed])

    def show_numbers(self, node_ids, edges, touch: bool = True) -> bool:
        """Push the current evaluation to the labels of `node_ids` and `edges` that do not show
        it yet; True if a label's slot changed (and, with `touch`, its spot is marked for placing)."""
        ev, teaching, serial = self.scene.document.evaluation, self._teaching, self._serial
        out_label = self._out_label
        resized = False
        for node_id in node_ids:
            value_label, grad_label = self.values[node_id], self.grads[node_id]
            if value_label.serial == serial:
                continue
            value_label.serial = grad_label.serial = serial
            label = self.nodes[node_id].label
            resized |= self._set_label(value_label, ev.values.get(node_id), f"{label} = {{full}}",
                                       touch=touch)
            shown = teaching.grads.get(node_id) if teaching is not None else None
            if shown is not None:  # a running sum, a "?", or a forward-mode tangent
                resized |= self._set_label(grad_label, shown.value,
                                           f"{teaching.grad_symbol.format(label)} = {{full}}", shown.text,
                                           touch)
            else:
                resized |= self._set_label(grad_label, ev.grads.get(node_id),
                                           f"∂{out_label}/∂{label} = {{full}}", touch=touch)
            value_label.set_concealed(teaching is not None and node_id not in teaching.values)
            grad_label.set_concealed(teaching is not None and node_id not in teaching.grads)
        for edge in edges:
            label = self.edge_grads[edge]
            if label.serial == serial:
                continue
            label.serial = serial
            tooltip = (f"local gradient ∂{self.nodes[edge.target].label}/∂{self.nodes[edge.source].label}"
                       " = {full}")
            resized |= self._set_label(label, ev.edge_grads.get(edge), tooltip, touch=touch)
            label.set_concealed(teaching is not None and edge not in teaching.edges)
        return resized

    def _set_label(self, label: OverlayLabel, value: float | None, tooltip: str,
                   text: str | None = None, touch: bool = True) -> bool:
        """Show a new number (or `text`); True (and the label's spot marked for placing) if its
        slot changed."""
        if label.set_number(value, tooltip, text):
            if touch:
                self.layout.touch(label)
            return True
        return False

    def _new_label(self, style: str, owner) -> OverlayLabel:
        """A hidden label for `owner`, made when first needed (see `_Labels`)."""
        label = OverlayLabel(style, owner, self.scene.painter)
        label.setVisible(False)  # shown once placed
        # Until placed: near its owner, so it dirties only its neighbourhood.
        at = self.edges[owner].boundingRect().center() if style == "edge_grad" else self.nodes[owner].pos()
        label.setPos(at)
        self.scene.addItem(label)
        return label

    # -- placement -----------------------------------------------------------------------------

    def touch(self, item) -> None:
        """`item` appeared, moved, changed size or is about to go: labels near it are placed again."""
        self.layout.touch(item)

    def schedule(self) -> None:
        self.layout.schedule()

    def pending(self) -> bool:
        return self.layout.pending()

    def place_all(self) -> None:
        self.layout.invalidate_all()
        self.layout.run()
