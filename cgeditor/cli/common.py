"""What every subcommand shares: one-line errors, `--set`, output names, tables and JSON counts.

Bad input must end in exit status 2 and exactly one line on stderr, never a traceback, so
subcommands raise `CliError` (or let the model's own errors through) and `main` prints them.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from typing import NoReturn, Sequence

from cgeditor.model.escape import display_width, one_line, terminal
from cgeditor.model.evaluate import OutputError
from cgeditor.model.fileformat import DocumentError
from cgeditor.model.graph import Graph, GraphError, NodeKind
from cgeditor.model.numbers import format_count, parse_number
from cgeditor.model.validate import InvalidGraphError, Problem

EXIT_BAD_INPUT = 2
MAX_PROBLEMS_SHOWN = 10  # a badly broken file still gives a message one can read


class CliError(Exception):
    """Bad input on the command line; the message is the whole story, in one line."""


# What bad input raises: printed as one line, never as a traceback.
BAD_INPUT = (CliError, DocumentError, InvalidGraphError, OutputError, GraphError)


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (argparse prints the whole usage first), and
    help is laid out by `HelpFormatter`."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        print(terminal(f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)"), file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, given the terminal's width as `shutil.get_terminal_size` finds
    it: argparse asks shutil itself, and importing shutil (with bz2 and lzma) was a tenth of
    what `cgeditor eval` spent before reading its file."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, terminal_columns() - 2 if width is None else width)


def terminal_columns() -> int:
    """$COLUMNS, else the width of the terminal on stdout, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def print_error(message: str) -> None:
    """Exactly one line on stderr, whatever the message holds (controls shown escaped)."""
    print(terminal(f"cgeditor: error: {one_line(message) or 'bad input'}"), file=sys.stderr)


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]], right_aligned: Sequence[int] = ()) -> str:
    """Columns two spaces apart under a dashed rule, every cell made terminal-safe and padded
    by its display width, so CJK or emoji labels keep the columns straight."""
    cells = [[terminal(one_line(c)) for c in row] for row in [header, *rows]]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(header))]

    def line(row: list[str]) -> str:
        padded = []
        for i, cell in enumerate(row):
            gap = " " * (widths[i] - display_width(cell))
            padded.append(gap + cell if i in right_aligned else cell + gap)
        return "  ".join(padded).rstrip()

    lines = [line(row) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def shown_problems(problems: Sequence[Problem]) -> list[str]:
    """The first `MAX_PROBLEMS_SHOWN` problems, one short line each, then how many more there are."""
    shown = [one_line(p.message, 200) for p in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        shown.append(f"and {len(problems) - MAX_PROBLEMS_SHOWN} more problems")
    return shown


def add_program_arguments(parser: argparse.ArgumentParser, required: bool) -> argparse._MutuallyExclusiveGroup:
    """--expr PROGRAM | --expr-file PATH (for `new`, and for `eval` as an alternative to FILE)."""
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--expr", metavar="PROGRAM",
                       help="the program, e.g. 'L = (x + x*y)**2' or 'c = a + b; d = c * c'; "
                            "def name(params): blocks may come first")
    group.add_argument("--expr-file", metavar="PATH", help="read the program from a text file")
    return group


def add_set_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set", dest="set", action="append", default=[], metavar="ID=VALUE",
        help="give the variable (or constant) ID this value before evaluating; repeatable; "
             "VALUE may be nan, inf or -inf")


def parse_set(pair: str) -> tuple[str, float]:
    """One `--set ID=VALUE` as (id, number); the one reading of --set for every subcommand."""
    node_id, sep, text = pair.partition("=")
    node_id = node_id.strip()
    if not sep or not node_id:
        raise CliError(f"--set expects ID=VALUE, got {pair!r}")
    try:
        return node_id, parse_number(text)
    except ValueError as e:
        raise CliError(f"--set {node_id}: {e}") from None


def apply_sets(graph: Graph, pairs: Sequence[str]) -> None:
    """Apply `--set ID=VALUE` pairs in order, refusing unknown ids, op nodes and non-numbers."""
    for pair in pairs:
        node_id, value = parse_set(pair)
        if node_id not in graph:
            raise CliError(f"--set {node_id}: no node with id {node_id!r}{_choices(graph)}")
        if graph.node(node_id).kind is NodeKind.OP:
            raise CliError(f"--set {node_id}: {node_id!r} is an op node; only variables and "
                           f"constants take a value")
        graph.set_value(node_id, value)


def _choices(graph: Graph) -> str:
    names = [n.id for n in graph if n.kind is NodeKind.VARIABLE]
    if not names:
        return ""
    shown = ", ".join(names[:10]) + (", ..." if len(names) > 10 else "")
    return f" (variables: {shown})"


def output_path(path: str) -> str:
    """`path` if it can name a file to write, else a CliError saying why: `-o ''`, a folder
    (`.`, `..`, `dir/`) or a loop of symbolic links is refused before any work is done.

    What happens to the file itself (links written through, permissions kept, devices
    refused) is the writer's policy; this only turns what cannot be a file name into words.
    """
    if not path:
        raise CliError("'': not a regular file (an empty name); give the name of a file to write")
    if os.path.basename(path) in ("", ".", "..") or os.path.isdir(path):
        raise CliError(f"{path}: not a regular file (a folder); give the name of a file to write")
    try:
        os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise CliError(f"{path}: a symbolic link loop: it leads to no file") from None
    return path


def json_count(n: int) -> int | str:
    """An exact count for JSON, unless it has more digits than Python converts (or reads
    back): then the text `format_count` gives, such as "2^15000"."""
    limit = sys.get_int_max_str_digits()
    return n if not limit or abs(n) < 10 ** limit else format_count(n)
