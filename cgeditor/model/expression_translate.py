"""The whitelist translation behind `expression`: a syntax tree (read by `expression_syntax`,
never run) to the pending nodes of a program and of the blocks its `def`s define, with every
refused construct named with its line and column.

Numbers become constants, names variables, `+ - * / **` and `^` and the registry's functions op
nodes, calls of a block instance nodes.  A `def` is assignments and one final `return`; it sees
only its parameters and the names it assigned, and calls only blocks defined above it (so
recursion cannot be written); the checks of a `def` itself are in `expression_defs`.

A program has at most `MAX_BLOCKS` blocks.  How deep blocks nest and how many nodes a block or
the program holds written out in full are the block library's rules (`blocks.Extent`): each
scope is counted as it is read and the first statement that breaks one is refused with its
line, so a few lines of blocks calling each other twice cannot ask for 2**40 evaluations.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from cgeditor.model.expression_defs import check_body_statement, check_definition, last_return
from cgeditor.model.expression_syntax import (BINARY, FLATTENED, REFUSED_EXPR, REFUSED_OPERATOR,
                                              REFUSED_STMT, ExpressionError, Source, is_square,
                                              number_literal)
from cgeditor.model.blocks import Extent
from cgeditor.model.fileformat import MAX_ID_LENGTH
from cgeditor.model.graph import GraphError, NodeKind
from cgeditor.model.numbers import format_full
from cgeditor.model.ops import INFIX_OPS, OPS
from cgeditor.model.suggest import did_you_mean

MAX_BLOCKS = 256  # far more than a lesson needs; defining blocks costs more the more there are


@dataclass
class Pending:
    """A node before ids are handed out (names are only final once the whole program is read)."""

    kind: NodeKind
    op: str | None = None
    value: float | None = None
    label: str = ""
    name: str | None = None  # the name an assignment gave it
    declared: bool = False  # a variable whose value the program gives (`a = 2.0`)
    inputs: list[int] = field(default_factory=list)


@dataclass
class Scope:
    """The top level or one block's body: its nodes and what each name is bound to now."""

    block: str | None = None  # the block whose body this is; None at the top level
    params: tuple[str, ...] = ()
    line: int = 0
    nodes: list[Pending] = field(default_factory=list)
    bindings: dict[str, int] = field(default_factory=dict)
    output: int | None = None
    extent: Extent = field(default_factory=Extent)  # how deep it nests, how large written out

    def ids(self, names: set[str]) -> list[str]:
        """Named nodes keep their name (or name_2, name_3 on reassignment); others get op-name
        ids that avoid every name the text uses.  A body's parameters are its first nodes, so
        they keep their names."""
        taken = set(names)
        named: set[str] = set()
        counters: dict[str, int] = {}  # the next suffix per stem, so many rebindings stay linear
        ids = []
        for p in self.nodes:
            if p.name is not None and p.name not in named:
                node_id = p.name  # a name's first binding
                named.add(node_id)
            else:
                stem = f"{p.name}_" if p.name else (p.op if p.kind is NodeKind.OP else "const")
                i = counters.get(stem, 2 if p.name else 1)
                while True:
                    node_id = stem if i == 1 else f"{stem}{i}"
                    i += 1
                    if node_id not in taken:
                        break
                counters[stem] = i
            taken.add(node_id)
            ids.append(node_id)
        return ids


@dataclass
class Program:
    nodes: list[Pending]
    output: int
    names: set[str]  # every name the text uses, kept free for the nodes called that
    blocks: list[Scope]  # the bodies of the `def`s, in definition order

    def ids(self) -> list[str]:
        return Scope(nodes=self.nodes).ids(self.names)


class Translator:
    """Walks the syntax tree with an explicit stack (deep expressions must not overflow ours)."""

    def __init__(self, text: str):
        self.source = Source(text)
        self.scope = Scope()
        self.names: set[str] = set()
        self.defined: dict[str, int] = {}  # every def's name → its line, known before any is read
        self.blocks: dict[str, Scope] = {}  # the blocks read so far

    def program(self) -> Program:
        tree = self.source.parse()
        for node in ast.walk(tree):
            name = node.id if isinstance(node, ast.Name) else node.arg if isinstance(node, ast.arg) else None
            if name is not None and len(name) > MAX_ID_LENGTH:  # a name becomes a node id, which files cap
                raise self.error(node, f"the name {name[:20]}… is longer than {MAX_ID_LENGTH} characters")
            if isinstance(node, ast.Name):
                self.names.add(node.id)
        for statement in tree.body:
            if isinstance(statement, ast.FunctionDef):
                self.defined.setdefault(statement.name, statement.lineno)
        output = None
        for statement in tree.body:
            result = self.statement(statement)
            output = output if result is None else result
        if output is None:
            if self.blocks:
                first = next(iter(self.blocks))
                raise ExpressionError(f"the program only defines blocks: add a statement that uses "
                                      f"one, such as y = {first}(...)")
            raise ExpressionError("the program is empty: type an expression such as (x + x*y)**2")
        return Program(self.scope.nodes, output, self.names, list(self.blocks.values()))

    def error(self, node: ast.AST, message: str) -> ExpressionError:
        return self.source.error(node, message)

    # -- statements ------------------------------------------------------------------------

    def statement(self, stmt: ast.stmt) -> int | None:
        """The node a top-level statement or a body's assignment makes (None for a `def`)."""
        if self.scope.block is not None:
            check_body_statement(self.source, stmt, self.scope.block)
        result = self.translate(stmt)
        self.check_extent(stmt)
        return result

    def check_extent(self, stmt: ast.stmt) -> None:
        """Refuse at `stmt` a scope that the library would not hold: nesting too deep, or too
        large with every call written out (the library's `GraphError`, given the line)."""
        scope = self.scope
        try:
            if scope.block is None:
                scope.extent.check_nodes("the program")
            else:
                scope.extent.check(scope.block)
        except GraphError as e:
            raise self.error(stmt, str(e)) from None

    def translate(self, stmt: ast.stmt) -> int | None:
        if isinstance(stmt, ast.Expr):
            return self.expression(stmt.value)
        if isinstance(stmt, ast.Assign):
            if len(stmt.targets) != 1:
                raise self.error(stmt, "chained assignment (a = b = ...) is not allowed")
            target = self.target(stmt.targets[0])
            return self.bind(target, stmt.value, self.expression(stmt.value))
        if isinstance(stmt, ast.AugAssign):
            target = self.target(stmt.target)
            op = self.binary_op(stmt, stmt.op)
            current = self.load(stmt.target)
            result = self.add(Pending(NodeKind.OP, op=op, inputs=[current, self.expression(stmt.value)]))
            return self.bind(target, None, result)
        if isinstance(stmt, ast.FunctionDef):
            self.define(stmt)
            return None
        if isinstance(stmt, ast.Return):
            raise self.error(stmt, "return statement is allowed only as the last statement of a def")
        what = REFUSED_STMT.get(type(stmt), f"{type(stmt).__name__} statement")
        raise self.error(stmt, f"{what} is not allowed (only expressions, name = expression and def)")

    def define(self, fn: ast.FunctionDef) -> None:
        """Read a `def` into a block: its parameters are its body's first nodes."""
        if len(self.blocks) >= MAX_BLOCKS:
            raise self.error(fn, f"a program defines at most {MAX_BLOCKS} blocks")
        params = check_definition(self.source, fn, self.blocks, self.defined)
        outer, self.scope = self.scope, Scope(block=fn.name, params=params, line=fn.lineno)
        for name in params:
            self.scope.bindings[name] = self.add(Pending(NodeKind.VARIABLE, name=name))
        for stmt in fn.body[:-1]:
            self.statement(stmt)
        last = fn.body[-1]
        self.scope.output = self.expression(last_return(self.source, fn))
        self.check_extent(last)
        self.blocks[fn.name], self.scope = self.scope, outer

    def target(self, target: ast.expr) -> str:
        if isinstance(target, ast.Name):
            if target.id in self.defined:
                raise self.error(target, f"{target.id} is a block (line {self.defined[target.id]}): "
                                         "a variable cannot have its name")
            return target.id
        if isinstance(target, (ast.Tuple, ast.List)):
            raise self.error(target, "unpacking assignment (a, b = ...) is not allowed")
        raise self.error(target, f"{self.describe(target)} is not allowed as an assignment target")

    def bind(self, name: str, value: ast.expr | None, result: int) -> int:
        node = self.nodes[result]
        if value is not None and number_literal(value) is not None:
            if self.scope.block is None:
                node.kind, node.declared = NodeKind.VARIABLE, True  # a = 2.0 declares a variable
            node.name = name  # in a body, a named constant: a block's variables are its parameters
        elif node.name is None and node.kind is NodeKind.OP:
            node.name = name
        # else `b = a`: b is another name for the node a already is
        self.scope.bindings[name] = result
        return result

    # -- expressions -----------------------------------------------------------------------

    @property
    def nodes(self) -> list[Pending]:
        return self.scope.nodes

    def expression(self, root: ast.expr) -> int:
        """Post-order over the tree; each op node is built once its inputs are."""
        results: list[int] = []
        work: list[tuple[ast.expr, list[ast.expr] | None]] = [(root, None)]
        while work:
            node, children = work.pop()
            if children is None:
                children = self.children(node)
                work.append((node, children))
                work.extend((c, None) for c in reversed(children))
                continue
            args = results[len(results) - len(children):] if children else []
            del results[len(results) - len(children):]
            results.append(self.build(node, args))
        return results[0]

    def children(self, node: ast.expr) -> list[ast.expr]:
        """The subexpressions `node` needs, after checking `node` itself is allowed."""
        if isinstance(node, (ast.Name, ast.Constant)):
            if isinstance(node, ast.Constant):
                self.number(node)
            return []
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise self.error(node, f"operator {'not' if isinstance(node.op, ast.Not) else '~'} "
                                       "is not allowed")
            return [] if number_literal(node) is not None else [node.operand]
        if isinstance(node, ast.BinOp):
            self.binary_op(node, node.op)
            if is_square(node):
                return [node.left]
            if isinstance(node.op, FLATTENED):
                kind, operands, left = type(node.op), [node.right], node.left
                while isinstance(left, ast.BinOp) and type(left.op) is kind:
                    operands.append(left.right)
                    left = left.left
                operands.append(left)
                return operands[::-1]
            return [node.left, node.right]
        if isinstance(node, ast.Call):
            self.check_call(node)
            return list(node.args)
        raise self.error(node, f"{self.describe(node)} is not allowed")

    def build(self, node: ast.expr, args: list[int]) -> int:
        if isinstance(node, ast.Name):
            return self.load(node)
        literal = number_literal(node)
        if literal is not None:
            return self.add(Pending(NodeKind.CONSTANT, value=literal, label=format_full(literal)))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.UAdd):
                return args[0]
            return self.add(Pending(NodeKind.OP, op="neg", inputs=args))
        if isinstance(node, ast.BinOp):
            op = "square" if is_square(node) else self.binary_op(node, node.op)
            return self.add(Pending(NodeKind.OP, op=op, inputs=args))
        return self.add(Pending(NodeKind.OP, op=node.func.id, inputs=args))  # a checked call

    def load(self, name: ast.Name) -> int:
        scope = self.scope
        if name.id in self.defined:
            raise self.error(name, f"{name.id} is a block: call it, as {name.id}(...)")
        if name.id not in scope.bindings:
            if scope.block is not None:
                raise self.error(name, f"{name.id} is used before it is defined in {scope.block} (a "
                                       f"block sees only its parameters, {', '.join(scope.params)}, "
                                       "and the names it assigned above)")
            scope.bindings[name.id] = self.add(Pending(NodeKind.VARIABLE, name=name.id))
        return scope.bindings[name.id]

    def add(self, pending: Pending) -> int:
        block = self.blocks.get(pending.op) if pending.kind is NodeKind.OP else None
        self.scope.extent.add(None if block is None else block.extent)
        self.nodes.append(pending)
        return len(self.nodes) - 1

    def binary_op(self, node: ast.AST, op: ast.operator) -> str:
        symbol = BINARY.get(type(op))
        if symbol is None:
            raise self.error(node, f"operator {REFUSED_OPERATOR.get(type(op), '?')} is not allowed "
                                   "(use + - * / ** or ^)")
        return INFIX_OPS[symbol].name

    def check_call(self, call: ast.Call) -> None:
        func = call.func
        if not isinstance(func, ast.Name):
            if isinstance(func, (ast.Attribute, ast.Lambda, ast.Subscript)):
                raise self.error(func, f"{self.describe(func)} is not allowed")
            raise self.error(func, "only the registry's functions and the program's blocks can be "
                                   "called, by name")
        name = func.id
        block = self.blocks.get(name)
        op = OPS.get(name)
        if block is None and op is None:
            raise self.error(call, self.not_callable(name))
        for arg in call.args:
            if isinstance(arg, ast.Starred):
                raise self.error(arg, f"{self.describe(arg)} is not allowed")
        if call.keywords:
            keyword = call.keywords[0]
            shown = f"{keyword.arg}=..." if keyword.arg else "**..."
            raise self.error(keyword, f"keyword argument ({shown}) is not allowed")
        n = len(call.args)
        if block is not None:
            if n != len(block.params):
                k = len(block.params)
                raise self.error(call, f"{name} takes {k} argument{'s' if k != 1 else ''} "
                                       f"({', '.join(block.params)}), got {n}")
        elif not op.accepts_arity(n):
            if op.max_arity is None:
                wanted = f"at least {op.min_arity} arguments"
            elif op.min_arity == op.max_arity:
                wanted = f"{op.min_arity} argument{'s' if op.min_arity != 1 else ''}"
            else:
                wanted = f"{op.min_arity} to {op.max_arity} arguments"
            raise self.error(call, f"{name} takes {wanted}, got {n}")

    def not_callable(self, name: str) -> str:
        """Why `name(...)` cannot be called: recursion, a block defined below, or no such name."""
        if name == self.scope.block:
            return f"recursion: {name} calls itself (a block cannot use itself)"
        if name in self.defined:
            return (f"{name} is used before it is defined (line {self.defined[name]}): a block "
                    "can be called only below its def")
        known = [*OPS, *self.blocks]
        blocks = f"; blocks: {', '.join(self.blocks)}" if self.blocks else ""
        return f"unknown function {name}{did_you_mean(name, known)} (functions: {', '.join(OPS)}{blocks})"

    def number(self, node: ast.Constant) -> float:
        value = node.value
        if isinstance(value, bool) or value is None or value is ...:
            raise self.error(node, f"{value!r} is not allowed (only numbers)")
        if isinstance(value, complex):
            raise self.error(node, "complex number is not allowed")
        if isinstance(value, (str, bytes)):
            raise self.error(node, f"{'string' if isinstance(value, str) else 'bytes'} is not allowed")
        try:
            return float(value)
        except OverflowError:
            raise self.error(node, "number is too large for a float") from None

    def describe(self, node: ast.AST) -> str:
        if isinstance(node, ast.Constant):
            return "string" if isinstance(node.value, str) else f"constant {node.value!r}"
        return REFUSED_EXPR.get(type(node), type(node).__name__)
