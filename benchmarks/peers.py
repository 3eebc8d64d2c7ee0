"""The peers cgeditor's evaluator is measured against, each replaying the same recipe."""

from __future__ import annotations


from dag import Recipe


def micrograd_run(recipe: Recipe, values: dict[str, float]) -> tuple[float, dict[str, float]]:
    """Forward (building Values) and backward with micrograd 0.1.0, plus a tanh as its README adds."""
    from micrograd.engine import Value
    from micrograd_eval import tanh  # the one tanh both micrograd peers add, as its README does

    nodes = {leaf: Value(values[leaf]) for leaf, _ in recipe.leaves}
    for node_id, name, inputs in recipe.ops:
        args = [nodes[i] for i in inputs]
        nodes[node_id] = args[0] + args[1] if name == "add" else args[0] * args[1] if name == "mul" else tanh(args[0])
    out = nodes[recipe.output]
    out.backward()
    return out.data, {leaf: nodes[leaf].grad for leaf, _ in recipe.leaves}


def torch_run(recipe: Recipe, values: dict[str, float]) -> tuple[float, dict[str, float]]:
    """PyTorch scalar autograd: one 0-dim float64 tensor per node, leaf gradients only."""
    import torch

    leaves = {leaf: torch.tensor(values[leaf], dtype=torch.float64, requires_grad=True)
              for leaf, _ in recipe.leaves}
    nodes = dict(leaves)
    for node_id, name, inputs in recipe.ops:
        args = [nodes[i] for i in inputs]
        nodes[node_id] = args[0] + args[1] if name == "add" else args[0] * args[1] if name == "mul" else torch.tanh(args[0])
    out = nodes[recipe.output]
    out.backward()
    return out.item(), {leaf: 0.0 if t.grad is None else t.grad.item() for leaf, t in leaves.items()}
