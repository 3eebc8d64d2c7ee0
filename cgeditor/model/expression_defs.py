"""The shape of a `def` in the expression language: a name that is not a built-in op, plain
parameters, and a body of assignments ending in one `return`.  Every refusal names the line.

Anything a Python `def` could do beyond that (defaults, *args, decorators, annotations, nested
defs, statements other than assignments) is refused rather than ignored: a block is a function
from its parameters to one number, nothing else.
"""

from __future__ import annotations

import ast
from typing import Container, Mapping

from cgeditor.model.expression_syntax import REFUSED_STMT, Source
from cgeditor.model.ops import OPS


def check_definition(source: Source, fn: ast.FunctionDef, blocks: Mapping[str, object],
                     defined: Mapping[str, int]) -> tuple[str, ...]:
    """The parameters of `fn`, after checking its name and signature (`blocks`: those read so
    far; `defined`: every def's name and line)."""
    name = fn.name
    if name in OPS:
        raise source.error(fn, f"def {name}: a block cannot have the name of the built-in op {name} "
                               "(choose another name)")
    if name in blocks:
        raise source.error(fn, f"block {name} is defined twice (first on line {defined[name]})")
    if fn.decorator_list:
        raise source.error(fn.decorator_list[0], f"def {name}: a decorator is not allowed")
    if fn.returns is not None:
        raise source.error(fn.returns, f"def {name}: a return annotation is not allowed")
    params = _parameters(source, fn, defined)
    if not params:
        raise source.error(fn, f"def {name}: a block needs at least one parameter")
    return params


def _parameters(source: Source, fn: ast.FunctionDef, blocks: Container[str]) -> tuple[str, ...]:
    args = fn.args
    refused = [(args.posonlyargs, "positional-only parameters (/)"), ([args.vararg], "*args"),
               (args.kwonlyargs, "keyword-only parameters"), ([args.kwarg], "**kwargs"),
               (args.defaults, "a default value")]
    for nodes, what in refused:
        if nodes and nodes[0] is not None:
            raise source.error(nodes[0], f"def {fn.name}: {what} is not allowed (only plain parameters)")
    names: list[str] = []
    for arg in args.args:
        if arg.annotation is not None:
            raise source.error(arg.annotation, f"def {fn.name}: an annotation is not allowed")
        if arg.arg in names:
            raise source.error(arg, f"def {fn.name}: parameter {arg.arg} is listed twice")
        if arg.arg in blocks:
            raise source.error(arg, f"def {fn.name}: parameter {arg.arg} has the name of a block")
        names.append(arg.arg)
    return tuple(names)


def check_body_statement(source: Source, stmt: ast.stmt, block: str) -> None:
    """Refuse a statement of `block`'s body other than an assignment (the final `return` is
    read by `last_return`)."""
    if isinstance(stmt, (ast.Assign, ast.AugAssign)):
        return
    if isinstance(stmt, ast.Return):
        raise source.error(stmt, f"return must be the last statement of {block}'s body")
    if isinstance(stmt, ast.Expr):
        raise source.error(stmt, f"an expression on its own does nothing in {block}'s body: assign "
                                 "it (name = ...) or return it")
    if isinstance(stmt, ast.FunctionDef):
        raise source.error(stmt, f"a def inside a def is not allowed (define {stmt.name} at the top "
                                 "level, above its first use)")
    what = REFUSED_STMT.get(type(stmt), f"{type(stmt).__name__} statement")
    raise source.error(stmt, f"{what} is not allowed in {block}'s body (only name = expression "
                             "and one final return)")


def last_return(source: Source, fn: ast.FunctionDef) -> ast.expr:
    """The expression `fn` returns: its body must end with `return EXPRESSION`."""
    last = fn.body[-1]
    if not isinstance(last, ast.Return):
        if not isinstance(last, (ast.Assign, ast.AugAssign, ast.Expr)):
            check_body_statement(source, last, fn.name)
        raise source.error(last, f"{fn.name}'s body must end with return EXPRESSION (a block "
                                 "returns its one output)")
    if last.value is None:
        raise source.error(last, f"{fn.name}: return needs a value (return EXPRESSION)")
    return last.value
