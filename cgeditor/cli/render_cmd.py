"""`cgeditor render FILE -o OUT.png|svg|pdf`: the graph as the canvas draws it, without a display.

Qt is imported only when this command runs (the other subcommands never load it), and on a
machine without a display it runs on the offscreen platform.  An invalid graph is still drawn,
with the editor's markers on the nodes and edges at fault, since a picture of what is wrong is
what its author needs; stderr then names each problem and the exit status is 2.
"""

from __future__ import annotations

import argparse
import os
import sys

from cgeditor.model.atomic_write import ReadOnlyFileError
from cgeditor.model.escape import terminal
from cgeditor.model.fileformat import load
from cgeditor.model.validate import validate

from cgeditor.cli.common import EXIT_BAD_INPUT, CliError, add_set_argument, apply_sets, output_path, shown_problems


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "render", help="draw the graph with its values and gradients as PNG, SVG or PDF",
        description="Draw FILE exactly as the editor's canvas shows it (nodes, edges, values, "
                    "gradients), over the whole graph with a white margin.  No display is needed.  "
                    "An invalid graph is drawn with its problems marked, each problem is named on "
                    "stderr, and the exit status is 2.",
        epilog="example: cgeditor render chain.cgraph -o chain.png --scale 2")
    p.add_argument("file", metavar="FILE", help="a .cgraph document")
    p.add_argument("-o", "--out", metavar="OUT", required=True,
                   help="the image to write; its suffix (.png, .svg or .pdf) chooses the type")
    p.add_argument("--output", metavar="NODE",
                   help="differentiate this node (default: the document's output, else its only sink)")
    p.add_argument("--scale", metavar="S", type=_scale,
                   help="pixels per canvas unit for PNG (2 for sharp slides); a PNG too large at it is "
                        "refused.  Default 1, or less to fit a large drawing into the pixel budget "
                        "(said on stderr)")
    add_set_argument(p)


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not (0 < value < float("inf")):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return value


def run(args: argparse.Namespace) -> int:
    output_path(args.out)
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is first imported
    try:
        from PySide6.QtWidgets import QApplication

        from cgeditor.editor.canvas.render import RenderError, image_format, render_graph
    except ImportError as e:
        raise CliError(f"cannot draw images: {e}") from None
    try:
        image_format(args.out)
    except RenderError as e:
        raise CliError(str(e)) from None
    graph = load(args.file, lay_out=False)  # render lays out once it knows the picture is not too large
    apply_sets(graph, args.set)
    if args.output is not None and args.output not in graph:
        raise CliError(f"--output {args.output}: no node with id {args.output!r}")
    app = QApplication.instance() or QApplication(["cgeditor"])  # noqa: F841 (must outlive the render)
    try:
        render_graph(graph, args.out, scale=args.scale, output=args.output,
                     notify=lambda line: print(f"cgeditor: {line}", file=sys.stderr))
    except RenderError as e:
        raise CliError(str(e)) from None
    except ReadOnlyFileError as e:  # refused: only the editor asks before replacing one
        raise CliError(f"{args.out}: cannot write: {e.strerror}") from None
    problems = validate(graph)
    for line in shown_problems(problems):
        print(terminal(f"cgeditor: {args.file}: {line}"), file=sys.stderr)
    return EXIT_BAD_INPUT if problems else 0
