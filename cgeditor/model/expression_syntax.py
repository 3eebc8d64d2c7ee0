"""The text side of the expression language: reading it with `ast` (never running it), the
tables of what is refused and how it is called, and errors located in the user's own text.

`^` is rewritten to `**` before parsing so it keeps power's precedence; `Source.error` maps the
parser's positions back to the columns the user typed.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

MAX_LENGTH = 100_000

BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.BitXor: "**"}
FLATTENED = (ast.Add, ast.Mult)  # a + b + c is one add: left to right, the same float result

REFUSED_EXPR = {
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
REFUSED_OPERATOR = {
    ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
    ast.BitOr: "|", ast.BitAnd: "&",
}
REFUSED_STMT = {
    ast.Import: "import statement", ast.ImportFrom: "import statement",
    ast.AsyncFunctionDef: "async function definition",
    ast.ClassDef: "class definition", ast.Delete: "del statement",
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


class Source:
    """The program's text, its syntax tree, and positions in the text as the user typed it."""

    def __init__(self, text: str):
        if len(text) > MAX_LENGTH:
            raise ExpressionError(f"the program is too long ({len(text):,} characters; at most "
                                  f"{MAX_LENGTH:,})")
        self.text, self.powers = _with_power_operator(text.removeprefix("\ufeff"))
        self.lines = re.split(r"\r\n|\r|\n", self.text)

    def parse(self) -> ast.Module:
        try:
            return ast.parse(self.text, mode="exec")
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


def number_literal(node: ast.expr) -> float | None:
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


def is_square(node: ast.BinOp) -> bool:
    """`x**2` (or `x^2`): a square node, whose one edge carries 2x, rather than a power node whose
    exponent edge would show the gradient with respect to the literal 2."""
    return isinstance(node.op, (ast.Pow, ast.BitXor)) and number_literal(node.right) == 2.0


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
