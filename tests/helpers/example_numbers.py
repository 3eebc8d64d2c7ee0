"""The numbers issue 2 promises for each bundled example, shared by the model and CLI tests.

Each case: example name, `--set` overrides, expected values, expected gradients d output / d node.
"""

import math

_P = 1.0 / (1.0 + math.exp(-1.0))  # sigmoid_loss: z = 1.5·0.8 − 0.2 = 1
_DL_DZ = 2.0 * (_P - 1.0) * _P * (1.0 - _P)

CASES = [
    ("chain_rule", {}, {"L": 64.0, "z1": 6.0, "z2": 8.0},
     {"L": 1.0, "x": 64.0, "y": 32.0, "z2": 16.0}),
    ("chain_rule", {"x": 1.0, "y": 0.5}, {"L": 2.25}, {"x": 4.5, "y": 3.0}),
    ("linear_regression", {}, {"L": 4.0}, {"x": 12.0, "w": 8.0, "b": 4.0, "y": -4.0}),
    ("two_paths", {}, {"e": 6.0, "c": 3.0, "d": 2.0}, {"a": 2.0, "b": 5.0}),
    ("deep_chain", {}, {"g": 3732.0}, {"a": 2700 * 0.5 - 5832, "d": 12 * 23.5}),
    ("deep_chain", {"a": 2.0}, {"d": 1.0}, {"a": 2700 * 2.0 - 5832, "d": 12 * 1.0}),
    ("deep_chain", {"a": -1.0}, {"d": 46.0}, {"a": 2700 * -1.0 - 5832, "d": 12 * 46.0}),
    ("three_way_product", {}, {"f": 24.0}, {"x": 12.0, "y": 8.0, "z": 6.0}),
    ("square_plus_one", {}, {"z": 5.0}, {"x": 4.0}),
    ("tanh_neuron", {}, {"o": math.sqrt(0.5), "n": math.atanh(math.sqrt(0.5))},
     {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}),
    ("sigmoid_loss", {}, {"p": _P, "L": (_P - 1.0) ** 2},
     {"p": 2.0 * (_P - 1.0), "w": 1.5 * _DL_DZ, "x": 0.8 * _DL_DZ, "b": _DL_DZ}),
]

NAMES = ["chain_rule", "linear_regression", "two_paths", "deep_chain", "three_way_product",
         "square_plus_one", "tanh_neuron", "sigmoid_loss"]


def case_id(case):
    name, sets, _, _ = case
    return name + "".join(f"-{k}={v}" for k, v in sets.items())
