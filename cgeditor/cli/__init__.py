"""The `cgeditor` command: subcommands for scripts, and with none, the editor.

`cgeditor FILE` opens the editor; `cgeditor <subcommand> ...` runs one of `SUBCOMMANDS`, each
a module `cgeditor.cli.<name>_cmd` with `register(subparsers)` and `run(args) -> int`.  Adding
a subcommand means writing that module and adding its name here.
"""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType
from typing import Sequence

from cgeditor.model.evaluate import OutputError
from cgeditor.model.fileformat import DocumentError
from cgeditor.model.graph import GraphError
from cgeditor.model.validate import InvalidGraphError

from cgeditor.cli.common import EXIT_BAD_INPUT, ArgumentParser, CliError, print_error

SUBCOMMANDS = ("eval", "explain", "new", "export", "render")

_BAD_INPUT = (CliError, DocumentError, InvalidGraphError, OutputError, GraphError)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in SUBCOMMANDS:
            return _run_subcommand(args)
        return _open_editor(args)
    except _BAD_INPUT as e:
        print_error(str(e))
        return EXIT_BAD_INPUT
    except SystemExit as e:  # argparse: --help (0) or a usage error (already printed)
        return e.code if isinstance(e.code, int) else EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `cgeditor explain FILE | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _modules() -> dict[str, ModuleType]:
    return {name: importlib.import_module(f"{__name__}.{name}_cmd") for name in SUBCOMMANDS}


def _run_subcommand(args: list[str]) -> int:
    modules = _modules()
    parser = ArgumentParser(prog="cgeditor", description="Computational graph editor: command-line tools.")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    for module in modules.values():
        module.register(subparsers)
    parsed = parser.parse_args(args)
    return modules[parsed.command].run(parsed)


def _open_editor(args: list[str]) -> int:
    parser = ArgumentParser(
        prog="cgeditor",
        description="Open the computational graph editor, on FILE if given.",
        epilog=f"subcommands: {', '.join(SUBCOMMANDS)} (cgeditor SUBCOMMAND --help for each)")
    parser.add_argument("file", metavar="FILE", nargs="?", help="a .cgraph document to open")
    parsed = parser.parse_args(args)
    try:
        from cgeditor.editor.window.app import run
    except ImportError as e:
        print(f"cgeditor: cannot start the editor: {' '.join(str(e).split())}", file=sys.stderr)
        return 1
    return run(parsed.file)
