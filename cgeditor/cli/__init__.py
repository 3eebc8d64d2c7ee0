"""The `cgeditor` command: subcommands for scripts, and with none, the editor.

`cgeditor FILE` opens the editor; `cgeditor <subcommand> ...` runs one of `SUBCOMMANDS`, each
a module `cgeditor.cli.<name>_cmd` with `register(subparsers)` and `run(args) -> int`.  Adding
a subcommand means writing that module and adding its name here.  `cgeditor help [SUBCOMMAND]`
and `cgeditor --version` answer without starting anything.
"""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType
from typing import Sequence

from cgeditor import __version__
from cgeditor.model.escape import one_line, terminal
from cgeditor.model.suggest import did_you_mean

from cgeditor.cli.common import BAD_INPUT, EXIT_BAD_INPUT, ArgumentParser, CliError, print_error

SUBCOMMANDS = ("eval", "explain", "new", "export", "render", "flatten")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in SUBCOMMANDS:
            return _run_subcommand(args)
        if args and args[0] == "help":
            return _help(args[1:])
        if args and args[0] in ("--version", "-V"):
            print(f"cgeditor {__version__}")
            return 0
        if args and _looks_like_a_command(args[0]):
            raise CliError(f"unknown command {args[0]!r}{did_you_mean(args[0], SUBCOMMANDS + ('help',))} "
                           f"(commands: {', '.join(SUBCOMMANDS)}, help)")
        return _open_editor(args)
    except BAD_INPUT as e:
        print_error(str(e))
        return EXIT_BAD_INPUT
    except SystemExit as e:  # argparse: --help (0) or a usage error (already printed)
        return e.code if isinstance(e.code, int) else EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `cgeditor explain FILE | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _looks_like_a_command(word: str) -> bool:
    """A bare word that names no file and is close to a subcommand is a mistyped command."""
    return (not os.path.exists(word) and word.isidentifier()
            and bool(did_you_mean(word, SUBCOMMANDS + ("help",))))


def _help(topics: list[str]) -> int:
    """`cgeditor help` is `cgeditor --help`; `cgeditor help eval` is `cgeditor eval --help`."""
    if not topics:
        return _open_editor(["--help"])
    if topics[0] not in SUBCOMMANDS:
        raise CliError(f"no help on {topics[0]!r}{did_you_mean(topics[0], SUBCOMMANDS)} "
                       f"(commands: {', '.join(SUBCOMMANDS)})")
    return _run_subcommand([topics[0], "--help"])


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{name}_cmd")


def _run_subcommand(args: list[str]) -> int:
    """Only the named subcommand's module is imported: a script running `cgeditor eval` on a
    student's file should not pay for the narration, the exporters and their imports."""
    module = _module(args[0])
    parser = ArgumentParser(prog="cgeditor", description="Computational graph editor: command-line tools.")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    module.register(subparsers)
    return module.run(parser.parse_args(args))


def _open_editor(args: list[str]) -> int:
    parser = ArgumentParser(
        prog="cgeditor",
        description="Open the computational graph editor, on FILE if given.",
        epilog=f"subcommands: {', '.join(SUBCOMMANDS)} (cgeditor help SUBCOMMAND for each)")
    parser.add_argument("file", metavar="FILE", nargs="?", help="a .cgraph document to open")
    parser.add_argument("-V", "--version", action="version", version=f"cgeditor {__version__}")
    parsed = parser.parse_args(args)
    try:
        from cgeditor.editor.window.app import run
    except ImportError as e:
        print(terminal(f"cgeditor: cannot start the editor: {one_line(e)}"), file=sys.stderr)
        return 1
    return run(parsed.file)
