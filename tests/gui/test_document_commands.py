"""Every Document edit through the undo stack, at the model level (no widgets)."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QCoreApplication

from cgeditor.editor.document.commands import new_merge_id
from cgeditor.editor.document.document import Document
from cgeditor.model import fileformat
from cgeditor.model.fileformat import DocumentError
from cgeditor.model.graph import Edge, GraphError, NodeKind
from cgeditor.resources import example_path

V, C, OP = NodeKind.VARIABLE, NodeKind.CONSTANT, NodeKind.OP


@pytest.fixture
def doc(qapp):
    return Document()


def chain_rule(doc: Document) -> dict[str, str]:
    """L = (x + x·y)² built through the document, as a user would."""
    ids = {
        "x": doc.add_node(V, pos=(0, 0), value=2.0),
        "y": doc.add_node(V, pos=(0, 110), value=3.0),
        "z1": doc.add_node(OP, "mul", (170, 110)),
        "z2": doc.add_node(OP, "add", (340, 55)),
        "L": doc.add_node(OP, "square", (510, 55)),
    }
    for source, target, port in [("x", "z1", 0), ("y", "z1", 1), ("x", "z2", 0), ("z1", "z2", 1),
                                 ("z2", "L", 0)]:
        assert doc.connect(ids[source], ids[target], port) is None
    return ids


def steps(doc: Document) -> int:
    return doc.undo_stack.count()


# -- adding ------------------------------------------------------------------------------------


def test_add_node_names_ids_after_op_or_kind(doc):
    assert doc.add_node(V) == "x"
    assert doc.add_node(V) == "x2"
    assert doc.add_node(C) == "c"
    assert doc.add_node(OP, "mul") == "mul"
    assert doc.add_node(OP, "mul") == "mul2"


def test_add_node_gives_leaves_value_one_and_keeps_position(doc):
    x = doc.add_node(V, pos=(12, 34))
    c = doc.add_node(C, value=2.5, label="half")
    assert doc.graph.node(x).value == 1.0 and doc.graph.node(x).pos == (12.0, 34.0)
    assert doc.graph.node(c).value == 2.5 and doc.graph.node(c).label == "half"


def test_add_node_with_unknown_op_is_refused_without_a_step(doc):
    with pytest.raises(GraphError, match="unknown op"):
        doc.add_node(OP, "frobnicate")
    assert steps(doc) == 0 and len(doc.graph) == 0


def test_add_node_is_one_step_and_undo_removes_it(doc):
    doc.add_node(V)
    assert steps(doc) == 1
    doc.undo_stack.undo()
    assert len(doc.graph) == 0


# -- wiring ------------------------------------------------------------------------------------


def test_connect_adds_edge_as_one_step(doc):
    x, n = doc.add_node(V), doc.add_node(OP, "neg")
    assert doc.connect(x, n, 0) is None
    assert doc.graph.edges == [Edge(x, n, 0)] and steps(doc) == 3


@pytest.mark.parametrize("case", ["cycle", "into_variable", "beyond_arity", "self"])
def test_refused_connection_changes_nothing_and_says_why(doc, case):
    ids = chain_rule(doc)
    before = fileformat.dumps(doc.graph)
    count = steps(doc)
    source, target, port = {"cycle": ("L", "z1", 0), "into_variable": ("z1", "x", 0),
                            "beyond_arity": ("x", "L", 1), "self": ("z2", "z2", 0)}[case]
    reason = doc.connect(ids[source], ids[target], port)
    assert isinstance(reason, str) and reason
    assert fileformat.dumps(doc.graph) == before and steps(doc) == count


def test_wire_into_occupied_port_replaces_edge_in_one_step(doc):
    ids = chain_rule(doc)
    count = steps(doc)
    assert doc.connect(ids["y"], ids["z2"], 0) is None
    assert doc.graph.edges_into_port(ids["z2"], 0) == [Edge(ids["y"], ids["z2"], 0)]
    assert steps(doc) == count + 1
    doc.undo_stack.undo()
    assert doc.graph.edges_into_port(ids["z2"], 0) == [Edge(ids["x"], ids["z2"], 0)]


def test_disconnect_several_edges_is_one_step(doc):
    ids = chain_rule(doc)
    edges = [Edge(ids["x"], ids["z1"], 0), Edge(ids["y"], ids["z1"], 1)]
    before = doc.graph.copy()
    doc.disconnect(edges)
    assert not any(doc.graph.has_edge(e) for e in edges)
    doc.undo_stack.undo()
    assert doc.graph == before


# -- removing ----------------------------------------------------------------------------------


def test_remove_nodes_takes_their_edges_and_undo_restores_order_edges_and_output(doc):
    ids = chain_rule(doc)
    doc.set_output(ids["L"])
    before = doc.graph.copy()
    doc.remove_nodes([ids["z1"], ids["L"]])
    assert list(doc.graph.nodes) == [ids["x"], ids["y"], ids["z2"]]
    assert doc.graph.edges == [Edge(ids["x"], ids["z2"], 0)] and doc.graph.output is None
    doc.undo_stack.undo()
    assert doc.graph == before
    assert list(doc.graph.nodes) == list(before.nodes) and doc.graph.output == ids["L"]


def test_remove_nodes_with_selected_edges_is_one_step(doc):
    ids = chain_rule(doc)
    count = steps(doc)
    before = doc.graph.copy()
    doc.remove_nodes([ids["L"]], [Edge(ids["x"], ids["z1"], 0)])
    assert ids["L"] not in doc.graph and not doc.graph.has_edge(Edge(ids["x"], ids["z1"], 0))
    assert steps(doc) == count + 1
    doc.undo_stack.undo()
    assert doc.graph == before


def test_remove_nothing_pushes_no_step(doc):
    chain_rule(doc)
    count = steps(doc)
    doc.remove_nodes([])
    doc.remove_nodes(["no-such-node"])
    assert steps(doc) == count


# -- moving, values, labels, output --------------------------------------------------------------


def test_moves_with_one_merge_id_are_one_step(doc):
    x = doc.add_node(V, pos=(0, 0))
    drag = new_merge_id()
    for i in range(1, 6):
        doc.move_nodes({x: (i * 10, i)}, drag)
    assert steps(doc) == 2 and doc.graph.node(x).pos == (50.0, 5.0)
    doc.undo_stack.undo()
    assert doc.graph.node(x).pos == (0.0, 0.0)


def test_moves_with_different_merge_ids_are_separate_steps(doc):
    x = doc.add_node(V, pos=(0, 0))
    doc.move_nodes({x: (10, 0)}, new_merge_id())
    doc.move_nodes({x: (20, 0)}, new_merge_id())
    assert steps(doc) == 3


def test_drag_back_to_start_leaves_no_step(doc):
    x = doc.add_node(V, pos=(0, 0))
    drag = new_merge_id()
    doc.move_nodes({x: (10, 0)}, drag)
    doc.move_nodes({x: (0, 0)}, drag)
    assert steps(doc) == 1


def test_a_move_that_changes_nothing_is_no_step(doc):
    x = doc.add_node(V, pos=(3, 4))
    doc.move_nodes({x: (3, 4)}, new_merge_id())
    doc.move_nodes({x: (3, 4)})
    assert steps(doc) == 1


def test_typing_a_number_is_one_step(doc):
    x = doc.add_node(V)
    session = new_merge_id()
    for typed in (2.0, 2.5, 2.55):
        doc.set_value(x, typed, session)
    assert steps(doc) == 2 and doc.graph.node(x).value == 2.55
    doc.undo_stack.undo()
    assert doc.graph.node(x).value == 1.0


def test_value_sessions_on_different_nodes_do_not_merge(doc):
    x, y = doc.add_node(V), doc.add_node(V)
    session = new_merge_id()
    doc.set_value(x, 5.0, session)
    doc.set_value(y, 6.0, session)
    assert steps(doc) == 4


def test_set_value_keeps_nan_and_inf(doc):
    x = doc.add_node(V)
    doc.set_value(x, math.inf)
    doc.set_value(x, math.nan)
    assert math.isnan(doc.graph.node(x).value)
    doc.undo_stack.undo()
    assert doc.graph.node(x).value == math.inf


def test_set_value_on_an_op_is_refused(doc):
    n = doc.add_node(OP, "neg")
    with pytest.raises(GraphError, match="computed"):
        doc.set_value(n, 3.0)
    assert steps(doc) == 1


def test_rename_is_undoable_and_blank_is_ignored(doc):
    x = doc.add_node(V)
    doc.rename(x, "weight")
    doc.rename(x, "   ")
    assert doc.graph.node(x).label == "weight" and steps(doc) == 2
    doc.undo_stack.undo()
    assert doc.graph.node(x).label == x


@pytest.mark.parametrize("brk", ["\n", "\r", "\x85", "\u2028", "\u2029"])
def test_rename_with_a_line_break_is_refused_and_changes_nothing(doc, brk):
    x = doc.add_node(V)
    with pytest.raises(GraphError, match="cannot contain a line break"):
        doc.rename(x, f"a{brk}import os")
    assert doc.graph.node(x).label == x and steps(doc) == 1


def test_set_output_is_undoable(doc):
    ids = chain_rule(doc)
    doc.set_output(ids["z2"])
    assert doc.graph.output == ids["z2"]
    doc.undo_stack.undo()
    assert doc.graph.output is None


# -- compound edits ------------------------------------------------------------------------------


def test_insert_on_edge_is_one_step(doc):
    ids = chain_rule(doc)
    count = steps(doc)
    edge = Edge(ids["z2"], ids["L"], 0)
    n = doc.insert_on_edge(edge, "tanh", (420, 55))
    assert not doc.graph.has_edge(edge)
    assert doc.graph.has_edge(Edge(ids["z2"], n, 0)) and doc.graph.has_edge(Edge(n, ids["L"], 0))
    assert steps(doc) == count + 1
    doc.undo_stack.undo()
    assert n not in doc.graph and doc.graph.has_edge(edge)


def test_add_connected_node_from_an_output_port(doc):
    x = doc.add_node(V)
    n = doc.add_connected_node("exp", (100, 0), source=x)
    assert doc.graph.edges == [Edge(x, n, 0)] and steps(doc) == 2


def test_add_connected_node_into_an_occupied_port_replaces_it(doc):
    ids = chain_rule(doc)
    n = doc.add_connected_node("exp", (100, 0), target=(ids["z2"], 0))
    assert doc.graph.edges_into_port(ids["z2"], 0) == [Edge(n, ids["z2"], 0)]


def test_add_connected_node_into_a_variable_is_refused(doc):
    x = doc.add_node(V)
    with pytest.raises(GraphError, match="takes no inputs"):
        doc.add_connected_node("exp", (0, 0), target=(x, 0))
    assert steps(doc) == 1


# -- clipboard, duplicate, arrange -----------------------------------------------------------------


def test_copy_text_is_the_file_format_with_edges_among_the_selection(doc):
    ids = chain_rule(doc)
    copied = fileformat.loads(doc.copy_text([ids["x"], ids["y"], ids["z1"]]))
    assert list(copied.nodes) == [ids["x"], ids["y"], ids["z1"]]
    assert sorted(copied.edges) == sorted([Edge(ids["x"], ids["z1"], 0), Edge(ids["y"], ids["z1"], 1)])


def test_paste_adds_fresh_ids_beside_the_original_in_one_step(doc):
    ids = chain_rule(doc)
    count = steps(doc)
    new = doc.paste_text(doc.copy_text([ids["x"], ids["z1"]]))
    assert len(new) == 2 and not set(new) & set(ids.values())
    assert steps(doc) == count + 1
    x2, mul2 = (doc.graph.node(n) for n in new)
    assert x2.value == 2.0 and mul2.op == "mul"
    assert x2.pos == (40.0, 40.0) and mul2.pos == (210.0, 150.0)
    assert doc.graph.edges_into_port(new[1], 0) == [Edge(new[0], new[1], 0)]


def test_paste_at_puts_the_top_left_there(doc):
    ids = chain_rule(doc)
    new = doc.paste_text(doc.copy_text([ids["y"], ids["z1"]]), at=(1000, 2000))
    assert doc.graph.node(new[0]).pos == (1000.0, 2000.0)
    assert doc.graph.node(new[1]).pos == (1170.0, 2000.0)


def test_pasted_default_labels_follow_the_new_ids(doc):
    doc.add_node(V)
    doc.rename(doc.add_node(V), "w")
    new = doc.paste_text(doc.copy_text(list(doc.graph.nodes)))
    assert [doc.graph.node(n).label for n in new] == [new[0], "w"]


@pytest.mark.parametrize("text", ["hello", "{}", '{"format": "cgeditor-graph", "version": 1}'])
def test_paste_of_bad_text_raises_and_changes_nothing(doc, text):
    chain_rule(doc)
    before, count = fileformat.dumps(doc.graph), steps(doc)
    with pytest.raises(DocumentError):
        doc.paste_text(text)
    assert fileformat.dumps(doc.graph) == before and steps(doc) == count


def test_duplicate_copies_nodes_and_inner_edges_in_one_step(doc):
    ids = chain_rule(doc)
    count = steps(doc)
    new = doc.duplicate([ids["x"], ids["y"], ids["z1"]])
    assert len(doc.graph) == 8 and len(doc.graph.edges) == 7 and steps(doc) == count + 1
    assert doc.graph.edges_into_port(new[2], 1) == [Edge(new[1], new[2], 1)]


def test_arrange_is_one_step_and_undo_restores_positions(doc):
    ids = chain_rule(doc)
    for node_id in ids.values():
        doc.move_nodes({node_id: (0, 0)})
    before = doc.graph.copy()
    count = steps(doc)
    doc.arrange()
    assert steps(doc) == count + 1
    assert len({doc.graph.node(n).pos for n in ids.values()}) == 5
    doc.undo_stack.undo()
    assert doc.graph == before


# -- evaluation --------------------------------------------------------------------------------------


def test_document_evaluates_on_creation(qapp):
    d = Document(fileformat.load(example_path()))
    assert d.evaluation.values["L"] == 64.0 and d.evaluation.grads["x"] == 64.0
    assert d.problems == []


def test_a_compound_edit_is_evaluated_once(doc, qtbot):
    ids = chain_rule(doc)
    doc.evaluate_now()
    count = []
    doc.evaluated.connect(lambda: count.append(1))
    doc.connect(ids["y"], ids["z2"], 0)  # removes one edge and adds another
    doc.set_value(ids["y"], 4.0)
    qtbot.waitUntil(lambda: count == [1])
    QCoreApplication.processEvents()
    assert count == [1]
    assert doc.evaluation.values[ids["L"]] == (4.0 + 8.0) ** 2


def test_a_value_edit_recomputes_only_downstream(doc):
    ids = chain_rule(doc)
    doc.evaluate_now()
    doc.set_value(ids["y"], 5.0)
    doc.evaluate_now()
    assert doc.evaluation.recomputed == 3  # z1, z2, L
    assert doc.evaluation.values[ids["L"]] == (2.0 + 10.0) ** 2


def test_moving_and_renaming_do_not_reevaluate(doc, qtbot):
    ids = chain_rule(doc)
    doc.evaluate_now()
    count = []
    doc.evaluated.connect(lambda: count.append(1))
    doc.move_nodes({ids["x"]: (5, 5)})
    doc.rename(ids["x"], "input")
    QCoreApplication.processEvents()
    assert count == []


def test_invalid_graph_evaluates_what_it_can(doc):
    x = doc.add_node(V, value=3.0)
    n = doc.add_node(OP, "neg")
    s = doc.add_node(OP, "sub")
    doc.connect(x, n, 0)
    doc.connect(n, s, 0)
    doc.evaluate_now()
    assert doc.evaluation.values[n] == -3.0 and s not in doc.evaluation.values
    assert [p.code for p in doc.problems] == ["unconnected_port"]


# -- documents ----------------------------------------------------------------------------------------


def test_modified_follows_the_undo_stack(doc, qtbot):
    assert not doc.is_modified()
    with qtbot.waitSignal(doc.modified_changed) as signal:
        doc.add_node(V)
    assert signal.args == [True] and doc.is_modified()
    doc.undo_stack.undo()
    assert not doc.is_modified()


def test_save_marks_clean_and_open_reads_the_same_graph(doc, tmp_path, qtbot):
    chain_rule(doc)
    path = tmp_path / "g.cgraph"
    with qtbot.waitSignal(doc.path_changed):
        doc.save(path)
    assert not doc.is_modified() and doc.path == path and doc.name == "g.cgraph"
    reopened = Document.open(path)
    assert reopened.graph == doc.graph and reopened.path == path


def test_open_of_a_broken_file_raises_one_line_document_error(qapp, tmp_path):
    path = tmp_path / "broken.cgraph"
    path.write_text("{ not json")
    with pytest.raises(DocumentError) as err:
        Document.open(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_save_without_a_path_is_refused(doc):
    with pytest.raises(DocumentError, match="no file name"):
        doc.save()


# -- the whole history -------------------------------------------------------------------------------


def test_undo_every_kind_of_edit_back_to_empty_then_redo_to_the_finished_graph(doc):
    history = [doc.graph.copy()]

    def record(edit, *args, **kwargs):
        result = edit(*args, **kwargs)
        history.append(doc.graph.copy())
        return result

    x = record(doc.add_node, V, pos=(0, 0))
    y = record(doc.add_node, V, pos=(0, 110))
    z1 = record(doc.add_node, OP, "mul", (170, 110))
    z2 = record(doc.add_node, OP, "add", (340, 55))
    record(doc.connect, x, z1, 0)
    record(doc.connect, y, z1, 1)
    record(doc.connect, y, z2, 0)
    record(doc.connect, x, z2, 0)  # replaces y → z2 in the occupied port
    record(doc.connect, z1, z2, 1)
    L = record(doc.add_connected_node, "square", (510, 55), source=z2)
    t = record(doc.insert_on_edge, Edge(z2, L, 0), "tanh", (420, 55))
    record(doc.remove_nodes, [t])
    record(doc.connect, z2, L, 0)
    session = new_merge_id()
    doc.set_value(x, 2.0, session)
    record(doc.set_value, x, 2.0, session)
    record(doc.set_value, y, 3.0)
    drag = new_merge_id()
    doc.move_nodes({x: (5, 0)}, drag)
    record(doc.move_nodes, {x: (0, 5)}, drag)
    record(doc.rename, z1, "z1 = x·y")
    record(doc.set_output, L)
    pasted = record(doc.paste_text, doc.copy_text([x, y]))
    duplicated = record(doc.duplicate, [z1])
    record(doc.remove_nodes, pasted + duplicated)
    record(doc.disconnect, [Edge(y, z1, 1)])
    record(doc.connect, y, z1, 1)
    record(doc.arrange)
    finished = fileformat.dumps(doc.graph)
    assert doc.undo_stack.count() == len(history) - 1
    doc.evaluate_now()
    assert doc.evaluation.values[L] == 64.0 and doc.evaluation.grads[y] == 32.0

    for expected in reversed(history[:-1]):
        doc.undo_stack.undo()
        assert fileformat.dumps(doc.graph) == fileformat.dumps(expected)
    assert len(doc.graph) == 0 and not doc.is_modified()
    for expected in history[1:]:
        doc.undo_stack.redo()
        assert fileformat.dumps(doc.graph) == fileformat.dumps(expected)
    assert fileformat.dumps(doc.graph) == finished


def test_a_pasted_copy_keeps_the_trainable_flag_set_on_the_original(qapp):
    doc = Document.open(example_path("linear_regression"))
    doc.set_trainable("y", True)
    pasted = doc.paste_text(doc.copy_text(["y"]))
    assert len(pasted) == 1 and pasted[0] != "y" and doc.graph.node(pasted[0]).trainable is True
