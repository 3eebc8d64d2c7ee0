"""`cgeditor render` of an invalid graph: the picture is drawn with the problems marked, stderr
names each problem on a line of its own (capped, escaped for the terminal) and the exit status is 2.

Each run is a child process, so this test process never imports Qt (tests/cli runs without
PySide6; there the render runs are skipped)."""

import importlib.util
import subprocess
import sys

import pytest

from cgeditor.model.fileformat import dumps
from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.resources import example_path

pytestmark = pytest.mark.skipif(importlib.util.find_spec("PySide6") is None, reason="render needs PySide6")

ERROR_RED = "#e03131"  # the canvas theme's error colour: the dashed frame round a node at fault


def render(source, out):
    return subprocess.run([sys.executable, "-m", "cgeditor", "render", str(source), "-o", str(out)],
                          capture_output=True, text=True, timeout=120)


def unconnected_ops(count: int) -> Graph:
    """x feeding the first input of `count` products whose second input is left open."""
    graph = Graph()
    graph.add_node(Node("x", NodeKind.VARIABLE, value=2.0, pos=(0.0, 0.0)))
    for i in range(count):
        graph.add_node(Node(f"m{i}", NodeKind.OP, op="mul", pos=(200.0, 120.0 * i)))
        graph.add_edge(Edge("x", f"m{i}", 0))
    return graph


def test_an_invalid_graph_is_drawn_with_its_markers_and_each_problem_named_on_stderr(tmp_path):
    source = tmp_path / "open.cgraph"
    source.write_text(dumps(unconnected_ops(2)))
    result = render(source, tmp_path / "open.svg")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [f"cgeditor: {source}: node m0: input 1 of mul is not connected",
                                          f"cgeditor: {source}: node m1: input 1 of mul is not connected"]
    assert (tmp_path / "open.svg").read_text().lower().count(ERROR_RED) >= 2


def test_a_valid_graph_renders_silently_with_no_marker(tmp_path):
    result = render(example_path("two_paths"), tmp_path / "fine.svg")
    assert (result.returncode, result.stderr) == (0, "")
    assert ERROR_RED not in (tmp_path / "fine.svg").read_text().lower()


def test_many_problems_are_capped_and_the_rest_counted(tmp_path):
    source = tmp_path / "many.cgraph"
    source.write_text(dumps(unconnected_ops(13)))
    result = render(source, tmp_path / "many.png")
    lines = result.stderr.splitlines()
    assert result.returncode == 2 and len(lines) == 11
    assert lines[-1] == f"cgeditor: {source}: and 3 more problems"
    assert (tmp_path / "many.png").stat().st_size > 0


def test_problem_lines_show_terminal_controls_in_the_file_name_escaped(tmp_path):
    source = tmp_path / "red\x1b[31m.cgraph"
    source.write_text(dumps(unconnected_ops(1)))
    result = render(source, tmp_path / "out.png")
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "red\\x1b[31m.cgraph" in result.stderr
    assert result.stderr.count("\n") == 1
