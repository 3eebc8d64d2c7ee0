"""The evaluator's inner loops, written out from the op registry's `fast` templates.

Calling `forward` and `partials` through the registry costs two Python calls and an argument
list per node, which is most of an evaluation.  Instead each plan gets one flat loop whose
body is an if-chain over the op kinds the graph uses, most frequent first, with each op's
`fast` expressions pasted in; ops without them (or with more inputs than their template
takes) fall through to the registry's functions.  The loop's source is a few lines per op
kind, so compiling it costs microseconds and is cached by the kinds it covers.

Both loops do exactly what the plain loop over the registry does, in the same order, so the
numbers are identical to the last bit.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Sequence

from cgeditor.model import ops as ops_module
from cgeditor.model.ops import get_op
from cgeditor.model.records import Frozen

if TYPE_CHECKING:
    from cgeditor.model.evaluate import PathStep, PlanOp

GENERIC = -1  # entry kind for a node the registry's functions evaluate

# A forward entry: (node index, kind, first input, second input or -1); for a GENERIC entry
# the third field is the node's position in the plan's op list instead.
ForwardEntry = tuple[int, int, int, int]


class ForwardKernel(Frozen):
    """A plan's forward loop and what it runs over (read-only, see `records`)."""

    __slots__ = ("run", "entries", "ranked")

    run: Callable[[Sequence[ForwardEntry], list, list, list], None]  # (entries, values, partials, plan ops)
    entries: list[ForwardEntry]  # every op of the plan, in topological order
    ranked: tuple[str, ...]  # the op kinds the loop has a branch for, entry kind k = ranked[k]

    def __init__(self, run: Callable[[Sequence[ForwardEntry], list, list, list], None], entries: list[ForwardEntry],
                 ranked: tuple[str, ...] = ()) -> None:
        self._set(run, entries, ranked)


@lru_cache(maxsize=None)
def _fast_name(op_name: str, arity: int) -> str | None:
    op = get_op(op_name)
    return op_name if op is not None and op.fast is not None and arity == op.min_arity else None


def forward_kernel(plan_ops: Sequence[PlanOp]) -> ForwardKernel:
    """The loop and its entries for a plan's `ops` list."""
    names = [_fast_name(op.op_name, len(op.inputs)) for op in plan_ops]
    ranked = tuple(name for name, _ in Counter(n for n in names if n is not None).most_common())
    entries: list[ForwardEntry] = []
    _add_entries(entries, plan_ops, 0, names, {name: k for k, name in enumerate(ranked)})
    return ForwardKernel(_compiled_forward(ranked), entries, ranked)


def extended_kernel(kernel: ForwardKernel, plan_ops: Sequence[PlanOp], start: int) -> ForwardKernel:
    """`kernel`'s first `start` entries and entries for `plan_ops[start:]`, the same loop.  A new
    op of a kind the loop has no branch for is computed by the registry's functions (the same
    numbers; compiling a new loop would mean new entries for every op of the plan).  The
    branches stay ranked by the old counts, which changes their order of tests, never a number."""
    kind = {name: k for k, name in enumerate(kernel.ranked)}
    names = [_fast_name(op.op_name, len(op.inputs)) for op in plan_ops[start:]]
    names = [name if name in kind else None for name in names]
    entries = kernel.entries[:start]
    _add_entries(entries, plan_ops, start, names, kind)
    return ForwardKernel(kernel.run, entries, kernel.ranked)


def _add_entries(entries: list[ForwardEntry], plan_ops: Sequence[PlanOp], start: int,
                 names: Sequence[str | None], kind: dict[str, int]) -> None:
    for pos, name in enumerate(names, start):
        op = plan_ops[pos]
        i, inputs = op.node, op.inputs
        if name is None:
            entries.append((i, GENERIC, pos, -1))
        else:
            entries.append((i, kind[name], inputs[0], inputs[1] if len(inputs) > 1 else -1))


@lru_cache(maxsize=64)
def _compiled_forward(ranked: tuple[str, ...]) -> Callable:
    lines = ["def run(entries, v, p, plan_ops):",
             "    for i, k, a, b in entries:"]
    for k, name in enumerate(ranked):
        op = get_op(name)
        forward, partials = op.fast
        lines.append(f"        {'if' if k == 0 else 'elif'} k == {k}:")
        lines.append("            x = v[a]" + ("; y = v[b]" if op.min_arity == 2 else ""))
        lines.append(f"            v[i] = out = {forward}")
        lines.append(f"            p[i] = {partials}")
    generic = ["op = plan_ops[a]",
               "args = [v[j] for j in op.inputs]",
               "v[i] = out = op.forward(*args)",
               "p[i] = op.partials(args, out)"]
    if ranked:
        lines.append("        else:")
        lines += ["            " + line for line in generic]
    else:
        lines += ["        " + line for line in generic]
    namespace = dict(vars(ops_module))
    exec(compile("\n".join(lines), f"<cgeditor forward kernel {'/'.join(ranked) or 'generic'}>", "exec"),
         namespace)
    return namespace["run"]


def backward_entries(path: Sequence[PathStep]) -> list[tuple[int, int, int]]:
    """(node, first input, second input) per path step; the second is -1 for one input and
    -2 for three or more, when the first field is the step's position in the path instead."""
    flat = []
    for pos, (i, inputs, _) in enumerate(path):  # PathStep: node, inputs, in_edges
        if len(inputs) == 2:
            flat.append((i, inputs[0], inputs[1]))
        elif len(inputs) == 1:
            flat.append((i, inputs[0], -1))
        else:
            flat.append((i, pos, -2))
    return flat


def run_backward(entries: Sequence[tuple[int, int, int]], path: Sequence[PathStep], partials: list,
                 grad: list[float]) -> None:
    """Push upstream × local from each node to its inputs, in the path's order."""
    for i, a, b in entries:
        u = grad[i]
        q = partials[i]
        if b >= 0:
            grad[a] += u * q[0]
            grad[b] += u * q[1]
        elif b == -1:
            grad[a] += u * q[0]
        else:
            for k, j in enumerate(path[a].inputs):
                grad[j] += u * q[k]
