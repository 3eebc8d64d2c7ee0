"""An evaluator that re-plans incrementally gives what a fresh one gives, to the last bit, after
any sequence of structural edits: values, gradients, edge gradients, backward steps, problems."""

from __future__ import annotations

import random
import struct

from hypothesis import example, given, settings, strategies as st

from cgeditor.model import evaluate as evaluate_module
from cgeditor.model.evaluate import Evaluator
from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.model.ops import OPS

OP_NAMES = sorted(OPS)


def bits(x: float) -> bytes:
    return b"nan" if x != x else struct.pack("<d", x)


def start_graph(rng: random.Random, n_ops: int) -> Graph:
    g = Graph()
    for k in range(4):
        g.add_node(Node(f"x{k}", NodeKind.VARIABLE, value=rng.choice([rng.uniform(-2, 2), 0.0, -0.0])))
    for k in range(n_ops):
        add_op(rng, g)
    return g


def add_op(rng: random.Random, g: Graph, wired: bool = True) -> str:
    """An op at the end of the document, fed by recent nodes (or not wired at all)."""
    op = OPS[rng.choice(OP_NAMES)]
    node_id = g.fresh_id("n")
    g.add_node(Node(node_id, NodeKind.OP, op=op.name))
    if wired:
        ids = list(g.nodes)[-10:-1]
        for port in range(op.min_arity + (1 if op.variadic and rng.random() < 0.3 else 0)):
            g.add_edge(Edge(rng.choice(ids), node_id, port))
    return node_id


def edit(rng: random.Random, g: Graph) -> None:
    """One structural edit: mostly at the end of the document (the incremental case), sometimes
    anywhere (a cycle, a removal in the middle, a node put back at its old place)."""
    ids = list(g.nodes)
    kind = rng.randrange(8)
    if kind <= 1:
        add_op(rng, g, wired=kind == 0)
    elif kind == 2:
        g.add_node(Node(g.fresh_id("c"), NodeKind.CONSTANT, value=rng.choice([1.5, -0.0, 0.0])))
    elif kind == 3 and len(ids) > 1:  # wire an end node from anywhere (maybe onto a taken port)
        target = ids[-1] if rng.random() < 0.7 else rng.choice(ids)
        edge = Edge(rng.choice(ids), target, rng.randrange(3))
        if not g.has_edge(edge):
            g.add_edge(edge)
    elif kind == 4 and g.edges:
        edges = g.edges
        g.remove_edge(edges[-1] if rng.random() < 0.7 else rng.choice(edges))
    elif kind == 5 and len(ids) > 5:
        g.remove_node(ids[-1] if rng.random() < 0.7 else rng.choice(ids))
    elif kind == 6 and len(ids) > 5:  # a removal undone: the node back at its place in the middle
        node_id = rng.choice(ids[:-1])
        place = ids.index(node_id)
        node = g.remove_node(node_id)
        g.add_node(node.copy(), place)
    else:
        leaf = rng.choice([n for n in ids if g.nodes[n].kind is not NodeKind.OP])
        g.set_value(leaf, rng.uniform(-3, 3))


def assert_same(incremental, fresh) -> None:
    assert [(p.code, p.message, p.owners, p.edges, p.port) for p in incremental.problems] == \
        [(p.code, p.message, p.owners, p.edges, p.port) for p in fresh.problems]
    assert list(incremental.values) == list(fresh.values)  # the same nodes in the same order
    assert [bits(v) for v in incremental.values.values()] == [bits(v) for v in fresh.values.values()]
    assert list(incremental.grads) == list(fresh.grads)
    assert [bits(v) for v in incremental.grads.values()] == [bits(v) for v in fresh.grads.values()]
    assert list(incremental.edge_grads) == list(fresh.edge_grads)
    assert [bits(v) for v in incremental.edge_grads.values()] == [bits(v) for v in fresh.edge_grads.values()]
    assert [(s.edge, bits(s.upstream), bits(s.local), bits(s.contribution), bits(s.total), s.final)
            for s in incremental.steps] == \
        [(s.edge, bits(s.upstream), bits(s.local), bits(s.contribution), bits(s.total), s.final)
         for s in fresh.steps]


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**9), st.integers(8, 40), st.integers(1, 30))
@example(seed=11369, n_ops=19, n_edits=3)  # a self-loop on the last node, a one-node cycle
def test_incremental_replanning_equals_a_fresh_plan_after_random_structural_edits(seed, n_ops, n_edits):
    rng = random.Random(seed)
    g = start_graph(rng, n_ops)
    ev = Evaluator(g)
    ev.evaluate(strict=False)
    for _ in range(n_edits):
        for _ in range(rng.choice([1, 1, 3])):  # several edits between two evaluations, sometimes
            edit(rng, g)
        output = rng.choice(list(g.nodes))
        assert_same(ev.evaluate(output, strict=False), Evaluator(g).evaluate(output, strict=False))


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10**9), st.integers(8, 30), st.integers(1, 25))
def test_kept_gradients_and_compared_leaves_equal_a_fresh_evaluation_whatever_is_asked_between(seed, n_ops, n_edits):
    """Between two evaluations the evaluator may be asked for no output, for one it cannot
    compute, or for another one: the gradients it keeps and the leaves it compares must still
    give what a fresh evaluator gives."""
    rng = random.Random(seed)
    g = start_graph(rng, n_ops)
    ev = Evaluator(g)
    ev.evaluate(rng.choice(list(g.nodes)), strict=False)
    for _ in range(n_edits):
        for _ in range(rng.choice([0, 1, 1, 3])):
            edit(rng, g)
        if rng.random() < 0.3:
            ev.evaluate(rng.choice([None, *g.nodes]), strict=False)  # asked in between, maybe for no output
        output = rng.choice(list(g.nodes))
        assert_same(ev.evaluate(output, strict=False), Evaluator(g).evaluate(output, strict=False))


def counting(monkeypatch, name: str) -> list:
    """Count the calls of `evaluate`'s `name`, still doing what it did."""
    calls, real = [], getattr(evaluate_module, name)
    monkeypatch.setattr(evaluate_module, name, lambda *a: calls.append(1) or real(*a))
    return calls


def test_a_node_the_output_does_not_read_runs_no_backward_pass_and_compares_no_leaf(monkeypatch):
    rng = random.Random(7)
    g = start_graph(rng, 400)
    out = list(g.nodes)[-1]
    ev = Evaluator(g)
    ev.evaluate(out, strict=False)
    backward, compared = counting(monkeypatch, "run_backward"), counting(monkeypatch, "same_number")
    g.add_node(Node("s", NodeKind.OP, op="add"))
    g.add_edge(Edge("x1", "s", 0))
    g.add_edge(Edge(out, "s", 1))
    result = ev.evaluate(out, strict=False)
    assert (backward, compared, result.recomputed) == ([], [], 1)
    assert_same(result, Evaluator(g).evaluate(out, strict=False))


def test_a_value_edit_compares_only_the_leaf_set(monkeypatch):
    rng = random.Random(8)
    g = start_graph(rng, 400)
    for k in range(200):
        g.add_node(Node(f"c{k}", NodeKind.CONSTANT, value=float(k)))
    ev = Evaluator(g)
    ev.evaluate(strict=False)
    compared = counting(monkeypatch, "same_number")
    g.set_value("x2", 0.25)
    result = ev.evaluate(strict=False)
    assert len(compared) == 1
    assert_same(result, Evaluator(g).evaluate(strict=False))


def test_a_new_edge_into_what_the_output_reads_computes_the_gradients_anew(monkeypatch):
    """The other side of keeping them: the output's path changed, so the backward pass runs."""
    g = Graph()
    for name, value in (("a", 2.0), ("b", 3.0)):
        g.add_node(Node(name, NodeKind.VARIABLE, value=value))
    g.add_node(Node("m", NodeKind.OP, op="mul"))
    g.add_edge(Edge("a", "m", 0))
    ev = Evaluator(g)
    ev.evaluate("m", strict=False)
    backward = counting(monkeypatch, "run_backward")
    g.add_edge(Edge("b", "m", 1))
    result = ev.evaluate("m", strict=False)
    assert backward == [1] and result.grads["a"] == 3.0 and result.grads["b"] == 2.0


def test_a_node_and_two_edges_at_the_end_extend_the_plan_without_building_one(monkeypatch):
    rng = random.Random(5)
    g = start_graph(rng, 300)
    ev = Evaluator(g)
    before = ev.evaluate(strict=False)
    old = ev.plan()
    built = []
    real = evaluate_module._build_plan
    monkeypatch.setattr(evaluate_module, "_build_plan", lambda graph: built.append(1) or real(graph))
    g.add_node(Node("s", NodeKind.OP, op="add"))
    g.add_edge(Edge("x1", "s", 0))
    g.add_edge(Edge("n150", "s", 1))
    result = ev.evaluate("s", strict=False)
    assert built == [] and ev.plan().ids == [*old.ids, "s"]
    assert result.recomputed == 1  # only the new node: every other value still holds
    assert_same(result, Evaluator(g).evaluate("s", strict=False))
    assert [bits(v) for v in before.values.values()] == [bits(result.values[n]) for n in before.values]


def test_the_first_add_after_opening_builds_no_consumer_lists_and_compiles_no_new_loop():
    """An op kind the plan's loop has no branch for is computed by the registry's functions
    (the same numbers), and consumer lists wait for a value edit that needs them."""
    g = Graph()
    g.add_node(Node("a", NodeKind.VARIABLE, value=0.5))
    g.add_node(Node("b", NodeKind.VARIABLE, value=-1.5))
    for k in range(50):
        g.add_node(Node(f"m{k}", NodeKind.OP, op="mul"))
        g.add_edge(Edge("a" if k == 0 else f"m{k - 1}", f"m{k}", 0))
        g.add_edge(Edge("b", f"m{k}", 1))
    ev = Evaluator(g)
    ev.evaluate("m49")
    old = ev.plan()
    g.add_node(Node("s", NodeKind.OP, op="sub"))
    g.add_edge(Edge("a", "s", 0))
    g.add_edge(Edge("m49", "s", 1))
    result = ev.evaluate("s")
    plan = ev.plan()
    assert plan.kernel.run is old.kernel.run and plan.kernel.ranked == ("mul",)
    assert plan._consumers is None and result.recomputed == 1
    assert_same(result, Evaluator(g).evaluate("s"))


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10**9), st.integers(1, 40))
def test_the_sinks_kept_as_edges_come_and_go_are_those_a_walk_finds(seed, n_edits):
    rng = random.Random(seed)
    g = start_graph(rng, 10)
    for _ in range(n_edits):
        edit(rng, g)
        assert g.sinks() == [n for n in g.nodes if not g.out_edges(n)]
