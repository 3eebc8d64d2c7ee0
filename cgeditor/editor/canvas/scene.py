"""The scene mirrors a Document's graph as items and pushes the latest evaluation onto them.

It subscribes to the graph's change notifications (QtNodes' BasicGraphicsScene listening to its
model) and to `Document.evaluated`, so one edit costs one evaluation however many items show
its results.  Mouse and keyboard input is `SceneInput`'s (scene_input.py): gestures, editors
and menus; the problem marks are `ProblemMarks`' (problem_marks.py).
"""

from __future__ import annotations

from types import MappingProxyType

from PySide6.QtCore import QEvent, QRectF, QTimer, Signal
from PySide6.QtWidgets import QGraphicsScene

from cgeditor.model.changes import ANNOTATION_CHANGES, BLOCK_CHANGES
from cgeditor.model.graph import (Change, Edge, EdgeAdded, EdgeRemoved, LabelChanged, Node, NodeAdded,
                                  NodeKind, NodeMoved, NodeRemoved, OutputChanged, TrainableChanged,
                                  ValueChanged)
from cgeditor.model.layout import layered_layout
from cgeditor.editor.canvas.scene_input import SceneInput
from cgeditor.editor.canvas.annotation_layer import AnnotationLayer
from cgeditor.editor.document.gc_pause import collector_paused, freeze_if_large
from cgeditor.editor.canvas.items import EdgeItem, NodeItem, OverlayLabel
from cgeditor.editor.canvas.node_geometry import input_count, node_shape
from cgeditor.editor.canvas.node_painter import NodePainter
from cgeditor.editor.canvas.label_layout import LAZY_LIMIT
from cgeditor.editor.canvas.overlay_labels import OverlayLabels
from cgeditor.editor.canvas.problem_marks import ProblemMarks
from cgeditor.editor.canvas.far_zoom import Overview
from cgeditor.editor.canvas.insides import Insides
from cgeditor.editor.canvas.theme import DEFAULT_THEME, Theme

BSP_DEPTH = 10
_NOT_MIRRORED = (ValueChanged, OutputChanged, TrainableChanged, *ANNOTATION_CHANGES)  # items stay as they are


class GraphScene(SceneInput, QGraphicsScene):
    show_message = Signal(str)  # refusals and input errors, for the status bar
    layout_changed = Signal()  # nodes or labels moved, added or removed (the minimap listens)
    # Once per event-loop turn in which the selection changed: Qt's selectionChanged fires per
    # item, so a listener that reads selectedItems() there makes Select All of n nodes O(n²).
    selection_settled = Signal()
    block_requested = Signal(str, str)  # the context menu asks for a block edit: (what, node id)
    _activation_lent = False  # see __init__ (events arrive from Qt's constructor on)

    def __init__(self, document, theme: Theme = DEFAULT_THEME, parent=None, place_later: bool = False):
        """`place_later`: a small graph's labels also wait for `place_labels` (or an idle event
        loop), as a large one's do; a render checks the drawing's size first, then places once."""
        super().__init__(parent)
        # Qt picks a BSP depth from the item count (17 for a 10,000-node graph): 2^17 leaves
        # cost about 130 MB and answer our view-sized queries no faster than 2^10 do.
        self.setBspTreeDepth(BSP_DEPTH)
        self.document = document
        self.graph = document.graph
        self.painter = NodePainter(theme)
        self._nodes: dict[str, NodeItem] = {}
        self._edges: dict[Edge, EdgeItem] = {}
        self.items_by_node = MappingProxyType(self._nodes)  # read-only, for the labels' layout
        self.items_by_edge = MappingProxyType(self._edges)
        self.marks = ProblemMarks(self)  # the output tag, problem badges, invalid edges
        self._spare_ports = False
        self._graph_rect: QRectF | None = None  # forgotten on graph changes, grown as labels are placed
        self._items_rect: QRectF | None = None  # the nodes' and edges' part: labels come and go more often
        self._grown: dict = {}  # items added since `_items_rect` was walked: united in when next asked
        self.graph_changes = 0  # counts changes that move, add or remove items (the minimap's cache key)
        self.search_popup = None  # the node search popup last opened (tests type into it)
        self.inline_editor = None  # the value or label editor last opened
        self.labels = OverlayLabels(self)  # values and gradients: filled in, shown and placed there
        self.overview = Overview(self, large=len(self.graph) > LAZY_LIMIT)
        self.insides = Insides(self)  # expanded instances of blocks
        # What an edit leaves to its end (see `_edit_done`): nodes whose inputs changed, items
        # the far zoom must draw anew, and whether labels need placing.
        self._editing = False
        self._ports_dirty: dict[str, None] = {}
        self._touched: dict = {}
        self._edit_timer = QTimer(self)
        self._edit_timer.setSingleShot(True)
        self._edit_timer.setInterval(0)
        self._edit_timer.timeout.connect(self._edit_done)
        document.undo_stack.indexChanged.connect(self._edit_done)
        # Active while built: the first window activation then finds the scene active already and
        # does not send its own activation to every item (Qt sorts all 330,000 of a 100,000-node
        # graph for it, about a second) - our items do nothing with it.  Given back then (`event`).
        super().event(QEvent(QEvent.WindowActivate))
        self._activation_lent = True
        with collector_paused():
            self._build()
            freeze_if_large(self.graph)
        self._selection_timer = QTimer(self)
        self._selection_timer.setSingleShot(True)
        self._selection_timer.setInterval(0)
        self._selection_timer.timeout.connect(self.selection_settled)
        self.selectionChanged.connect(self._selection_timer.start)
        self.selection_settled.connect(self.overview.selection_changed)
        self.graph.subscribe(self._on_change)
        self.annotations = AnnotationLayer(self)  # notes and arrows: mirrored and dragged there
        document.evaluated.connect(self._apply_evaluation)
        self._apply_evaluation()
        if len(self._nodes) > LAZY_LIMIT or place_later:
            self.labels.schedule()  # once a view shows the scene, starting with what it shows
        else:
            self.place_labels()

    def event(self, event) -> bool:
        handled = super().event(event)
        if self._activation_lent and event.type() == QEvent.WindowActivate:
            self._activation_lent = False  # a view's window is active now: it holds the scene active
            super().event(QEvent(QEvent.WindowDeactivate))
        return handled

    def detach(self) -> None:
        """Stop listening to the document (call before dropping the scene for another one)."""
        self.graph.unsubscribe(self._on_change)
        self.annotations.detach()
        self.document.evaluated.disconnect(self._apply_evaluation)
        self.document.undo_stack.indexChanged.disconnect(self._edit_done)

    # -- public API ------------------------------------------------------------------------

    def addItem(self, item) -> None:
        """Qt's, and the overview is told: anything but a node or an edge (which the scene adds
        with `_add_item`, 330,000 of them for a 100,000-node graph) shows at far zoom."""
        super().addItem(item)
        self.overview.added(item)

    _add_item = QGraphicsScene.addItem  # a node's or an edge's: the overview draws those itself

    def node_item(self, node_id: str) -> NodeItem | None:
        return self._nodes.get(node_id)

    def edge_item(self, edge: Edge) -> EdgeItem | None:
        return self._edges.get(edge)

    def node_items(self) -> list[NodeItem]:
        return list(self._nodes.values())

    def edge_items(self) -> list[EdgeItem]:
        return list(self._edges.values())

    def value_label(self, node_id: str) -> OverlayLabel | None:
        return self.labels.value_label(node_id)

    def grad_label(self, node_id: str) -> OverlayLabel | None:
        return self.labels.grad_label(node_id)

    def edge_label(self, edge: Edge) -> OverlayLabel | None:
        return self.labels.edge_label(edge)

    def overlay_labels(self) -> list[OverlayLabel]:
        """The labels made so far (see `OverlayLabels.made`)."""
        return self.labels.made()

    def selected_node_ids(self) -> list[str]:
        return [i.node_id for i in self.selectedItems() if isinstance(i, NodeItem)]

    def select_only(self, node_ids) -> None:
        """Select exactly these nodes (those that have items)."""
        self.clearSelection()
        for node_id in node_ids:
            item = self._nodes.get(node_id)
            if item is not None:
                item.setSelected(True)

    def selected_edges(self) -> list[Edge]:
        return [i.edge for i in self.selectedItems() if isinstance(i, EdgeItem)]

    def set_overlay_visible(self, kind: str, visible: bool) -> None:
        self.labels.set_visible(kind, visible)

    def overlay_visible(self, kind: str) -> bool:
        return self.labels.visible(kind)

    def apply_teaching_state(self, state) -> None:
        """Show only what a step-through (or quiz) has revealed: `state.values` and `state.edges`
        name the value and local-gradient labels shown, `state.grads` each gradient's text (a
        running sum, a "?").  Labels not revealed keep their places but draw nothing, so nothing
        jumps as the walk goes on.  None: the normal display."""
        if self.labels.set_teaching(state):
            self._apply_evaluation()

    def set_theme(self, theme) -> None:
        """Repaint everything with `theme` (one with the normal type sizes: nothing moves)."""
        self.painter.set_theme(theme)
        self.overview.invalidate()
        self.update()
        for view in self.views():
            view.viewport().update()

    def graph_rect(self) -> QRectF:
        """The bounding rect of the nodes, edges and visible labels (cached until they move)."""
        if self._graph_rect is None:
            if self._items_rect is None:
                self._items_rect = _visible_bounds((self._nodes.values(), self._edges.values()))
            elif self._grown:
                grown = [item for item in self._grown if item.scene() is self]
                self._items_rect = self._items_rect.united(_visible_bounds((grown,)))
            self._grown = {}
            self._graph_rect = self._items_rect.united(
                _visible_bounds((self.labels.made(), self.annotations.items.values())))
        return QRectF(self._graph_rect)

    def forget_graph_rect(self) -> None:
        """Items or labels moved, came or went: the next `graph_rect` walks them again."""
        self._graph_rect = self._items_rect = None
        self._grown = {}

    def _grow(self, item) -> None:
        """`item` was just added (or only grew): the next `graph_rect` unites it in, where it is
        by then, rather than walking every item again (a paste of 4,000 nodes beside 4,000)."""
        self._graph_rect = None
        if self._items_rect is not None:
            self._grown[item] = None

    def _reshaped(self, item, was: QRectF) -> None:
        """`item` changed its size or ends, from covering `was`: one added in this edit, or one
        that only grew (the output node given its tag by the first evaluation), is united in
        as it is then; any other may have shrunk, so the bounds are walked again."""
        if item in self._grown:
            return
        if self._items_rect is not None and item.sceneBoundingRect().contains(was):
            self._grow(item)
        else:
            self.forget_graph_rect()

    def forget_label_rects(self) -> None:
        """Only labels (or notes) moved, came or went: the next `graph_rect` walks those again."""
        self._graph_rect = None

    def grow_graph_rect(self, rect: QRectF) -> None:
        """Labels were placed within `rect`: a cheap update instead of walking every item again."""
        if self._graph_rect is not None:
            self._graph_rect = self._graph_rect.united(rect)

    def set_spare_ports(self, on: bool) -> None:
        """Give every variadic op a free extra input while a wire is being dragged."""
        if on == self._spare_ports:
            return
        self._spare_ports = on
        for node in self.graph:
            op = self.graph.op(node.op) if node.kind is NodeKind.OP else None
            if op is not None and op.variadic:
                self._refresh_node(node.id)

    def view(self):
        views = self.views()
        return views[0] if views else None

    # -- mirroring the graph -----------------------------------------------------------

    def _build(self) -> None:
        """Every node and edge as an item, as `_add_node` and `_add_edge` would add them, in one
        pass that asks Qt nothing back (a 100,000-node graph has 330,000 items): positions come
        from the model or the fallback layout, and the items' bounds are summed up on the way,
        rounded as `graph_rect`'s walk over the items rounds them.  Nothing is touched: every
        label is placed at first anyway, and the far zoom has drawn nothing yet."""
        graph, painter, flags = self.graph, self.painter, self.overview.item_flags()
        missing = [n.id for n in graph if n.pos is None]
        fallback = layered_layout(graph, missing) if missing else {}
        nodes, edges, add = self._nodes, self._edges, self._add_item
        at: dict[str, tuple[float, float, object]] = {}  # node id -> x, y, shape
        extent = None
        for node in graph:
            shape = self._shape_for(node)
            x, y = node.pos or fallback.get(node.id) or (0.0, 0.0)
            item = nodes[node.id] = NodeItem(node, shape, painter, flags)
            item.setPos(x, y)
            add(item)
            at[node.id] = (x, y, shape)
            b = shape.bounds
            extent = _united(extent, b.x + x, b.y + y, b.w, b.h)
        for edge in graph.edges:
            sx, sy, source = at[edge.source]
            tx, ty, target = at[edge.target]
            (ox, oy), (ix, iy) = source.output, target.input_point(edge.port)
            item = edges[edge] = EdgeItem(edge, painter, (sx + ox, sy + oy), (tx + ix, ty + iy), flags)
            add(item)
            extent = _united(extent, *item.extent)
        self._items_rect = QRectF(*extent) if extent is not None else QRectF()

    def _on_change(self, change: Change) -> None:
        self._mirror(change)
        self.insides.on_change(change)

    def _mirror(self, change: Change) -> None:
        if not self._editing and not isinstance(change, _NOT_MIRRORED):
            self._editing = True
            self._edit_timer.start()
        if isinstance(change, NodeAdded):
            self._add_node(change.node)
        elif isinstance(change, NodeRemoved):
            self._remove_node(change.node.id)
        elif isinstance(change, NodeMoved):
            item = self._nodes[change.node_id]
            self.labels.touch(item)
            item.setPos(*(change.pos or (0.0, 0.0)))
            self.labels.touch(item)
            self._touch(item)
            self._update_edges_of(change.node_id)
        elif isinstance(change, EdgeAdded):
            self._add_edge(change.edge)
            self._refresh_ports(change.edge.target)
        elif isinstance(change, EdgeRemoved):
            self._remove_edge(change.edge)
            if change.edge.target in self._nodes:
                self._refresh_ports(change.edge.target)
        elif isinstance(change, LabelChanged):
            self._refresh_node(change.node_id)
            self._apply_evaluation()  # tooltips name the node; a rename is not re-evaluated
        elif isinstance(change, BLOCK_CHANGES):
            self._refresh_instances()
        else:
            return  # values and the output arrive with the next evaluation
        if not isinstance(change, (NodeAdded, EdgeAdded)):  # an added item is united in (see `_grow`)
            self.forget_graph_rect()
        self.graph_changes += 1

    def _shape_for(self, node: Node):
        is_output, problems, _ = self.marks.status(node.id)
        n = input_count(self.graph, node, self._spare_ports)
        op = self.graph.op(node.op) if node.kind is NodeKind.OP else None
        return node_shape(node, n, self.painter.measure, op=op, is_output=is_output, invalid=bool(problems))

    def _add_node(self, node: Node) -> None:
        item = NodeItem(node, self._shape_for(node), self.painter, self.overview.item_flags())
        item.setPos(*(node.pos or (0.0, 0.0)))
        self._add_item(item)
        self._nodes[node.id] = item
        self.labels.touch(item)
        self._touch(item)
        self._grow(item)

    def _remove_node(self, node_id: str) -> None:
        item = self._nodes.pop(node_id)
        self.labels.touch(item)
        self._touch(item)
        self.removeItem(item)
        self.labels.forget(node_id)
        self.marks.forget(node_id)

    def _add_edge(self, edge: Edge) -> None:
        src, tgt = self._nodes[edge.source], self._nodes[edge.target]
        item = EdgeItem(edge, self.painter, src.output_scene_point(), tgt.input_scene_point(edge.port),
                        self.overview.item_flags())
        self._add_item(item)
        self._edges[edge] = item
        self.labels.touch(item)
        self._touch(item)
        self._grow(item)

    def _remove_edge(self, edge: Edge) -> None:
        item = self._edges.pop(edge)
        self.labels.touch(item)
        self._touch(item)
        self.removeItem(item)
        self.labels.forget(edge)

    def _refresh_node(self, node_id: str) -> None:
        node, item = self.graph.node(node_id), self._nodes[node_id]
        self.labels.touch(item)
        was = item.sceneBoundingRect()
        item.set_node(node, self._shape_for(node))
        self.labels.touch(item)
        self._touch(item)
        self._reshaped(item, was)
        self._update_edges_of(node_id)

    def _refresh_instances(self) -> None:
        """A block came, went or changed: its instances' ports and names may have too."""
        for node in self.graph:
            if node.kind is NodeKind.OP and node.op in self.graph.blocks:
                self._refresh_node(node.id)

    def _refresh_ports(self, node_id: str) -> None:
        """An edge into the node came or went, so a variadic op's port count may change: the
        node is re-shaped once the edit is done (the undo stack moved, or the next event-loop
        turn for a change made outside it).  Re-shaping it per edge, and moving all its edges
        each time, made pasting a node with k inputs cost k² edge updates."""
        self._ports_dirty[node_id] = None

    def _touch(self, item) -> None:
        """`item` came, went, moved or changed its look: the far zoom draws it anew, told once
        the edit is done (then it knows how many there are: past a few hundred it draws all
        anew at once, rather than first working out each one's spots to repaint)."""
        if self._editing:
            self._touched[item] = None
        else:
            self.overview.touch(item)

    def _edit_done(self) -> None:
        """The edit whose changes were mirrored is done (the undo stack moved, or the next
        event-loop turn for a change made outside it): what it left to its end, once."""
        self._edit_timer.stop()
        dirty, self._ports_dirty = self._ports_dirty, {}
        for node_id in dirty:
            item = self._nodes.get(node_id)
            node = self.graph.nodes.get(node_id)
            if item is not None and input_count(self.graph, node, self._spare_ports) != len(item.shape_info.inputs):
                self._refresh_node(node_id)
        touched, self._touched = self._touched, {}
        self.overview.touch_all(touched)
        if self._editing:
            self._editing = False
            self.labels.schedule()

    def _update_edges_of(self, node_id: str) -> None:
        for edge in self.graph.in_edges(node_id) + self.graph.out_edges(node_id):
            if edge in self._edges:
                self._update_edge(edge)

    def _update_edge(self, edge: Edge) -> None:
        src, tgt, item = self._nodes[edge.source], self._nodes[edge.target], self._edges[edge]
        self.labels.touch(item)
        was = item.sceneBoundingRect()
        item.set_ends(src.output_scene_point(), tgt.input_scene_point(edge.port))
        self.labels.touch(item)
        self._touch(item)
        self._reshaped(item, was)

    # -- overlays ----------------------------------------------------------------------

    def _apply_evaluation(self) -> None:
        ev = self.document.evaluation
        reshaped = self.marks.mark_nodes(ev)
        for node_id in reshaped:
            self._refresh_node(node_id)
        resized = bool(reshaped) | self.labels.show_evaluation(ev)
        self.marks.mark_edges(ev)
        self.insides.show_evaluation()
        if resized:
            self.labels.schedule()

    def placement_pending(self) -> bool:
        """Whether labels are about to move (placement runs once the event loop is idle, after
        the edit under way is done)."""
        return self._editing or self.labels.pending()

    def place_labels(self) -> None:
        """Place every visible overlay label where it overlaps no node, label or foreign edge."""
        self.labels.place_all()


def _united(rect, x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
    """QRectF.united of `rect` (x, y, w, h, or None for none yet) and a rect of positive size,
    on plain numbers and rounded as Qt rounds (right is x + w, kept as right - left)."""
    if rect is None:
        return (x, y, w, h)
    left, top, width, height = rect
    right, bottom = left + width, top + height
    if x < left:
        left = x
    if right < x + w:
        right = x + w
    if y < top:
        top = y
    if bottom < y + h:
        bottom = y + h
    return (left, top, right - left, bottom - top)


def _visible_bounds(groups) -> QRectF:
    rect = QRectF()
    for items in groups:
        for item in items:
            if item.isVisible():
                rect = rect.united(item.sceneBoundingRect())
    return rect
