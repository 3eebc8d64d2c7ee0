"""User ops defined by a formula: `softplus(t) = log(1 + exp(t))` becomes a block.

Its derivatives need no writing: an instance's partials come from reverse mode through the
formula's graph, and `derivative_text` writes the same reverse mode out symbolically from the
registry's `python_partials` templates, so the user sees what cgeditor computes.  A derivative
the user writes anyway is only ever checked against the derived one (`check_derivatives`),
never used in its place.
"""

from __future__ import annotations

import ast
import math
import random
import re
from dataclasses import dataclass

from cgeditor.model.blocks import Block, BlockLibrary, value_and_partials
from cgeditor.model.evaluate import Evaluator, resolve_output
from cgeditor.model.expression import ExpressionError, parse_program, program_variables
from cgeditor.model.graph import Graph, Node, NodeKind

_HEAD = re.compile(r"\s*([^\W\d]\w*)\s*\(\s*([^()]*?)\s*\)\s*")


def block_from_formula(text: str, library: BlockLibrary | None = None) -> Block:
    """The block `text` defines, `name(p1, p2, ...) = expression` (the expression parser's
    language); refused with the reason if the head is malformed, the expression uses a name
    that is not a parameter, or `library` could not take the block (see `BlockLibrary`)."""
    head, sep, formula = text.partition("=")
    match = _HEAD.fullmatch(head)
    if not sep or match is None:
        raise ExpressionError("write the op as name(parameters) = formula, e.g. softplus(t) = log(1 + exp(t))")
    name, params = match.group(1), tuple(p.strip() for p in match.group(2).split(",") if p.strip())
    if not params:
        raise ExpressionError(f"{name} needs at least one parameter, e.g. {name}(t) = …")
    bad = [p for p in params if not p.isidentifier()]
    if bad:
        raise ExpressionError(f"a parameter must be a name, not {bad[0]!r}")
    formula = formula.strip()
    strangers = [v for v in program_variables(formula) if v not in params]
    if strangers:
        raise ExpressionError(f"{', '.join(strangers)} {'is' if len(strangers) == 1 else 'are'} not "
                              f"a parameter of {name} (its parameters: {', '.join(params)})")
    body = parse_program(formula, default_value=0.0)
    _add_unused_params(body, params)
    block = Block(name, params, body, formula=formula)
    if library is not None:
        body.blocks = library
        library.check_new(block)
    return block


def _add_unused_params(body: Graph, params: tuple[str, ...]) -> None:
    """A parameter the formula does not use is still a port (its derivative is 0)."""
    for p in params:
        if p not in body:
            body.add_node(Node(p, NodeKind.VARIABLE, value=0.0))


def derivative_text(block: Block, param: str) -> str:
    """d output / d `param` as a formula: the body's reverse mode written out, each edge's local
    derivative from its op's `python_partials`, the paths summed (`1 / (1 + exp(t)) * exp(t)`)."""
    body = block.body
    if param not in block.params:
        raise ExpressionError(f"{block.name} has no parameter {param}")
    order = body.topological_order()
    text: dict[str, str] = {}
    for node_id in order:
        node = body.nodes[node_id]
        if node.kind is NodeKind.CONSTANT:
            text[node_id] = repr(node.value)
        elif node.kind is NodeKind.VARIABLE:
            text[node_id] = node_id
        else:
            text[node_id] = f"({body.op(node.op).python([text[e.source] for e in body.sorted_in_edges(node_id)])})"
    terms: dict[str, list[str]] = {node_id: [] for node_id in order}
    terms[resolve_output(body)] = ["1.0"]
    for node_id in reversed(order):
        node = body.nodes[node_id]
        if node.kind is not NodeKind.OP or not terms[node_id]:
            continue
        in_edges = body.sorted_in_edges(node_id)
        upstream = _sum(terms[node_id])
        local = body.op(node.op).python_partials([text[e.source] for e in in_edges], text[node_id])
        for e, d in zip(in_edges, local):
            terms[e.source].append(_product(upstream, d))
    return _readable(_sum(terms.get(param, [])) if terms.get(param) else "0.0")


def _sum(terms: list[str]) -> str:
    return terms[0] if len(terms) == 1 else "(" + " + ".join(f"({t})" for t in terms) + ")"


def _product(upstream: str, local: str) -> str:
    if upstream == "1.0":
        return local
    if local == "1.0":
        return upstream
    if local == "-1.0":
        return f"(-({upstream}))"
    return f"({upstream}) * ({local})"


def _readable(python: str) -> str:
    """The fewest parentheses (`ast.unparse`), and the formula language's names: exp, not
    math.exp; 1, not 1.0."""
    text = ast.unparse(_Minus().visit(ast.parse(python, mode="eval")))
    text = re.sub(r"\bmath\.", "", text)
    return re.sub(r"(?<![\w.])(\d+)\.0(?![\w.])", r"\1", text)


class _Minus(ast.NodeTransformer):
    """`a + -b` reads `a - b`."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        right = node.right
        if isinstance(node.op, ast.Add) and isinstance(right, ast.UnaryOp) and isinstance(right.op, ast.USub):
            return ast.BinOp(node.left, ast.Sub(), right.operand)
        return node


@dataclass(frozen=True)
class Disagreement:
    """A point where a hand-written derivative differs from the derived one."""

    param: str
    point: dict[str, float]
    derived: float
    hand_written: float

    def __str__(self) -> str:
        where = ", ".join(f"{k} = {v:.6g}" for k, v in self.point.items())
        return (f"d/d{self.param} at {where}: the formula gives {self.hand_written:.10g}, "
                f"reverse mode gives {self.derived:.10g}")


def check_derivatives(block: Block, hand_written: dict[str, str] | None = None, points: int = 20,
                      seed: int = 0, spread: float = 2.0, rel_tol: float = 1e-7) -> list[Disagreement]:
    """Where the hand-written derivative formulas (param → formula; the block's own by default)
    disagree with the derived ones, at `points` random points in [-spread, spread] per param
    (seeded, so a check repeats); an empty list when they agree everywhere tried."""
    hand_written = block.derivatives if hand_written is None else hand_written
    if not hand_written:
        return []
    checks = {param: _formula_evaluator(block, param, text) for param, text in hand_written.items()}
    derived = value_and_partials(block)
    rng = random.Random(seed)
    found = []
    for _ in range(points):
        point = {p: rng.uniform(-spread, spread) for p in block.params}
        _, partials = derived([point[p] for p in block.params])
        for param, formula in checks.items():
            want, got = partials[block.params.index(param)], formula(point)
            if not _agree(want, got, rel_tol):
                found.append(Disagreement(param, point, want, got))
    return found


def _formula_evaluator(block: Block, param: str, text: str):
    if param not in block.params:
        raise ExpressionError(f"{block.name} has no parameter {param} to differentiate by")
    strangers = [v for v in program_variables(text) if v not in block.params]
    if strangers:
        raise ExpressionError(f"d/d{param}: {', '.join(strangers)} is not a parameter of {block.name}")
    graph = parse_program(text, default_value=0.0)
    evaluator, used = Evaluator(graph), [p for p in block.params if p in graph]

    def at(point: dict[str, float]) -> float:
        for p in used:
            graph.set_value(p, point[p])
        return evaluator.evaluate().values[graph.output]

    return at


def _agree(a: float, b: float, rel_tol: float) -> bool:
    if math.isfinite(a) and math.isfinite(b):
        return math.isclose(a, b, rel_tol=rel_tol, abs_tol=rel_tol)
    return (math.isnan(a) and math.isnan(b)) or a == b
