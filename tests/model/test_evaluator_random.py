"""Reverse mode on 1,000 random graphs agrees with two independent computations.

A seeded generator builds random DAGs using every op in the registry.  On each graph whose
inputs sit where every op is smooth, the evaluator's gradient must match

* central finite differences in float64 of a separate forward interpreter (a dozen lines here,
  sharing only the ops' forward functions), within a tolerance derived from the step: the
  truncation error of the central difference (estimated from the difference between steps h
  and 2h) plus the rounding error eps·|f|/h;
* PyTorch (when installed), built from each op's `torch` code template, to 1e-9.

Points are skipped, not loosened, where a finite difference means nothing: an input within a
margin of a kink (relu, abs, max, min) or a domain edge (div, log, sqrt, pow), non-finite or
huge values.  Separately, nan, ±inf and extreme inputs must never raise.
"""

from __future__ import annotations

import math
import random
import sys
from collections import Counter

import pytest

from cgeditor.model.evaluate import Evaluator, evaluate
from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.model.ops import OPS

GRAPHS = 1_000
SEED = 6
EPS = sys.float_info.epsilon
MARGIN = 1e-3  # relative distance an input keeps from a kink or a domain edge
HUGE = 1e6
TORCH_TOL = 1e-9

# Per op: whether its inputs are away from anything a finite difference cannot cross.
SMOOTH_AT = {
    "div": lambda a, b: abs(b) > MARGIN * max(1.0, abs(a)),
    "pow": lambda a, b: a > MARGIN and abs(b) < 8,
    "max": lambda a, b: abs(a - b) > MARGIN * max(1.0, abs(a), abs(b)),
    "min": lambda a, b: abs(a - b) > MARGIN * max(1.0, abs(a), abs(b)),
    "sqrt": lambda a: a > MARGIN,
    "log": lambda a: a > MARGIN,
    "relu": lambda a: abs(a) > MARGIN,
    "abs": lambda a: abs(a) > MARGIN,
}


def random_graph(rnd: random.Random) -> Graph:
    """A random DAG: a few variables and constants, then ops fed by any earlier node."""
    g = Graph()
    for i in range(rnd.randint(1, 4)):
        g.add_node(Node(f"x{i}", NodeKind.VARIABLE, value=rnd.uniform(-3, 3)))
    for i in range(rnd.randint(0, 2)):
        g.add_node(Node(f"c{i}", NodeKind.CONSTANT, value=rnd.choice([2.0, 0.5, -1.0, rnd.uniform(-3, 3)])))
    names = list(OPS)
    for i in range(rnd.randint(1, 8)):
        op = OPS[rnd.choice(names)]
        arity = rnd.randint(2, 4) if op.variadic else op.min_arity
        node_id = f"op{i}"
        sources = [rnd.choice(list(g.nodes)) for _ in range(arity)]
        g.add_node(Node(node_id, NodeKind.OP, op=op.name))
        for port, source in enumerate(sources):
            g.add_edge(Edge(source, node_id, port))
    g.set_output(node_id)
    return g


def reference_forward(g: Graph, overrides: dict[str, float] | None = None) -> dict[str, float]:
    """Values by a plain walk in insertion order (the generator adds nodes after their inputs)."""
    values: dict[str, float] = {}
    for node in g:
        if node.kind is NodeKind.OP:
            values[node.id] = OPS[node.op].forward(*(values[e.source] for e in g.in_edges(node.id)))
        else:
            values[node.id] = (overrides or {}).get(node.id, node.value)
    return values


def smooth_everywhere(g: Graph, values: dict[str, float]) -> bool:
    if not all(math.isfinite(v) and abs(v) < HUGE for v in values.values()):
        return False
    for node in g:
        if node.kind is NodeKind.OP and node.op in SMOOTH_AT:
            if not SMOOTH_AT[node.op](*(values[e.source] for e in g.in_edges(node.id))):
                return False
    return True


def central_difference(g: Graph, var: str, h: float) -> tuple[float, float] | None:
    """(derivative estimate, largest |f| seen), or None if the stencil leaves the smooth region."""
    x = g.node(var).value
    ups, downs = reference_forward(g, {var: x + h}), reference_forward(g, {var: x - h})
    if not (smooth_everywhere(g, ups) and smooth_everywhere(g, downs)):
        return None
    f_up, f_down = ups[g.output], downs[g.output]
    return (f_up - f_down) / (2 * h), max(abs(f_up), abs(f_down))


def _graphs():
    rnd = random.Random(SEED)
    checked, tried = [], 0
    while len(checked) < GRAPHS:
        tried += 1
        assert tried < 50 * GRAPHS, "the generator hardly ever makes a smooth graph"
        g = random_graph(rnd)
        if smooth_everywhere(g, reference_forward(g)):
            checked.append(g)
    return checked


@pytest.fixture(scope="module")
def graphs():
    return _graphs()


def test_generator_uses_every_op_in_the_registry(graphs):
    used = Counter(n.op for g in graphs for n in g if n.kind is NodeKind.OP)
    assert set(used) == set(OPS)
    assert len(graphs) == GRAPHS


def test_forward_values_match_the_reference_interpreter(graphs):
    for g in graphs:
        result = evaluate(g)
        reference = reference_forward(g)
        assert all(result.values[k] == reference[k] for k in reference)


def test_reverse_mode_matches_central_differences(graphs):
    compared = 0
    for g in graphs:
        grads = evaluate(g).grads
        for node in g:
            if node.kind is not NodeKind.VARIABLE:
                continue
            h = 1e-5 * max(1.0, abs(node.value))
            fine, coarse = central_difference(g, node.id, h), central_difference(g, node.id, 2 * h)
            if fine is None or coarse is None:
                continue  # a kink or a domain edge lies within the stencil
            (d_h, f_max), (d_2h, _) = fine, coarse
            # truncation error of the h-step ≈ |D(2h) - D(h)| / 3 (it scales with h²)
            tol = 2 * abs(d_2h - d_h) + 20 * EPS * max(1.0, f_max) / h + 1e-9 * max(1.0, abs(d_h))
            assert abs(grads[node.id] - d_h) <= tol, (node.id, grads[node.id], d_h, tol, _describe(g))
            compared += 1
    assert compared >= GRAPHS  # at least one variable per graph on average


def test_reverse_mode_matches_pytorch(graphs):
    torch = pytest.importorskip("torch")
    for g in graphs:
        ours = evaluate(g)
        values, leaves = torch_forward(torch, g)
        out = values[g.output]
        if out.requires_grad:  # else the output depends on constants only: every gradient is 0
            out.backward()
        assert _close(ours.values[g.output], out.item()), _describe(g)
        for node_id, tensor in leaves.items():
            theirs = 0.0 if tensor.grad is None else tensor.grad.item()
            assert _close(ours.grads[node_id], theirs), (node_id, ours.grads[node_id], theirs, _describe(g))


def torch_forward(torch, g: Graph):
    """The graph as a PyTorch computation, each op written by its own `torch` code template."""
    leaves, values, names = {}, {}, {}
    scope = {"torch": torch}
    for i, node in enumerate(g):
        name = names[node.id] = f"t{i}"
        if node.kind is NodeKind.OP:
            code = OPS[node.op].torch([names[e.source] for e in g.in_edges(node.id)])
            values[node.id] = eval(code, scope)  # the registry's template, not user input
        else:
            values[node.id] = torch.tensor(node.value, dtype=torch.float64,
                                           requires_grad=node.kind is NodeKind.VARIABLE)
            if node.kind is NodeKind.VARIABLE:
                leaves[node.id] = values[node.id]
        scope[name] = values[node.id]
    return values, leaves


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TORCH_TOL * max(1.0, abs(b))


def _describe(g: Graph) -> str:
    ops = "; ".join(f"{n.id}={n.op}({', '.join(e.source for e in g.in_edges(n.id))})"
                    for n in g if n.kind is NodeKind.OP)
    leaves = ", ".join(f"{n.id}={n.value!r}" for n in g if n.kind is not NodeKind.OP)
    return f"{leaves}; {ops}"


NASTY_INPUTS = [math.nan, math.inf, -math.inf, 0.0, -0.0, 1e308, -1e308, 5e-324, 1e-320]


def test_nan_inf_and_extreme_inputs_never_raise(graphs):
    """Every graph, each variable set to each nasty value in turn, through a reused Evaluator
    (the editor's incremental path) and a fresh evaluation."""
    for g in graphs[:250]:
        g = g.copy()
        evaluator = Evaluator(g)
        upstream = set(g.reachable(g.output, upstream=True))
        edges_back = sum(len(g.in_edges(n)) for n in upstream)  # each replayed once, nan or not
        for node in [n for n in g if n.kind is NodeKind.VARIABLE]:
            for value in NASTY_INPUTS:
                g.set_value(node.id, value)
                for result in (evaluator.evaluate(), evaluate(g)):
                    assert all(isinstance(v, float) for v in result.values.values())
                    assert all(isinstance(v, float) for v in result.grads.values())
                    assert len(result.steps) == edges_back


def test_nasty_inputs_agree_with_pytorch_on_forward_values(graphs):
    """IEEE results (nan, ±inf, overflow) are PyTorch's, not just 'no exception'."""
    torch = pytest.importorskip("torch")
    for g in graphs[:250]:
        g = g.copy()
        for node in [n for n in g if n.kind is NodeKind.VARIABLE]:
            for value in NASTY_INPUTS:
                g.set_value(node.id, value)
                ours = evaluate(g).values[g.output]
                with torch.no_grad():
                    values, _ = torch_forward(torch, g)
                theirs = values[g.output].item()
                same = (ours != ours and theirs != theirs) or ours == theirs or _close(ours, theirs)
                assert same, (node.id, value, ours, theirs, _describe(g))
