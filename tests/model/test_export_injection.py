"""Exported scripts of hostile documents compute and print, and run nothing from a label or id.

Each script runs in a fresh folder under an audit hook (tests/helpers/run_guarded.py) that ends
it on any process, file write, socket, `exec`, `eval`, `compile` or new import; the payloads
also try to create a marker file, which must not exist afterwards.  The script's JSON must
still agree with the evaluator, which also proves that hostile ids round-trip as dict keys.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cgeditor.model.evaluate import evaluate
from cgeditor.model.export import to_python, to_pytorch
from cgeditor.model.graph import Graph, Node, NodeKind

from helpers.hostile_text import CODE, ID_BREAKOUTS, LABEL_BREAKOUTS, MARKER, TERMINAL, hostile_graph

GUARD = Path(__file__).parents[1] / "helpers" / "run_guarded.py"
EVERY_LABEL = LABEL_BREAKOUTS + list(TERMINAL.values())


def run_guarded(tmp_path: Path, code: str, *modules: str) -> dict:
    script = tmp_path / "solution.py"
    script.write_text(code, encoding="utf-8")
    out = subprocess.run([sys.executable, str(GUARD), str(script), *modules], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert not (tmp_path / MARKER).exists()
    return json.loads(out.stdout.splitlines()[-1])


def expected(graph: Graph) -> dict:
    result = evaluate(graph)
    return {"output": result.values[result.output],
            "grads": {n.id: result.grads[n.id] for n in graph if n.kind is NodeKind.VARIABLE}}


def test_python_export_of_hostile_labels_and_ids_runs_nothing_from_them(tmp_path):
    graph = hostile_graph(EVERY_LABEL, ID_BREAKOUTS, ID_BREAKOUTS[0] + "out")
    assert run_guarded(tmp_path, to_python(graph), "json", "math") == expected(graph)


def test_python_export_with_no_variable_keeps_a_hostile_output_id_in_its_comment(tmp_path):
    graph = Graph()
    graph.add_node(Node(ID_BREAKOUTS[1], NodeKind.CONSTANT, value=2.0))
    graph.set_output(ID_BREAKOUTS[1])
    assert run_guarded(tmp_path, to_python(graph), "json", "math") == {"output": 2.0, "grads": {}}


def test_pytorch_export_of_hostile_labels_and_ids_runs_nothing_from_them(tmp_path):
    pytest.importorskip("torch")
    graph = hostile_graph(EVERY_LABEL, ID_BREAKOUTS, ID_BREAKOUTS[0] + "out")
    assert run_guarded(tmp_path, to_pytorch(graph), "json", "math", "torch") == expected(graph)


@pytest.mark.parametrize("export", [to_python, to_pytorch], ids=["python", "pytorch"])
def test_exported_code_holds_no_raw_control_or_line_break_from_a_label(export):
    code = export(hostile_graph(EVERY_LABEL, ID_BREAKOUTS, "out"))
    code.encode("utf-8")  # no lone surrogate left to fail the write
    assert all(line.isprintable() for line in code.split("\n"))


def test_the_guard_stops_a_script_that_would_run_a_label(tmp_path):
    """Without escaping, a label after `#` runs; the guard ends such a script before it writes."""
    script = tmp_path / "solution.py"
    script.write_text(f"import json\n# a\n{CODE}\n#\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(GUARD), str(script), "json"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 3 and "forbidden: open" in out.stderr
    assert not (tmp_path / MARKER).exists()
