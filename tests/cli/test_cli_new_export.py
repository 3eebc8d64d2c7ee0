"""`cgeditor new --expr` writes laid-out documents; `cgeditor export` writes code and Graphviz."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cgeditor.cli import main
from cgeditor.model.evaluate import evaluate
from cgeditor.model.fileformat import load

EXAMPLES = Path(__file__).parents[2] / "resources" / "examples"


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_new_writes_the_laid_out_graph_with_its_numbers(capsys, tmp_path):
    target = tmp_path / "chain.cgraph"
    status, out, err = run(capsys, "new", "--expr", "L = (x + x*y)**2", "--set", "x=2",
                           "--set", "y=3", "-o", str(target))
    assert (status, out, err) == (0, "", "")
    graph = load(target)
    assert graph.output == "L"
    assert all(node.pos is not None for node in graph)
    result = evaluate(graph)
    assert (result.values["L"], result.grads["x"], result.grads["y"]) == (64.0, 64.0, 32.0)


def test_new_reads_a_program_file(capsys, tmp_path):
    program = tmp_path / "micrograd.txt"
    program.write_text("a = -4.0\nb = 2.0\nc = a + b\nd = a * b + b**3\nc += c + 1\n"
                       "c += 1 + c + (-a)\nd += d * 2 + relu(b + a)\nd += 3 * d + relu(b - a)\n"
                       "e = c - d\nf = e**2\ng = f / 2.0\ng += 10.0 / f\n", encoding="utf-8")
    target = tmp_path / "mg.cgraph"
    assert run(capsys, "new", "--expr-file", str(program), "-o", str(target))[0] == 0
    result = evaluate(load(target))
    assert result.values[result.output] == pytest.approx(24.7041, abs=5e-5)


def test_new_set_overrides_a_value_the_program_declares(capsys, tmp_path):
    target = tmp_path / "a.cgraph"
    assert run(capsys, "new", "--expr", "a = 2.0; y = a * a", "--set", "a=3", "-o", str(target))[0] == 0
    assert evaluate(load(target)).values["y"] == 9.0


def test_new_replaces_an_existing_file_and_leaves_no_temporary_files(capsys, tmp_path):
    target = tmp_path / "out.cgraph"
    target.write_text("old", encoding="utf-8")
    assert run(capsys, "new", "--expr", "y = 2 * x", "--set", "x=1", "-o", str(target))[0] == 0
    assert load(target).output == "y"
    assert os.listdir(tmp_path) == ["out.cgraph"]


@pytest.mark.parametrize("args, message", [
    (["--expr", "y = x.real", "--set", "x=1"], "--expr: line 1, column 5: attribute access"),
    (["--expr", "__import__('os')"], "unknown function __import__"),
    (["--expr", "y = x * z", "--set", "x=1"], "no value for variable z (give it a value with --set z=VALUE"),
    (["--expr", "y = x * z"], "no value for variables x, z"),
    (["--expr", "y = 2 * x", "--set", "x=1", "--set", "q=2"], "--set q: the program has no variable q"),
    (["--expr", "y = 2 * x", "--set", "y=1", "--set", "x=1"], "--set y: the program has no variable y"),
    (["--expr", "y = 2 * x", "--set", "x=abc"], "--set x: 'abc' is not a number"),
    (["--expr", "y = 2 * x", "--set", "x"], "--set expects ID=VALUE"),
    (["--expr", ""], "--expr: the program is empty"),
    (["--expr-file", "/nonexistent/program.txt"], "/nonexistent/program.txt: cannot read"),
])
def test_new_refuses_bad_input_with_exit_2_and_one_line(capsys, tmp_path, args, message):
    target = tmp_path / "never.cgraph"
    status, out, err = run(capsys, "new", *args, "-o", str(target))
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and message in err, err
    assert not target.exists()


def test_new_needs_a_program_and_an_output_file(capsys, tmp_path):
    assert run(capsys, "new", "-o", str(tmp_path / "x.cgraph"))[0] == 2
    assert run(capsys, "new", "--expr", "x")[0] == 2
    status, _, err = run(capsys, "new", "--expr", "x", "--expr-file", "p", "-o", "x.cgraph")
    assert status == 2 and "not allowed with" in err


def test_new_into_a_missing_folder_fails_cleanly(capsys, tmp_path):
    status, _, err = run(capsys, "new", "--expr", "y = 2 * x", "--set", "x=1",
                         "-o", str(tmp_path / "missing" / "y.cgraph"))
    assert status == 2 and "cannot save" in err and err.count("\n") == 1


def test_export_python_to_stdout_runs_and_prints_the_numbers(capsys):
    status, out, err = run(capsys, "export", str(EXAMPLES / "chain_rule.cgraph"), "--format", "python")
    assert (status, err) == (0, "")
    proc = subprocess.run([sys.executable, "-c", out], capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout.splitlines()[-1]) == {"output": 64.0, "grads": {"x": 64.0, "y": 32.0}}


def test_export_with_set_and_output_node(capsys):
    status, out, _ = run(capsys, "export", str(EXAMPLES / "chain_rule.cgraph"), "--format", "python",
                         "--set", "x=1", "--set", "y=0.5", "--output", "z2")
    assert status == 0
    proc = subprocess.run([sys.executable, "-c", out], capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout.splitlines()[-1]) == {"output": 1.5, "grads": {"x": 1.5, "y": 1.0}}


@pytest.mark.parametrize("fmt, marker", [("pytorch", "import torch"), ("python", "import math"),
                                         ("dot", "digraph")])
def test_export_writes_each_format_to_a_file(capsys, tmp_path, fmt, marker):
    target = tmp_path / f"out.{fmt}"
    status, out, err = run(capsys, "export", str(EXAMPLES / "chain_rule.cgraph"), "--format", fmt,
                           "-o", str(target))
    assert (status, out, err) == (0, "", "")
    assert marker in target.read_text(encoding="utf-8")
    assert os.listdir(tmp_path) == [target.name]


def test_export_dot_labels_hold_the_overlay_numbers(capsys):
    status, out, _ = run(capsys, "export", str(EXAMPLES / "chain_rule.cgraph"), "--format", "dot")
    assert status == 0
    assert "value 64" in out and "grad 64" in out and "grad 32" in out


@pytest.mark.parametrize("args, message", [
    (["--format", "rust"], "invalid choice: 'rust'"),
    (["--format", "python", "--output", "nope"], "unknown output node 'nope'"),
    (["--format", "python", "--set", "nope=1"], "no node with id 'nope'"),
])
def test_export_refuses_bad_input_with_exit_2_and_one_line(capsys, args, message):
    status, out, err = run(capsys, "export", str(EXAMPLES / "chain_rule.cgraph"), *args)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err


def test_export_of_an_invalid_graph_names_the_problem(capsys, tmp_path):
    broken = tmp_path / "broken.cgraph"
    broken.write_text(json.dumps({"format": "cgeditor-graph", "version": 1, "nodes": [
        {"id": "n", "kind": "op", "op": "neg", "pos": [0, 0]}], "edges": []}), encoding="utf-8")
    status, _, err = run(capsys, "export", str(broken), "--format", "python")
    assert status == 2 and "cannot export" in err and "not connected" in err


def test_export_into_a_missing_folder_fails_cleanly(capsys, tmp_path):
    status, _, err = run(capsys, "export", str(EXAMPLES / "chain_rule.cgraph"), "--format", "dot",
                         "-o", str(tmp_path / "missing" / "g.dot"))
    assert status == 2 and "cannot write" in err and err.count("\n") == 1


def test_new_then_export_pytorch_agrees_with_eval(capsys, tmp_path):
    pytest.importorskip("torch", reason="PyTorch is not installed (CI: pip install torch==2.13.0)")
    target = tmp_path / "n.cgraph"
    run(capsys, "new", "--expr", "o = tanh(x1*w1 + x2*w2 + b)", "--set", "x1=2", "--set", "w1=-3",
        "--set", "x2=0", "--set", "w2=1", "--set", "b=6.881373587019543", "-o", str(target))
    status, script, _ = run(capsys, "export", str(target), "--format", "pytorch")
    assert status == 0
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    printed = json.loads(proc.stdout.splitlines()[-1])
    result = evaluate(load(target))
    assert printed["output"] == pytest.approx(result.values["o"], rel=1e-9)
    for name, grad in printed["grads"].items():
        assert grad == pytest.approx(result.grads[name], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("name", ["chain_rule", "linear_regression", "sigmoid_loss"])
def test_exported_pytorch_script_raises_no_warning_of_its_own(capsys, name):
    """Warnings the script itself causes (not torch's import, which may lack NumPy) are errors."""
    pytest.importorskip("torch", reason="PyTorch is not installed (CI: pip install torch==2.13.0)")
    status, script, _ = run(capsys, "export", str(EXAMPLES / f"{name}.cgraph"), "--format", "pytorch")
    assert status == 0
    proc = subprocess.run([sys.executable, "-W", "error::Warning:__main__", "-c", script],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    own = [line for line in proc.stderr.splitlines() if "Warning:" in line and "NumPy" not in line]
    assert own == []


@pytest.fixture
def odd_outputs(tmp_path):
    """Names that cannot be a file to write: empty, folders, and loops of symbolic links."""
    (tmp_path / "sub").mkdir()
    os.symlink("loop", tmp_path / "loop")
    os.symlink("b", tmp_path / "a")
    os.symlink("a", tmp_path / "b")
    os.symlink("loop/x.py", tmp_path / "inside-loop")
    return {"": "not a regular file (an empty name)", ".": "not a regular file (a folder)", "..": "not a regular file (a folder)", "/": "not a regular file (a folder)",
            str(tmp_path / "sub"): "not a regular file (a folder)", str(tmp_path / "sub") + "/": "not a regular file (a folder)",
            str(tmp_path / "missing") + "/": "not a regular file (a folder)",
            str(tmp_path / "loop"): "symbolic link loop", str(tmp_path / "a"): "symbolic link loop",
            str(tmp_path / "inside-loop"): "symbolic link loop"}


@pytest.mark.parametrize("command", [
    ["export", str(EXAMPLES / "chain_rule.cgraph"), "--format", "python"],
    ["new", "--expr", "L = x * 2", "--set", "x=1"],
    ["render", str(EXAMPLES / "chain_rule.cgraph")],  # refused before Qt is imported
], ids=lambda c: c[0])
def test_an_output_that_cannot_be_a_file_is_refused_in_one_line(capsys, tmp_path, odd_outputs, command):
    for out, message in odd_outputs.items():
        status, _, err = run(capsys, *command, "-o", out)
        assert status == 2 and message in err and err.count("\n") == 1, (out, err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "inside-loop", "loop", "sub"]
    assert os.readlink(tmp_path / "loop") == "loop" and not any((tmp_path / "sub").iterdir())


def test_a_fifo_as_the_program_file_is_refused_instead_of_blocking(capsys, tmp_path):
    fifo = tmp_path / "program.fifo"
    os.mkfifo(fifo)
    status, _, err = run(capsys, "eval", "--expr-file", str(fifo))
    assert status == 2 and "not a regular file (it is a named pipe)" in err and err.count("\n") == 1
