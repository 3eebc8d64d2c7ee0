"""Flatten, group, ungroup and make unique keep every value and gradient of the graph."""

from __future__ import annotations

import pytest

from cgeditor.model.block_edits import apply_rewrite, flatten, group, make_unique, ungroup
from cgeditor.model.blocks import Block
from cgeditor.model.evaluate import evaluate
from cgeditor.model.graph import Edge, Graph, GraphError, Node, NodeKind
from helpers.graph_builders import build


def sig_body() -> Graph:
    g = Graph()
    g.add_node(Node("t", NodeKind.VARIABLE, pos=(0.0, 0.0)))
    g.add_node(Node("one", NodeKind.CONSTANT, value=1.0, pos=(0.0, 100.0)))
    for node_id, op, sources, x in [("e", "exp", ["t"], 100.0), ("d", "add", ["one", "e"], 200.0),
                                    ("z", "div", ["e", "d"], 300.0)]:
        g.add_node(Node(node_id, NodeKind.OP, op=op, pos=(x, 0.0)))
        for port, source in enumerate(sources):
            g.add_edge(Edge(source, node_id, port))
    g.set_output("z")
    return g


def neuron_body() -> Graph:
    g = Graph()
    for name in ("x", "w", "b"):
        g.add_node(Node(name, NodeKind.VARIABLE))
    for node_id, op, sources in [("p", "mul", ["x", "w"]), ("s", "add", ["p", "b"]), ("n2", "sig", ["s"])]:
        g.add_node(Node(node_id, NodeKind.OP, op=op, pos=(0.0, 0.0) if node_id == "n2" else None))
        for port, source in enumerate(sources):
            g.add_edge(Edge(source, node_id, port))
    g.set_output("n2")
    return g


def network() -> Graph:
    g = build({"x": 0.5, "a": -1.2, "c": 0.8, "b1": 0.3, "b2": -0.4},
              [("h1", "neuron", ["x", "a", "b1"]), ("h2", "neuron", ["x", "c", "b2"]), ("L", "mul", ["h1", "h2"])])
    g.move_node("h1", (500.0, 500.0))
    g.define_block(Block("sig", ("t",), sig_body()))
    g.define_block(Block("neuron", ("x", "w", "b"), neuron_body()))
    return g


def same_numbers(a: Graph, b: Graph, ids: list[str], rel: float = 1e-12) -> None:
    ra, rb = evaluate(a), evaluate(b)
    for node_id in ids:
        assert ra.values[node_id] == pytest.approx(rb.values[node_id], rel=rel), node_id
        assert ra.grads[node_id] == pytest.approx(rb.grads[node_id], rel=rel), node_id


def test_flatten_of_nested_blocks_names_inner_nodes_by_their_instance_path():
    flat = flatten(network())
    assert len(flat.blocks) == 0
    assert {"h1/p", "h1/s", "h1/n2/e", "h1/n2/one", "h1/n2/z", "h2/n2/z"} <= set(flat.nodes)
    assert not {"h1", "h1/x", "h1/n2/t"} & set(flat.nodes)  # instances and bound params are gone
    assert flat.has_edge(Edge("h1/n2/z", "L", 0)) and flat.has_edge(Edge("x", "h1/p", 0))
    assert flat.has_edge(Edge("h1/s", "h1/n2/e", 0))
    assert flat.nodes["h1/n2/z"].label == "z"
    assert flat.nodes["h1/n2/one"].pos == (350.0, 550.0)  # the sig body's centre is at h1's place
    assert all(op in ("mul", "add", "exp", "div") for op in (n.op for n in flat if n.kind is NodeKind.OP))
    same_numbers(network(), flat, ["x", "a", "c", "b1", "b2", "L"])


def test_flatten_keeps_the_output_when_it_is_an_instance():
    g = network()
    g.set_output("h2")
    assert flatten(g).output == "h2/n2/z"


def test_ungroup_of_group_gives_back_the_graphs_values_and_ids():
    g = build({"x": 0.7, "y": -0.3}, [("m", "mul", ["x", "y"]), ("e", "exp", ["m"]), ("q", "square", ["e"]),
                                      ("L", "add", ["q", "x"])])
    original = g.copy()
    rewrite = group(g, ["e", "q"], "expsq")
    assert g == original  # group only describes the edit
    apply_rewrite(g, rewrite)
    block = g.blocks["expsq"]
    assert block.params == ("m",) and block.body.output == "q"
    assert [n.op for n in g if n.kind is NodeKind.OP] == ["mul", "expsq", "add"]
    same_numbers(g, original, ["x", "y", "m", "L"])
    apply_rewrite(g, ungroup(g, rewrite.instance.id))
    same_numbers(g, original, ["x", "y", "m", "e", "q", "L"])
    assert list(g.nodes) == list(original.nodes) and sorted(g.edges) == sorted(original.edges)


def test_grouping_a_selection_that_holds_the_output_makes_the_instance_the_output():
    g = build({"x": 0.7}, [("e", "exp", ["x"]), ("L", "square", ["e"])])
    original = g.copy()
    apply_rewrite(g, group(g, ["e", "L"], "f"))
    assert g.op(g.nodes[g.output].op).category == "block"
    same_numbers(g, original, ["x"])


def test_a_selection_with_more_than_one_output_is_refused():
    g = build({"x": 0.7}, [("e", "exp", ["x"]), ("s", "sin", ["x"]), ("L", "add", ["e", "s"])])
    with pytest.raises(GraphError, match="more than one output"):
        group(g, ["e", "s"], "two")


def test_make_unique_gives_one_instance_its_own_copy():
    g = network()
    apply_rewrite(g, make_unique(g, "h2", "neuron2"))
    assert g.nodes["h2"].op == "neuron2" and g.nodes["h1"].op == "neuron"
    same_numbers(g, network(), ["x", "a", "c", "L"])
    g.blocks["neuron2"].body.add_node(Node("k", NodeKind.CONSTANT, value=2.0))
    g.blocks["neuron2"].body.add_node(Node("twice", NodeKind.OP, op="mul"))
    g.blocks["neuron2"].body.add_edge(Edge("n2", "twice", 0))
    g.blocks["neuron2"].body.add_edge(Edge("k", "twice", 1))
    g.blocks["neuron2"].body.set_output("twice")
    r, before = evaluate(g), evaluate(network())
    assert r.values["h1"] == before.values["h1"]
    assert r.values["h2"] == pytest.approx(2 * before.values["h2"])


def test_ungroup_writes_one_level_back_and_binds_the_params_to_the_wires():
    g = network()
    apply_rewrite(g, ungroup(g, "h1"))
    assert "h1" not in g and {"p", "s", "n2"} <= set(g.nodes)
    assert g.nodes["n2"].op == "sig" and g.has_edge(Edge("x", "p", 0)) and g.has_edge(Edge("n2", "L", 0))
    same_numbers(g, network(), ["x", "a", "c", "b1", "b2", "L"])
    with pytest.raises(GraphError, match="not an instance"):
        ungroup(g, "L")
