"""The network builder: the 2-3-1 network a class draws, and the same network in PyTorch."""

import pytest

from cgeditor.model.evaluate import evaluate
from cgeditor.model.graph import NodeKind, is_trainable
from cgeditor.model.mlp import NetworkError, build_mlp
from cgeditor.model.teaching.paths import list_paths
from cgeditor.model.teaching.probes import train
from cgeditor.model.teaching.walk import Walk
from cgeditor.model.validate import validate


def _values(graph, prefix):
    return {n.id: n.value for n in graph if n.kind is NodeKind.VARIABLE and n.id.startswith(prefix)}


def test_ids_and_labels_name_layer_unit_and_input():
    graph = build_mlp([2, 3, 1])
    assert graph.node("w1_2_1").label == "w⁽¹⁾₂₁"
    assert graph.node("w2_1_3").label == "w⁽²⁾₁₃"
    assert graph.node("b1_3").label == "b⁽¹⁾₃"
    assert graph.node("h1_2").label == "h⁽¹⁾₂"
    assert [graph.node(i).label for i in ("x1", "x2", "y1", "t1")] == ["x₁", "x₂", "y₁", "t₁"]
    assert graph.output == "L"


def test_two_digit_indices_are_kept_apart_in_labels():
    assert build_mlp([12, 1]).node("w1_1_12").label == "w⁽¹⁾₁,₁₂"


def test_weights_and_biases_are_trainable_inputs_and_targets_are_not():
    graph = build_mlp([2, 3, 1])
    variables = [n for n in graph if n.kind is NodeKind.VARIABLE]
    assert len(variables) == 2 + 1 + (6 + 3) + (3 + 1)
    for node in variables:
        assert is_trainable(node) == (node.id[0] in "wb"), node.id


def test_one_neuron_block_instance_per_unit():
    graph = build_mlp([2, 3, 1], activation="relu")
    assert graph.blocks.names() == ["relu_neuron2", "linear_neuron3", "squared_error"]
    instances = {n.id: n.op for n in graph if n.op in graph.blocks}
    assert instances == {"h1_1": "relu_neuron2", "h1_2": "relu_neuron2", "h1_3": "relu_neuron2",
                         "y1": "linear_neuron3", "L": "squared_error"}
    assert [e.source for e in graph.in_edges("h1_2")] == ["x1", "x2", "w1_2_1", "w1_2_2", "b1_2"]
    assert graph.blocks["relu_neuron2"].params == ("x1", "x2", "w1", "w2", "b")


def test_bce_network_ends_in_a_sigmoid_probability():
    graph = build_mlp([2, 3, 1], loss="bce")
    assert graph.node("y1").op == "sigmoid_neuron3"
    result = evaluate(graph)
    assert 0 < result.values["y1"] < 1
    assert graph.node("t1").value in (0.0, 1.0)


def test_the_network_is_a_valid_graph():
    for loss in ("mse", "bce"):
        assert validate(build_mlp([3, 4, 2], loss=loss)) == []


def test_the_same_seed_gives_the_same_weights_and_another_seed_others():
    assert _values(build_mlp([2, 3, 1], seed=4), "w") == _values(build_mlp([2, 3, 1], seed=4), "w")
    assert _values(build_mlp([2, 3, 1], seed=4), "w") != _values(build_mlp([2, 3, 1], seed=5), "w")


def test_random_weights_stay_within_one_over_root_fan_in():
    weights = _values(build_mlp([4, 3, 1], seed=1), "w1_")
    assert all(abs(w) <= 0.5 for w in weights.values())
    assert len(set(weights.values())) > 1


def test_zero_init_zeroes_weights_and_biases_but_keeps_the_data():
    zero, random = build_mlp([2, 3, 1], init="zero"), build_mlp([2, 3, 1])
    assert set(_values(zero, "w").values()) == {0.0} == set(_values(zero, "b").values())
    assert _values(zero, "x") == _values(random, "x")


def test_nodes_are_laid_out_column_by_column():
    graph = build_mlp([2, 3, 1])
    x = {n.id: n.pos[0] for n in graph}
    assert x["x1"] == x["x2"] < x["w1_1_1"] == x["b1_3"] < x["h1_1"] == x["h1_3"]
    assert x["h1_1"] < x["w2_1_1"] < x["y1"] < x["L"]
    rows = [graph.node(f"h1_{j}").pos[1] for j in (1, 2, 3)]
    assert rows == sorted(rows) and len(set(rows)) == 3
    positions = [n.pos for n in graph]
    assert len(set(positions)) == len(positions)


@pytest.mark.parametrize("sizes, kwargs, reason", [
    ([2], {}, "2 to 10 layer sizes"),
    ([2, 0, 1], {}, "whole number from 1 to 100"),
    ([2, 101, 1], {}, "whole number from 1 to 100"),
    ([100, 100, 100], {}, "20,000 weights"),
    ([2, 1], {"activation": "softmax"}, "unknown activation 'softmax'"),
    ([2, 1], {"loss": "hinge"}, "unknown loss 'hinge'"),
    ([2, 1], {"init": "ones"}, "unknown init 'ones'"),
])
def test_a_network_that_cannot_be_built_is_refused_with_the_reason(sizes, kwargs, reason):
    with pytest.raises(NetworkError, match=reason):
        build_mlp(sizes, **kwargs)


# -- the same network in PyTorch ------------------------------------------------------------------


def _torch_network(graph, sizes, activation, loss):
    """Loss and weight gradients of the builder's network rebuilt with float64 tensors."""
    torch = pytest.importorskip("torch")

    def value(node_id):
        return graph.node(node_id).value

    h = torch.tensor([value(f"x{i}") for i in range(1, sizes[0] + 1)], dtype=torch.float64)
    layers = []
    for layer in range(1, len(sizes)):
        w = torch.tensor([[value(f"w{layer}_{j}_{i}") for i in range(1, sizes[layer - 1] + 1)]
                          for j in range(1, sizes[layer] + 1)], dtype=torch.float64, requires_grad=True)
        b = torch.tensor([value(f"b{layer}_{j}") for j in range(1, sizes[layer] + 1)],
                         dtype=torch.float64, requires_grad=True)
        layers.append((w, b))
        z = w @ h + b
        if layer < len(sizes) - 1:
            h = getattr(torch, activation)(z)
        else:
            h = z if loss == "mse" else torch.sigmoid(z)
    t = torch.tensor([value(f"t{j}") for j in range(1, sizes[-1] + 1)], dtype=torch.float64)
    if loss == "mse":
        out = torch.nn.functional.mse_loss(h, t)
    else:
        out = torch.nn.functional.binary_cross_entropy(h, t)
    out.backward()
    grads = {}
    for layer, (w, b) in enumerate(layers, start=1):
        for j in range(w.shape[0]):
            grads[f"b{layer}_{j + 1}"] = b.grad[j].item()
            for i in range(w.shape[1]):
                grads[f"w{layer}_{j + 1}_{i + 1}"] = w.grad[j, i].item()
    return out.item(), grads


@pytest.mark.parametrize("sizes", [[2, 3, 1], [3, 4, 2]])
@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_network_agrees_with_pytorch_on_loss_and_every_weight_gradient(sizes, loss, activation):
    graph = build_mlp(sizes, activation=activation, loss=loss, seed=3)
    expected_loss, expected_grads = _torch_network(graph, sizes, activation, loss)
    result = evaluate(graph)
    assert result.values["L"] == pytest.approx(expected_loss, rel=1e-9, abs=1e-12)
    assert len(expected_grads) == len(_values(graph, "w")) + len(_values(graph, "b"))
    for node_id, expected in expected_grads.items():
        assert result.grads[node_id] == pytest.approx(expected, rel=1e-9, abs=1e-12), node_id


def test_the_step_through_ends_with_every_weights_gradient_complete_and_equal_to_the_evaluators():
    graph = build_mlp([2, 3, 1], activation="tanh", loss="mse", seed=0)
    evaluation = evaluate(graph)
    walk = Walk(graph, evaluation)
    last = walk.state(len(walk) - 1)
    params = {**_values(graph, "w"), **_values(graph, "b")}
    for node_id in params:
        shown = last.grads[node_id]
        assert shown.complete and shown.value == pytest.approx(evaluation.grads[node_id], rel=1e-12), node_id


def test_paths_treat_each_neuron_instance_as_one_node():
    graph = build_mlp([2, 3, 1], activation="tanh", loss="mse", seed=0)
    evaluation = evaluate(graph)
    # x1 reaches L through each of the three hidden neurons, then the output neuron: three paths.
    paths = list_paths(graph, evaluation, "x1")
    assert paths.count == 3 and len(paths.listed) == 3
    assert paths.sum == pytest.approx(evaluation.grads["x1"], rel=1e-12)
    assert all(len(path.edges) == 3 for path in paths.listed)  # x1 → hidden → output neuron → L


def test_gradient_descent_lowers_the_networks_loss_and_moves_only_weights_and_biases():
    graph = build_mlp([2, 3, 1], activation="tanh", loss="mse", seed=0)
    trainable = [n.id for n in graph if is_trainable(n)]
    run = train(graph, None, trainable, lr=0.5, steps=20)
    assert run.losses[-1] < run.losses[0] / 2
    assert set(run.values) == set(trainable) == set(_values(graph, "w")) | set(_values(graph, "b"))
