"""Exports of documents with blocks: a block is a function in the Python and PyTorch scripts,
whose numbers are the evaluator's, and a cluster holding its inside in Graphviz."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cgeditor.model.blocks import Block
from cgeditor.model.evaluate import evaluate
from cgeditor.model.export import to_dot, to_python, to_pytorch
from cgeditor.model.graph import Graph, NodeKind
from helpers.block_documents import body, network
from helpers.graph_builders import build


def run_script(code: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def assert_agrees(graph: Graph, printed: dict, rel: float) -> None:
    result = evaluate(graph)
    assert printed["output"] == pytest.approx(result.values[result.output], rel=rel)
    variables = [n.id for n in graph if n.kind is NodeKind.VARIABLE]
    assert sorted(printed["grads"]) == sorted(variables)
    for name in variables:
        assert printed["grads"][name] == pytest.approx(result.grads[name], rel=rel, abs=1e-15), name


def clashing_names() -> Graph:
    """Blocks named like what the scripts use (math, number), a node named like a block's
    function, a body node named like another block, and a formula full of quotes."""
    g = build({"x": 0.7, "grads": -0.3},
              [("math", "number", ["x", "grads"]), ("number_partials", "math", ["math"]), ("L", "mul", ["math", "number_partials"])])
    g.define_block(Block("math", ("t",), body(["t"], {}, [("e", "exp", ["t"]), ("r", "tanh", ["e"])], "r"),
                         formula='tanh(exp(t)) """; import os; \\'))
    g.define_block(Block("number", ("json", "torch"), body(["json", "torch"], {"k": 2}, [
        ("math", "math", ["json"]), ("m", "mul", ["math", "torch", "k"])], "m")))
    return g


@pytest.mark.parametrize("graph", [network(), clashing_names()], ids=["nested", "clashing names"])
def test_the_python_export_makes_a_function_of_each_block_and_computes_the_evaluators_numbers(graph):
    code = to_python(graph)
    assert code.count("\ndef ") == 1 + 2 * len(graph.blocks)  # number(), then a value and a partials each
    assert_agrees(graph, run_script(code), rel=1e-12)


def test_the_python_export_writes_a_blocks_reverse_pass_out_inside_its_partials_function():
    code = to_python(network())
    partials = code[code.index("def neuron_partials(x, w, b):"):code.index("# Inputs")]
    assert "grad_s += grad_n2 * (sig_partials(s)[0])  # dn2/ds" in partials
    assert "return (grad_x, grad_w, grad_b)" in partials
    assert "grad_x += grad_h1 * (neuron_partials(x, a, b1)[0])  # dh1/dx" in code


@pytest.mark.parametrize("graph", [network(), clashing_names()], ids=["nested", "clashing names"])
def test_the_pytorch_export_makes_a_function_of_each_block_and_autograd_agrees_to_1e_9(graph):
    pytest.importorskip("torch", reason="PyTorch is not installed (CI installs it with pip install torch==2.13.0)")
    code = to_pytorch(graph)
    assert "def neuron(x, w, b):" in code or "def n_math(" in code
    assert_agrees(graph, run_script(code), rel=1e-9)


def test_the_dot_export_draws_an_instance_as_a_cluster_holding_its_inside():
    dot = to_dot(network())
    assert 'subgraph "clusterh1" {' in dot and 'subgraph "clusterh1\\nn2" {' in dot
    assert 'label="neuron  h1\\nvalue 0.4256\\ngrad 0.5"' in dot
    assert '"h1\\nn2\\nz" [label="÷  z\\nvalue 0.4256\\ngrad 0.5", shape=box];' in dot
    assert '"x" -> "h1\\nx" [label="x: ∂ -0.2933"];' in dot  # into the param, the Jacobian's entry
    assert '"h1\\nn2\\nz" -> "m" [label="∂ 0.5"];' in dot  # out of the returned node
    assert '\n  "h1" [' not in dot  # the instance has no node of its own
    assert dot.count("{") == dot.count("}")
