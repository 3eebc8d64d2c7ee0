"""File format v1: exact round trips, stable text, atomic saves, and one clear error per bad input."""

import json
import math
import os
import stat
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cgeditor.model import fileformat
from cgeditor.model.fileformat import (
    MAX_COORDINATE, DocumentError, dumps, graph_from_dict, graph_to_dict, load, loads, save,
)
from cgeditor.model.graph import LINE_BREAKS, Edge, Graph, Node, NodeKind
from cgeditor.model.ops import OPS
from cgeditor.model.validate import validate
from cgeditor.resources import example_path, list_examples

V, C, O = NodeKind.VARIABLE, NodeKind.CONSTANT, NodeKind.OP


def doc(nodes, edges=(), **top):
    return json.dumps({"format": "cgeditor-graph", "version": 1, "nodes": list(nodes),
                       "edges": list(edges), **top})


X = {"id": "x", "kind": "variable", "value": 2.0, "pos": [0, 0]}
K = {"id": "k", "kind": "constant", "value": 3.0, "pos": [0, 110]}
M = {"id": "m", "kind": "op", "op": "mul", "pos": [170, 55]}
XM = {"source": "x", "target": "m", "port": 0}
KM = {"source": "k", "target": "m", "port": 1}


# -- reading good documents -----------------------------------------------------------------


def test_issue_example_loads():
    g = loads(doc([X, K, M], [XM, KM], output="m"))
    assert list(g.nodes) == ["x", "k", "m"]
    assert g.node("k").label == "k"  # label defaults to the id
    assert g.node("x").value == 2.0 and g.node("m").op == "mul"
    assert g.edges == [Edge("x", "m", 0), Edge("k", "m", 1)]
    assert g.output == "m" and validate(g) == []


def test_output_is_optional():
    assert loads(doc([X])).output is None


def test_non_finite_values_are_strings():
    nodes = [dict(X, id=i, value=v) for i, v in (("a", "nan"), ("b", "inf"), ("c", "-inf"))]
    g = loads(doc(nodes))
    assert math.isnan(g.node("a").value)
    assert g.node("b").value == math.inf and g.node("c").value == -math.inf
    assert '"value": "-inf"' in dumps(g)


def test_integer_values_become_floats():
    g = loads(doc([dict(X, value=2)]))
    assert type(g.node("x").value) is float
    assert validate(g) == []


def test_unknown_node_keys_are_kept_on_save():
    g = loads(doc([dict(X, colour="red", notes={"a": [1, 2]})]))
    assert g.node("x").extra == {"colour": "red", "notes": {"a": [1, 2]}}
    assert '"colour": "red"' in dumps(g)
    assert loads(dumps(g)) == g


def test_nodes_without_positions_are_placed_apart_from_the_others():
    unplaced = {k: v for k, v in X.items() if k != "pos"}
    g = loads(doc([unplaced, K, M], [XM, KM]))
    assert g.node("k").pos == (0.0, 110.0) and g.node("m").pos == (170.0, 55.0)
    positions = [n.pos for n in g]
    assert g.node("x").pos is not None
    assert len(set(positions)) == len(positions)


def test_document_without_any_positions_gets_a_layout():
    bare = [{k: v for k, v in n.items() if k != "pos"} for n in (X, K, M)]
    g = loads(doc(bare, [XM, KM]))
    assert all(n.pos is not None for n in g)
    assert len({n.pos for n in g}) == 3


def test_a_document_loaded_to_draw_nothing_leaves_its_unplaced_nodes_unplaced():
    bare = [{k: v for k, v in n.items() if k != "pos"} for n in (X, K)] + [M]
    g = loads(doc(bare, [XM, KM]), lay_out=False)
    assert [n.pos for n in g] == [None, None, (170.0, 55.0)]


@pytest.mark.parametrize("problem, nodes, edges", [
    ("cycle", [X, M, dict(M, id="n", op="neg")],
     [XM, {"source": "n", "target": "m", "port": 1}, {"source": "m", "target": "n", "port": 0}]),
    ("unconnected_port", [X, M], [XM]),
    ("port_connected_twice", [X, K, dict(M, op="sub")],
     [XM, KM, {"source": "k", "target": "m", "port": 0}]),
    ("port_beyond_arity", [X, K, dict(M, op="neg")], [XM, KM]),
    ("edge_into_leaf", [X, K], [{"source": "x", "target": "k", "port": 0}]),
    ("missing_value", [{"id": "x", "kind": "variable"}], []),
])
def test_structural_problems_load_and_validation_reports_them(problem, nodes, edges):
    g = loads(doc(nodes, edges))
    assert problem in [p.code for p in validate(g)]


# -- writing --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", list_examples(), ids=lambda p: p.stem)
def test_examples_are_stored_in_canonical_form(path):
    text = path.read_text(encoding="utf-8")
    assert dumps(loads(text)) == text


def test_dumps_has_one_node_and_one_edge_per_line_in_a_fixed_key_order():
    g = loads(doc([dict(M, label="product", pos=[170.5, 55]), K, X], [KM, XM], output="m"))
    lines = dumps(g).splitlines()
    assert lines[:4] == ["{", '  "format": "cgeditor-graph",', '  "version": 1,', '  "nodes": [']
    assert lines[4] == ('    {"id": "m", "kind": "op", "label": "product", "op": "mul", '
                        '"pos": [170.5, 55]},')
    assert lines[5] == '    {"id": "k", "kind": "constant", "label": "k", "value": 3.0, "pos": [0, 110]},'
    assert lines[8] == '  "edges": ['
    assert lines[9] == '    {"source": "k", "target": "m", "port": 1},'
    assert lines[-2:] == ['  "output": "m"', "}"]


def test_dumps_of_empty_graph_is_a_valid_document():
    assert loads(dumps(Graph())) == Graph()


def test_save_then_load_round_trips(tmp_path):
    g = load(example_path("tanh_neuron"))
    path = tmp_path / "neuron.cgraph"
    save(g, path)
    assert load(path) == g
    assert [p.name for p in tmp_path.iterdir()] == ["neuron.cgraph"]  # no temporary file left


def test_save_replaces_existing_file_and_keeps_its_permissions(tmp_path):
    path = tmp_path / "g.cgraph"
    path.write_text("old")
    os.chmod(path, 0o640)
    save(load(example_path("two_paths")), path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert load(path) == load(example_path("two_paths"))


def test_failed_save_leaves_the_old_file_and_says_why(tmp_path, monkeypatch):
    path = tmp_path / "g.cgraph"
    save(load(example_path("two_paths")), path)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(DocumentError, match="cannot save: No space left on device"):
        save(load(example_path("chain_rule")), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["g.cgraph"]


def test_save_into_missing_folder_is_a_document_error(tmp_path):
    with pytest.raises(DocumentError, match="cannot save"):
        save(Graph(), tmp_path / "nope" / "g.cgraph")


def test_lone_surrogate_in_a_label_survives_save(tmp_path):
    g = loads(doc([dict(X, label="bad \ud800 label")]))
    save(g, tmp_path / "s.cgraph")
    assert load(tmp_path / "s.cgraph") == g


def test_graph_to_dict_subset_keeps_only_inner_edges_and_output():
    g = load(example_path("chain_rule"))
    part = graph_to_dict(g, ["x", "y", "z1"])
    assert [n["id"] for n in part["nodes"]] == ["x", "y", "z1"]
    assert part["edges"] == [{"source": "x", "target": "z1", "port": 0},
                             {"source": "y", "target": "z1", "port": 1}]
    assert "output" not in part
    assert graph_to_dict(g, ["z2", "L"])["output"] == "L"
    assert graph_from_dict(graph_to_dict(g)) == g


def test_save_through_a_symlink_replaces_the_target(tmp_path):
    real = tmp_path / "real.cgraph"
    save(Graph(), real)
    link = tmp_path / "link.cgraph"
    link.symlink_to(real)
    g = load(example_path("square_plus_one"))
    save(g, link)
    assert link.is_symlink() and load(real) == g


def test_graph_to_dict_is_plain_json():
    g = loads(doc([dict(X, value="nan")]))
    assert json.loads(json.dumps(graph_to_dict(g), allow_nan=False))["nodes"][0]["value"] == "nan"


def test_labels_with_colons_load_as_written():
    """Colons inside strings are what makes the loader look at each object's keys one by one."""
    g = loads(nodes_doc(dict(X, label="loss: total"), dict(K, label="k:1:2", note={"a:b": "c:"})))
    assert [n.label for n in g] == ["loss: total", "k:1:2"] and g.node("k").extra == {"note": {"a:b": "c:"}}


NODE_ENTRIES = [X, K, M, dict(X, value=2), dict(X, value="nan"), dict(X, value=None), dict(X, value=True),
                dict(X, label="x"), dict(X, label=""), dict(X, label="a\tb"), dict(X, label=None), dict(M, value=1.0),
                dict(M, op=None), dict(M, op="nope"), dict(X, op="add"), dict(X, pos=None), dict(X, pos=[1, 2.5]),
                dict(X, pos=[True, 1]), dict(X, pos=[1e10, 0]), dict(X, pos=(1, 2)), dict(X, pos=[10 ** 400, 0]),
                dict(X, kind="op"), dict(X, kind=["op"]), dict(X, id=""), dict(X, id=5), dict(X, trainable=True),
                dict(X, note="n"), {"kind": "variable"}, [X], dict(X, id="x" * 201), dict(X, label="l" * 1001)]


PLAIN_ENTRIES = [X, K, M, dict(X, value=2), dict(X, label="x"), dict(X, label=""), dict(X, pos=[1, 2.5])]


@pytest.mark.parametrize("entry", NODE_ENTRIES, ids=range(len(NODE_ENTRIES)))
def test_plain_nodes_are_read_as_node_from_reads_each(entry):
    """The column-at-a-time reading accepts only what the entry-by-entry one accepts, builds the
    same nodes, and leaves everything else to it."""
    from cgeditor.model.fileformat.items import node_from, plain_nodes

    entries = [entry, dict(K, id="k2")]
    fast = plain_nodes(entries, OPS)
    try:
        slow = {n.id: n for n in (node_from(i, e, OPS) for i, e in enumerate(entries))}
    except fileformat.DocumentError:
        assert fast is None
        return
    if entry in PLAIN_ENTRIES:
        assert fast is not None
    if fast is not None:
        assert fast == slow and [type(n.pos) for n in fast.values()] == [type(n.pos) for n in slow.values()]
        assert all(type(n.value) is type(slow[k].value) for k, n in fast.items())


def test_a_duplicate_id_is_left_to_the_entry_by_entry_reading():
    from cgeditor.model.fileformat.items import plain_nodes

    assert plain_nodes([X, dict(K, id="x")], OPS) is None and plain_nodes([X, K], OPS) is not None


# -- bad documents ----------------------------------------------------------------------------


def nodes_doc(*nodes, edges=()):
    return doc(list(nodes), list(edges))


BAD = [
    ("", "empty"),
    ("   \n", "empty"),
    ('{"format": "cgeditor-graph",\n "version": 1,,}', "not JSON: Expecting property name enclosed "
                                                        "in double quotes at line 2, column 15"),
    ("[" * 100_000 + "]" * 100_000, "nested too deep"),
    ('{"format": "cgeditor-graph", "version": 1, "x": ' + "[" * 70 + "]" * 70 + "}",
     "nested too deep (more than 64 levels)"),
    ("[1, 2]", "must be a JSON object, not a list"),
    ('"text"', "must be a JSON object, not a string"),
    ('{"format": "something-else", "version": 1}', "\"format\" must be 'cgeditor-graph'"),
    ('{"version": 1}', "got nothing"),
    ('{"format": "cgeditor-graph", "version": 3}', "unsupported version 3"),
    ('{"format": "cgeditor-graph", "version": 0}', "this cgeditor reads versions 1 and 2"),
    ('{"format": "cgeditor-graph", "version": "1"}', "\"version\" must be an integer"),
    ('{"format": "cgeditor-graph", "version": 1, "nodes": {}}', '"nodes" must be a list'),
    ('{"format": "cgeditor-graph", "version": 1, "edges": 3}', '"edges" must be a list'),
    ('{"format": "cgeditor-graph", "version": 1, "format": "x"}', "duplicate key \"format\""),
    (nodes_doc(X).replace('"kind"', '"kind": "op", "kind"'), "duplicate key \"kind\""),
    (nodes_doc(dict(X, label="a: b")).replace('"kind"', '"kind": "op", "kind"'), "duplicate key \"kind\""),
    (nodes_doc(X, dict(K, label="w:")).replace('"value"', '"value": 1, "value"', 1), "duplicate key \"value\""),
    ('{"format": "cgeditor-graph", "version": 1, "x": {"a": 1, "a": 2}, ' + '"y": [' * 70 + "]" * 70 + "}",
     "duplicate key \"a\""),
    ('{"format": "cgeditor-graph", "version": 1, "nodes": [{"id": "x", "kind": "variable", '
     '"value": NaN}]}', "bare NaN"),
    (nodes_doc(dict(M, op="frobnicate")), "unknown op 'frobnicate'"),
    (nodes_doc(dict(M, op=None)), "\"op\" must be an op name"),
    (nodes_doc(X, M, edges=[{"source": "ghost", "target": "m", "port": 0}]), "unknown node 'ghost'"),
    (nodes_doc(X, M, edges=[{"source": "x", "target": "ghost", "port": 0}]), "unknown node 'ghost'"),
    (nodes_doc(X, dict(K, id="x")), "duplicate node id 'x'"),
    (nodes_doc(X, K, M, edges=[XM, XM]), "duplicate edge x → m:0"),
    (nodes_doc(dict(X, value="two")), "must be a number"),
    (nodes_doc(dict(X, value=True)), "must be a number"),
    (nodes_doc(dict(X, value=None)), "must be a number"),
    (nodes_doc(dict(X, value=[1])), "must be a number"),
    (nodes_doc(dict(X, value="NaN")), "must be a number"),
    (nodes_doc(dict(X, value=10 ** 400)), "too large"),
    (nodes_doc(dict(M, value=1.0)), "an op node has no \"value\""),
    (nodes_doc(dict(X, op="add")), "a variable has no \"op\""),
    (nodes_doc(dict(X, kind="parameter")), "\"kind\" must be"),
    (nodes_doc(dict(X, kind=None)), "\"kind\" must be"),
    (nodes_doc(dict(X, id="")), "non-empty string"),
    (nodes_doc(dict(X, id=7)), "non-empty string"),
    (nodes_doc(dict(X, id="x" * 201)), "longer than 200"),
    (nodes_doc(dict(X, id="a\nb")), "control characters"),
    (nodes_doc(dict(X, label=5)), "\"label\" must be a string"),
    (nodes_doc(dict(X, label="l" * 1001)), "at most 1000"),
    (nodes_doc(dict(X, pos=[1])), "must be [x, y]"),
    (nodes_doc(dict(X, pos={"x": 1, "y": 2})), "must be [x, y]"),
    (nodes_doc(dict(X, pos=[1, "2"])), "two numbers"),
    (nodes_doc(dict(X, pos=[True, 2])), "two numbers"),
    (nodes_doc(dict(X, pos="P")).replace('"P"', "[1e999, 2]"), "finite"),
    (nodes_doc(dict(X, pos=[10 ** 400, 2])), "finite"),
    (nodes_doc(dict(X, pos=None)), "must be [x, y]"),
    (nodes_doc("x"), "node 1 must be an object"),
    (nodes_doc(X, K, M, edges=["x->m"]), "edge 1 must be an object"),
    (nodes_doc(X, K, M, edges=[dict(XM, port=-1)]), "non-negative integer"),
    (nodes_doc(X, K, M, edges=[dict(XM, port=1.0)]), "non-negative integer"),
    (nodes_doc(X, K, M, edges=[dict(XM, port=True)]), "non-negative integer"),
    (nodes_doc(X, K, M, edges=[dict(XM, weight=2)]), "unknown key 'weight'"),
    (nodes_doc(X, K, M, edges=[dict(XM, port=10 ** 9)]), "\"port\" 1000000000 is too large"),
    (nodes_doc(X, K, M, edges=[{"target": "m", "port": 0}]), "\"source\" must be a non-empty string"),
    (doc([X], output="ghost"), "\"output\" names an unknown node 'ghost'"),
    (doc([X], output=3), "\"output\" must be a node id"),
    ("1" * 5000, "not JSON"),
]


@pytest.mark.parametrize("text, message", BAD, ids=[m for _, m in BAD])
def test_bad_document_is_refused_with_one_line_naming_the_problem(text, message):
    with pytest.raises(DocumentError) as info:
        loads(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_too_many_nodes(monkeypatch):
    monkeypatch.setattr(fileformat.reading, "MAX_NODES", 2)
    with pytest.raises(DocumentError, match="too many nodes: 3"):
        loads(nodes_doc(X, K, M))


def test_document_too_large(monkeypatch, tmp_path):
    monkeypatch.setattr(fileformat.reading, "MAX_BYTES", 100)
    text = nodes_doc(X, K, M)
    with pytest.raises(DocumentError, match="larger than"):
        loads(text)
    path = tmp_path / "big.cgraph"
    path.write_text(text)
    with pytest.raises(DocumentError, match="big.cgraph: file is larger than"):
        load(path)


def test_load_file_not_found(tmp_path):
    with pytest.raises(DocumentError, match="missing.cgraph: no such file"):
        load(tmp_path / "missing.cgraph")


def test_load_folder(tmp_path):
    with pytest.raises(DocumentError, match="is a folder"):
        load(tmp_path)


def test_load_not_utf8(tmp_path):
    path = tmp_path / "latin1.cgraph"
    path.write_bytes(nodes_doc(dict(X, label="L")).encode().replace(b'"L"', b'"\xe9"'))
    with pytest.raises(DocumentError, match="not UTF-8 text"):
        load(path)


def test_load_empty_file(tmp_path):
    path = tmp_path / "empty.cgraph"
    path.write_bytes(b"")
    with pytest.raises(DocumentError, match="empty.cgraph: empty document"):
        load(path)


def test_load_tolerates_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.cgraph"
    path.write_bytes(b"\xef\xbb\xbf" + nodes_doc(X).encode())
    assert list(load(path).nodes) == ["x"]


def test_load_error_names_the_file_and_position(tmp_path):
    path = tmp_path / "broken.cgraph"
    path.write_text('{\n  "format": \n}')
    with pytest.raises(DocumentError, match=r"broken.cgraph: not JSON: .* at line 3, column 1"):
        load(path)


# -- properties -------------------------------------------------------------------------------

FINITE = st.floats(allow_nan=False, allow_infinity=False, width=64)
IDS = st.text(min_size=1, max_size=12).filter(str.isprintable)
JSON_LEAF = st.none() | st.booleans() | st.integers(-10**6, 10**6) | FINITE | st.text(max_size=8)
JSON = st.recursive(JSON_LEAF, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)


@st.composite
def graphs(draw):
    ids = draw(st.lists(IDS, min_size=1, max_size=10, unique=True))
    g = Graph()
    for node_id in ids:
        kind = draw(st.sampled_from(list(NodeKind)))
        extra = draw(st.dictionaries(st.text(min_size=1, max_size=6).filter(
            lambda k: k not in ("id", "kind", "label", "value", "op", "pos")), JSON, max_size=2))
        label = draw(st.text(st.characters(blacklist_characters=LINE_BREAKS), max_size=15))  # labels are one line
        coordinate = st.floats(-MAX_COORDINATE, MAX_COORDINATE, width=64)
        pos = draw(st.tuples(coordinate, coordinate))
        if kind is NodeKind.OP:
            g.add_node(Node(node_id, kind, label, op=draw(st.sampled_from(list(OPS))), pos=pos,
                            extra=extra))
        else:
            value = draw(st.none() | st.floats(width=64))
            g.add_node(Node(node_id, kind, label, value=value, pos=pos, extra=extra))
    for _ in range(draw(st.integers(0, 15))):
        edge = Edge(draw(st.sampled_from(ids)), draw(st.sampled_from(ids)), draw(st.integers(0, 3)))
        if not g.has_edge(edge):
            g.add_edge(edge)
    g.set_output(draw(st.none() | st.sampled_from(ids)))
    return g


@given(graphs())
@settings(max_examples=150, deadline=None)
def test_random_graphs_round_trip(g):
    assert loads(dumps(g)) == g
    assert graph_from_dict(graph_to_dict(g)) == g


@given(graphs())
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_graphs_round_trip_through_files(tmp_path, g):
    save(g, tmp_path / "g.cgraph")
    assert load(tmp_path / "g.cgraph") == g


def _fields(data):
    """Every place in a valid document where a mutation can break something."""
    paths = [(), ("format",), ("version",), ("nodes",), ("edges",), ("output",)]
    for i, node in enumerate(data["nodes"]):
        paths += [("nodes", i)] + [("nodes", i, k) for k in node]
    for i, edge in enumerate(data["edges"]):
        paths += [("edges", i)] + [("edges", i, k) for k in edge]
    return paths


@st.composite
def malformed_documents(draw):
    """A valid document with one to three fields replaced by random JSON or deleted."""
    data = graph_to_dict(draw(graphs()))
    paths = _fields(data)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths))
        replacement = draw(JSON | st.sampled_from(["nan", "inf", "-inf", "", "x" * 300]))
        if not path:
            data = replacement
            break
        try:
            target = data
            for key in path[:-1]:
                target = target[key]
            if draw(st.booleans()) and isinstance(target, dict):
                target.pop(path[-1], None)
            else:
                target[path[-1]] = replacement
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation already replaced this field's container
    return json.dumps(data)


def _loads_or_refuses(text):
    try:
        g = loads(text)
    except DocumentError as e:
        assert "\n" not in str(e)
        return
    validate(g)  # whatever loads, validation can judge without raising


@given(malformed_documents())
@settings(max_examples=300, deadline=None)
def test_malformed_documents_only_ever_raise_document_error(text):
    _loads_or_refuses(text)


@given(st.text(max_size=200) | JSON.map(json.dumps))
@settings(max_examples=200, deadline=None)
def test_arbitrary_text_only_ever_raises_document_error(text):
    _loads_or_refuses(text)


@pytest.mark.slow
@given(malformed_documents())
@settings(max_examples=5000, deadline=None)
def test_malformed_documents_long_fuzz(text):
    _loads_or_refuses(text)


def test_a_position_too_far_out_is_refused_naming_the_limit():
    text = ('{"format": "cgeditor-graph", "version": 1, "nodes": ['
            '{"id": "x", "kind": "variable", "value": 1, "pos": [0, 8.98846567431158e+307]},'
            '{"id": "y", "kind": "variable", "value": 1}]}')
    with pytest.raises(DocumentError, match=r"node 'x': \"pos\" is too far out"):
        loads(text)


@pytest.mark.parametrize("example", list_examples(), ids=lambda p: p.stem)
def test_a_snapshot_writes_exactly_what_its_graph_writes(example):
    g = load(example)
    assert dumps(fileformat.GraphSnapshot(g)) == dumps(g)


def test_a_snapshot_keeps_the_graph_as_it_was_when_taken(tmp_path):
    g = load(example_path("chain_rule"))
    before = dumps(g)
    snapshot = fileformat.GraphSnapshot(g)
    g.set_value("x", 42.0)
    g.set_label("y", "renamed")
    g.move_node("x", (999.0, 999.0))
    g.remove_edge(g.edges[0])
    save(snapshot, tmp_path / "then.cgraph")
    assert (tmp_path / "then.cgraph").read_text(encoding="utf-8") == before


def test_a_named_pipe_or_a_device_is_refused_without_blocking(tmp_path):
    """Opening a FIFO for reading waits for a writer forever: it must be refused unopened
    (in a subprocess, so a regression fails on the timeout instead of hanging the run)."""
    fifo = tmp_path / "pipe.cgraph"
    os.mkfifo(fifo)
    script = ("import sys\nfrom cgeditor.model import fileformat\n"
              "for path in sys.argv[1:]:\n"
              "    try:\n        fileformat.load(path)\n"
              "    except fileformat.DocumentError as e:\n        print(e)\n")
    out = subprocess.run([sys.executable, "-c", script, str(fifo), "/dev/zero", "/dev/null"],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.splitlines() == [f"{fifo}: not a regular file (it is a named pipe)",
                                       "/dev/zero: not a regular file (it is a character device)",
                                       "/dev/null: not a regular file (it is a character device)"]


# -- the trainable flag ------------------------------------------------------------------------------


def test_trainable_is_saved_only_where_it_differs_from_what_the_name_says():
    g = fileformat.loads(doc([X, dict(X, id="w"), dict(X, id="y")]))
    g.set_trainable("w", True)  # what the name says anyway
    g.set_trainable("y", True)  # a target trained on purpose
    text = fileformat.dumps(g)
    assert text.count('"trainable"') == 1 and '"id": "y"' in text.split('"trainable": true')[0].splitlines()[-1]
    again = fileformat.loads(text)
    assert again == g and again.node("y").trainable is True and again.node("x").trainable is None
    assert dumps(fileformat.GraphSnapshot(g)) == text  # autosave writes the flag too


@pytest.mark.parametrize("node, message", [
    (dict(X, trainable="yes"), 'node \'x\': "trainable" must be true or false, got "yes"'),
    (dict(K, trainable=True), 'node \'k\': a constant has no "trainable" (only variables are trained)'),
])
def test_a_bad_trainable_flag_is_named(node, message):
    with pytest.raises(DocumentError) as e:
        fileformat.loads(doc([node]))
    assert str(e.value) == message
