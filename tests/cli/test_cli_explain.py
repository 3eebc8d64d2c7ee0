import json
import re
from pathlib import Path

import pytest

from cgeditor.cli import main
from cgeditor.model.fileformat import save
from cgeditor.model.graph import Edge, Graph, Node, NodeKind

from helpers.graph_builders import doubling_chain

EXAMPLES = Path(__file__).parents[2] / "resources" / "examples"
LINEAR = str(EXAMPLES / "linear_regression.cgraph")  # L = (x·w + b − y)², x=2, w=3, b=1, y=5
TWO_PATHS = str(EXAMPLES / "two_paths.cgraph")  # e = (a + b)(b + 1), a=2, b=1


def explain(capsys, *args):
    status = main(["explain", *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def ladder_file(tmp_path):
    """60 layers of two rungs, each adding both rungs below: 2^61 paths from the output to x."""
    g = Graph()
    g.add_node(Node("x", NodeKind.VARIABLE, value=1.0))
    below = ("x", "x")
    for i in range(1, 61):
        for rung in (f"u{i}", f"v{i}"):
            g.add_node(Node(rung, NodeKind.OP, op="add"))
            g.add_edge(Edge(below[0], rung, 0))
            g.add_edge(Edge(below[1], rung, 1))
        below = (f"u{i}", f"v{i}")
    g.add_node(Node("L", NodeKind.OP, op="add"))
    g.add_edge(Edge("u60", "L", 0))
    g.add_edge(Edge("v60", "L", 1))
    path = tmp_path / "ladder.cgraph"
    save(g, path)
    return str(path)


def test_prints_one_chain_rule_line_per_backward_step(capsys):
    status, out, err = explain(capsys, LINEAR)
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "∂L/∂L = 1"
    assert "∂L/∂x += ∂L/∂(x·w) · ∂(x·w)/∂x = 4 · 3 = 12" in lines
    assert "∂L/∂w += ∂L/∂(x·w) · ∂(x·w)/∂w = 4 · 2 = 8" in lines
    assert "∂L/∂y += ∂L/∂(ŷ − y) · ∂(ŷ − y)/∂y = 4 · (-1) = -4" in lines
    assert len(lines) == 1 + 7  # the start, then one line per edge


def test_node_adds_the_path_decomposition_and_the_fork_summary(capsys):
    status, out, _ = explain(capsys, TWO_PATHS, "--node", "b")
    assert status == 0
    lines = out.splitlines()
    assert lines[-4:] == ["2 paths from e down to b:", "  e → c → b: 2 · 1 = 2", "  e → d → b: 3 · 1 = 3",
                          "∂e/∂b = 2 + 3 = 5"]
    assert "∂e/∂b = 3·1 + 2·1 = 5" in lines


def test_json_has_the_steps_and_paths_shape_of_issue_5(capsys):
    status, out, _ = explain(capsys, TWO_PATHS, "--node", "b", "--json")
    assert status == 0
    data = json.loads(out)
    assert set(data) == {"steps", "paths"}
    assert all(set(s) == {"source", "target", "port", "upstream", "local", "contribution", "total"}
               for s in data["steps"])
    assert data["steps"][0] == {"source": "c", "target": "e", "port": 0, "upstream": 1.0, "local": 2.0,
                                "contribution": 2.0, "total": 2.0}
    assert data["paths"] == {"node": "b", "count": 2,
                             "listed": [{"nodes": ["e", "c", "b"], "product": 2.0},
                                        {"nodes": ["e", "d", "b"], "product": 3.0}],
                             "sum": 5.0}


def test_json_without_node_has_null_paths_and_follows_set_and_output(capsys):
    status, out, _ = explain(capsys, LINEAR, "--set", "x=1", "--output", "xw", "--json")
    assert status == 0
    data = json.loads(out)
    assert data["paths"] is None
    assert [(s["source"], s["total"]) for s in data["steps"]] == [("x", 3.0), ("w", 1.0)]


def test_json_count_is_exact_for_two_to_the_61_paths_and_lists_50(capsys, ladder_file):
    status, out, _ = explain(capsys, ladder_file, "--node", "x", "--json")
    assert status == 0
    paths = json.loads(out)["paths"]
    assert paths["count"] == 2 ** 61 and '"count": 2305843009213693952' in out
    assert len(paths["listed"]) == 50
    assert all(len(p["nodes"]) == 62 and p["product"] == 1.0 for p in paths["listed"])
    assert paths["sum"] == 2.0 ** 61


def test_text_says_how_many_paths_are_not_listed(capsys, ladder_file):
    _, out, _ = explain(capsys, ladder_file, "--node", "x")
    lines = out.splitlines()
    assert "2305843009213693952 paths from L down to x:" in lines
    assert f"  … and {2 ** 61 - 50} more" in lines
    assert lines[-1] == "∂L/∂x = sum over all 2305843009213693952 paths = 2.306e+18"


def test_non_finite_numbers_are_strings_in_json(capsys):
    status, out, _ = explain(capsys, LINEAR, "--set", "x=nan", "--node", "x", "--json")
    assert status == 0
    data = json.loads(out)
    assert data["steps"][0]["local"] == "nan" and data["paths"]["sum"] == "nan"


def test_markdown_is_a_handout_with_numbered_steps_paths_table_and_results(capsys):
    status, out, _ = explain(capsys, TWO_PATHS, "--node", "b", "--markdown")
    assert status == 0
    assert out.startswith("## Backpropagation of e\n")
    assert "1. `∂e/∂c += ∂e/∂e · ∂[c × d]/∂c = 1 · 2 = 2`" in out
    assert "   - **`∂e/∂b = 3·1 + 2·1 = 5`**" in out
    assert "| 1 | `e → c → b: 2 · 1 = 2` |" in out
    assert "`∂e/∂b = 2 + 3 = 5`" in out
    assert "| b | 1 | 5 |" in out


@pytest.mark.parametrize("args, message", [
    (["missing.cgraph"], "missing.cgraph: no such file"),
    ([LINEAR, "--node", "q"], "--node q: no node with id 'q'"),
    ([LINEAR, "--output", "q"], "unknown output node 'q'"),
    ([LINEAR, "--set", "x=abc"], "--set x: 'abc' is not a number"),
    ([LINEAR, "--json", "--markdown"], "not allowed with argument"),
])
def test_bad_input_exits_2_with_one_line(capsys, args, message):
    status, out, err = explain(capsys, *args)
    assert status == 2 and out == ""
    assert len(err.splitlines()) == 1 and message in err


def test_invalid_graph_exits_2_naming_the_problem(capsys, tmp_path):
    g = Graph()
    g.add_node(Node("x", NodeKind.VARIABLE, value=1.0))
    g.add_node(Node("n", NodeKind.OP, op="add"))
    g.add_edge(Edge("x", "n", 0))
    save(g, tmp_path / "broken.cgraph")
    status, out, err = explain(capsys, str(tmp_path / "broken.cgraph"))
    assert status == 2 and out == ""
    assert err.splitlines() == ["cgeditor: error: node n: input 1 of add is not connected"]


def test_single_path_states_the_gradient_once(capsys):
    _, out, _ = explain(capsys, LINEAR, "--node", "x")
    assert out.splitlines()[-3:] == ["1 path from L down to x:",
                                     "  L → (ŷ − y) → ŷ → (x·w) → x: 4 · 1 · 1 · 3 = 12", "∂L/∂x = 12"]


def test_node_off_the_output_path_has_no_paths_and_gradient_zero(capsys, tmp_path):
    g = Graph()
    g.add_node(Node("x", NodeKind.VARIABLE, value=1.0))
    g.add_node(Node("spare", NodeKind.VARIABLE, value=2.0))
    g.add_node(Node("n", NodeKind.OP, op="neg"))
    g.add_edge(Edge("x", "n", 0))
    g.set_output("n")
    save(g, tmp_path / "spare.cgraph")
    _, out, _ = explain(capsys, str(tmp_path / "spare.cgraph"), "--node", "spare")
    assert out.splitlines()[-2:] == ["0 paths from n down to spare:", "∂n/∂spare = 0 (no path from n down to spare)"]


def test_markdown_of_hostile_labels_keeps_its_structure_and_shows_them_literally(capsys, tmp_path):
    g = Graph()
    labels = ["</td><script>alert(1)</script>", "a | b", "``x``", "*x* _y_ [l](javascript:x)",
              "\x1b[2J\u202e", "a\ud800"]
    for i, label in enumerate(labels):
        g.add_node(Node(f"v{i}", NodeKind.VARIABLE, label, value=1.0))
    g.add_node(Node("s", NodeKind.OP, "s", op="add"))
    for i in range(len(labels)):
        g.add_edge(Edge(f"v{i}", "s", i))
    path = tmp_path / "hostile.cgraph"
    save(g, path)
    status, out, _ = explain(capsys, str(path), "--node", "v1", "--markdown")
    assert status == 0 and "\x1b" not in out and "\u202e" not in out
    assert "<" not in re.sub(r"(`+).*?\1", "", out)  # HTML only inside code spans, where it is text
    rows = out.split("### Values and gradients\n\n")[1].splitlines()
    assert len(rows) == 2 + len(labels) + 1
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 4 for row in rows)
    assert "| a \\| b | 1 | 1 |" in rows and "| \\\\x1b\\[2J\\\\u202e | 1 | 1 |" in rows


@pytest.fixture(scope="module")
def doubling_file(tmp_path_factory):
    """2^14400 paths from the output to x: far past Python's 4,300-digit int-to-str limit."""
    path = tmp_path_factory.mktemp("doubling") / "doubling.cgraph"
    save(doubling_chain(3600, fan=16), path)
    return str(path)


def test_path_counts_past_the_digit_limit_print_as_powers(capsys, doubling_file):
    status, out, err = explain(capsys, doubling_file, "--node", "x")
    assert status == 0 and err == ""
    assert "2^14400 paths from a3600 down to x:" in out
    assert "  … and ≈ 6.8e4334 more" in out and "sum over all 2^14400 paths" in out


def test_path_counts_past_the_digit_limit_are_strings_in_json(capsys, doubling_file):
    status, out, _ = explain(capsys, doubling_file, "--node", "x", "--json")
    assert status == 0 and json.loads(out)["paths"]["count"] == "2^14400"
