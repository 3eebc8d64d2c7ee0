"""Exported code recomputes the evaluator's numbers; the Graphviz export carries them."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from cgeditor.model.evaluate import evaluate
from cgeditor.model.export import to_dot, to_python, to_pytorch
from cgeditor.model.export.plan import python_names
from cgeditor.model.expression import parse_program
from cgeditor.model.fileformat import load
from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.model.ops import OPS
from cgeditor.model.validate import InvalidGraphError

EXAMPLES = sorted((Path(__file__).parents[2] / "resources" / "examples").glob("*.cgraph"))


def _run_script(code: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _number(x):
    return float(x) if isinstance(x, str) else x


def _assert_agrees(graph: Graph, printed: dict):
    result = evaluate(graph)
    assert _number(printed["output"]) == pytest.approx(result.values[result.output], rel=1e-9, abs=1e-9)
    variables = [n.id for n in graph if n.kind is NodeKind.VARIABLE]
    assert sorted(printed["grads"]) == sorted(variables)
    for name in variables:
        got, want = _number(printed["grads"][name]), result.grads.get(name, 0.0)
        assert got == pytest.approx(want, rel=1e-9, abs=1e-9, nan_ok=True), name


def _every_op_graph() -> Graph:
    """One node per registry op, on inputs where every op is smooth."""
    g = Graph()
    g.add_node(Node("a", NodeKind.VARIABLE, value=1.3))
    g.add_node(Node("b", NodeKind.VARIABLE, value=0.4))
    g.add_node(Node("c", NodeKind.CONSTANT, value=2.0))
    terms = []
    for name, op in OPS.items():
        n = op.min_arity if op.max_arity is None else op.max_arity
        node_id = f"t_{name}"
        g.add_node(Node(node_id, NodeKind.OP, op=name))
        for port, source in enumerate(["a", "b", "c"][:n] if n > 1 else ["a"]):
            g.add_edge(Edge(source, node_id, port))
        terms.append(node_id)
    g.add_node(Node("total", NodeKind.OP, op="add"))
    for port, term in enumerate(terms):
        g.add_edge(Edge(term, "total", port))
    g.set_output("total")
    return g


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_python_export_of_every_example_agrees_with_the_evaluator(path):
    graph = load(path)
    _assert_agrees(graph, _run_script(to_python(graph)))


def test_python_export_covers_every_op_template():
    graph = _every_op_graph()
    _assert_agrees(graph, _run_script(to_python(graph)))


def test_python_export_reads_as_a_worked_solution():
    code = to_python(parse_program("L = (x + x*y)**2", {"x": 2.0, "y": 3.0}))
    assert "mul = x * y\n" in code
    assert "grad_L = 1.0" in code
    assert "grad_x += grad_mul * y  # dmul/dx" in code
    assert "grad_mul += grad_add  # dadd/dmul" in code
    assert "import torch" not in code


def test_python_export_handles_micrograd_negative_base_power():
    text = ("a = -4.0; b = 2.0; c = a + b; d = a * b + b**3; c = c + c + 1; c = c + 1 + c + (-a);"
            "d = d + d * 2 + relu(b + a); d = d + 3 * d + relu(b - a); e = c - d; f = e**2;"
            "g = f / 2.0; g = g + 10.0 / f")
    graph = parse_program(text)
    printed = _run_script(to_python(graph))
    _assert_agrees(graph, printed)
    assert printed["grads"]["a"] == pytest.approx(138.8338, abs=5e-5)


def test_awkward_ids_become_safe_distinct_python_names():
    ids = ["x", "x y", "class", "1st", "grad_x", "max", "é", "x_y", "", "n_1st"]
    names = python_names(ids)
    assert names["x"] == "x"
    assert len(set(names.values())) == len(ids)
    for name in names.values():
        assert name.isascii() and name.isidentifier() and not name.startswith("grad_")
    assert names["class"] != "class" and names["max"] != "max"


def test_exports_work_with_awkward_ids_and_non_finite_values():
    g = Graph()
    g.add_node(Node("my var", NodeKind.VARIABLE, value=2.0))
    g.add_node(Node("class", NodeKind.VARIABLE, value=0.0))
    g.add_node(Node("1/x", NodeKind.OP, op="div"))
    g.add_node(Node("grad_out", NodeKind.OP, op="mul"))
    g.add_edge(Edge("my var", "1/x", 0))
    g.add_edge(Edge("class", "1/x", 1))
    g.add_edge(Edge("1/x", "grad_out", 0))
    g.add_edge(Edge("my var", "grad_out", 1))
    g.set_output("grad_out")
    code = to_python(g)
    assert "float('inf')" not in code  # inputs are finite; inf only appears at run time
    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        _run_script(code)  # plain Python division raises where IEEE gives inf: documented
    g.set_value("class", math.inf)
    assert "float('inf')" in to_python(g)
    _assert_agrees(g, _run_script(to_python(g)))


def test_variable_that_does_not_reach_the_output_gets_zero_gradient():
    graph = parse_program("y = x * 2; z = w + 1; y", {"x": 1.0, "w": 5.0})
    printed = _run_script(to_python(graph))
    assert printed["grads"] == {"x": 2.0, "w": 0.0}


def test_output_without_variables_exports_zero_gradients():
    graph = parse_program("y = 2 * 3 + x; q = 2 * 3", {"x": 1.0})
    printed = _run_script(to_python(graph))
    assert printed == {"output": 6.0, "grads": {"x": 0.0}}


def test_invalid_graph_is_refused_with_its_problems():
    g = Graph()
    g.add_node(Node("n", NodeKind.OP, op="neg"))
    with pytest.raises(InvalidGraphError, match="not connected"):
        to_python(g)


def test_dot_export_labels_nodes_with_values_and_gradients():
    graph = parse_program("L = pow(x + x*y, 2)", {"x": 2.0, "y": 3.0})  # a power: ports named
    dot = to_dot(graph)
    assert dot.startswith("//") and "digraph" in dot and "rankdir=LR" in dot
    assert '"L" [label="xʸ  L\\nvalue 64\\ngrad 1"' in dot
    assert '"x" [label="x\\nvalue 2\\ngrad 64"' in dot
    assert '"y" [label="y\\nvalue 3\\ngrad 32"' in dot
    assert '"add" -> "L" [label="base: ∂ 16"]' in dot


def test_dot_export_escapes_quotes_and_backslashes():
    g = Graph()
    g.add_node(Node('say "hi"\\', NodeKind.VARIABLE, value=1.0))
    dot = to_dot(g)
    assert '"say \\"hi\\"\\\\"' in dot


torch_reason = "PyTorch is not installed (CI installs it with pip install torch==2.13.0)"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_pytorch_export_of_every_example_agrees_with_the_evaluator(path):
    pytest.importorskip("torch", reason=torch_reason)
    graph = load(path)
    _assert_agrees(graph, _run_script(to_pytorch(graph)))


def test_pytorch_export_covers_every_op_template():
    pytest.importorskip("torch", reason=torch_reason)
    graph = _every_op_graph()
    _assert_agrees(graph, _run_script(to_pytorch(graph)))


def test_pytorch_export_uses_float64_and_requires_grad_on_variables_only():
    code = to_pytorch(parse_program("L = pow(x + x*y, 2)", {"x": 2.0, "y": 3.0}))
    assert "x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)" in code
    assert "const = torch.tensor(2.0, dtype=torch.float64)\n" in code
    assert "L.backward()" in code
