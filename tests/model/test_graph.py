"""The graph model: mutations, their notifications, identity and copying."""

import math

import pytest

from cgeditor.model.graph import (
    Edge, EdgeAdded, EdgeRemoved, Graph, GraphError, LabelChanged, Node, NodeAdded, NodeKind,
    NodeMoved, NodeRemoved, OutputChanged, TrainableChanged, ValueChanged, is_generated_id,
    is_trainable,
)

V, C, O = NodeKind.VARIABLE, NodeKind.CONSTANT, NodeKind.OP


def small_graph():
    g = Graph()
    g.add_node(Node("x", V, value=2.0, pos=(0.0, 0.0)))
    g.add_node(Node("y", V, value=3.0, pos=(0.0, 110.0)))
    g.add_node(Node("m", O, op="mul", pos=(170.0, 55.0)))
    g.add_edge(Edge("x", "m", 0))
    g.add_edge(Edge("y", "m", 1))
    return g


def recorder(graph):
    changes = []
    graph.subscribe(changes.append)
    return changes


def test_label_defaults_to_id():
    assert Node("x", V, value=1.0).label == "x"


def test_every_mutation_is_announced_once():
    g = small_graph()
    changes = recorder(g)
    g.move_node("x", (10.0, 20.0))
    g.set_value("x", 5.0)
    g.set_label("x", "input")
    g.set_output("m")
    g.remove_edge(Edge("y", "m", 1))
    g.add_edge(Edge("y", "m", 1))
    assert changes == [
        NodeMoved("x", (10.0, 20.0)), ValueChanged("x", 5.0), LabelChanged("x", "input"),
        OutputChanged(None, "m"), EdgeRemoved(Edge("y", "m", 1)), EdgeAdded(Edge("y", "m", 1)),
    ]


def test_no_announcement_when_nothing_changes():
    g = small_graph()
    changes = recorder(g)
    g.move_node("x", (0.0, 0.0))
    g.set_value("x", 2.0)
    g.set_label("x", "x")
    g.set_output(None)
    assert changes == []


def test_setting_nan_twice_announces_once():
    g = small_graph()
    changes = recorder(g)
    g.set_value("x", math.nan)
    g.set_value("x", math.nan)
    assert len(changes) == 1


def test_remove_node_announces_its_edges_first_and_clears_output():
    g = small_graph()
    g.set_output("m")
    changes = recorder(g)
    g.remove_node("m")
    assert [type(c) for c in changes] == [EdgeRemoved, EdgeRemoved, OutputChanged, NodeRemoved]
    assert g.edges == [] and g.output is None and "m" not in g


def test_add_node_at_index_restores_order():
    g = small_graph()
    node = g.remove_node("y")
    g.add_node(node, index=1)
    assert list(g.nodes) == ["x", "y", "m"]


def test_unsubscribed_listener_hears_nothing():
    g = small_graph()
    changes = []
    g.subscribe(changes.append)
    g.unsubscribe(changes.append)
    g.set_value("x", 9.0)
    assert changes == []


def test_structure_version_moves_only_on_structural_changes():
    g = small_graph()
    v = g.structure_version
    g.set_value("x", 4.0)
    g.move_node("x", (1.0, 1.0))
    assert g.structure_version == v
    changes = recorder(g)
    node = g.add_node(Node("k", C, value=1.0))
    assert changes == [NodeAdded(node)]
    assert g.structure_version == v + 1


@pytest.mark.parametrize("mutation", [
    lambda g: g.add_node(Node("x", V, value=1.0)),
    lambda g: g.add_edge(Edge("nope", "m", 0)),
    lambda g: g.add_edge(Edge("x", "nope", 0)),
    lambda g: g.add_edge(Edge("x", "m", 0)),
    lambda g: g.remove_edge(Edge("y", "m", 0)),
    lambda g: g.remove_node("nope"),
    lambda g: g.set_value("m", 1.0),
    lambda g: g.set_output("nope"),
], ids=["duplicate id", "unknown source", "unknown target", "duplicate edge", "missing edge",
        "unknown node", "value on op", "unknown output"])
def test_impossible_mutations_raise_graph_error_and_change_nothing(mutation):
    g = small_graph()
    before = g.copy()
    with pytest.raises(GraphError):
        mutation(g)
    assert g == before


def test_same_source_may_feed_several_ports_and_ops():
    g = small_graph()
    g.add_node(Node("sq", O, op="mul"))
    g.add_edge(Edge("x", "sq", 0))
    g.add_edge(Edge("x", "sq", 1))
    assert [e.target for e in g.out_edges("x")] == ["m", "sq", "sq"]
    assert g.edges_into_port("sq", 1) == [Edge("x", "sq", 1)]


def test_in_edges_are_sorted_by_port():
    g = Graph()
    for n in ("a", "b"):
        g.add_node(Node(n, V, value=1.0))
    g.add_node(Node("s", O, op="sub"))
    g.add_edge(Edge("b", "s", 1))
    g.add_edge(Edge("a", "s", 0))
    assert [e.port for e in g.in_edges("s")] == [0, 1]


def test_sinks_are_nodes_feeding_nothing():
    g = small_graph()
    g.add_node(Node("lonely", C, value=1.0))
    assert g.sinks() == ["m", "lonely"]


def test_creates_cycle():
    g = small_graph()
    g.add_node(Node("n", O, op="neg"))
    g.add_edge(Edge("m", "n", 0))
    assert g.creates_cycle("n", "m")
    assert g.creates_cycle("m", "m")
    assert not g.creates_cycle("x", "n")


def chain_written_backwards():
    """e = (a + b)(b + one), the ops written before the nodes they read."""
    g = Graph()
    for node in [Node("e", O, op="mul"), Node("c", O, op="add"), Node("a", V, value=2.0),
                 Node("d", O, op="add"), Node("b", V, value=1.0), Node("one", C, value=1.0)]:
        g.add_node(node)
    for edge in [("a", "c", 0), ("b", "c", 1), ("b", "d", 0), ("one", "d", 1), ("c", "e", 0), ("d", "e", 1)]:
        g.add_edge(Edge(*edge))
    return g


def test_topological_order_puts_each_node_after_its_inputs_and_ties_in_document_order():
    g = chain_written_backwards()
    assert g.topological_order() == ("a", "b", "c", "one", "d", "e")
    assert g.topological_order(["e", "d", "b", "one"]) == ("b", "one", "d", "e")
    in_order = small_graph()
    assert in_order.topological_order() == ("x", "y", "m")


def test_topological_order_leaves_out_a_cycle_and_what_it_feeds():
    g = small_graph()
    g.add_node(Node("n", O, op="neg"))
    g.add_node(Node("t", O, op="exp"))
    g.add_edge(Edge("m", "n", 0))
    g.add_edge(Edge("n", "n", 1))
    g.add_edge(Edge("n", "t", 0))
    assert g.topological_order() == ("x", "y", "m")


def test_reachable_walks_down_or_up_from_a_node_once_each():
    g = chain_written_backwards()
    assert set(g.reachable("b")) == {"b", "c", "d", "e"}
    assert set(g.reachable("d", upstream=True)) == {"d", "b", "one"}
    assert next(g.reachable("a")) == "a"
    assert len(list(g.reachable("e", upstream=True))) == 6


def test_fresh_id_counts_up():
    g = small_graph()
    assert g.fresh_id("k") == "k"
    assert g.fresh_id("x") == "x2"
    g.add_node(Node("x2", V, value=0.0))
    assert g.fresh_id("x") == "x3"
    assert g.fresh_id("x", reserved={"x3", "x4"}) == "x5"
    assert g.fresh_id("k", reserved={"k"}) == "k2"


def test_copy_is_equal_and_independent():
    g = small_graph()
    g.set_output("m")
    h = g.copy()
    assert h == g
    h.set_value("x", 100.0)
    h.node("m").extra["note"] = "changed"
    assert g.node("x").value == 2.0 and g.node("m").extra == {}
    assert h != g


def test_equality_compares_documents():
    g, h = small_graph(), small_graph()
    assert g == h
    h.move_node("x", (1.0, 0.0))
    assert g != h
    h.move_node("x", (0.0, 0.0))
    h.set_label("m", "product")
    assert g != h


def test_equality_treats_nan_values_as_equal():
    g, h = small_graph(), small_graph()
    g.set_value("x", math.nan)
    h.set_value("x", math.nan)
    assert g == h


def test_add_edge_at_an_index_restores_the_edge_order():
    g = Graph()
    for n in ("a", "b"):
        g.add_node(Node(n, NodeKind.VARIABLE, value=1.0))
    g.add_node(Node("s", NodeKind.OP, op="add"))
    first, second = Edge("a", "s", 0), Edge("b", "s", 1)
    g.add_edge(first)
    g.add_edge(second)
    g.remove_edge(first)
    g.add_edge(first, 0)
    assert g.edges == [first, second]


# -- trainable: parameters, not data ------------------------------------------------------------


@pytest.mark.parametrize("label, trainable", [
    ("w", True), ("b (bias)", True), ("θ", True), ("weights", True), ("biases", True), ("a", True),
    ("x", False), ("x2", False), ("x₁", False), ("y (target)", False), ("t", False),
    ("inputs", False), ("targets", False), ("x (input)", False),
])
def test_a_variable_is_trainable_unless_its_name_says_data(label, trainable):
    assert is_trainable(Node("v", NodeKind.VARIABLE, label)) is trainable


def test_the_trainable_flag_overrides_the_name_and_only_variables_train():
    g = Graph()
    g.add_node(Node("x", NodeKind.VARIABLE, value=1.0))
    g.add_node(Node("w", NodeKind.CONSTANT, value=1.0))
    seen = []
    g.subscribe(seen.append)
    g.set_trainable("x", True)
    assert is_trainable(g.node("x")) and seen == [TrainableChanged("x", True)]
    assert not is_trainable(g.node("w"))
    with pytest.raises(GraphError, match="not a variable"):
        g.set_trainable("w", True)


def test_a_graph_copy_keeps_the_trainable_flags_and_equality_sees_them():
    g = Graph()
    g.add_node(Node("x", NodeKind.VARIABLE, value=1.0))
    copy = g.copy()
    copy.set_trainable("x", True)
    assert copy.copy().node("x").trainable is True and copy != g
    copy.set_trainable("x", False)
    assert copy == g  # explicitly what the name says is the same graph


# -- renaming an id ------------------------------------------------------------------------------


def test_rename_id_moves_edges_and_output_and_keeps_the_node_order():
    g = small_graph()
    g.set_output("m")
    before = [(n.label, n.value, n.pos) for n in g]
    g.rename_id("x", "w")
    assert list(g.nodes) == ["w", "y", "m"]
    assert [(n.label, n.value, n.pos) for n in g] == before
    assert g.edges == [Edge("w", "m", 0), Edge("y", "m", 1)]
    g.rename_id("m", "loss")
    assert g.output == "loss" and g.in_edges("loss")


def test_rename_id_onto_a_taken_id_changes_nothing():
    g = small_graph()
    ids, edges = list(g.nodes), g.edges
    with pytest.raises(GraphError, match="duplicate"):
        g.rename_id(ids[0], ids[1])
    assert list(g.nodes) == ids and g.edges == edges


@pytest.mark.parametrize("node, generated", [
    (Node("x2", V), True), (Node("x", V), True), (Node("c3", C), True), (Node("add3", O, op="add"), True),
    (Node("w", V), False), (Node("x2", C), False), (Node("mul", O, op="add"), False),
])
def test_generated_ids_are_the_kind_stem_and_a_number(node, generated):
    assert is_generated_id(node) is generated
