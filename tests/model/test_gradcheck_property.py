"""Reverse mode agrees with finite differences on random valid graphs.

Graphs are drawn as random DAGs over every op; draws where a finite difference would be
meaningless (an input near a kink, a pole or a domain edge, or a very steep function) are
rejected, so a failure always means the evaluator's gradient is wrong.
"""

import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cgeditor.model.evaluate import evaluate
from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.model.ops import OPS

MARGIN = 0.05  # how far an input must stay from a kink or a domain edge

# Per op: whether the inputs are far enough from anything a finite difference cannot cross.
SAFE = {
    "div": lambda xs: abs(xs[1]) > MARGIN,
    "pow": lambda xs: xs[0] > MARGIN and abs(xs[1]) < 4,
    "max": lambda xs: abs(xs[0] - xs[1]) > MARGIN,
    "min": lambda xs: abs(xs[0] - xs[1]) > MARGIN,
    "sqrt": lambda xs: xs[0] > MARGIN,
    "log": lambda xs: xs[0] > MARGIN,
    "relu": lambda xs: abs(xs[0]) > MARGIN,
    "abs": lambda xs: abs(xs[0]) > MARGIN,
    "exp": lambda xs: xs[0] < 20,
}


@st.composite
def valid_graphs(draw):
    g = Graph()
    n_vars = draw(st.integers(1, 4))
    for i in range(n_vars):
        g.add_node(Node(f"v{i}", NodeKind.VARIABLE, value=draw(st.floats(-3, 3))))
    if draw(st.booleans()):
        g.add_node(Node("k", NodeKind.CONSTANT, value=draw(st.floats(-3, 3))))
    for i in range(draw(st.integers(1, 8))):
        name = draw(st.sampled_from(list(OPS)))
        op = OPS[name]
        arity = draw(st.integers(2, 3)) if op.variadic else op.min_arity
        sources = draw(st.lists(st.sampled_from(list(g.nodes)), min_size=arity, max_size=arity))
        node_id = f"op{i}"
        g.add_node(Node(node_id, NodeKind.OP, op=name))
        for port, source in enumerate(sources):
            g.add_edge(Edge(source, node_id, port))
    g.set_output(node_id)
    return g


def well_conditioned(g, result):
    for node in g:
        if node.kind is not NodeKind.OP:
            continue
        xs = [result.values[e.source] for e in g.in_edges(node.id)]
        if not all(math.isfinite(x) and abs(x) < 1e4 for x in xs + [result.values[node.id]]):
            return False
        if not SAFE.get(node.op, lambda _: True)(xs):
            return False
    return all(math.isfinite(v) and abs(v) < 1e3 for v in result.grads.values())


def output_at(g, node_id, value):
    h = g.copy()
    h.set_value(node_id, value)
    return evaluate(h).values[h.output]


@given(valid_graphs())
@settings(max_examples=300, deadline=None)
def test_reverse_mode_matches_central_differences(g):
    result = evaluate(g)
    assume(well_conditioned(g, result))
    out = result.values[g.output]
    for node in g:
        if node.kind is not NodeKind.VARIABLE:
            continue
        x = node.value
        step = 1e-6 * max(1.0, abs(x))
        numeric = (output_at(g, node.id, x + step) - output_at(g, node.id, x - step)) / (2 * step)
        assert math.isclose(result.grads[node.id], numeric, rel_tol=1e-4,
                            abs_tol=1e-6 * max(1.0, abs(out))), (node.id, result.grads[node.id], numeric)
