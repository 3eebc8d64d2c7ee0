"""Validation reports every problem at once, each naming its nodes; wires are refused with a reason."""

import pytest

from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.model.validate import (InvalidGraphError, connection_problem, insertion_problem, new_node_problem,
                                     validate)

V, C, O = NodeKind.VARIABLE, NodeKind.CONSTANT, NodeKind.OP


def graph(nodes, edges):
    g = Graph()
    for n in nodes:
        g.add_node(n)
    for e in edges:
        g.add_edge(Edge(*e))
    return g


def var(i, v=1.0):
    return Node(i, V, value=v)


def op(i, name):
    return Node(i, O, op=name)


def codes(problems):
    return [p.code for p in problems]


def test_valid_graph_has_no_problems():
    g = graph([var("x"), var("y"), op("m", "mul")], [("x", "m", 0), ("y", "m", 1)])
    assert validate(g) == []


def test_cycle_names_its_nodes():
    g = graph([var("x"), op("a", "add"), op("n", "neg")],
              [("x", "a", 0), ("n", "a", 1), ("a", "n", 0)])
    [p] = validate(g)
    assert p.code == "cycle" and set(p.nodes) == {"a", "n"}
    assert "a" in p.message and "n" in p.message


def test_self_loop_is_a_cycle():
    g = graph([var("x"), op("a", "add")], [("x", "a", 0), ("a", "a", 1)])
    assert codes(validate(g)) == ["cycle"]


def test_unconnected_port_names_node_and_port():
    g = graph([var("x"), op("s", "sub")], [("x", "s", 0)])
    [p] = validate(g)
    assert (p.code, p.nodes, p.port) == ("unconnected_port", ("s",), 1)
    assert "input b" in p.message


def test_port_connected_twice_names_both_sources():
    g = graph([var("x"), var("y"), op("n", "neg")], [("x", "n", 0), ("y", "n", 0)])
    [p] = validate(g)
    assert p.code == "port_connected_twice" and p.port == 0
    assert set(p.nodes) == {"n", "x", "y"}


def test_port_beyond_arity():
    g = graph([var("x"), var("y"), op("n", "neg")], [("x", "n", 0), ("y", "n", 1)])
    [p] = validate(g)
    assert p.code == "port_beyond_arity" and p.port == 1 and "n" in p.nodes


def test_variadic_op_gap_is_an_unconnected_port():
    g = graph([var("x"), var("y"), op("a", "add")], [("x", "a", 0), ("y", "a", 2)])
    [p] = validate(g)
    assert (p.code, p.port) == ("unconnected_port", 1)


def test_edge_into_variable_or_constant():
    g = graph([var("x"), Node("k", C, value=2.0), var("y")], [("x", "k", 0), ("x", "y", 0)])
    problems = validate(g)
    assert codes(problems) == ["edge_into_leaf", "edge_into_leaf"]
    assert problems[0].nodes == ("x", "k")


def test_unknown_op_is_named():
    g = graph([var("x"), op("q", "frobnicate")], [("x", "q", 0)])
    [p] = validate(g)
    assert p.code == "unknown_op" and "frobnicate" in p.message


def test_missing_value():
    g = graph([Node("x", V)], [])
    assert codes(validate(g)) == ["missing_value"]


def test_every_problem_is_reported_at_once():
    g = graph([var("x"), op("s", "sub"), op("t", "tanh"), op("q", "nope"), Node("k", C, value=1.0)],
              [("x", "s", 0), ("t", "t", 0), ("x", "k", 0)])
    assert sorted(codes(validate(g))) == ["cycle", "edge_into_leaf", "unconnected_port", "unknown_op"]


def test_invalid_graph_error_carries_every_problem():
    g = graph([op("s", "sub"), op("t", "neg")], [])
    problems = validate(g)
    err = InvalidGraphError(problems)
    assert err.problems == problems
    assert "and 2 more" in str(err)


@pytest.mark.parametrize("source, target, port, reason", [
    ("x", "y", 0, "takes no inputs"),
    ("x", "n", 1, "no input 1"),
    ("x", "m", 0, "already there"),
    ("m", "m", 1, "cannot feed itself"),
    ("n", "m", 1, "cycle"),
    ("x", "nope", 0, "both ends"),
])
def test_connection_problem_explains_refusal(source, target, port, reason):
    g = graph([var("x"), var("y"), op("m", "mul"), op("n", "neg")], [("x", "m", 0), ("m", "n", 0)])
    assert reason in connection_problem(g, source, target, port)


def test_a_new_node_is_refused_a_target_in_the_words_a_wire_is_refused():
    g = graph([var("x"), var("y"), op("m", "mul"), op("n", "neg"), op("q", "nope")],
              [("x", "m", 0), ("m", "n", 0)])
    for source, target, port in [("x", "y", 0), ("x", "n", 1), ("n", "m", 1), ("x", "q", 0)]:
        assert new_node_problem(g, source, target, port) == connection_problem(g, source, target, port)
    assert new_node_problem(g, "m", "m", 1) == "connecting m → m would create a cycle"
    assert new_node_problem(g, None, "m", 1) is None


def test_only_an_unconnected_op_goes_into_a_wire():
    g = graph([var("x"), op("m", "neg"), op("free", "exp")], [("x", "m", 0)])
    assert insertion_problem(g, "free", Edge("x", "m", 0)) is None
    assert "only an op" in insertion_problem(g, "x", Edge("x", "m", 0))
    assert "already wired" in insertion_problem(g, "m", Edge("x", "m", 0))
    assert insertion_problem(g, "free", Edge("x", "m", 1)) == "that wire is gone"


def test_occupied_port_is_not_a_connection_problem():
    g = graph([var("x"), var("y"), op("m", "mul")], [("x", "m", 0)])
    assert connection_problem(g, "y", "m", 0) is None
    assert connection_problem(g, "y", "m", 5) is None  # variadic: any port


def test_a_variadic_op_wired_far_out_reports_the_gap_as_one_problem():
    g = Graph()
    g.add_node(Node("x", NodeKind.VARIABLE, value=1.0))
    g.add_node(Node("s", NodeKind.OP, op="add"))
    g.add_edge(Edge("x", "s", 0))
    g.add_edge(Edge("x", "s", 100_000))
    problems = [p for p in validate(g) if p.code == "unconnected_port"]
    assert [p.message for p in problems] == ["node s: inputs 1–99999 of add are not connected"]
