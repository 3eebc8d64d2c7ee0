"""Pictures of graphs: `render_graph` and `cgeditor render` draw what the canvas draws, headless."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage

from cgeditor.cli import main
from cgeditor.editor.document.document import Document
from cgeditor.editor.canvas.render import MAX_MEGAPIXELS, MAX_PIXELS, RenderError, render_graph
from cgeditor.editor.canvas import render as render_module
from cgeditor.editor.canvas import scene as scene_module
from cgeditor.editor.canvas.items import OverlayLabel
from cgeditor.editor.canvas.scene import GraphScene
from cgeditor.model import fileformat
from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.resources import example_path, list_examples

MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "svg": b"<?xml", "pdf": b"%PDF-"}


def svg_texts(path) -> list[str]:
    """Every text drawn into an SVG file (parsing it also proves it is well-formed XML)."""
    root = ET.parse(path).getroot()
    return [el.text for el in root.iter("{http://www.w3.org/2000/svg}text") if el.text]


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = main(["render", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", sorted(MAGIC))
@pytest.mark.parametrize("example", list_examples(), ids=lambda p: p.stem)
def test_every_example_renders_to_a_nonempty_file_of_its_type(qapp, tmp_path, example, fmt):
    out = tmp_path / f"{example.stem}.{fmt}"
    render_graph(fileformat.load(example), out)
    data = out.read_bytes()
    assert data.startswith(MAGIC[fmt])
    assert len(data) > 2000
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left behind


def test_svg_holds_the_overlay_numbers_of_chain_rule(qapp, tmp_path):
    out = tmp_path / "chain.svg"
    render_graph(fileformat.load(example_path("chain_rule")), out)
    texts = svg_texts(out)
    assert "64" in texts  # L = (x + x·y)² at x=2, y=3
    assert {"∂ 64", "∂ 32", "∂ 16"} <= set(texts)  # dL/dx, dL/dy, dL/dz2
    assert {"x", "y", "output"} <= set(texts)


def test_hidden_overlays_are_left_out_of_the_picture(qapp, tmp_path):
    out = tmp_path / "values_only.svg"
    render_graph(fileformat.load(example_path("chain_rule")), out,
                 overlays={"grads": False, "edge_grads": False})
    texts = svg_texts(out)
    assert "64" in texts
    assert not [t for t in texts if t.startswith("∂")]


def test_output_option_differentiates_the_chosen_node(qapp, tmp_path):
    out = tmp_path / "z2.svg"
    render_graph(fileformat.load(example_path("chain_rule")), out, output="z2")
    texts = svg_texts(out)
    assert "∂ 4" in texts and "∂ 2" in texts  # dz2/dx = 1 + y, dz2/dy = x
    assert "∂ 64" not in texts


def test_rendering_a_document_leaves_it_untouched(qapp, tmp_path):
    document = Document.open(example_path("chain_rule"))
    before = document.graph.copy()
    render_graph(document, tmp_path / "doc.png", output="z1")
    assert document.graph == before
    assert document.graph.output == "L"
    assert not document.is_modified()


def test_png_has_a_white_border_all_round(qapp, tmp_path):
    out = tmp_path / "border.png"
    render_graph(fileformat.load(example_path("two_paths")), out)
    image = QImage(str(out))
    w, h = image.width(), image.height()
    border = [image.pixel(x, y) for x in range(w) for y in (0, 1, h - 2, h - 1)]
    border += [image.pixel(x, y) for y in range(h) for x in (0, 1, w - 2, w - 1)]
    assert set(border) == {0xFFFFFFFF}
    inside = {image.pixel(x, h // 2) for x in range(w)}
    assert len(inside) > 1  # and something drawn in between


def test_empty_graph_is_refused(qapp, tmp_path):
    with pytest.raises(RenderError, match="no nodes"):
        render_graph(Graph(), tmp_path / "empty.png")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("fmt", sorted(MAGIC))
def test_a_node_far_away_is_refused_rather_than_drawn_huge(qapp, tmp_path, fmt):
    graph = Graph()
    graph.add_node(Node("a", NodeKind.VARIABLE, value=1.0, pos=(0.0, 0.0)))
    graph.add_node(Node("b", NodeKind.VARIABLE, value=2.0, pos=(1e12, 0.0)))
    with pytest.raises(RenderError, match="far from the rest"):
        render_graph(graph, tmp_path / f"far.{fmt}")
    assert not list(tmp_path.iterdir())


def test_cli_png_size_follows_scale(qapp, tmp_path, capsys):
    sizes = {}
    for scale in (1, 2.5):
        out = tmp_path / f"s{scale}.png"
        assert run_cli(capsys, example_path("chain_rule"), "-o", out, "--scale", scale) == (0, "", "")
        image = QImage(str(out))
        sizes[scale] = (image.width(), image.height())
    (w1, h1), (w2, h2) = sizes[1], sizes[2.5]
    assert abs(w2 - 2.5 * w1) <= 3 and abs(h2 - 2.5 * h1) <= 3
    assert w1 > 300 and h1 > 100


@pytest.mark.parametrize("scale, dpi", [(1, 96), (2, 192), (0.5, 48)])
def test_a_png_holds_the_resolution_of_its_scale_so_it_shows_at_the_canvas_size(qapp, tmp_path, scale, dpi):
    out = tmp_path / "dpi.png"
    render_graph(fileformat.load(example_path("chain_rule")), out, scale=scale)
    image = QImage(str(out))
    assert image.dotsPerMeterX() == image.dotsPerMeterY() == round(dpi / 0.0254)


def test_a_png_holds_exactly_the_pixels_painted(qapp, tmp_path, monkeypatch):
    """The file is written by png_writer, not QImage.save: what reads back is the image the
    scene was painted on, every pixel."""
    painted = []
    write = render_module.write_png
    monkeypatch.setattr(render_module, "write_png", lambda image, path: painted.append(image.copy()) or write(image, path))
    out = tmp_path / "exact.png"
    render_graph(fileformat.load(example_path("tanh_neuron")), out, scale=1.7)
    (image,) = painted
    assert QImage(str(out)).convertToFormat(QImage.Format_RGB32) == image


def test_cli_applies_set_values(qapp, tmp_path, capsys):
    out = tmp_path / "set.svg"
    code, _, _ = run_cli(capsys, example_path("chain_rule"), "-o", out, "--set", "x=1", "--set", "y=0.5")
    assert code == 0
    assert "2.25" in svg_texts(out)


@pytest.mark.parametrize("args, needle", [
    (["{ex}", "-o", "{tmp}/g.jpg"], "unknown image type ('.jpg')"),
    (["{ex}", "-o", "{tmp}/g"], "unknown image type (no suffix)"),
    (["{tmp}/missing.cgraph", "-o", "{tmp}/g.png"], "missing.cgraph"),
    (["{ex}", "-o", "{tmp}/g.png", "--output", "nope"], "--output nope"),
    (["{ex}", "-o", "{tmp}/g.png", "--set", "q=1"], "--set q"),
    (["{ex}", "-o", "{tmp}/g.png", "--scale", "-2"], "positive"),
    (["{ex}", "-o", "{tmp}/g.png", "--scale", "big"], "expected a number"),
    (["{ex}", "-o", "{tmp}/g.png", "--scale", "500"], "use a smaller scale"),
    (["{ex}", "-o", "{tmp}/no/such/dir/g.png"], "cannot write"),
    (["{ex}"], "-o"),
], ids=["extension", "no-suffix", "missing-file", "unknown-output", "unknown-set", "negative-scale",
        "text-scale", "huge-scale", "unwritable", "no-out"])
def test_cli_bad_input_exits_2_with_one_line(qapp, tmp_path, capsys, args, needle):
    argv = [a.format(ex=example_path("chain_rule"), tmp=tmp_path) for a in args]
    code, out, err = run_cli(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and needle in err
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_cli_renders_without_a_display(tmp_path):
    """A fresh process with no DISPLAY and no platform chosen must pick offscreen by itself."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = tmp_path / "headless.pdf"
    result = subprocess.run([sys.executable, "-m", "cgeditor", "render", str(example_path("deep_chain")),
                             "-o", str(out)], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(MAGIC["pdf"])


def _two_nodes(apart: float) -> Graph:
    graph = Graph()
    graph.add_node(Node("a", NodeKind.VARIABLE, value=1.0, pos=(0.0, 0.0)))
    graph.add_node(Node("b", NodeKind.VARIABLE, value=2.0, pos=(apart, 0.0)))
    return graph


def test_a_png_too_large_at_scale_1_is_drawn_smaller_within_the_budget_and_says_so(qapp, tmp_path):
    out, heard = tmp_path / "wide.png", []
    render_graph(_two_nodes(30000.0), out, notify=heard.append)
    image = QImage(str(out))
    assert image.width() == MAX_PIXELS and image.width() * image.height() <= MAX_MEGAPIXELS * 1e6
    assert len(heard) == 1 and "drawn at scale 0.6" in heard[0] and f"{MAX_PIXELS} a side" in heard[0]


def test_cli_tells_on_stderr_that_a_large_png_was_drawn_smaller(qapp, tmp_path, capsys):
    path, out = tmp_path / "wide.cgraph", tmp_path / "wide.png"
    fileformat.save(_two_nodes(30000.0), path)
    code, stdout, err = run_cli(capsys, path, "-o", out)
    assert (code, stdout) == (0, "") and err.startswith("cgeditor: note: at scale 1 the image would be")
    assert QImage(str(out)).width() == MAX_PIXELS


@pytest.mark.parametrize("graph, scale, needle", [
    (_two_nodes(30000.0), 1.0, "use a smaller scale"),
    (_two_nodes(1e12), None, "far from the rest"),
], ids=["scale-too-large", "far-away-node"])
def test_a_drawing_too_large_is_refused_before_any_label_is_placed(qapp, tmp_path, monkeypatch, graph, scale,
                                                                   needle):
    def placing(scene) -> None:
        raise AssertionError("labels were placed before the size was checked")

    monkeypatch.setattr(scene_module, "LAZY_LIMIT", 0)  # else the scene places a small graph's labels as it is built
    monkeypatch.setattr(GraphScene, "place_labels", placing)
    with pytest.raises(RenderError, match=needle):
        render_graph(graph, tmp_path / "big.png", scale=scale)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_a_chain_too_long_to_draw_is_refused_before_it_is_laid_out(qapp, tmp_path, monkeypatch, fmt):
    """A 200,000-node cycle was laid out and built into a scene before being refused: the layout's
    least extent (a layer per node of the chain) is known without it."""
    from cgeditor.model import layout

    def laying_out(*args, **kwargs):
        raise AssertionError("laid out before the size was checked")

    graph = Graph()
    for i in range(6000):  # 5,999 layers of LAYER_GAP: over MAX_EXTENT wide
        graph.add_node(Node(f"n{i}", NodeKind.OP, op="neg"))
        if i:
            graph.add_edge(Edge(f"n{i - 1}", f"n{i}", 0))
    monkeypatch.setattr(layout, "layered_layout", laying_out)
    monkeypatch.setattr(scene_module, "layered_layout", laying_out)
    with pytest.raises(RenderError, match="too many in a row"):
        render_graph(graph, tmp_path / f"chain.{fmt}")
    assert not list(tmp_path.iterdir())


def test_a_render_places_the_labels_once_even_with_overlays_toggled(qapp, tmp_path, monkeypatch):
    from cgeditor.editor.canvas import label_layout

    placements = []
    place = label_layout.place_labels
    monkeypatch.setattr(label_layout, "place_labels", lambda *a, **k: placements.append(1) or place(*a, **k))
    graph = fileformat.load(example_path())
    render_graph(graph, tmp_path / "out.svg", overlays={"values": True, "grads": False, "edge_grads": False})
    assert len(placements) == 1
    assert "∂" not in "".join(svg_texts(tmp_path / "out.svg"))  # the toggles were kept


def _layered_dag(n_ops: int, seed: int) -> Graph:
    """A fixed random DAG of add/mul/tanh without positions, inputs drawn from the 8 nodes before."""
    rng = random.Random(seed)
    graph = Graph()
    ids = [f"x{i}" for i in range(4)]
    for i, leaf in enumerate(ids):
        graph.add_node(Node(leaf, NodeKind.VARIABLE, value=0.25 * i - 0.4))
    for i in range(n_ops):
        op = rng.choice(("add", "mul", "tanh"))
        graph.add_node(Node(f"n{i}", NodeKind.OP, op=op))
        for port, source in enumerate(rng.sample(ids[-8:], 1 if op == "tanh" else 2)):
            graph.add_edge(Edge(source, f"n{i}", port))
        ids.append(f"n{i}")
    graph.set_output(ids[-1])
    return graph


def test_the_labels_of_a_small_layered_dag_cover_no_other_label_and_no_node(qapp, tmp_path):
    """The quality that making the placement faster must keep: on a layered layout every value,
    gradient and edge label finds a spot clear of the nodes and of each other."""
    path = tmp_path / "dag.cgraph"
    fileformat.save(_layered_dag(24, seed=5), path)
    scene = GraphScene(Document(fileformat.load(path)), place_later=True)  # laid out as render has it
    scene.place_labels()
    labels = [item.sceneBoundingRect() for item in scene.items()
              if isinstance(item, OverlayLabel) and item.isVisible()]
    nodes = [QRectF(item.x() + b.x, item.y() + b.y, b.w, b.h)
             for item in scene.items_by_node.values() for b in [item.shape_info.bounds]]
    assert len(labels) > 2 * len(nodes)  # values, gradients and the edges' local gradients
    for i, label in enumerate(labels):
        assert not any(label.intersects(other) for other in labels[i + 1:])
        assert not any(label.intersects(node) for node in nodes)
    scene.detach()


def test_a_graph_with_more_nodes_than_a_picture_can_show_is_refused_at_once(qapp, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(render_module, "MAX_DRAWN_NODES", 30)
    graph = Graph()
    for k in range(31):
        graph.add_node(Node(f"v{k}", NodeKind.VARIABLE, value=1.0))
    path = tmp_path / "many.cgraph"
    fileformat.save(graph, path)
    code, out, err = run_cli(capsys, path, "-o", tmp_path / "many.png")
    assert code == 2 and out == ""
    assert "31 nodes, more than a picture can show (at most 30)" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "many.png").exists()
    graph.remove_node("v30")
    render_graph(graph, tmp_path / "thirty.svg")  # at the limit: drawn
    assert (tmp_path / "thirty.svg").stat().st_size > 0


def test_a_graph_with_more_edges_than_a_picture_can_show_is_refused_at_once(qapp, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(render_module, "MAX_DRAWN_EDGES", 8)
    graph = Graph()
    graph.add_node(Node("x", NodeKind.VARIABLE, value=1.0))
    graph.add_node(Node("s", NodeKind.OP, op="add"))
    for port in range(9):  # nine parallel edges: few nodes, many curves and labels
        graph.add_edge(Edge("x", "s", port))
    path = tmp_path / "fan.cgraph"
    fileformat.save(graph, path)
    code, out, err = run_cli(capsys, path, "-o", tmp_path / "fan.svg")
    assert code == 2 and out == ""
    assert "9 edges, more than a picture can show (at most 8)" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "fan.svg").exists()
    graph.remove_edge(Edge("x", "s", 8))
    render_graph(graph, tmp_path / "eight.svg")  # at the limit: drawn
    assert (tmp_path / "eight.svg").stat().st_size > 0


def test_a_png_that_would_be_drawn_too_small_to_read_is_refused_before_any_layout(qapp, tmp_path):
    graph = Graph()
    previous = None
    for k in range(2000):  # a long chain: 2,000 layers side by side
        graph.add_node(Node(f"n{k}", NodeKind.VARIABLE if previous is None else NodeKind.OP, value=1.0 if previous is None else None,
                            op=None if previous is None else "neg"))
        if previous is not None:
            graph.add_edge(Edge(previous, f"n{k}", 0))
        previous = f"n{k}"
    with pytest.raises(RenderError, match="too small to read: render it as SVG"):
        render_graph(graph, tmp_path / "chain.png")
    assert not (tmp_path / "chain.png").exists() and all(n.pos is None for n in graph)
    render_graph(graph, tmp_path / "chain.svg")  # a vector format has no pixel budget
