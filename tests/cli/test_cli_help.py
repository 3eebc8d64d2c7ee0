"""`cgeditor --version`, `cgeditor help [SUBCOMMAND]`, and a nearest-name hint for every
mistyped name: a subcommand, an op, a function in a program, an output node."""

import json
import sys
import types

import pytest

import cgeditor
from cgeditor.cli import main
from cgeditor.resources import example_path


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_prints_the_package_version(capsys, flag):
    assert run(capsys, flag) == (0, f"cgeditor {cgeditor.__version__}\n", "")


def test_help_alone_prints_the_editor_usage_and_the_subcommands(capsys):
    status, out, _ = run(capsys, "help")
    assert status == 0
    assert out.startswith("usage: cgeditor") and "subcommands: eval, explain" in out


@pytest.mark.parametrize("command", ["eval", "explain", "new", "export", "render", "flatten"])
def test_help_on_a_subcommand_prints_its_usage(capsys, command):
    status, out, _ = run(capsys, "help", command)
    assert status == 0
    assert out.startswith(f"usage: cgeditor {command}")


@pytest.mark.parametrize("argv, message", [
    (["evl", "x.cgraph"], "cgeditor: error: unknown command 'evl': did you mean eval?"),
    (["explian"], "cgeditor: error: unknown command 'explian': did you mean explain?"),
    (["help", "rendr"], "cgeditor: error: no help on 'rendr': did you mean render?"),
])
def test_a_mistyped_command_suggests_the_nearest(capsys, argv, message):
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert err.startswith(message) and err.count("\n") == 1


def test_a_file_named_like_a_command_is_still_opened_as_a_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "evl").write_text("{}")
    opened = []
    editor = types.ModuleType("cgeditor.editor.window.app")
    editor.run = lambda path: opened.append(path) or 0
    monkeypatch.setitem(sys.modules, "cgeditor.editor.window.app", editor)
    assert run(capsys, "evl") == (0, "", "")
    assert opened == ["evl"]


def test_an_unknown_op_in_a_file_suggests_the_nearest(tmp_path, capsys):
    path = tmp_path / "typo.cgraph"
    path.write_text(json.dumps({"format": "cgeditor-graph", "version": 1, "nodes": [
        {"id": "x", "kind": "variable", "value": 1}, {"id": "s", "kind": "op", "op": "sqaure"}]}))
    status, _, err = run(capsys, "eval", str(path))
    assert status == 2
    assert err == f"cgeditor: error: {path}: node 's': unknown op 'sqaure': did you mean square?\n"


def test_an_unknown_function_in_a_program_suggests_the_nearest(capsys):
    status, _, err = run(capsys, "eval", "--expr", "L = sqaure(x)")
    assert status == 2
    assert "unknown function sqaure: did you mean square?" in err


def test_an_unknown_output_lists_the_nodes_and_suggests_the_nearest(capsys):
    status, _, err = run(capsys, "eval", str(example_path()), "--output", "z")
    assert status == 2
    assert "unknown output node 'z': did you mean z2? (nodes: x, y, z1, z2, L)" in err
