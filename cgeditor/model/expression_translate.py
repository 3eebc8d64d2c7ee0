"""The whitelist translation behind `expression`: Python syntax (parsed with `ast`, never run)
to the pending nodes of a program, with every refused construct named with its line and column.

Numbers become constants, names variables, `+ - * / **` and `^` (power, with power's precedence)
and the registry's functions op nodes; statements are separated by newlines or `;`.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field

from cgeditor.model.fileformat import MAX_ID_LENGTH
from cgeditor.model.graph import NodeKind
from cgeditor.model.numbers import format_full
from cgeditor.model.ops import INFIX_OPS, OPS
from cgeditor.model.suggest import did_you_mean

MAX_LENGTH = 100_000

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.BitXor: "**"}
_FLATTENED = (ast.Add, ast.Mult)  # a + b + c is one add: left to right, the same float result

_REFUSED_EXPR = {
    ast.Attribute: "attribute access (x.y)",
    ast.Subscript: "subscript (x[...])",
    ast.Compare: "comparison",
    ast.Lambda: "lambda",
    ast.IfExp: "conditional expression (a if c else b)",
    ast.BoolOp: "boolean operator (and/or)",
    ast.NamedExpr: "assignment expression (:=)",
    ast.Starred: "starred expression (*x)",
    ast.JoinedStr: "f-string",
    ast.List: "list",
    ast.Tuple: "tuple",
    ast.Set: "set",
    ast.Dict: "dict",
    ast.ListComp: "list comprehension",
    ast.SetComp: "set comprehension",
    ast.DictComp: "dict comprehension",
    ast.GeneratorExp: "generator expression",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slice",
}
_REFUSED_OPERATOR = {
    ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
    ast.BitOr: "|", ast.BitAnd: "&",
}
_REFUSED_STMT = {
    ast.Import: "import statement", ast.ImportFrom: "import statement",
    ast.FunctionDef: "function definition", ast.AsyncFunctionDef: "function definition",
    ast.ClassDef: "class definition", ast.Return: "return statement", ast.Delete: "del statement",
    ast.For: "for loop", ast.AsyncFor: "for loop", ast.While: "while loop",
    ast.If: "if statement", ast.With: "with statement", ast.AsyncWith: "with statement",
    ast.Raise: "raise statement", ast.Try: "try statement", ast.Assert: "assert statement",
    ast.Global: "global statement", ast.Nonlocal: "nonlocal statement", ast.Pass: "pass",
    ast.Break: "break", ast.Continue: "continue", ast.AnnAssign: "annotated assignment",
    ast.Match: "match statement",
}


class ExpressionError(ValueError):
    """A program the parser refuses; `line` and `column` (1-based) locate it when known, and
    `reason` is the message without that location (for a dialog that marks the spot itself)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.line = line
        self.column = column
        self.reason = message
        where = f"line {line}, column {column}: " if line is not None and column is not None else ""
        super().__init__(where + message)


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
class Program:
    nodes: list[Pending]
    output: int
    names: set[str]  # every name the text uses, kept free for the nodes called that

    def ids(self) -> list[str]:
        """Named nodes keep their name (or name_2, name_3 on reassignment); others get op-name ids."""
        taken = set(self.names)
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


class Translator:
    """Walks the syntax tree with an explicit stack (deep expressions must not overflow ours)."""

    def __init__(self, text: str):
        if len(text) > MAX_LENGTH:
            raise ExpressionError(f"the program is too long ({len(text):,} characters; at most "
                                  f"{MAX_LENGTH:,})")
        self.source, self.powers = _with_power_operator(text.removeprefix("\ufeff"))
        self.lines = re.split(r"\r\n|\r|\n", self.source)
        self.nodes: list[Pending] = []
        self.bindings: dict[str, int] = {}
        self.names: set[str] = set()

    def program(self) -> Program:
        try:
            tree = ast.parse(self.source, mode="exec")
        except SyntaxError as e:
            line, column = e.lineno, e.offset
            if line is not None and column is not None:
                column = self._original_column(line, max(column - 1, 0))
            raise ExpressionError(f"syntax error: {e.msg}", line, column) from None
        except (RecursionError, MemoryError):
            raise ExpressionError("the program is nested too deeply to read (split long chains "
                                  "into several statements)") from None
        except ValueError as e:  # e.g. an integer literal with too many digits
            raise ExpressionError(f"cannot read the program: {e}") from None
        for name in (n for n in ast.walk(tree) if isinstance(n, ast.Name)):
            if len(name.id) > MAX_ID_LENGTH:  # the name becomes a node id, which files cap
                raise self.error(name, f"the name {name.id[:20]}… is longer than {MAX_ID_LENGTH} characters")
            self.names.add(name.id)
        output = None
        for statement in tree.body:
            output = self.statement(statement)
        if output is None:
            raise ExpressionError("the program is empty: type an expression such as (x + x*y)**2")
        return Program(self.nodes, output, self.names)

    # -- positions -------------------------------------------------------------------------

    def error(self, node: ast.AST, message: str) -> ExpressionError:
        line = getattr(node, "lineno", None)
        offset = getattr(node, "col_offset", None)
        if line is None or offset is None:
            return ExpressionError(message)
        text = self.lines[line - 1] if line <= len(self.lines) else ""
        chars = len(text.encode("utf-8")[:offset].decode("utf-8", errors="replace"))
        return ExpressionError(message, line, self._original_column(line, chars))

    def _original_column(self, line: int, chars: int) -> int:
        """1-based column in the user's text, undoing the `^` → `**` rewrite."""
        column = chars
        for col in self.powers.get(line, ()):
            if col < column:
                column -= 1
        return column + 1

    # -- statements ------------------------------------------------------------------------

    def statement(self, stmt: ast.stmt) -> int:
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
            current = self.load(ast.Name(id=target, ctx=ast.Load()))
            result = self.add(Pending(NodeKind.OP, op=op, inputs=[current, self.expression(stmt.value)]))
            return self.bind(target, None, result)
        what = _REFUSED_STMT.get(type(stmt), f"{type(stmt).__name__} statement")
        raise self.error(stmt, f"{what} is not allowed (only expressions and name = expression)")

    def target(self, target: ast.expr) -> str:
        if isinstance(target, ast.Name):
            return target.id
        if isinstance(target, (ast.Tuple, ast.List)):
            raise self.error(target, "unpacking assignment (a, b = ...) is not allowed")
        raise self.error(target, f"{self.describe(target)} is not allowed as an assignment target")

    def bind(self, name: str, value: ast.expr | None, result: int) -> int:
        node = self.nodes[result]
        if value is not None and _number_literal(value) is not None:
            node.kind, node.declared = NodeKind.VARIABLE, True  # a = 2.0 declares a variable
            node.name = name
        elif node.name is None and node.kind is NodeKind.OP:
            node.name = name
        # else `b = a`: b is another name for the node a already is
        self.bindings[name] = result
        return result

    # -- expressions -----------------------------------------------------------------------

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
            return [] if _number_literal(node) is not None else [node.operand]
        if isinstance(node, ast.BinOp):
            self.binary_op(node, node.op)
            if _is_square(node):
                return [node.left]
            if isinstance(node.op, _FLATTENED):
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
        literal = _number_literal(node)
        if literal is not None:
            return self.add(Pending(NodeKind.CONSTANT, value=literal, label=format_full(literal)))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.UAdd):
                return args[0]
            return self.add(Pending(NodeKind.OP, op="neg", inputs=args))
        if isinstance(node, ast.BinOp):
            op = "square" if _is_square(node) else self.binary_op(node, node.op)
            return self.add(Pending(NodeKind.OP, op=op, inputs=args))
        return self.add(Pending(NodeKind.OP, op=node.func.id, inputs=args))  # a checked call

    def load(self, name: ast.Name) -> int:
        if name.id not in self.bindings:
            self.bindings[name.id] = self.add(Pending(NodeKind.VARIABLE, name=name.id))
        return self.bindings[name.id]

    def add(self, pending: Pending) -> int:
        self.nodes.append(pending)
        return len(self.nodes) - 1

    def binary_op(self, node: ast.AST, op: ast.operator) -> str:
        symbol = _BINARY.get(type(op))
        if symbol is None:
            raise self.error(node, f"operator {_REFUSED_OPERATOR.get(type(op), '?')} is not allowed "
                                   "(use + - * / ** or ^)")
        return INFIX_OPS[symbol].name

    def check_call(self, call: ast.Call) -> None:
        func = call.func
        if not isinstance(func, ast.Name):
            if isinstance(func, (ast.Attribute, ast.Lambda, ast.Subscript)):
                raise self.error(func, f"{self.describe(func)} is not allowed")
            raise self.error(func, "only the registry's functions can be called, by name")
        op = OPS.get(func.id)
        if op is None:
            raise self.error(call, f"unknown function {func.id}{did_you_mean(func.id, OPS)} (functions: {', '.join(OPS)})")
        for arg in call.args:
            if isinstance(arg, ast.Starred):
                raise self.error(arg, f"{self.describe(arg)} is not allowed")
        if call.keywords:
            keyword = call.keywords[0]
            shown = f"{keyword.arg}=..." if keyword.arg else "**..."
            raise self.error(keyword, f"keyword argument ({shown}) is not allowed")
        n = len(call.args)
        if not op.accepts_arity(n):
            if op.max_arity is None:
                wanted = f"at least {op.min_arity} arguments"
            elif op.min_arity == op.max_arity:
                wanted = f"{op.min_arity} argument{'s' if op.min_arity != 1 else ''}"
            else:
                wanted = f"{op.min_arity} to {op.max_arity} arguments"
            raise self.error(call, f"{func.id} takes {wanted}, got {n}")

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
        return _REFUSED_EXPR.get(type(node), type(node).__name__)


def _number_literal(node: ast.expr) -> float | None:
    """The value of `2`, `-3.5` or `+1` (a literal, not an expression), else None."""
    sign = 1.0
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        if isinstance(node.operand, ast.UnaryOp):
            return None  # --3 is negation of a literal: an op, as typed
        if isinstance(node.op, ast.USub):
            sign = -sign
        node = node.operand
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
            and not isinstance(node.value, bool):
        try:
            return sign * float(node.value)
        except OverflowError:
            return None  # reported by the number check
    return None


def _with_power_operator(text: str) -> tuple[str, dict[int, list[int]]]:
    """`text` with each `^` operator written `**`, so `x^2 + 1` means (x**2) + 1.

    Python gives `^` a lower precedence than `+`; rewriting the token keeps the precedence a
    reader expects.  Returns the new text and, per line, the original columns rewritten.
    """
    powers: dict[int, list[int]] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.OP and tok.string == "^":
                powers.setdefault(tok.start[0], []).append(tok.start[1])
    except (tokenize.TokenError, SyntaxError, RecursionError, MemoryError):
        return text, {}  # the parser will report what is wrong, with the original columns
    if not powers:
        return text, {}
    lines = io.StringIO(text).readlines()  # the lines tokenize numbered
    for line, columns in powers.items():
        row = lines[line - 1]
        for col in sorted(columns, reverse=True):
            row = row[:col] + "**" + row[col + 1:]
        lines[line - 1] = row
    return "".join(lines), powers


def _is_square(node: ast.BinOp) -> bool:
    """`x**2` (or `x^2`): a square node, whose one edge carries 2x, rather than a power node whose
    exponent edge would show the gradient with respect to the literal 2."""
    return isinstance(node.op, (ast.Pow, ast.BitXor)) and _number_literal(node.right) == 2.0
