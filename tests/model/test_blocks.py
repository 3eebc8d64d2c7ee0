"""Blocks: an instance computes what its inside computes, value and gradient, at any depth."""

from __future__ import annotations

import math

import pytest

from cgeditor.model.blocks import MAX_BLOCK_DEPTH, Block
from cgeditor.model.changes import BlockChanged, BlockDefined, BlockRemoved
from cgeditor.model.evaluate import evaluate
from cgeditor.model.graph import Edge, Graph, GraphError, Node, NodeKind
from cgeditor.model.instance_values import inside_at
from cgeditor.model.validate import ProblemCode, validate
from helpers.graph_builders import build


def body_of(leaves: dict, constants: dict, ops: list, output: str) -> Graph:
    """Variables (params, no value needed), constants, then op nodes (id, op, [sources])."""
    g = Graph()
    for name, value in leaves.items():
        g.add_node(Node(name, NodeKind.VARIABLE, value=value))
    for name, value in constants.items():
        g.add_node(Node(name, NodeKind.CONSTANT, value=float(value)))
    for name, op, sources in ops:
        g.add_node(Node(name, NodeKind.OP, op=op))
        for port, source in enumerate(sources):
            g.add_edge(Edge(source, name, port))
    g.set_output(output)
    return g


def sig_block() -> Block:
    """sig(t) = exp(t) / (1 + exp(t)), from exp, add and div only."""
    return Block("sig", ("t",), body_of({"t": None}, {"one": 1}, [
        ("e", "exp", ["t"]), ("d", "add", ["one", "e"]), ("z", "div", ["e", "d"])], "z"))


def neuron_block() -> Block:
    """neuron(x, w, b) = sig(x·w + b): a block using a block."""
    return Block("neuron", ("x", "w", "b"), body_of({"x": None, "w": None, "b": None}, {}, [
        ("p", "mul", ["x", "w"]), ("s", "add", ["p", "b"]), ("n2", "sig", ["s"])], "n2"))


def instance_graph(blocks: list[Block], leaves: dict, ops: list) -> Graph:
    g = build(leaves, ops)
    for block in blocks:
        g.define_block(block)
    return g


def test_a_sigmoid_block_built_from_exp_add_div_has_the_sigmoid_ops_value_and_gradient():
    for x in (-3.0, -0.2, 0.0, 0.7, 4.0):
        with_block = evaluate(instance_graph([sig_block()], {"x": x}, [("h", "sig", ["x"]), ("L", "square", ["h"])]))
        with_op = evaluate(build({"x": x}, [("h", "sigmoid", ["x"]), ("L", "square", ["h"])]))
        assert with_block.values["h"] == pytest.approx(with_op.values["h"], rel=1e-14)
        assert with_block.grads["x"] == pytest.approx(with_op.grads["x"], rel=1e-12)
        assert with_block.edge_grads[Edge("x", "h", 0)] == pytest.approx(
            with_op.edge_grads[Edge("x", "h", 0)], rel=1e-12)


def hand_flattened() -> Graph:
    """Two neurons sharing x, feeding a sum, written out node by node."""
    g = Graph()
    for name, value in {"x": 0.5, "a": -1.2, "c": 0.8, "b1": 0.3, "b2": -0.4}.items():
        g.add_node(Node(name, NodeKind.VARIABLE, value=value))
    for h, w, b in (("h1", "a", "b1"), ("h2", "c", "b2")):
        g.add_node(Node(f"{h}/one", NodeKind.CONSTANT, value=1.0))
        for node_id, op, sources in [(f"{h}/p", "mul", ["x", w]), (f"{h}/s", "add", [f"{h}/p", b]),
                                     (f"{h}/e", "exp", [f"{h}/s"]), (f"{h}/d", "add", [f"{h}/one", f"{h}/e"]),
                                     (h, "div", [f"{h}/e", f"{h}/d"])]:
            g.add_node(Node(node_id, NodeKind.OP, op=op))
            for port, source in enumerate(sources):
                g.add_edge(Edge(source, node_id, port))
    g.add_node(Node("L", NodeKind.OP, op="mul"))
    g.add_edge(Edge("h1", "L", 0))
    g.add_edge(Edge("h2", "L", 1))
    g.set_output("L")
    return g


def nested_graph() -> Graph:
    return instance_graph([sig_block(), neuron_block()], {"x": 0.5, "a": -1.2, "c": 0.8, "b1": 0.3, "b2": -0.4},
                          [("h1", "neuron", ["x", "a", "b1"]), ("h2", "neuron", ["x", "c", "b2"]),
                           ("L", "mul", ["h1", "h2"])])


def test_nested_instances_have_the_values_and_gradients_of_the_hand_flattened_graph():
    nested, flat = evaluate(nested_graph()), evaluate(hand_flattened())
    for node_id in ("x", "a", "c", "b1", "b2", "h1", "h2", "L"):
        assert nested.values[node_id] == pytest.approx(flat.values[node_id], rel=1e-12)
        assert nested.grads[node_id] == pytest.approx(flat.grads[node_id], rel=1e-12)
    assert nested.edge_grads[Edge("a", "h1", 1)] == pytest.approx(flat.grads["a"] / flat.grads["h1"], rel=1e-12)


def test_inside_reports_each_inner_nodes_value_and_gradient_of_the_blocks_output():
    g = nested_graph()
    found = inside_at(g.blocks, "neuron", {"x": 0.5, "w": -1.2, "b": 0.3})
    s = 0.5 * -1.2 + 0.3
    sig = 1.0 / (1.0 + math.exp(-s))
    assert found.values["s"] == pytest.approx(s)
    assert (found.values["n2"], found.grads["n2"]) == pytest.approx((sig, 1.0))
    assert found.grads["w"] == pytest.approx(sig * (1.0 - sig) * 0.5)


def test_an_instance_is_an_op_whose_ports_are_the_params():
    g = nested_graph()
    op = g.op("neuron")
    assert (op.ports, op.min_arity, op.max_arity, op.category) == (("x", "w", "b"), 3, 3, "block")
    assert g.op("add").name == "add" and g.op("nothing") is None and g.op(None) is None
    assert op.python(["u", "v", "k"]) == "neuron(u, v, k)"


def test_a_block_that_uses_itself_is_refused_directly_and_through_another_block():
    g = Graph()
    loop = Block("f", ("t",), body_of({"t": None}, {}, [("z", "f", ["t"])], "z"))
    with pytest.raises(GraphError, match="recursion"):
        g.define_block(loop)
    g.define_block(sig_block())
    g.define_block(Block("outer", ("u",), body_of({"u": None}, {}, [("z", "sig", ["u"])], "z")))
    through = Block("sig", ("t",), body_of({"t": None}, {}, [("z", "outer", ["t"])], "z"))
    with pytest.raises(GraphError, match="recursion"):
        g.replace_block(through)
    assert g.blocks.names() == ["sig", "outer"]


@pytest.mark.parametrize("name, reason", [("sigmoid", "built-in op"), ("exp", "built-in op"),
                                          ("sig", "already exists"), ("2x", "identifier"),
                                          ("a/b", "identifier"), ("def", "identifier"),
                                          ("variable", "kind of node"), ("constant", "kind of node"),
                                          ("op", "kind of node")])
def test_a_block_name_that_shadows_an_op_a_node_kind_or_a_block_or_is_no_identifier_is_refused(name, reason):
    g = Graph()
    g.define_block(sig_block())
    block = sig_block()
    block.name = name
    with pytest.raises(GraphError, match=reason):
        g.define_block(block)


def test_params_must_be_distinct_variables_of_the_body():
    g = Graph()
    for params in (("t", "t"), ("one",), ("nope",)):
        block = sig_block()
        block.params = params
        with pytest.raises(GraphError, match="parameter"):
            g.define_block(block)


def test_a_block_in_use_cannot_be_removed_and_each_change_is_announced():
    g = nested_graph()
    seen = []
    g.subscribe(seen.append)
    with pytest.raises(GraphError, match="used inside neuron"):
        g.remove_block("sig")
    with pytest.raises(GraphError, match="used by h1, h2"):
        g.remove_block("neuron")
    for node_id in ("L", "h1", "h2"):
        g.remove_node(node_id)
    seen.clear()
    neuron = g.remove_block("neuron")
    g.define_block(neuron, 0)
    assert seen == [BlockRemoved(neuron, 1), BlockDefined(neuron)]
    assert g.blocks.names() == ["sig", "neuron"]  # a block stays after the blocks it uses


def test_editing_a_body_changes_every_instance_and_is_announced_on_the_document():
    g = instance_graph([sig_block()], {"x": 0.0}, [("h1", "sig", ["x"]), ("h2", "sig", ["x"]),
                                                    ("L", "add", ["h1", "h2"])])
    assert evaluate(g).values["L"] == pytest.approx(1.0)
    seen = []
    g.subscribe(seen.append)
    version = g.structure_version
    g.blocks["sig"].body.set_value("one", 3.0)  # sig(0) = 1 / (3 + 1)
    assert seen == [BlockChanged("sig")] and g.structure_version > version
    assert evaluate(g).values["L"] == pytest.approx(0.5)
    g.blocks["sig"].body.move_node("e", (10.0, 10.0))  # a move computes nothing anew
    assert seen == [BlockChanged("sig")]


def test_an_evaluator_replans_after_a_block_is_replaced():
    from cgeditor.model.evaluate import Evaluator

    g = instance_graph([sig_block()], {"x": 0.0}, [("h", "sig", ["x"])])
    ev = Evaluator(g)
    assert ev.evaluate().values["h"] == pytest.approx(0.5)
    g.replace_block(Block("sig", ("t",), body_of({"t": None}, {}, [("z", "exp", ["t"])], "z")))
    assert ev.evaluate().values["h"] == pytest.approx(1.0)


def test_copy_and_equality_include_the_blocks():
    g = nested_graph()
    copy = g.copy()
    assert copy == g and copy.blocks is not g.blocks
    assert copy.blocks["neuron"].body.blocks is copy.blocks
    assert evaluate(copy).values["L"] == evaluate(g).values["L"]
    copy.blocks["sig"].body.set_value("one", 2.0)
    assert copy != g
    assert g != nested_graph().copy_contents()


def test_an_instance_wired_wrong_or_of_a_broken_block_is_a_problem():
    g = instance_graph([sig_block()], {"x": 1.0, "y": 2.0}, [("h", "sig", ["x", "y"])])
    assert [p.code for p in validate(g)] == [ProblemCode.PORT_BEYOND_ARITY]
    g.remove_edge(Edge("y", "h", 1))
    assert validate(g) == []
    g.blocks["sig"].body.remove_edge(Edge("e", "d", 1))
    problems = validate(g)
    assert [p.code for p in problems] == [ProblemCode.BROKEN_BLOCK]
    assert "block sig is broken inside" in problems[0].message
    result = evaluate(g, strict=False)
    assert "h" not in result.values


def chain_of_blocks(n: int, calls: int) -> Graph:
    """b0(t) = exp(t); b_k(t) calls b_{k-1} `calls` times in a row (nesting k + 1 deep)."""
    g = Graph()
    g.define_block(Block("b0", ("t",), body_of({"t": None}, {}, [("e", "exp", ["t"])], "e")))
    for k in range(1, n):
        ops = [(f"c{i}", f"b{k - 1}", ["t" if i == 0 else f"c{i - 1}"]) for i in range(calls)]
        g.define_block(Block(f"b{k}", ("t",), body_of({"t": None}, {}, ops, f"c{calls - 1}")))
    return g


def test_blocks_nesting_deeper_than_the_limit_are_refused_with_the_depth():
    g = chain_of_blocks(MAX_BLOCK_DEPTH, 1)  # b31 is 32 deep: allowed
    deeper = Block("deeper", ("t",), body_of({"t": None}, {}, [("c", f"b{MAX_BLOCK_DEPTH - 1}", ["t"])], "c"))
    with pytest.raises(GraphError, match=f"nests blocks {MAX_BLOCK_DEPTH + 1} deep"):
        g.define_block(deeper)
    assert "deeper" not in g.blocks


def test_blocks_doubling_at_each_level_are_refused_before_they_describe_too_many_nodes():
    g = chain_of_blocks(17, 2)  # b16 written out: 2^16 nodes and their connecting instances
    more = Block("more", ("t",), body_of({"t": None}, {}, [("c0", "b16", ["t"]), ("c1", "b16", ["c0"]),
                                                          ("c2", "b16", ["c1"]), ("c3", "b16", ["c2"])], "c3"))
    with pytest.raises(GraphError, match="nodes with every instance written out"):
        g.define_block(more)


def test_blocks_appended_after_the_blocks_they_use_keep_their_definition_order():
    g = chain_of_blocks(1, 1)
    for k in range(1, 1000):
        g.define_block(Block(f"u{k}", ("t",), body_of({"t": None}, {}, [("c", "b0", ["t"])], "c")))
    assert g.blocks.names() == ["b0"] + [f"u{k}" for k in range(1, 1000)]
    g.define_block(Block("first", ("t",), body_of({"t": None}, {}, [("c", "u7", ["t"])], "c")), index=0)
    assert g.blocks.names()[:3] == ["b0", "u7", "first"]  # put where asked, after what it uses


def test_an_edited_inside_counts_in_the_nesting_limit_of_the_blocks_using_it():
    g = chain_of_blocks(MAX_BLOCK_DEPTH - 1, 1)  # b30 nests 31 deep
    g.define_block(Block("leaf", ("t",), body_of({"t": None}, {}, [("e", "exp", ["t"])], "e")), index=0)
    top = Block("top", ("t",), body_of({"t": None}, {}, [("c", f"b{MAX_BLOCK_DEPTH - 2}", ["t"])], "c"))
    assert g.blocks.check_new(top) is None  # 32 deep: allowed
    inner = g.blocks["b0"].body
    inner.add_node(Node("deeper", NodeKind.OP, op="leaf"))  # b0 now nests leaf: every user one deeper
    inner.add_edge(Edge("e", "deeper", 0))
    with pytest.raises(GraphError, match=f"nests blocks {MAX_BLOCK_DEPTH + 1} deep"):
        g.define_block(top)
