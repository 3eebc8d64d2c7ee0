"""Pictures of a graph (PNG, SVG, PDF) painted by the canvas's own scene and items.

A throwaway `GraphScene` over a copy of the graph draws exactly what the editor shows (nodes,
edges, values and gradients placed the same way), with no view: the scene is rendered over its
items' bounding rectangle onto an image, an SVG generator or a PDF page.  So an exported figure
can never disagree with the canvas, and the editor's document is never touched.  A
QApplication must exist (the `render` command creates one on the offscreen platform).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from cgeditor.model.graph import Graph
from cgeditor.model.layout import layered_extent

from cgeditor.model.atomic_write import ReadOnlyFileError, write_atomically
from cgeditor.editor.document.document import Document
from cgeditor.editor.canvas.png_writer import write_png
from cgeditor.editor.canvas.scene import GraphScene

IMAGE_FORMATS = ("png", "svg", "pdf")
MARGIN = 24.0  # scene units of white around the drawing
BACKGROUND = QColor("#ffffff")  # figures go on slides and paper, not on the canvas grey
MAX_PIXELS = 20000  # per side of a PNG: beyond this QImage fails
MAX_MEGAPIXELS = 32  # of a PNG: 128 MB of image in memory, about a second to compress
MAX_EXTENT = 1_000_000  # scene units per side: a drawing wider than this has a stray far-off node
# Nodes drawn with their labels: placing and painting cost about 4 ms of CPU a node, so 20,000
# stay within a couple of minutes, and a picture of more is unreadable at any image size.
MAX_DRAWN_NODES = 20_000
# Edges drawn: each is a curve and a label to place and paint, about 1 ms of CPU, so 40,000
# (twice a 10,000-op DAG's) stay within a minute.  A 3,600-layer chain whose every link is 16
# parallel edges has 57,600: drawing it took 33 s and 1.5 GB for a picture 612,000 units wide.
MAX_DRAWN_EDGES = 40_000
MIN_FITTED_SCALE = 0.1  # below this a node's text is about a pixel tall: the PNG shows nothing readable
POINTS_PER_INCH = 72


class RenderError(ValueError):
    """An image that cannot be made; the message is one line naming the problem."""


def image_format(path: Path | str) -> str:
    """"png", "svg" or "pdf" from the file name's suffix (any case); RenderError otherwise."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in IMAGE_FORMATS:
        shown = f"'.{suffix}'" if suffix else "no suffix"
        raise RenderError(f"{path}: unknown image type ({shown}); use .png, .svg or .pdf")
    return suffix


def render_graph(source: Document | Graph, out_path: Path | str, scale: float | None = None,
                 output: str | None = None, overlays: dict[str, bool] | None = None,
                 replace_read_only: bool = False, notify: Callable[[str], None] | None = None) -> Path:
    """Draw `source` with its overlays into `out_path` (type from the suffix); returns the path.

    `scale` multiplies the PNG's pixel size (vector formats are drawn at 1 point per scene
    unit); a PNG that would exceed the pixel budget at it is refused.  Without `scale`, a PNG is
    drawn at 1 pixel per unit or, if that exceeds the budget, at the largest scale within it, and
    `notify` hears one line saying so.  `output` chooses the node to differentiate; `overlays`
    maps "values", "grads", "edge_grads" to shown/hidden (default: all shown).  The size is
    checked before nodes without positions are laid out (from a bound the layout keeps) and again
    before the labels are placed, so a drawing too large is refused at once.  The file
    is replaced with `atomic_write`'s policy; a read-only one raises ReadOnlyFileError unless
    `replace_read_only`.
    """
    fmt = image_format(out_path)
    if scale is not None and not (math.isfinite(scale) and scale > 0):
        raise RenderError(f"scale must be a positive number, got {scale}")
    graph = source.graph if isinstance(source, Document) else source
    if output is not None and output not in graph:
        raise RenderError(f"no node with id {output!r} to use as the output")
    if not len(graph):
        raise RenderError("nothing to draw: the graph has no nodes")
    for count, limit, what in ((len(graph), MAX_DRAWN_NODES, "nodes"), (len(graph.edges), MAX_DRAWN_EDGES, "edges")):
        if count > limit:
            raise RenderError(f"the graph has {count:,} {what}, more than a picture can show "
                              f"(at most {limit:,}); export it with --format dot, or open it in the editor")
    _check_size(_least_laid_out(graph), fmt, scale)  # before copying, and laying out nodes without positions
    graph = graph.copy()
    if output is not None:
        graph.set_output(output)
    document = Document(graph)
    scene = GraphScene(document, place_later=True)  # the document is evaluated: the scene shows it
    try:
        for kind, visible in (overlays or {}).items():
            scene.set_overlay_visible(kind, visible)
        _check_size(_drawn(scene), fmt, scale)  # no labels are placed yet: the drawing can only grow
        scene.place_labels()  # once: placement normally waits for an idle event loop
        drawn = _drawn(scene)
        area = QRectF(drawn.x(), drawn.y(), math.ceil(drawn.width()), math.ceil(drawn.height()))
        pixels = 1.0
        if fmt == "png":
            pixels = _png_scale(area, scale)
            if pixels < 1.0 and notify is not None:  # only without `scale`: a scale is kept or refused
                (w1, h1), (w, h) = _pixel_size(area, 1.0), _pixel_size(area, pixels)
                notify(f"note: at scale 1 the image would be {w1} × {h1} pixels; drawn at scale "
                       f"{pixels:.3g} ({w} × {h}) to stay within {MAX_PIXELS} a side and "
                       f"{MAX_MEGAPIXELS} megapixels")
        try:
            write_atomically(out_path, lambda tmp: _WRITERS[fmt](scene, area, tmp, pixels),
                             replace_read_only=replace_read_only)
        except ReadOnlyFileError:
            raise  # the caller refuses (CLI) or asks (editor)
        except OSError as e:
            raise RenderError(f"{out_path}: cannot write: {e.strerror or e}") from None
    finally:
        scene.detach()
    return Path(out_path)


def _check_size(least: QRectF, fmt: str, scale: float | None) -> None:
    """RenderError if a drawing at least `least` is too large for any image, or for a PNG at
    `scale`: said before the slow part (layout, label placement, drawing)."""
    if max(least.width(), least.height()) > MAX_EXTENT:
        raise RenderError(f"the drawing would be {least.width():.0f} × {least.height():.0f} units "
                          f"(at most {MAX_EXTENT} a side): some nodes lie far from the rest, or "
                          f"too many in a row; arrange the graph first")
    if fmt == "png":
        _png_scale(least, scale)


def _least_laid_out(graph: Graph) -> QRectF:
    """What the drawing spans at least, margins included, before nodes without positions are
    laid out: the nodes with positions span their box, and the layout's block its least extent."""
    placed = [n.pos for n in graph if n.pos is not None]
    width = height = 0.0
    if placed:
        xs, ys = [x for x, _ in placed], [y for _, y in placed]
        width, height = max(xs) - min(xs), max(ys) - min(ys)
    if len(placed) < len(graph):
        block = layered_extent(graph, [n.id for n in graph if n.pos is None])
        width, height = max(width, block[0]), max(height, block[1])
    return QRectF(0, 0, width, height).adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)


def _drawn(scene: GraphScene) -> QRectF:
    return scene.graph_rect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)


def _pixel_size(area: QRectF, scale: float) -> tuple[int, int]:
    return math.ceil(area.width() * scale), math.ceil(area.height() * scale)


def _png_scale(area: QRectF, scale: float | None) -> float:
    """`scale` if the PNG of `area` fits the pixel budget at it (RenderError if not); without
    one, 1 or the largest scale that fits."""
    width, height = _pixel_size(area, scale or 1.0)
    if max(width, height) <= MAX_PIXELS and width * height <= MAX_MEGAPIXELS * 1e6:
        return scale or 1.0
    if scale is not None:
        raise RenderError(f"the image would be {width} × {height} pixels (at most {MAX_PIXELS} a "
                          f"side and {MAX_MEGAPIXELS} megapixels); use a smaller scale")
    fit = min(MAX_PIXELS / max(area.width(), area.height()),
              math.sqrt(MAX_MEGAPIXELS * 1e6 / (area.width() * area.height())))
    if fit < MIN_FITTED_SCALE:
        raise RenderError(f"the image would be {width} × {height} pixels; within the pixel budget "
                          f"({MAX_PIXELS} a side, {MAX_MEGAPIXELS} megapixels) it would be drawn at scale "
                          f"{fit:.2g}, too small to read: render it as SVG or PDF instead")
    while max(_pixel_size(area, fit)) > MAX_PIXELS or math.prod(_pixel_size(area, fit)) > MAX_MEGAPIXELS * 1e6:
        fit *= 0.999  # rounding up to whole pixels may just overshoot
    return fit


def _paint(scene: GraphScene, painter: QPainter, area: QRectF, target: QRectF) -> None:
    painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing
                           | QPainter.SmoothPixmapTransform)
    painter.fillRect(target, BACKGROUND)
    scene.render(painter, target, area, Qt.IgnoreAspectRatio)
    painter.end()


def _begin(painter: QPainter, device, tmp: str) -> None:
    if not painter.begin(device):
        raise RenderError(f"{tmp}: cannot open for writing")


def _write_png(scene: GraphScene, area: QRectF, tmp: str, scale: float) -> None:
    width, height = _pixel_size(area, scale)
    image = QImage(width, height, QImage.Format_RGB32)
    if image.isNull():
        raise RenderError(f"not enough memory for a {width} × {height} image")
    area = QRectF(area.topLeft(), QSizeF(width / scale, height / scale))  # whole pixels, no seam
    dots_per_metre = round(96 * scale / 0.0254)  # a 2× image reads as 192 dpi: same size, sharper
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    painter = QPainter()
    _begin(painter, image, tmp)
    _paint(scene, painter, area, QRectF(0, 0, width, height))
    write_png(image, tmp)


def _write_svg(scene: GraphScene, area: QRectF, tmp: str, scale: float) -> None:
    generator = QSvgGenerator()
    generator.setFileName(tmp)
    generator.setSize(QSize(math.ceil(area.width()), math.ceil(area.height())))
    generator.setViewBox(QRectF(0, 0, area.width(), area.height()))
    generator.setResolution(POINTS_PER_INCH)
    generator.setTitle("Computational graph")
    generator.setDescription("Drawn by cgeditor")
    painter = QPainter()
    _begin(painter, generator, tmp)
    _paint(scene, painter, area, QRectF(0, 0, area.width(), area.height()))


def _write_pdf(scene: GraphScene, area: QRectF, tmp: str, scale: float) -> None:
    writer = QPdfWriter(tmp)
    writer.setCreator("cgeditor")
    writer.setTitle("Computational graph")
    writer.setResolution(POINTS_PER_INCH)  # one device unit = one point = one scene unit
    page = QPageSize(QSizeF(area.width(), area.height()), QPageSize.Point, "graph",
                     QPageSize.ExactMatch)
    writer.setPageLayout(QPageLayout(page, QPageLayout.Portrait, QMarginsF(0, 0, 0, 0)))
    painter = QPainter()
    _begin(painter, writer, tmp)
    _paint(scene, painter, area, QRectF(0, 0, area.width(), area.height()))


_WRITERS = {"png": _write_png, "svg": _write_svg, "pdf": _write_pdf}
