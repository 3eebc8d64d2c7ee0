"""`cgeditor eval F1 F2 ...`: every file in one process, in order, a bad file stopping nothing."""

import json
import os
import subprocess
import sys

import pytest

from cgeditor.cli import main
from cgeditor.resources import example_path

CHAIN = str(example_path("chain_rule"))
NEURON = str(example_path("tanh_neuron"))


def run(capsys, *argv):
    status = main(["eval", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def json_lines(out):
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture
def bad(tmp_path):
    path = tmp_path / "bad.cgraph"
    path.write_text('{"format": "cgeditor-graph", "version": 1, "nodes": [{"id": "x", "kind": "op", '
                    '"op": "frobnicate"}]}')
    return str(path)


def test_json_lines_keep_the_order_of_the_arguments(capsys):
    status, out, err = run(capsys, NEURON, CHAIN, NEURON, "--json")
    assert (status, err) == (0, "")
    assert [r["file"] for r in json_lines(out)] == [NEURON, CHAIN, NEURON]


def test_each_line_is_the_single_file_document_plus_its_file(capsys):
    _, out, _ = run(capsys, CHAIN, NEURON, "--json")
    first = json_lines(out)[0]
    _, single, _ = run(capsys, CHAIN, "--json")
    assert first == {"file": CHAIN, **json.loads(single)}


def test_a_bad_file_in_the_middle_is_reported_and_the_others_are_evaluated(capsys, bad):
    status, out, err = run(capsys, CHAIN, bad, NEURON, "--json")
    results = json_lines(out)
    assert status == 2
    assert [r["file"] for r in results] == [CHAIN, bad, NEURON]
    assert set(results[1]) == {"file", "error"}
    assert "unknown op 'frobnicate'" in results[1]["error"] and "\n" not in results[1]["error"]
    assert results[0]["nodes"]["x"]["grad"] == 64.0 and "nodes" in results[2]
    assert err == "cgeditor: error: 1 of 3 files failed\n"


def test_a_missing_file_is_an_error_line_too(capsys, tmp_path):
    status, out, _ = run(capsys, str(tmp_path / "gone.cgraph"), CHAIN, "--json")
    assert status == 2
    assert json_lines(out)[0] == {"file": str(tmp_path / "gone.cgraph"),
                                  "error": f"{tmp_path / 'gone.cgraph'}: no such file"}


def test_every_file_evaluating_exits_0(capsys):
    assert run(capsys, CHAIN, NEURON)[0] == 0


def test_set_and_output_apply_to_each_file(capsys, tmp_path):
    other = tmp_path / "other.cgraph"
    other.write_bytes(example_path("chain_rule").read_bytes())
    _, out, _ = run(capsys, CHAIN, str(other), "--set", "x=1", "--output", "z1", "--json")
    results = json_lines(out)
    assert [r["output"] for r in results] == ["z1", "z1"]
    assert [r["nodes"]["x"]["value"] for r in results] == [1.0, 1.0]


def test_a_set_that_one_file_cannot_take_fails_that_file_only(capsys):
    status, out, _ = run(capsys, CHAIN, NEURON, "--set", "y=5", "--json")
    results = json_lines(out)
    assert status == 2
    assert results[0]["nodes"]["y"]["value"] == 5.0
    assert "--set y: no node with id 'y'" in results[1]["error"]


def test_the_human_output_has_a_block_per_file_headed_by_its_name(capsys, bad):
    status, out, _ = run(capsys, CHAIN, bad)
    blocks = out.split("\n\n== ")
    assert status == 2
    assert out.startswith(f"== {CHAIN} ==\noutput L = 64;")
    assert blocks[-1].startswith(f"{bad} ==\nerror: {bad}: node 'x': unknown op 'frobnicate'")


def test_a_hostile_file_name_is_escaped_for_the_terminal_and_exact_in_json(capsys, tmp_path):
    name = tmp_path / "evil\n== forged ==\x1b[2J.cgraph"
    name.write_bytes(example_path("chain_rule").read_bytes())
    _, out, _ = run(capsys, str(name), CHAIN)
    assert "\x1b" not in out and "\n== forged" not in out
    assert "evil\\n== forged ==\\x1b[2J.cgraph ==" in out
    _, out, _ = run(capsys, str(name), CHAIN, "--json")
    assert json_lines(out)[0]["file"] == str(name)


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
def test_a_file_name_that_is_not_utf8_still_gives_json(tmp_path):
    name = os.fsencode(tmp_path) + b"/caf\xe9.cgraph"
    with open(name, "wb") as f:
        f.write(example_path("chain_rule").read_bytes())
    proc = subprocess.run([sys.executable, "-m", "cgeditor", "eval", name, CHAIN, "--json"],
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    first = json.loads(proc.stdout.splitlines()[0])
    assert os.fsencode(first["file"]) == name


def test_jobs_2_prints_exactly_what_jobs_1_prints(tmp_path, bad):
    files = [CHAIN, bad, NEURON, CHAIN, str(tmp_path / "gone.cgraph"), NEURON]
    outputs = []
    for jobs in ("1", "2"):
        for extra in ([], ["--json"]):
            proc = subprocess.run([sys.executable, "-m", "cgeditor", "eval", *files, "--jobs", jobs, *extra],
                                  capture_output=True, text=True, timeout=300)
            outputs.append((proc.returncode, proc.stdout, proc.stderr))
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]
    assert outputs[1][0] == 2 and len(outputs[1][1].splitlines()) == len(files)


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_whole_number(capsys, jobs):
    status, out, err = run(capsys, CHAIN, NEURON, "--jobs", jobs)
    assert (status, out) == (2, "")
    assert "--jobs" in err and err.count("\n") == 1


def test_files_and_a_program_together_are_refused(capsys):
    status, _, err = run(capsys, CHAIN, NEURON, "--expr", "y = x * 2", "--set", "x=1")
    assert status == 2 and "give either FILE or --expr/--expr-file" in err
