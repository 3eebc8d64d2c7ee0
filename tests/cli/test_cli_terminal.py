"""What reaches the terminal is shown, never obeyed: controls in labels, ids and arguments are
printed as escapes, every output encodes (a lone surrogate too), and wide characters keep the
eval table's columns straight.  Run as real processes, so stdout's own encoding is in play."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from cgeditor.model.escape import display_width
from cgeditor.model.fileformat import save
from cgeditor.model.graph import Edge, Graph, Node, NodeKind

from helpers.hostile_text import TERMINAL

RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory):
    g = Graph()
    for i, label in enumerate(TERMINAL.values()):
        g.add_node(Node(f"v{i}", NodeKind.VARIABLE, label, value=float(i)))
    g.add_node(Node("s", NodeKind.OP, "🧮 Σ", op="add"))
    for i in range(len(TERMINAL)):
        g.add_edge(Edge(f"v{i}", "s", i))
    path = tmp_path_factory.mktemp("terminal") / "controls.cgraph"
    save(g, path)
    return str(path)


def cgeditor(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cgeditor", *args], capture_output=True, timeout=60)


@pytest.mark.parametrize("args", [["eval"], ["eval", "--json"], ["explain", "--node", "v0"],
                                  ["explain", "--markdown", "--node", "v13"], ["explain", "--json"],
                                  ["export", "--format", "python"], ["export", "--format", "dot"]],
                         ids=" ".join)
def test_no_control_character_reaches_the_terminal(hostile_file, args):
    out = cgeditor(args[0], hostile_file, *args[1:])
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode("utf-8")  # strict: a lone surrogate would have failed the write
    assert not RAW_CONTROL.search(text), RAW_CONTROL.search(text)


def test_eval_table_shows_controls_as_escapes_in_aligned_columns(hostile_file):
    lines = cgeditor("eval", hostile_file).stdout.decode("utf-8").splitlines()[2:]
    assert "\\x1b]0;pwned\\x07x" in lines[2 + 1] and "\\u202eevil\\u202c" in lines[2 + 7]
    assert any("a\\ud800" in line for line in lines)
    kinds = [line.index("variable") if "variable" in line else line.index("op add") for line in lines[2:]]
    columns = {display_width(line[:k]) for line, k in zip(lines[2:], kinds)}
    assert len(columns) == 1, lines


def test_error_messages_show_controls_in_arguments_and_paths_escaped(tmp_path):
    out = cgeditor("eval", str(tmp_path / "\x1b]0;pwned\x07.cgraph"))
    assert out.returncode == 2 and out.stderr.count(b"\n") == 1
    assert b"\x1b" not in out.stderr and b"\\x1b]0;pwned\\x07" in out.stderr
    out = cgeditor("export", str(tmp_path / "x.cgraph"), "--format", "\u202e\x9b2J")
    assert out.returncode == 2 and out.stderr.count(b"\n") == 1
    assert not RAW_CONTROL.search(out.stderr.decode("utf-8"))
