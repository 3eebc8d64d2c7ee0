"""Blocks as functions in the code exports.

Every block the exported nodes use, directly or through other blocks, becomes `def name(params)`
computing its value, written before its first caller (definition order).  The worked solution
adds `def name_partials(params)`: the same forward lines, then the reverse pass written out edge
by edge as at the top level, returning d value / d each param; an instance's backward line
indexes it.  PyTorch needs only the value: autograd goes through the function.

A block's and a param's names are identifiers, but may still be a name the script uses itself
(`math`, `number`), so functions and their locals get safe names like nodes do; no node or
local is named like a function, so no call is ever shadowed.
"""

from __future__ import annotations

from typing import Iterable

from cgeditor.model.blocks import Block
from cgeditor.model.escape import python_comment, python_docstring
from cgeditor.model.export.plan import Functions, Plan, literal, python_names, strip_parens, wrapped
from cgeditor.model.graph import Graph, NodeKind


def functions_for(graph: Graph, node_ids: Iterable[str]) -> Functions:
    """The blocks the nodes use (and the blocks those use), with safe function names."""
    library = graph.blocks
    used = {graph.nodes[n].op for n in node_ids if graph.nodes[n].kind is NodeKind.OP and graph.nodes[n].op in library}
    for name in list(used):
        used |= library.uses_transitively(library[name])
    functions = Functions(blocks=[b for b in library if b.name in used])
    taken: set[str] = set()
    for block in functions.blocks:
        for table, stem in ((functions.value, block.name), (functions.partials, f"{block.name}_partials")):
            table[block.name] = python_names([stem], taken)[stem]
            taken.add(table[block.name])
    return functions


def python_functions(p: Plan) -> list[str]:
    """Each block's value function and partials function, for the worked solution."""
    lines: list[str] = []
    for block in p.functions.blocks:
        body = _Body(p, block)
        lines += [f"def {p.functions.value[block.name]}({body.signature}):",
                  f'    """{body.title}."""', *body.forward(torch=False), f"    return {body.out}", "", ""]
        lines += [f"def {p.functions.partials[block.name]}({body.signature}):",
                  f'    """d {python_docstring(block.name)} / d ({body.signature}), by the reverse pass through its inside."""',
                  *body.forward(torch=False), *body.backward(), "", ""]
    return lines


def torch_functions(p: Plan) -> list[str]:
    """Each block's value function on tensors, for the PyTorch script."""
    lines: list[str] = []
    for block in p.functions.blocks:
        body = _Body(p, block)
        lines += [f"def {p.functions.value[block.name]}({body.signature}):", f'    """{body.title}."""',
                  *body.forward(torch=True), f"    return {body.out}", "", ""]
    return lines


class _Body:
    """A block's inside in computation order, with a local name per node."""

    def __init__(self, p: Plan, block: Block):
        from cgeditor.model.block_edits import block_output

        self.graph, self.functions, self.block, g = p.graph, p.functions, block, block.body
        self.output = block_output(block)
        keep = set(g.reachable(self.output, upstream=True)) | set(block.params)
        self.order = list(g.topological_order(keep))
        self.names = python_names(list(dict.fromkeys([*block.params, *self.order])), self.functions.names())
        self.signature = ", ".join(self.names[param] for param in block.params)
        self.out = self.names[self.output]
        formula = f" = {python_docstring(block.formula)}" if block.formula else ""
        self.title = f"{python_docstring(block.name)}({self.signature}){formula}: block {python_docstring(block.name)}"

    def _args(self, node_id: str) -> list[str]:
        return [self.names[e.source] for e in self.block.body.sorted_in_edges(node_id)]

    def forward(self, torch: bool) -> list[str]:
        lines = []
        nodes = self.block.body.nodes
        for n in self.order:
            node = nodes[n]
            if n in self.block.params:
                continue
            if node.kind is NodeKind.OP:
                code = strip_parens(self.functions.code(self.graph, node.op, self._args(n), torch))
            else:
                code = (f"torch.tensor({literal(node.value)}, dtype=torch.float64)" if torch
                        else literal(node.value))
            note = f"  # {python_comment(node.label)}" if node.label and node.label != n else ""
            lines.append(f"    {self.names[n]} = {code}{note}")
        return lines

    def backward(self) -> list[str]:
        nodes = self.block.body.nodes
        flowing = [n for n in self.order if nodes[n].kind is not NodeKind.CONSTANT]
        lines = [f"    grad_{self.out} = 1.0"]
        lines += [f"    grad_{self.names[n]} = 0.0" for n in flowing if n != self.output]
        for n in reversed(self.order):
            node = nodes[n]
            if node.kind is not NodeKind.OP:
                continue
            name, args = self.names[n], self._args(n)
            for e, local in zip(self.block.body.sorted_in_edges(n),
                                self.functions.partial_codes(self.graph, node.op, args, name)):
                if nodes[e.source].kind is NodeKind.CONSTANT:
                    continue
                comment = f"  # {python_comment(f'd{n}/d{e.source}')}"
                source = f"grad_{self.names[e.source]}"
                if local in ("1.0", "-1.0"):
                    lines.append(f"    {source} {'+' if local == '1.0' else '-'}= grad_{name}{comment}")
                else:
                    lines.append(f"    {source} += grad_{name} * {wrapped(local)}{comment}")
        grads = ", ".join(f"grad_{self.names[param]}" for param in self.block.params)
        lines.append(f"    return ({grads}{',' if len(self.block.params) == 1 else ''})")
        return lines
