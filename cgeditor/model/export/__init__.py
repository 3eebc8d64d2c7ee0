"""Code and pictures from a graph: a PyTorch script, a plain-Python worked solution, Graphviz.

Each format is a function `to_<format>(graph, output=None) -> str`; `FORMATS` maps the names
the CLI and the editor offer to them.  All of them read the op registry's templates, so a new
op exports without touching this package.
"""

from __future__ import annotations

from typing import Callable

from cgeditor.model.graph import Graph
from cgeditor.model.export.dot import to_dot
from cgeditor.model.export.python import to_python
from cgeditor.model.export.pytorch import to_pytorch

FORMATS: dict[str, Callable[..., str]] = {"pytorch": to_pytorch, "python": to_python, "dot": to_dot}


def export(graph: Graph, fmt: str, output: str | None = None) -> str:
    return FORMATS[fmt](graph, output)


__all__ = ["FORMATS", "export", "to_dot", "to_python", "to_pytorch"]
