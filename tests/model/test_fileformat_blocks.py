"""File format version 2: blocks saved once and instances naming them, read back exactly, and
version 1 left exactly as it was."""

from __future__ import annotations

import copy
import json

import pytest

from cgeditor.model import fileformat
from cgeditor.model.block_edits import flatten
from cgeditor.model.evaluate import evaluate
from cgeditor.model.fileformat import DocumentError, GraphSnapshot, graph_to_dict
from cgeditor.model.blocks import MAX_BLOCK_DEPTH
from cgeditor.model.fileformat.schema import MAX_BLOCKS
from cgeditor.model.graph import Graph, Node, NodeKind
from cgeditor.resources import list_examples
from helpers.block_documents import network

TOP = ["x", "a", "c", "b1", "b2", "h1", "h2", "s", "m", "L"]


def same_numbers(a: Graph, b: Graph, ids: list[str], rel: float = 1e-12) -> None:
    ra, rb = evaluate(a), evaluate(b)
    for node_id in ids:
        assert ra.values[node_id] == pytest.approx(rb.values[node_id], rel=rel, abs=1e-15), node_id
        assert ra.grads[node_id] == pytest.approx(rb.grads[node_id], rel=rel, abs=1e-15), node_id


def test_nested_blocks_round_trip_through_save_and_load(tmp_path):
    g = network()
    path = tmp_path / "net.cgraph"
    fileformat.save(g, path)
    loaded = fileformat.load(path)
    assert loaded == g
    assert [b.name for b in loaded.blocks] == ["sig", "neuron"]
    assert loaded.blocks["neuron"].body.blocks is loaded.blocks  # nested instances resolve
    assert loaded.blocks["sig"].derivatives == {"t": "sig(t) * (1 - sig(t))"}
    assert fileformat.dumps(loaded) == path.read_text(encoding="utf-8")
    same_numbers(loaded, g, TOP, rel=0)


def test_a_document_with_blocks_is_version_2_with_the_definitions_before_the_nodes():
    doc = json.loads(fileformat.dumps(network()))
    assert doc["version"] == 2
    assert list(doc) == ["format", "version", "blocks", "nodes", "edges", "output"]
    assert [b["name"] for b in doc["blocks"]] == ["sig", "neuron"]
    assert doc["blocks"][1]["params"] == ["x", "w", "b"]
    assert {n["id"]: n.get("op") for n in doc["nodes"]}["h1"] == "neuron"


def test_nested_blocks_round_trip_through_flatten_as_a_version_1_document():
    g = fileformat.loads(fileformat.dumps(network()))
    text = fileformat.dumps(flatten(g))
    assert json.loads(text)["version"] == 1
    flat = fileformat.loads(text)
    assert len(flat.blocks) == 0 and "h1/n2/z" in flat
    same_numbers(flat, g, [n for n in TOP if n not in ("h1", "h2", "s")])
    result, flat_result = evaluate(g), evaluate(flat)
    for instance, inner in (("h1", "h1/n2/z"), ("h2", "h2/n2/z"), ("s", "s/z")):
        assert flat_result.values[inner] == pytest.approx(result.values[instance], rel=1e-12)
        assert flat_result.grads[inner] == pytest.approx(result.grads[instance], rel=1e-12)


@pytest.mark.parametrize("path", list_examples(), ids=lambda p: p.name)
def test_version_1_files_load_and_save_back_byte_for_byte(path):
    graph = fileformat.load(path)
    assert len(graph.blocks) == 0
    assert fileformat.dumps(graph).encode("utf-8") == path.read_bytes()


def test_a_document_whose_blocks_are_all_removed_is_written_as_version_1_again():
    g = network()
    for node_id in ("h1", "h2", "s", "m", "L"):
        g.remove_node(node_id)
    g.remove_block("neuron")
    g.remove_block("sig")
    assert json.loads(fileformat.dumps(g))["version"] == 1
    assert "blocks" not in fileformat.dumps(g)


def test_a_version_1_file_using_a_block_name_is_refused_as_an_unknown_op():
    doc = json.loads(fileformat.dumps(network()))
    doc["version"] = 1
    with pytest.raises(DocumentError, match="node 'h1': unknown op 'neuron'"):
        fileformat.graph_from_dict(doc)


def test_the_snapshot_autosave_writes_holds_the_blocks_as_they_were():
    g = network()
    snapshot = GraphSnapshot(g)
    before = fileformat.dumps(g)
    g.blocks["sig"].body.add_node(Node("extra", NodeKind.CONSTANT, value=2.0))
    assert fileformat.dumps(snapshot) == before != fileformat.dumps(g)


def test_the_clipboard_carries_the_blocks_its_nodes_use_and_no_others():
    g = network()
    only_sig = graph_to_dict(g, ["x", "s"])
    assert [b["name"] for b in only_sig["blocks"]] == ["sig"]
    with_neuron = graph_to_dict(g, ["h1"])
    assert [b["name"] for b in with_neuron["blocks"]] == ["sig", "neuron"]  # neuron uses sig
    assert "blocks" not in graph_to_dict(g, ["x", "a"]) and graph_to_dict(g, ["x"])["version"] == 1
    pasted = fileformat.graph_from_dict(with_neuron)
    assert pasted.nodes["h1"].op == "neuron" and len(pasted.blocks) == 2


# -- refusals: one line naming the block and the problem ------------------------------------------


def _doc() -> dict:
    return json.loads(fileformat.dumps(network()))


def _edited(edit) -> dict:
    doc = copy.deepcopy(_doc())
    edit(doc)
    return doc


def _sig(doc):
    return doc["blocks"][0]


def _neuron(doc):
    return doc["blocks"][1]


def _set_op(block: dict, node_id: str, op: str) -> None:
    next(n for n in block["nodes"] if n["id"] == node_id)["op"] = op


REFUSED = [
    ("unknown op in a body", lambda d: _set_op(_sig(d), "e", "exq"), "block 'sig': node 'e': unknown op 'exq'"),
    ("unknown block op", lambda d: d["nodes"][5].update(op="nueron"), "node 'h1': unknown op 'nueron': did you mean neuron?"),
    ("recursion", lambda d: _set_op(_sig(d), "e", "sig"), "block 'sig': it uses itself (recursion is not allowed)"),
    ("use before definition", lambda d: _set_op(_sig(d), "e", "neuron"), "block 'sig': it uses block 'neuron', which is defined after it"),
    ("duplicate name", lambda d: _neuron(d).update(name="sig"), "duplicate block name 'sig'"),
    ("shadowing a built-in", lambda d: _sig(d).update(name="exp"), "block 'exp': exp is a built-in op"),
    ("name not an identifier", lambda d: _sig(d).update(name="si g"), "block 1: \"name\" must be an identifier"),
    ("name a keyword", lambda d: _sig(d).update(name="lambda"), "block 1: \"name\" must be an identifier"),
    ("name missing", lambda d: _sig(d).pop("name"), "block 1: \"name\" must be a non-empty string"),
    ("block not an object", lambda d: d["blocks"].insert(0, []), "block 1 must be an object, got a list"),
    ("blocks not a list", lambda d: d.update(blocks={}), "\"blocks\" must be a list"),
    ("param not a variable", lambda d: _sig(d).update(params=["one"]), "block 'sig': parameter 'one' is not a variable"),
    ("param missing", lambda d: _sig(d).update(params=["q"]), "block 'sig': parameter 'q' is not a variable"),
    ("param twice", lambda d: _neuron(d).update(params=["x", "x", "b"]), "block 'neuron': \"params\": parameter 'x' is named twice"),
    ("param not a name", lambda d: _sig(d).update(params=["t-1"]), "block 'sig': \"params\": a parameter must be an identifier"),
    ("params not a list", lambda d: _sig(d).update(params="t"), "block 'sig': \"params\" must be a list"),
    ("instance with a port unwired", lambda d: d["edges"].pop(2), None),  # loads: validate reports it
    ("duplicate body node", lambda d: _sig(d)["nodes"].append(_sig(d)["nodes"][1]), "block 'sig': duplicate node id 'one'"),
    ("body edge to nowhere", lambda d: _sig(d)["edges"].append({"source": "t", "target": "q", "port": 0}),
     "block 'sig': edge t → q:0 names an unknown node 'q'"),
    ("body output unknown", lambda d: _sig(d).update(output="q"), "block 'sig': \"output\" names an unknown node 'q'"),
    ("unknown block key", lambda d: _sig(d).update(annotations=[]), "block 'sig': unknown key 'annotations'"),
    ("formula on two lines", lambda d: _sig(d).update(formula="exp(t)\n/ 2"), "block 'sig': \"formula\" must be a formula on one line"),
    ("derivative of a non-param", lambda d: _sig(d).update(derivatives={"u": "1"}), "block 'sig': \"derivatives\" names 'u'"),
    ("derivatives not an object", lambda d: _sig(d).update(derivatives=["1"]), "block 'sig': \"derivatives\" must be an object"),
]


@pytest.mark.parametrize("edit, message", [(e, m) for _, e, m in REFUSED], ids=[n for n, _, _ in REFUSED])
def test_a_bad_block_is_refused_with_one_line_naming_it(edit, message):
    doc = _edited(edit)
    if message is None:
        fileformat.graph_from_dict(doc)
        return
    with pytest.raises(DocumentError) as info:
        fileformat.graph_from_dict(doc)
    text = str(info.value)
    assert message in text and "\n" not in text, text


def _chain(depth: int, uses: int = 1) -> dict:
    """Block b_k calls b_(k-1) `uses` times on its one param; the document calls the last."""
    blocks, below = [], "exp"
    for k in range(depth):
        nodes = [{"id": "t", "kind": "variable"}] + [{"id": f"u{u}", "kind": "op", "op": below} for u in range(uses)]
        edges = [{"source": "t", "target": f"u{u}", "port": 0} for u in range(uses)]
        if uses > 1:
            nodes.append({"id": "s", "kind": "op", "op": "add"})
            edges += [{"source": f"u{u}", "target": "s", "port": u} for u in range(uses)]
        blocks.append({"name": f"b{k}", "params": ["t"], "nodes": nodes, "edges": edges,
                       "output": "s" if uses > 1 else "u0"})
        below = f"b{k}"
    return {"format": "cgeditor-graph", "version": 2, "blocks": blocks,
            "nodes": [{"id": "x", "kind": "variable", "value": 0.001}, {"id": "y", "kind": "op", "op": below}],
            "edges": [{"source": "x", "target": "y", "port": 0}]}


def test_blocks_nested_as_deep_as_allowed_load_and_evaluate():
    g = fileformat.graph_from_dict(_chain(MAX_BLOCK_DEPTH))
    result = evaluate(g)
    assert result.values["y"] == pytest.approx(1.0010005001667084) and result.grads["x"] > 0


def test_blocks_nested_deeper_than_allowed_are_refused_at_the_first_too_deep():
    with pytest.raises(DocumentError, match=f"^block 'b{MAX_BLOCK_DEPTH}' nests blocks {MAX_BLOCK_DEPTH + 1} "
                                            f"deep \\(at most {MAX_BLOCK_DEPTH}\\)$"):
        fileformat.graph_from_dict(_chain(MAX_BLOCK_DEPTH + 1))


def test_blocks_that_double_at_every_level_are_refused_before_they_are_written_out():
    with pytest.raises(DocumentError, match=r"^block 'b16' would have 393,214 nodes with every instance "
                                            r"written out \(at most 200,000\)$"):
        fileformat.graph_from_dict(_chain(20, uses=2))


def test_many_instances_of_a_block_that_add_up_past_the_limit_are_refused():
    doc = _chain(16, uses=2)  # b15 is 196,606 nodes written out: y alone fits, one more does not
    doc["nodes"] += [{"id": f"y{k}", "kind": "op", "op": "b15"} for k in range(3)]
    doc["edges"] += [{"source": "x", "target": f"y{k}", "port": 0} for k in range(3)]
    with pytest.raises(DocumentError, match=r"^the document would have 786,425 nodes with every instance "
                                            r"written out \(at most 200,000\)$"):
        fileformat.graph_from_dict(doc)


def test_too_many_blocks_are_refused():
    doc = _chain(1)
    doc["blocks"] = [dict(doc["blocks"][0], name=f"b{k}") for k in range(MAX_BLOCKS + 1)]
    with pytest.raises(DocumentError, match=f"too many blocks: 1,001 \\(at most {MAX_BLOCKS:,}\\)"):
        fileformat.graph_from_dict(doc)


def test_the_nodes_of_blocks_count_towards_the_documents_limit(monkeypatch):
    monkeypatch.setattr("cgeditor.model.fileformat.reading.MAX_NODES", 10)
    doc = _doc()  # 10 top-level nodes leave no room for the blocks' 11
    with pytest.raises(DocumentError, match="block 'sig': too many nodes: the blocks and the document hold more"):
        fileformat.graph_from_dict(doc)
