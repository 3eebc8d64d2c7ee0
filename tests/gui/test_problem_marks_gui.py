"""The canvas and the inspector mark each problem on the same node: the one it belongs to."""

from __future__ import annotations

from cgeditor.editor.document.document import Document
from cgeditor.editor.panels.inspector import Inspector
from cgeditor.model.blocks import Block
from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.model.validate import ProblemCode
from helpers.canvas import Canvas


def every_kind_of_problem() -> Graph:
    g = Graph()
    for i, (node_id, kind, op, value) in enumerate([
            ("x", NodeKind.VARIABLE, None, 2.0), ("k", NodeKind.CONSTANT, None, 1.0),
            ("n", NodeKind.OP, "neg", None), ("twice", NodeKind.OP, "sub", None),
            ("q", NodeKind.OP, "frobnicate", None), ("a", NodeKind.OP, "exp", None),
            ("b", NodeKind.OP, "exp", None), ("lonely", NodeKind.OP, "mul", None)]):
        g.add_node(Node(node_id, kind, value=value, op=op, pos=(170.0 * (i % 4), 110.0 * (i // 4))))
    for edge in [Edge("x", "k", 0),  # into a constant
                 Edge("x", "n", 0), Edge("k", "n", 1),  # neg has one input
                 Edge("x", "twice", 0), Edge("k", "twice", 0), Edge("n", "twice", 1),
                 Edge("x", "q", 0), Edge("a", "b", 0), Edge("b", "a", 0), Edge("x", "lonely", 0)]:
        g.add_edge(edge)
    hollow = Graph()  # a block whose inside has an unwired exp
    hollow.add_node(Node("t", NodeKind.VARIABLE, value=0.0))
    hollow.add_node(Node("z", NodeKind.OP, op="exp"))
    hollow.set_output("z")
    g.define_block(Block("hollow", ("t",), hollow))
    g.add_node(Node("h", NodeKind.OP, op="hollow", pos=(0.0, 330.0)))
    g.add_edge(Edge("x", "h", 0))
    return g


def test_the_inspector_and_the_canvas_list_the_same_problems_for_every_node(qtbot):
    canvas = Canvas(qtbot, Document(every_kind_of_problem()))
    canvas.wait_evaluated()
    codes = {p.code for p in canvas.document.problems}
    assert codes == set(ProblemCode) - {ProblemCode.MISSING_VALUE}
    inspector = Inspector()
    qtbot.addWidget(inspector)
    inspector.set_document(canvas.document)
    for node_id in canvas.graph.nodes:
        inspector.set_node(node_id)
        assert inspector.problems.text() == canvas.scene.node_item(node_id).toolTip(), node_id
    inspector.set_node("x")  # the source of several bad edges owns none of their problems
    assert inspector.problems.text() == ""
    inspector.set_node("k")  # the constant fed by x owns that edge's problem; neg owns its port 1
    assert "takes no inputs" in inspector.problems.text()
    assert "beyond" not in inspector.problems.text()
