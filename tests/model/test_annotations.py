"""Annotations in the model and the file: notes and arrows are kept in order, announced, compared
and copied with the graph, saved only when there are any, and every bad one refused in one line."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cgeditor.model.annotations import Arrow, Note
from cgeditor.model.fileformat import (MAX_ANNOTATIONS, MAX_NOTE_LENGTH, DocumentError, dumps,
                                       graph_to_dict, loads)
from cgeditor.model.graph import (AnnotationAdded, AnnotationChanged, AnnotationRemoved, Graph,
                                  GraphError, Node, NodeKind)
from cgeditor.resources import list_examples

X = {"id": "x", "kind": "variable", "value": 2.0, "pos": [0, 0]}
NOTE = {"id": "note1", "kind": "note", "text": "x is the input\nand it is 2", "pos": [-300, 20]}
ARROW = {"id": "arrow1", "kind": "arrow", "from": [-60, 0], "to": [-30.5, 0]}


def doc(annotations) -> str:
    return json.dumps({"format": "cgeditor-graph", "version": 1, "nodes": [X], "edges": [],
                       "annotations": annotations})


def annotated() -> Graph:
    g = Graph()
    g.add_node(Node("x", NodeKind.VARIABLE, value=2.0, pos=(0.0, 0.0)))
    g.add_annotation(Note("note1", "look here", (10.0, 20.0)))
    g.add_annotation(Arrow("arrow1", (0.0, 0.0), (50.0, 5.0)))
    return g


# -- the model ------------------------------------------------------------------------------


def test_annotations_keep_insertion_order_and_an_index_restores_a_place():
    g = annotated()
    g.add_annotation(Note("note2", "second", (0.0, 0.0)), index=0)
    assert [a.id for a in g.annotations] == ["note2", "note1", "arrow1"]
    removed, index = g.remove_annotation("note1")
    assert (removed.id, index) == ("note1", 1)
    g.add_annotation(removed, index)
    assert [a.id for a in g.annotations] == ["note2", "note1", "arrow1"]


def test_every_annotation_edit_is_announced_and_none_is_structural():
    g = annotated()
    seen = []
    g.subscribe(seen.append)
    version = g.structure_version
    g.add_annotation(Note("note2", "new", (1.0, 1.0)))
    g.move_annotation("note2", ((5.0, 6.0),))
    g.move_annotation("arrow1", ((1.0, 2.0), (3.0, 4.0)))
    g.set_annotation_text("note2", "changed")
    g.remove_annotation("note2")
    assert [type(c) for c in seen] == [AnnotationAdded, AnnotationChanged, AnnotationChanged,
                                       AnnotationChanged, AnnotationRemoved]
    assert seen[1].annotation == Note("note2", "new", (5.0, 6.0))
    assert seen[2].annotation == Arrow("arrow1", (1.0, 2.0), (3.0, 4.0))
    assert seen[3].annotation.text == "changed"
    assert g.structure_version == version


def test_an_edit_that_changes_nothing_is_not_announced():
    g = annotated()
    seen = []
    g.subscribe(seen.append)
    g.move_annotation("note1", ((10.0, 20.0),))
    g.set_annotation_text("note1", "look here")
    assert seen == []


def test_bad_annotation_edits_raise_graph_errors():
    g = annotated()
    with pytest.raises(GraphError, match="duplicate annotation id 'note1'"):
        g.add_annotation(Note("note1", "again", (0.0, 0.0)))
    with pytest.raises(GraphError, match="no annotation with id 'nope'"):
        g.remove_annotation("nope")
    with pytest.raises(GraphError, match="arrow and has no text"):
        g.set_annotation_text("arrow1", "text")


def test_equality_and_copy_include_annotations():
    g = annotated()
    copy = g.copy()
    assert copy == g and copy.annotations == g.annotations
    copy.set_annotation_text("note1", "other")
    assert copy != g
    moved = g.copy()
    moved.move_annotation("arrow1", ((0.0, 0.0), (51.0, 5.0)))
    assert moved != g
    fewer = g.copy()
    fewer.remove_annotation("arrow1")
    assert fewer != g


def test_fresh_annotation_ids_skip_taken_ones():
    g = annotated()
    assert g.fresh_annotation_id("note") == "note2"
    assert g.fresh_annotation_id("arrow") == "arrow2"


# -- the file -------------------------------------------------------------------------------


def test_notes_and_arrows_load_as_written():
    g = loads(doc([NOTE, ARROW]))
    assert g.annotations == [Note("note1", "x is the input\nand it is 2", (-300.0, 20.0)),
                             Arrow("arrow1", (-60.0, 0.0), (-30.5, 0.0))]


def test_annotations_round_trip_and_are_written_one_per_line_after_the_output():
    g = annotated()
    g.set_output("x")
    text = dumps(g)
    assert loads(text) == g
    assert dumps(loads(text)) == text
    lines = text.splitlines()
    start = lines.index('  "annotations": [')
    assert lines[start - 1] == '  "output": "x",'
    assert lines[start + 1:start + 4] == [
        '    {"id": "note1", "kind": "note", "text": "look here", "pos": [10, 20]},',
        '    {"id": "arrow1", "kind": "arrow", "from": [0, 0], "to": [50, 5]}',
        "  ]",
    ]
    json.loads(text)  # still plain JSON


def test_annotations_without_an_output_still_make_valid_json():
    g = annotated()
    assert json.loads(dumps(g))["annotations"][0]["id"] == "note1"
    assert loads(dumps(g)) == g


def test_a_graph_without_annotations_writes_no_annotations_key():
    g = annotated()
    for a in g.annotations:
        g.remove_annotation(a.id)
    assert "annotations" not in dumps(g)


@pytest.mark.parametrize("path", list_examples(), ids=lambda p: p.stem)
def test_examples_are_unchanged_byte_for_byte_by_load_and_dumps(path):
    text = path.read_text(encoding="utf-8")
    assert dumps(loads(text)) == text


def test_the_clipboard_dict_leaves_annotations_out():
    g = annotated()
    assert "annotations" not in graph_to_dict(g, ["x"])
    assert len(graph_to_dict(g)["annotations"]) == 2


@pytest.mark.parametrize("annotations, message", [
    ({"id": "n"}, '"annotations" must be a list, got an object'),
    (["note"], "annotation 1 must be an object, got a string"),
    ([{"kind": "note", "text": "t", "pos": [0, 0]}], 'annotation 1: "id" must be a non-empty string, got nothing'),
    ([{"id": "n", "kind": "circle"}], 'annotation \'n\': "kind" must be "note" or "arrow", got "circle"'),
    ([{"id": "n", "kind": "note", "text": 3, "pos": [0, 0]}],
     f'annotation \'n\': "text" must be a string of at most {MAX_NOTE_LENGTH:,} characters, got 3'),
    ([{"id": "n", "kind": "note", "text": "t" * (MAX_NOTE_LENGTH + 1), "pos": [0, 0]}],
     f'annotation \'n\': "text" must be a string of at most {MAX_NOTE_LENGTH:,} characters, got a longer one'),
    ([{"id": "n", "kind": "note", "text": "t"}], "annotation 'n': an annotation of kind note needs \"pos\""),
    ([{"id": "n", "kind": "note", "text": "t", "pos": [0, "1"]}], 'annotation \'n\': "pos" must be two numbers'),
    ([{"id": "n", "kind": "note", "text": "t", "pos": [0, 2e9]}], 'annotation \'n\': "pos" is too far out'),
    ([{"id": "a", "kind": "arrow", "from": [0, 0], "to": [1]}], 'annotation \'a\': "to" must be [x, y]'),
    ([{"id": "a", "kind": "arrow", "from": [0, 0], "to": [1, 1], "text": "x"}],
     "annotation 'a': unknown key 'text' (an annotation of kind arrow has id, kind, from, to)"),
    ([NOTE, NOTE], "duplicate annotation id 'note1'"),
])
def test_bad_annotations_are_refused_with_one_line(annotations, message):
    with pytest.raises(DocumentError) as e:
        loads(doc(annotations))
    assert str(e.value).startswith(message)
    assert "\n" not in str(e.value)


def test_too_many_annotations_are_refused():
    notes = [{"id": f"n{i}", "kind": "note", "text": "", "pos": [0, 0]} for i in range(MAX_ANNOTATIONS + 1)]
    with pytest.raises(DocumentError, match=f"too many annotations: {MAX_ANNOTATIONS + 1:,}"):
        loads(doc(notes))


_coordinate = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
_point = st.tuples(_coordinate, _coordinate)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.tuples(st.just("note"), st.text(max_size=40), _point),
                          st.tuples(st.just("arrow"), _point, _point)), max_size=6))
def test_any_annotations_round_trip_exactly(specs):
    g = Graph()
    for i, (kind, a, b) in enumerate(specs):
        g.add_annotation(Note(f"a{i}", a, b) if kind == "note" else Arrow(f"a{i}", a, b))
    assert loads(dumps(g)) == g
