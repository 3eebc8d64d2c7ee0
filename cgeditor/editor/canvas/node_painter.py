"""How nodes, edges and overlay labels look (QtNodes' NodePainter).

One painter draws the canvas items and can draw the same graph into an exported image, so the
two never drift apart.  It only paints what it is given: shapes come from `node_geometry`, texts
and states from the caller.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen

from cgeditor.model.escape import visible
from cgeditor.model.graph import Node, NodeKind
from cgeditor.editor.canvas.label_placement import Rect
from cgeditor.editor.canvas.node_geometry import BADGE_RADIUS, PORT_RADIUS, NodeShape
from cgeditor.editor.canvas.theme import DEFAULT_THEME, Theme

TEXT_LOD = 0.35  # below this scale node texts are unreadable and skipped
BOX_LOD = 0.25  # below this scale ports, shadows and rounded corners are sub-pixel: a node is a box
LABEL_MIN_PX = 5.0  # overlay texts smaller than this on screen are skipped


def qrect(r: Rect) -> QRectF:
    return QRectF(r.x, r.y, r.w, r.h)


class NodePainter:
    def __init__(self, theme: Theme = DEFAULT_THEME):
        self.set_theme(theme)

    def set_theme(self, theme: Theme) -> None:
        """Paint with `theme` from now on (the items repaint when the scene says so)."""
        self.theme = theme
        self.fonts = {
            "label": theme.font(theme.label_px, bold=True),
            "symbol": theme.font(theme.symbol_px),
            "small": theme.font(theme.small_px),
            "tag": theme.font(theme.small_px - 1, bold=True),
            "overlay": theme.font(theme.overlay_px),
            "badge": theme.font(11, bold=True),
        }
        self._metrics = {role: QFontMetricsF(font) for role, font in self.fonts.items()}
        self._widths: dict[tuple[str, str], float] = {}  # op symbols and port names recur on every node
        # Edges are the most numerous items: their pens are made once, not per paint.
        self._edge_pens = {"normal": QPen(theme.color("edge"), theme.edge_width),
                           "selected": QPen(theme.color("edge_selected"), 2.5),
                           "invalid": QPen(theme.color("error"), 1.5, Qt.DashLine)}
        for pen in self._edge_pens.values():
            pen.setCosmetic(True)
        # A zoomed-out large graph paints thousands of boxes a frame: their looks are made once too.
        self._box_looks: dict[tuple[NodeKind, str | None], tuple[QPen, QColor]] = {}
        # Labels outnumber even edges (a render paints every one): border, fill and text colour
        # by style, made once.
        self._label_looks = {prefix: (QPen(theme.color(f"{prefix}_border"), 1.0), theme.color(f"{prefix}_fill"),
                                      theme.color(f"{prefix}_text"))
                             for prefix in ("value", "grad", "edge_grad", "nonfinite")}

    # -- sizes --------------------------------------------------------------------------

    def measure(self, role: str, text: str) -> float:
        """Text width in scene units, the `measure` callback of `node_geometry`."""
        width = self._widths.get((role, text))
        if width is None:
            width = self._widths[role, text] = self._metrics[role].horizontalAdvance(text)
        return width

    def label_size(self, text: str) -> tuple[float, float]:
        m = self._metrics["overlay"]
        return (m.horizontalAdvance(text) + 12.0, m.height() + 5.0)

    # -- nodes --------------------------------------------------------------------------

    def paint_node(self, p: QPainter, node: Node, shape: NodeShape, *, selected: bool = False,
                   is_output: bool = False, invalid: bool = False, bad_ports: frozenset[int] = frozenset(),
                   lod: float = 1.0) -> None:
        t = self.theme
        body = qrect(shape.body)
        if lod < BOX_LOD:
            self._paint_box(p, node.kind, body, selected, is_output, invalid)
            return
        outline = self._outline(node.kind, body)
        p.setPen(Qt.NoPen)
        shadow = QColor(t.shadow)
        shadow.setAlpha(28)
        p.setBrush(shadow)
        p.drawPath(outline.translated(0, 1.6))

        fill, border, width, style = self._body_style(node.kind)
        if is_output:
            border, width = t.color("accent"), 2.6
        if selected:
            halo = self._outline(node.kind, body.adjusted(-3.5, -3.5, 3.5, 3.5))
            p.setBrush(Qt.NoBrush)
            p.setPen(QPen(t.color("selection"), 2.0))
            p.drawPath(halo)
        p.setBrush(fill)
        pen = QPen(border, width)
        pen.setStyle(style)
        p.setPen(pen)
        p.drawPath(outline)

        if invalid:
            pen = QPen(t.color("error"), 1.4, Qt.DashLine)
            p.setPen(pen)
            p.setBrush(Qt.NoBrush)
            p.drawPath(self._outline(node.kind, body.adjusted(-5, -5, 5, 5)))

        self._paint_ports(p, shape, bad_ports)
        if lod >= TEXT_LOD:
            self._paint_texts(p, node, shape, body)
        if shape.tag is not None:
            self._paint_tag(p, qrect(shape.tag), lod)
        if shape.badge is not None:
            self._paint_badge(p, QPointF(*shape.badge), lod)

    def _paint_box(self, p: QPainter, kind: NodeKind, body: QRectF, selected: bool, is_output: bool,
                   invalid: bool) -> None:
        """The node from afar: its fill and one cosmetic border in the colour of its state."""
        state = "selection" if selected else "error" if invalid else "accent" if is_output else None
        pen, fill = self._box_look(kind, state)
        p.setPen(pen)
        p.setBrush(fill)
        p.drawRect(body)

    def _box_look(self, kind: NodeKind, state: str | None) -> tuple[QPen, QColor]:
        looks = self._box_looks.get((kind, state))
        if looks is None:
            fill, border, _, _ = self._body_style(kind)
            looks = self._box_looks[kind, state] = (
                QPen(self.theme.color(state) if state else border, 2.0 if state else 0.0), fill)
        return looks

    def paint_overview(self, p: QPainter, edge_paths: list[dict[str, QPainterPath]],
                       boxes: list[dict[tuple[NodeKind, str | None], list[QRectF]]]) -> None:
        """Many nodes and edges from afar, as `paint_edge` and `_paint_box` draw each one: all
        edges (paths by state: "normal", "selected", "invalid") under all node boxes (by kind
        and state)."""
        p.setBrush(Qt.NoBrush)
        for paths in edge_paths:
            for state, path in paths.items():
                p.setPen(self._edge_pens[state])
                p.drawPath(path)
        for group in boxes:
            for (kind, state), rects in group.items():
                pen, fill = self._box_look(kind, state)
                p.setPen(pen)
                p.setBrush(fill)
                p.drawRects(rects)

    def _outline(self, kind: NodeKind, r: QRectF) -> QPainterPath:
        path = QPainterPath()
        if kind is NodeKind.VARIABLE:
            path.addEllipse(r)
        elif kind is NodeKind.CONSTANT:
            path.addRoundedRect(r, r.height() / 2, r.height() / 2)
        else:
            path.addRoundedRect(r, 9, 9)
        return path

    def _body_style(self, kind: NodeKind) -> tuple[QColor, QColor, float, Qt.PenStyle]:
        t = self.theme
        if kind is NodeKind.VARIABLE:
            return t.color("variable_fill"), t.color("variable_border"), 1.5, Qt.SolidLine
        if kind is NodeKind.CONSTANT:
            return t.color("constant_fill"), t.color("constant_border"), 1.3, Qt.DashLine
        return t.color("node_fill"), t.color("node_border"), 1.4, Qt.SolidLine

    def _paint_ports(self, p: QPainter, shape: NodeShape, bad_ports: frozenset[int]) -> None:
        t = self.theme
        for i, (x, y) in enumerate(shape.inputs):
            bad = i in bad_ports
            p.setPen(QPen(t.color("error" if bad else "port_border"), 1.3))
            p.setBrush(t.color("error_fill" if bad else "port_fill"))
            p.drawEllipse(QPointF(x, y), PORT_RADIUS, PORT_RADIUS)
        p.setPen(QPen(t.color("port_border"), 1.3))
        p.setBrush(t.color("port_border"))
        p.drawEllipse(QPointF(*shape.output), PORT_RADIUS, PORT_RADIUS)

    def _paint_texts(self, p: QPainter, node: Node, shape: NodeShape, body: QRectF) -> None:
        t = self.theme
        if node.kind is not NodeKind.OP:
            p.setFont(self.fonts["label"])
            p.setPen(t.color("text"))
            p.drawText(body, Qt.AlignCenter, visible(node.label))
            return
        names_w = max((self.measure("small", n) for n in shape.port_names), default=0.0)
        p.setFont(self.fonts["small"])
        p.setPen(t.color("muted"))
        for (x, y), name in zip(shape.inputs, shape.port_names):
            if name:
                p.drawText(QRectF(x + 7, y - 8, names_w + 4, 16), Qt.AlignLeft | Qt.AlignVCenter, name)
        content = body.adjusted(names_w + 8 if names_w else 0, 0, 0, 0)
        symbol = shape.symbol
        symbol_box = QRectF(content.left(), content.center().y() - 19, content.width(), 26)
        p.setFont(self.fonts["symbol"])
        p.setPen(t.color("text") if symbol is not None else t.color("error"))
        p.drawText(symbol_box, Qt.AlignCenter, symbol if symbol is not None else "?")
        p.setFont(self.fonts["small"])
        p.setPen(t.color("muted"))
        p.drawText(QRectF(content.left(), content.center().y() + 6, content.width(), 14),
                   Qt.AlignCenter, visible(node.label))

    def _paint_tag(self, p: QPainter, r: QRectF, lod: float) -> None:
        p.setPen(Qt.NoPen)
        p.setBrush(self.theme.color("accent"))
        p.drawRoundedRect(r, 4, 4)
        if lod >= TEXT_LOD:
            p.setPen(QColor("white"))
            p.setFont(self.fonts["tag"])
            p.drawText(r, Qt.AlignCenter, "output")

    def _paint_badge(self, p: QPainter, c: QPointF, lod: float) -> None:
        p.setPen(QPen(QColor("white"), 1.5))
        p.setBrush(self.theme.color("error"))
        p.drawEllipse(c, BADGE_RADIUS, BADGE_RADIUS)
        if lod >= TEXT_LOD:
            p.setFont(self.fonts["badge"])
            p.drawText(QRectF(c.x() - BADGE_RADIUS, c.y() - BADGE_RADIUS, 2 * BADGE_RADIUS,
                              2 * BADGE_RADIUS), Qt.AlignCenter, "!")

    # -- edges and labels ---------------------------------------------------------------

    def paint_edge(self, p: QPainter, path: QPainterPath, *, selected: bool = False,
                   invalid: bool = False) -> None:
        p.setPen(self._edge_pens["invalid" if invalid else "selected" if selected else "normal"])
        p.setBrush(Qt.NoBrush)
        p.drawPath(path)

    def paint_label(self, p: QPainter, rect: QRectF, text: str, style: str, nonfinite: bool) -> None:
        border, fill, ink = self._label_looks["nonfinite" if nonfinite else style]
        p.setPen(border)
        p.setBrush(fill)
        radius = rect.height() / 2
        p.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
        p.setFont(self.fonts["overlay"])
        p.setPen(ink)
        p.drawText(rect, Qt.AlignCenter, text)
