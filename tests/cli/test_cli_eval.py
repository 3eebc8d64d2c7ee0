"""`cgeditor eval`: the promised numbers as JSON, a readable table, and one clear line per bad input."""

import json
import math
import subprocess
import sys
import types

import pytest

from helpers.example_numbers import CASES, NAMES, case_id
from cgeditor.cli import SUBCOMMANDS, main
from cgeditor.model.fileformat import dumps, load
from cgeditor.resources import example_path


def run_json(capsys, name, *extra):
    status = main(["eval", str(example_path(name)), "--json", *extra])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    return json.loads(out)


def number(x):
    return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}.get(x, x)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_example_numbers_in_process(capsys, case):
    name, sets, values, grads = case
    result = run_json(capsys, name, *[f"--set={k}={v!r}" for k, v in sets.items()])
    for node_id, want in values.items():
        assert number(result["nodes"][node_id]["value"]) == pytest.approx(want, rel=1e-12, abs=1e-12)
    for node_id, want in grads.items():
        assert number(result["nodes"][node_id]["grad"]) == pytest.approx(want, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("name", ["chain_rule", "deep_chain", "tanh_neuron"])
def test_example_numbers_as_a_subprocess(name):
    proc = subprocess.run([sys.executable, "-m", "cgeditor", "eval", str(example_path(name)), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    [(_, _, values, grads)] = [c for c in CASES if c[0] == name and not c[1]]
    for node_id, want in values.items():
        assert result["nodes"][node_id]["value"] == pytest.approx(want, rel=1e-12)
    for node_id, want in grads.items():
        assert result["nodes"][node_id]["grad"] == pytest.approx(want, rel=1e-12, abs=1e-12)


def test_json_has_exactly_the_documented_shape(capsys):
    result = run_json(capsys, "chain_rule")
    assert set(result) == {"output", "nodes", "edges"}
    assert result["output"] == "L"
    assert list(result["nodes"]) == ["x", "y", "z1", "z2", "L"]  # file order
    assert result["nodes"]["x"] == {"value": 2.0, "grad": 64.0}
    assert result["edges"] == [
        {"source": "x", "target": "z1", "port": 0, "local_grad": 3.0},
        {"source": "y", "target": "z1", "port": 1, "local_grad": 2.0},
        {"source": "x", "target": "z2", "port": 0, "local_grad": 1.0},
        {"source": "z1", "target": "z2", "port": 1, "local_grad": 1.0},
        {"source": "z2", "target": "L", "port": 0, "local_grad": 16.0},
    ]


def test_every_example_evaluates(capsys):
    assert sorted(p.stem for p in example_path("chain_rule").parent.glob("*.cgraph")) == sorted(NAMES)
    for name in NAMES:
        result = run_json(capsys, name)
        assert result["nodes"][result["output"]]["grad"] == 1.0


def test_non_finite_numbers_are_strings(capsys):
    result = run_json(capsys, "chain_rule", "--set", "x=inf", "--set", "y=0")
    assert result["nodes"]["x"]["value"] == "inf"
    assert result["nodes"]["z1"]["value"] == "nan"
    assert result["edges"][1]["local_grad"] == "inf"


def test_each_number_is_written_as_json_dumps_writes_it_signed_zeros_included():
    """Equal numbers are written once and reused: 0.0 and -0.0 are equal, yet each keeps its sign."""
    from cgeditor.cli.eval_cmd import number_texts

    xs = [0.0, -0.0, 1.0, 1.0, -0.0, 0.1 + 0.2, math.inf, -math.inf, math.nan, 0.0, 1e-310, -1e300]
    assert number_texts(xs) == [json.dumps(x) if math.isfinite(x) else json.dumps(str(x)) for x in xs]
    assert number_texts([-0.0, 0.0]) == ["-0.0", "0.0"]


def test_output_option_differentiates_another_node(capsys):
    result = run_json(capsys, "chain_rule", "--output", "z1")
    assert result["output"] == "z1"
    assert result["nodes"]["x"]["grad"] == 3.0 and result["nodes"]["L"]["grad"] == 0.0


def test_set_accepts_constants_too(capsys):
    result = run_json(capsys, "square_plus_one", "--set", "one=10")
    assert result["nodes"]["z"]["value"] == 14.0


def test_table_lists_every_node_with_value_and_gradient(capsys):
    assert main(["eval", str(example_path("chain_rule"))]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "output L = 64; gradient = dL/d(node)"
    assert out[2].split() == ["id", "label", "kind", "value", "gradient"]
    rows = {line.split()[0]: line for line in out[4:]}
    assert set(rows) == {"x", "y", "z1", "z2", "L"}
    assert rows["x"].split()[-2:] == ["2", "64"]
    assert rows["z1"].split()[-4:] == ["op", "mul", "6", "16"]
    widths = {len(line) for line in out[2:]}
    assert len(widths) == 1  # right-aligned numbers make every row the same width


# -- bad input: exit status 2 and exactly one line on stderr ------------------------------------

X = {"id": "x", "kind": "variable", "value": 2.0, "pos": [0, 0]}
Y = {"id": "y", "kind": "variable", "value": 3.0, "pos": [0, 110]}


def doc(nodes, edges=(), **top):
    return json.dumps({"format": "cgeditor-graph", "version": 1, "nodes": nodes, "edges": list(edges),
                       **top})


def op(node_id, name):
    return {"id": node_id, "kind": "op", "op": name, "pos": [170, 55]}


def edge(source, target, port):
    return {"source": source, "target": target, "port": port}


BAD_FILES = [
    ("not UTF-8", b'{"format": "\xff"}', "not UTF-8"),
    ("empty", b"", "empty document"),
    ("not JSON", b'{"format": }', "not JSON: Expecting value at line 1, column 12"),
    ("nested too deep", b"[" * 50_000 + b"]" * 50_000, "nested too deep"),
    ("not an object", b"[]", "must be a JSON object"),
    ("wrong format", b'{"format": "dot", "version": 1}', "\"format\" must be 'cgeditor-graph'"),
    ("unsupported version", b'{"format": "cgeditor-graph", "version": 9}',
     "unsupported version 9 (written by a newer cgeditor): this cgeditor reads versions 1 and 2"),
    ("unknown op", doc([X, op("q", "frobnicate")]).encode(), "unknown op 'frobnicate'"),
    ("edge from unknown node", doc([X, op("n", "neg")], [edge("ghost", "n", 0)]).encode(),
     "unknown node 'ghost'"),
    ("duplicate id", doc([X, X]).encode(), "duplicate node id 'x'"),
    ("value not a number", doc([dict(X, value="two")]).encode(), "must be a number"),
    ("cycle", doc([X, op("a", "add"), op("n", "neg")],
                  [edge("x", "a", 0), edge("n", "a", 1), edge("a", "n", 0)]).encode(),
     "cycle through a, n"),
    ("unconnected port", doc([X, op("s", "sub")], [edge("x", "s", 0)]).encode(),
     "node s: input b of sub is not connected"),
    ("port connected twice", doc([X, Y, op("n", "neg")], [edge("x", "n", 0), edge("y", "n", 0)]).encode(),
     "input 0 is connected twice (from x, y)"),
    ("port beyond arity", doc([X, Y, op("n", "neg")], [edge("x", "n", 0), edge("y", "n", 1)]).encode(),
     "port 1 is beyond neg's 1 input"),
    ("edge into a variable", doc([X, Y], [edge("x", "y", 0)]).encode(), "y is a variable and takes no inputs"),
    ("several sinks", doc([X, Y]).encode(), "several sinks and no output chosen: x, y (choose one with --output)"),
]


def run_bad(capsys, argv):
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_line_error(status, out, err, message):
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and err.endswith("\n")
    assert "Traceback" not in err
    assert message in err


@pytest.mark.parametrize("content, message", [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_bad_file_gives_status_2_and_one_line(tmp_path, capsys, content, message):
    path = tmp_path / "bad.cgraph"
    path.write_bytes(content)
    status, out, err = run_bad(capsys, ["eval", str(path)])
    assert_one_line_error(status, out, err, message)
    assert str(path) in err


def test_missing_file(tmp_path, capsys):
    assert_one_line_error(*run_bad(capsys, ["eval", str(tmp_path / "nope.cgraph")]), "nope.cgraph: no such file")


def test_several_problems_share_one_line(tmp_path, capsys):
    path = tmp_path / "two.cgraph"
    path.write_text(doc([X, op("s", "sub"), op("t", "tanh")], [edge("x", "s", 0)]))
    status, out, err = run_bad(capsys, ["eval", str(path)])
    assert_one_line_error(status, out, err, "input b of sub is not connected; node t: input 0")


def test_very_many_problems_are_cut_short(tmp_path, capsys):
    ops = [op(f"n{i}", "neg") for i in range(25)]
    path = tmp_path / "many.cgraph"
    path.write_text(doc([X] + ops))
    status, out, err = run_bad(capsys, ["eval", str(path)])
    assert_one_line_error(status, out, err, "; and 15 more problems")
    assert err.count(";") == 10


CHAIN = str(example_path("chain_rule"))


@pytest.mark.parametrize("argv, message", [
    (["eval", CHAIN, "--set", "q=1"], "--set q: no node with id 'q' (variables: x, y)"),
    (["eval", CHAIN, "--set", "x=two"], "--set x: 'two' is not a number"),
    (["eval", CHAIN, "--set", "x="], "--set x: expected a number, got nothing"),
    (["eval", CHAIN, "--set", "x"], "--set expects ID=VALUE, got 'x'"),
    (["eval", CHAIN, "--set", "z1=3"], "'z1' is an op node"),
    (["eval", CHAIN, "--output", "nope"], "unknown output node 'nope'"),
    (["eval"], "give either FILE or --expr/--expr-file"),
    (["eval", CHAIN, "--frobnicate"], "unrecognized arguments: --frobnicate"),
])
def test_bad_arguments_give_status_2_and_one_line(capsys, argv, message):
    assert_one_line_error(*run_bad(capsys, argv), message)


def test_bad_input_through_a_real_process_has_no_traceback(tmp_path):
    path = tmp_path / "cycle.cgraph"
    path.write_text(doc([X, op("a", "add")], [edge("x", "a", 0), edge("a", "a", 1)]))
    proc = subprocess.run([sys.executable, "-m", "cgeditor", "eval", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "cycle through a" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_file_saved_by_the_model_evaluates(tmp_path, capsys):
    g = load(example_path("two_paths"))
    g.set_value("a", 10.0)
    path = tmp_path / "saved.cgraph"
    path.write_text(dumps(g))
    assert main(["eval", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["nodes"]["e"]["value"] == 22.0


# -- dispatch -----------------------------------------------------------------------------------


def test_eval_is_a_registered_subcommand():
    assert "eval" in SUBCOMMANDS


def test_no_subcommand_opens_the_editor_on_the_file(monkeypatch):
    opened = []
    fake = types.ModuleType("cgeditor.editor.window.app")
    fake.run = lambda path: opened.append(path) or 0
    monkeypatch.setitem(sys.modules, "cgeditor.editor.window.app", fake)
    assert main([CHAIN]) == 0
    assert main([]) == 0
    assert opened == [CHAIN, None]


def test_editor_that_cannot_be_imported_gives_one_line_and_status_1(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "cgeditor.editor.window.app", None)  # makes the import fail
    assert main([CHAIN]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot start the editor" in err


def test_help_exits_zero(capsys):
    assert main(["eval", "--help"]) == 0
    assert "--set ID=VALUE" in capsys.readouterr().out
    assert main(["--help"]) == 0
    assert "eval" in capsys.readouterr().out


def test_eval_expr_gives_the_typed_programs_numbers(capsys):
    status = main(["eval", "--expr", "e = (a + b) * (b + 1)", "--set", "a=2", "--set", "b=1", "--json"])
    nodes = json.loads(capsys.readouterr().out)["nodes"]
    assert status == 0
    assert (nodes["e"]["value"], nodes["a"]["grad"], nodes["b"]["grad"]) == (6.0, 2.0, 5.0)


def test_eval_refuses_a_file_and_an_expression_together(capsys):
    status = main(["eval", "x.cgraph", "--expr", "x * 2", "--set", "x=1"])
    assert status == 2
    assert "give either FILE or --expr" in capsys.readouterr().err
