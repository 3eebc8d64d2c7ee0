"""`cgeditor eval` loads only what its output needs: what a script pays for on every file."""

import subprocess
import sys

from cgeditor.resources import example_path

PROBE = """
import sys
from cgeditor.cli import main
status = main(["eval", sys.argv[1], "--json"])
print(status, *sorted(m for m in sys.argv[2:] if m in sys.modules))
"""


def loaded_after_eval(path, *modules):
    proc = subprocess.run([sys.executable, "-c", PROBE, str(path), *modules],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()[-1].split()


def test_eval_of_an_acyclic_graph_never_imports_networkx():
    assert loaded_after_eval(example_path("chain_rule"), "networkx") == ["0"]


def test_eval_of_a_file_without_positions_lays_nothing_out(tmp_path):
    path = tmp_path / "bare.cgraph"
    path.write_text('{"format": "cgeditor-graph", "version": 1, "nodes": ['
                    '{"id": "x", "kind": "variable", "value": 2}, {"id": "n", "kind": "op", "op": "neg"}], '
                    '"edges": [{"source": "x", "target": "n", "port": 0}]}')
    assert loaded_after_eval(path, "cgeditor.model.layout") == ["0"]


def test_eval_of_a_graph_with_a_cycle_still_names_the_cycle(tmp_path):
    path = tmp_path / "ring.cgraph"
    path.write_text('{"format": "cgeditor-graph", "version": 1, "nodes": ['
                    '{"id": "a", "kind": "op", "op": "neg"}, {"id": "b", "kind": "op", "op": "neg"}], '
                    '"edges": [{"source": "a", "target": "b", "port": 0}, '
                    '{"source": "b", "target": "a", "port": 0}]}')
    proc = subprocess.run([sys.executable, "-m", "cgeditor", "eval", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert "cycle through a, b" in proc.stderr
