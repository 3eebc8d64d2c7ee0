"""What the code exporters share: a checked graph in computation order, with Python names.

Node ids are free text, so each node gets a safe identifier: its id where that is a plain
ASCII name that shadows nothing the generated code uses, otherwise a cleaned-up form made
unique.  Names never start with `grad_`, which keeps the gradient names free.  The blocks the
graph uses become functions (block_functions.py) whose names no node's name shadows.
"""

from __future__ import annotations

import keyword
import math
import re
from dataclasses import dataclass, field
from typing import Sequence

from cgeditor.model.escape import python_string
from cgeditor.model.evaluate import Evaluation, evaluate
from cgeditor.model.blocks import Block
from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.model.ops import Op

# Names the generated scripts use themselves (modules, helpers, builtins the templates call).
_RESERVED = {"math", "torch", "json", "number", "max", "min", "abs", "float", "print", "result",
             "grads", "dict", "str", "isfinite"}


@dataclass
class Functions:
    """The blocks a graph uses, in definition order, and the names of their functions."""

    blocks: list[Block] = field(default_factory=list)
    value: dict[str, str] = field(default_factory=dict)  # block name -> its function
    partials: dict[str, str] = field(default_factory=dict)  # block name -> d value / d params

    def names(self) -> set[str]:
        return set(self.value.values()) | set(self.partials.values())

    def code(self, graph: Graph, op_name: str, args: Sequence[str], torch: bool = False) -> str:
        """Python (or PyTorch) for one op applied to `args`: a block's is a call of its function."""
        if op_name in self.value:
            return f"{self.value[op_name]}({', '.join(args)})"
        op = graph.op(op_name)
        return op.torch(args) if torch else op.python(args)

    def partial_codes(self, graph: Graph, op_name: str, args: Sequence[str], out: str) -> list[str]:
        """d op / d each input, as Python: a block's partials function, indexed."""
        if op_name in self.partials:
            call = f"{self.partials[op_name]}({', '.join(args)})"
            return [f"{call}[{i}]" for i in range(len(args))]
        return graph.op(op_name).python_partials(args, out)


@dataclass
class Plan:
    graph: Graph
    evaluation: Evaluation
    output: str
    order: list[str]  # the output's ancestors and every variable, in computation order
    names: dict[str, str]  # node id -> Python identifier
    needs_grad: set[str]  # nodes that depend on some variable and feed the output
    functions: Functions  # the blocks the code calls

    @property
    def variables(self) -> list[str]:
        return [n for n in self.order if self.graph.nodes[n].kind is NodeKind.VARIABLE]

    def node(self, node_id: str) -> Node:
        return self.graph.nodes[node_id]

    def op(self, node_id: str) -> Op:
        return self.graph.op(self.graph.nodes[node_id].op)

    def inputs(self, node_id: str) -> list[Edge]:
        return self.graph.in_edges(node_id)

    def args(self, node_id: str) -> list[str]:
        return [self.names[e.source] for e in self.inputs(node_id)]

    def python(self, node_id: str) -> str:
        return self.functions.code(self.graph, self.node(node_id).op, self.args(node_id))

    def torch(self, node_id: str) -> str:
        return self.functions.code(self.graph, self.node(node_id).op, self.args(node_id), torch=True)

    def python_partials(self, node_id: str) -> list[str]:
        return self.functions.partial_codes(self.graph, self.node(node_id).op, self.args(node_id),
                                            self.names[node_id])


def plan(graph: Graph, output: str | None = None) -> Plan:
    """Evaluate (refusing an invalid graph with its problems) and order what the code needs."""
    evaluation = evaluate(graph, output)
    out = evaluation.output
    feeds_output = set(graph.reachable(out, upstream=True))
    keep = feeds_output | {n.id for n in graph if n.kind is NodeKind.VARIABLE}
    order = list(graph.topological_order(keep))
    needs_grad: set[str] = set()
    for n in order:
        if n in feeds_output and (graph.nodes[n].kind is NodeKind.VARIABLE
                                  or any(e.source in needs_grad for e in graph.in_edges(n))):
            needs_grad.add(n)
    functions = Functions()
    if len(graph.blocks):
        from cgeditor.model.export.block_functions import functions_for

        functions = functions_for(graph, order)
    return Plan(graph, evaluation, out, order, python_names(order, functions.names()), needs_grad, functions)


def python_names(ids: Sequence[str], reserved: set[str] = frozenset()) -> dict[str, str]:
    """Node id -> a safe, unique identifier, none of them in `reserved`."""
    names: dict[str, str] = {}
    used: set[str] = set(reserved)
    taken = set(ids) | used
    for node_id in ids:
        if _plain(node_id) and node_id not in used:
            name = node_id
        else:
            stem = re.sub(r"[^0-9A-Za-z_]", "_", node_id).strip("_") or "node"
            if not _plain(stem):
                stem = f"n_{stem}"
            name, i = stem, 2
            while name in used or name in taken:
                name, i = f"{stem}_{i}", i + 1
        names[node_id] = name
        used.add(name)
    return names


def _plain(name: str) -> bool:
    return (name.isascii() and name.isidentifier() and not keyword.iskeyword(name)
            and not keyword.issoftkeyword(name) and name not in _RESERVED
            and not name.startswith("grad_") and not name.startswith("__"))


def literal(x: float) -> str:
    """Python source for a float, non-finite values included."""
    if math.isnan(x):
        return "float('nan')"
    if math.isinf(x):
        return "float('inf')" if x > 0 else "-float('inf')"
    return repr(float(x))


def strip_parens(code: str) -> str:
    """`(a + b)` → `a + b` when the outer parentheses enclose the whole expression."""
    while code.startswith("(") and code.endswith(")"):
        depth = 0
        for i, ch in enumerate(code):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and i < len(code) - 1:
                return code
        code = code[1:-1]
    return code


def wrapped(code: str) -> str:
    """A factor as it reads in a product: a name or number as it is, anything else in parentheses."""
    return code if code.replace("_", "").replace(".", "").isalnum() else f"({strip_parens(code)})"


def json_number_helper() -> list[str]:
    """The generated scripts print non-finite numbers as "nan"/"inf"/"-inf", like cgeditor eval."""
    return [
        "",
        "def number(x):",
        "    x = float(x)",
        "    return x if math.isfinite(x) else str(x)  # JSON has no nan or inf",
    ]


def print_result(output: str, grads: list[tuple[str, str]]) -> list[str]:
    """The last lines of a script: the result as one line of JSON, gradients keyed by node id."""
    return [
        "grads = {",
        *(f"    {python_string(node_id)}: {code}," for node_id, code in grads),
        "}",
        f'print(json.dumps({{"output": number({output}), "grads": grads}}))',
        "",
    ]
