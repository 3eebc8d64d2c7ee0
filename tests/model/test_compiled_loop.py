"""The evaluator's written-out loops give exactly what the registry's functions give, in the
plain reference loop (cgeditor.model.reference_loop)."""

import random
import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from cgeditor.model import ops as ops_module
from cgeditor.model.evaluate import Evaluator
from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.model.ops import OPS
from cgeditor.model.reference_loop import reference_evaluate

FAST = [op for op in OPS.values() if op.fast is not None]
ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True, width=64)


def bits(x: float) -> bytes:
    """Equality to the last bit: tells -0.0 from 0.0 and nan from a number.  All NaNs count as
    one: which operand's payload an IEEE operation keeps is the hardware's choice, not ours."""
    return b"nan" if x != x else struct.pack("<d", x)


def same(a, b) -> bool:
    return len(a) == len(b) and all(bits(x) == bits(y) for x, y in zip(a, b))


def test_the_common_neural_network_ops_have_fast_templates():
    assert {"add", "mul", "sub", "neg", "tanh", "relu", "sigmoid", "exp"} <= {op.name for op in FAST}


@settings(max_examples=300, deadline=None)
@given(st.lists(ANY_FLOAT, min_size=2, max_size=2))
def test_fast_templates_equal_forward_and_partials_to_the_last_bit(xs):
    for op in FAST:
        args = xs[:op.min_arity]
        namespace = dict(vars(ops_module), x=args[0], y=args[-1])
        out = eval(op.fast[0], namespace)  # noqa: S307 - the registry's own source text
        assert bits(out) == bits(op.forward(*args)), op.name
        namespace["out"] = out
        assert same(eval(op.fast[1], namespace), op.partials(args, out)), op.name  # noqa: S307


def random_graph(seed: int, n_ops: int = 120) -> Graph:
    """Every op, including variadic ones with three inputs and a node reading one input twice."""
    rng = random.Random(seed)
    g = Graph()
    ids = []
    for k in range(6):
        g.add_node(Node(f"x{k}", NodeKind.VARIABLE, value=rng.choice([rng.uniform(-3, 3), 0.0, -0.0, 2.0])))
        ids.append(f"x{k}")
    names = sorted(OPS)
    for k in range(n_ops):
        op = OPS[rng.choice(names)]
        arity = op.min_arity + (1 if op.variadic and rng.random() < 0.3 else 0)
        node_id = f"n{k}"
        g.add_node(Node(node_id, NodeKind.OP, op=op.name))
        for port in range(arity):
            g.add_edge(Edge(rng.choice(ids[-12:]), node_id, port))
        ids.append(node_id)
    return g


def assert_identical(graph: Graph, result, output: str) -> None:
    """The evaluator's numbers are the plain reference loop's, to the last bit."""
    want = reference_evaluate(graph, output)
    ids = list(want.values)
    assert set(result.values) == set(ids)
    assert same([result.values[n] for n in ids], [want.values[n] for n in ids])
    assert same([result.grads[n] for n in ids], [want.grads[n] for n in ids])
    for edge in graph.edges:
        if edge.target in want.local:
            assert bits(result.edge_grads[edge]) == bits(want.local[edge.target][edge.port])


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_evaluation_equals_the_reference_loop_bit_for_bit(seed):
    graph = random_graph(seed)
    output = "n119"
    assert_identical(graph, Evaluator(graph).evaluate(output, strict=False), output)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.lists(st.tuples(st.integers(0, 5), ANY_FLOAT), min_size=1, max_size=8))
def test_incremental_and_full_reevaluation_equal_a_fresh_one(seed, edits):
    graph = random_graph(seed)
    ev = Evaluator(graph)
    ev.evaluate("n119", strict=False)
    for leaf, value in edits:  # one at a time: the incremental path
        graph.set_value(f"x{leaf}", value)
        assert_identical(graph, ev.evaluate("n119", strict=False), "n119")
    for k in range(6):  # all at once: the full path
        old = graph.nodes[f"x{k}"].value
        graph.set_value(f"x{k}", 7.0 + k if old != 7.0 + k else 8.0 + k)
    result = ev.evaluate("n119", strict=False)
    assert result.recomputed == len(ev.plan().ops)
    assert_identical(graph, result, "n119")


def test_one_changed_leaf_recomputes_only_what_it_reaches_even_in_a_large_graph():
    graph = random_graph(7, n_ops=400)
    ev = Evaluator(graph)
    ev.evaluate("n399", strict=False)
    graph.set_value("x0", 0.125)
    result = ev.evaluate("n399", strict=False)
    assert 0 < result.recomputed < len(ev.plan().ops)
    assert_identical(graph, result, "n399")
