"""Typed programs to graphs: `L = (x + x*y)**2`, micrograd style, never executed.

The text is parsed with `ast` and translated by an explicit whitelist, so nothing in it can
run: numbers become constants, names become variables (id = name), `+ - * / **` and `^`
(power, with power's precedence) and the registry's functions by name become op nodes.
Statements are separated by newlines or `;`; `name = expr` names the node it creates, and a
name may be reassigned Python style (later uses see the newest node, which gets a fresh id
such as `c_2`).  `name = 2.0` declares a variable with that value, as micrograd's
`a = Value(2.0)` does.  The last statement is the output.

`def name(params):` defines a block (a function: a body of assignments and one final `return`,
calling only blocks defined above it); each call of it becomes an instance node, and the
top-level names stay variables with their names.

Anything else is refused with an `ExpressionError` naming the construct, line and column (the
translation itself is in `expression_translate`).
"""

from __future__ import annotations

from cgeditor.model.blocks import Block
from cgeditor.model.expression_syntax import MAX_LENGTH, ExpressionError
from cgeditor.model.expression_translate import Pending, Translator
from cgeditor.model.graph import Edge, Graph, GraphError, Node, NodeKind

__all__ = ["MAX_LENGTH", "ExpressionError", "MissingValueError", "NotAVariableError", "parse_program",
           "program_variables"]


class MissingValueError(ExpressionError):
    """Variables the program uses but no value was given for (`names`, in order of appearance)."""

    def __init__(self, names: list[str]):
        self.names = names
        super().__init__(f"no value for variable{'s' if len(names) > 1 else ''} {', '.join(names)}")


class NotAVariableError(ExpressionError):
    """Values were given for `names`, which are not variables of the program."""

    def __init__(self, names: list[str], variables: list[str]):
        self.names = names
        known = ", ".join(variables) or "none"
        super().__init__(f"the program has no variable {', '.join(names)} (its variables: {known})")


def parse_program(text: str, values: dict[str, float] | None = None,
                  default_value: float | None = None) -> Graph:
    """The laid-out graph of `text`, its output set to the last statement.

    Variables take their value from `values` (by id), else from the program (`a = 2.0`), else
    `default_value`; a variable left without one, or a value for a name that is not a variable
    of the program, is an error.
    """
    program = Translator(text).program()
    ids = program.ids()
    variables = {ids[i]: p for i, p in enumerate(program.nodes) if p.kind is NodeKind.VARIABLE}
    values = dict(values or {})
    strangers = [name for name in values if name not in variables]
    if strangers:
        raise NotAVariableError(strangers, list(variables))
    missing = []
    for node_id, p in variables.items():
        if node_id in values:
            p.value = float(values[node_id])
        elif not p.declared:
            if default_value is None:
                missing.append(node_id)
            else:
                p.value = float(default_value)
    if missing:
        raise MissingValueError(missing)
    graph = Graph()
    for scope in program.blocks:
        body = _fill(Graph(), scope.nodes, scope.ids(program.names), scope.output)
        try:
            graph.define_block(Block(scope.block, scope.params, body))
        except GraphError as e:  # what the library refuses beyond what the parser checked
            raise ExpressionError(f"def {scope.block}: {e}", scope.line, 1) from None
    _fill(graph, program.nodes, ids, program.output)
    from cgeditor.model.layout import layered_layout  # drawn only here; `eval FILE` imports this module too

    for laid_out in (graph, *(block.body for block in graph.blocks)):
        for node_id, pos in layered_layout(laid_out).items():
            laid_out.nodes[node_id].pos = pos
    return graph


def _fill(graph: Graph, nodes: list[Pending], ids: list[str], output: int) -> Graph:
    """`graph` with the nodes of one scope (the top level or a block's body) added."""
    for node_id, p in zip(ids, nodes):
        label = p.label if p.kind is NodeKind.CONSTANT else node_id
        graph.add_node(Node(node_id, p.kind, label, p.value, p.op))
    for node_id, p in zip(ids, nodes):
        for port, source in enumerate(p.inputs):
            graph.add_edge(Edge(ids[source], node_id, port))
    graph.set_output(ids[output])
    return graph


def program_variables(text: str) -> list[str]:
    """Ids of the variables that need a value, in order of appearance (the dialog asks for them).

    Variables the program gives a value itself (`a = 2.0`) are not listed.
    """
    program = Translator(text).program()
    ids = program.ids()
    return [ids[i] for i, p in enumerate(program.nodes)
            if p.kind is NodeKind.VARIABLE and not p.declared]
