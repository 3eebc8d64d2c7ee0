"""The command line over documents with blocks: `flatten`, `eval` (instances and their insides),
and `explain`, which treats an instance as one op."""

from __future__ import annotations

import json

import pytest

from cgeditor.cli import main
from cgeditor.model import fileformat
from helpers.block_documents import network


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def net(tmp_path):
    path = tmp_path / "net.cgraph"
    fileformat.save(network(), path)
    return path


def test_flatten_writes_a_version_1_document_with_the_same_values_and_gradients(capsys, net, tmp_path):
    flat = tmp_path / "flat.cgraph"
    assert run(capsys, "flatten", net, "-o", flat) == (0, "", "")
    doc = json.loads(flat.read_text(encoding="utf-8"))
    assert doc["version"] == 1 and "blocks" not in doc
    assert {"h1/p", "h1/n2/z", "s/z"} <= {n["id"] for n in doc["nodes"]}
    _, with_blocks, _ = run(capsys, "eval", net, "--json")
    _, flattened, _ = run(capsys, "eval", flat, "--json")
    a, b = json.loads(with_blocks)["nodes"], json.loads(flattened)["nodes"]
    for node_id in ("x", "a", "c", "b1", "b2", "m", "L"):
        assert b[node_id]["value"] == pytest.approx(a[node_id]["value"], rel=1e-12)
        assert b[node_id]["grad"] == pytest.approx(a[node_id]["grad"], rel=1e-12)


@pytest.mark.parametrize("argv, message", [
    (["flatten", "{missing}", "-o", "{out}"], "no such file"),
    (["flatten", "{net}", "-o", "{folder}"], "not a regular file (a folder)"),
    (["flatten", "{net}"], "the following arguments are required: -o/--out"),
])
def test_flatten_refuses_bad_input_with_one_line_and_status_2(capsys, net, tmp_path, argv, message):
    names = {"missing": tmp_path / "nope.cgraph", "out": tmp_path / "out.cgraph", "net": net, "folder": tmp_path}
    status, out, err = run(capsys, *(a.format(**names) for a in argv))
    assert (status, out) == (2, "")
    assert message in err and err.count("\n") == 1, err


def test_eval_json_marks_instances_and_reports_their_insides_as_the_flattened_document_does(capsys, net, tmp_path):
    flat = tmp_path / "flat.cgraph"
    run(capsys, "flatten", net, "-o", flat)
    _, out, _ = run(capsys, "eval", net, "--json")
    doc = json.loads(out)
    assert doc["nodes"]["h1"]["block"] == "neuron" and "block" not in doc["nodes"]["m"]
    assert list(doc["instances"]) == ["h1", "h1/n2", "h2", "h2/n2", "s"]
    assert doc["instances"]["h1/n2"]["block"] == "sig"
    flat_nodes = json.loads(run(capsys, "eval", flat, "--json")[1])["nodes"]
    for path, found in doc["instances"].items():
        for inner, numbers in found["nodes"].items():
            flat_id = f"{path}/{inner}"
            if flat_id in flat_nodes:  # params and instances are not nodes of the flattened document
                assert numbers["value"] == pytest.approx(flat_nodes[flat_id]["value"], rel=1e-12), flat_id
                assert numbers["grad"] == pytest.approx(flat_nodes[flat_id]["grad"], rel=1e-12, abs=1e-15), flat_id
    assert doc["instances"]["h1"]["nodes"]["n2"]["value"] == flat_nodes["h1/n2/z"]["value"]


def test_eval_json_of_a_document_without_blocks_has_no_instances(capsys, tmp_path):
    from cgeditor.resources import example_path

    _, out, _ = run(capsys, "eval", example_path("chain_rule.cgraph"), "--json")
    assert "instances" not in json.loads(out) and '"block"' not in out


def test_the_eval_table_marks_an_instance_with_its_block(capsys, net):
    status, out, _ = run(capsys, "eval", net)
    assert status == 0
    rows = {line.split()[0]: line for line in out.splitlines()[4:]}
    assert "block neuron" in rows["h1"] and "block sig" in rows["s"] and "op mul" in rows["m"]


def test_a_batch_of_documents_with_blocks_carries_their_instances(capsys, net, tmp_path):
    other = tmp_path / "other.cgraph"
    other.write_bytes(net.read_bytes())
    status, out, _ = run(capsys, "eval", net, other, "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and [sorted(line["instances"]) for line in lines] == [["h1", "h1/n2", "h2", "h2/n2", "s"]] * 2


def test_explain_treats_an_instance_as_one_op(capsys, net):
    status, out, _ = run(capsys, "explain", net, "--node", "x")
    assert status == 0
    assert "∂L/∂x += ∂L/∂h1 · ∂h1/∂x = 0.5 · (-0.2933) = -0.1467" in out
    assert "L → m → h1 → x" in out and "3 paths from L down to x" in out
