"""Programs with `def` on the command line (`eval --expr-file`, `new`) and `new --mlp`."""

import json

import pytest

from cgeditor.cli import main
from cgeditor.model.evaluate import evaluate
from cgeditor.model.fileformat import load
from cgeditor.model.mlp import build_mlp
from helpers.block_programs import NEURON, WRITTEN_OUT

SETS = ["--set", "x1=0.7", "--set", "x2=-1.2", "--set", "a=0.4", "--set", "c=-0.9", "--set", "b1=0.3",
        "--set", "v=1.7"]


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def _eval_file(capsys, path):
    status, out, err = run(capsys, "eval", "--expr-file", str(path), *SETS, "--json")
    assert (status, err) == (0, "")
    return json.loads(out)


def test_eval_of_a_program_with_blocks_equals_the_program_written_out(capsys, tmp_path):
    (tmp_path / "blocks.py").write_text(NEURON, encoding="utf-8")
    (tmp_path / "plain.py").write_text(WRITTEN_OUT, encoding="utf-8")
    with_blocks = _eval_file(capsys, tmp_path / "blocks.py")
    plain = _eval_file(capsys, tmp_path / "plain.py")
    assert with_blocks["output"] == plain["output"] == "L"
    for name in ("x1", "x2", "a", "c", "b1", "v", "h1", "L"):
        for key in ("value", "grad"):
            assert with_blocks["nodes"][name][key] == pytest.approx(plain["nodes"][name][key], rel=1e-12), name


@pytest.mark.parametrize("program, reason, line", [
    ("def f(t):\n    return f(t)\ny = f(x)", "recursion: f calls itself", 2),
    ("def f(a, b):\n    return a*b\ny = f(x)", "f takes 2 arguments (a, b), got 1", 3),
    ("y = f(x)\ndef f(t):\n    return t", "f is used before it is defined (line 2)", 1),
    ("def exp(t):\n    return t\ny = exp(x)", "the name of the built-in op exp", 1),
    ("def f(t):\n    while t:\n        t = t\n    return t\ny = f(x)", "while loop is not allowed in f's body", 2),
])
def test_a_refused_program_is_one_line_naming_the_line(capsys, program, reason, line):
    status, out, err = run(capsys, "eval", "--expr", program, "--set", "x=1")
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert f"--expr: line {line}, column " in err and reason in err


@pytest.mark.parametrize("args, message", [
    (["--mlp", "2,x,1"], "--mlp 2,x,1: expected layer sizes separated by commas"),
    (["--mlp", "2"], "--mlp 2: a network needs 2 to 10 layer sizes"),
    (["--mlp", "2,0"], "whole number from 1 to 100"),
    (["--expr", "y = 2*x", "--activation", "relu", "--seed", "1"], "--activation, --seed: only with --mlp"),
    (["--mlp", "2,1", "--set", "w9=1"], "--set w9: no node with id 'w9'"),
])
def test_new_refuses_a_bad_network_in_one_line(capsys, tmp_path, args, message):
    status, out, err = run(capsys, "new", *args, "-o", str(tmp_path / "net.cgraph"))
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "net.cgraph").exists()


def test_new_refuses_mlp_with_a_program(capsys, tmp_path):
    status, _, err = run(capsys, "new", "--mlp", "2,1", "--expr", "x", "-o", str(tmp_path / "n.cgraph"))
    assert status == 2 and "not allowed with argument" in err


def test_new_mlp_writes_the_builders_network(capsys, tmp_path):
    target = tmp_path / "net.cgraph"
    status, out, err = run(capsys, "new", "--mlp", "2,3,1", "--activation", "sigmoid", "--loss", "bce",
                           "--seed", "7", "-o", str(target))
    assert (status, out, err) == (0, "", "")
    graph, built = load(target), build_mlp([2, 3, 1], "sigmoid", "bce", 7)
    assert graph == built
    assert evaluate(graph).grads == evaluate(built).grads


def test_new_mlp_defaults_to_tanh_mse_seed_0_and_takes_set_and_zero_init(capsys, tmp_path):
    target = tmp_path / "net.cgraph"
    assert run(capsys, "new", "--mlp", "2,3,1", "--init", "zero", "--set", "x1=0.5", "-o", str(target))[0] == 0
    graph = load(target)
    expected = build_mlp([2, 3, 1], "tanh", "mse", 0, "zero")
    expected.set_value("x1", 0.5)
    assert graph == expected


def test_new_writes_a_program_with_blocks(capsys, tmp_path):
    target = tmp_path / "neuron.cgraph"
    assert run(capsys, "new", "--expr", NEURON, *SETS, "-o", str(target))[0] == 0
    graph = load(target)
    assert graph.blocks.names() == ["softplus", "neuron"]
    assert graph.node("h1").op == "neuron"
