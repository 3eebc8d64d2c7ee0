"""The status bar's permanent line about the evaluation: the output's value, or what is wrong."""

from __future__ import annotations

from cgeditor.model.evaluate import OutputError, resolve_output
from cgeditor.model.numbers import format_compact


def evaluation_summary(document) -> str:
    """One line for the status bar about `document` (a Document): the output's value, or the
    first thing wrong."""
    graph, ev = document.graph, document.evaluation
    nodes = counted(len(graph), "node")
    if ev.problems:
        more = f" (+{len(ev.problems) - 1} more)" if len(ev.problems) > 1 else ""
        return f"⚠ {ev.problems[0].message}{more} · {nodes}"
    if ev.output is None:
        if not len(graph):
            return "Empty graph: drag an op from the palette, or press Tab on the canvas"
        try:
            resolve_output(graph)
            reason = "none chosen"
        except OutputError as e:
            reason = str(e)
        return f"No output: {reason} · {nodes}"
    value = ev.values.get(ev.output)
    shown = format_compact(value) if value is not None else "—"
    return f"{graph.node(ev.output).label} = {shown} · {nodes}"


def counted(n: int, word: str) -> str:
    """`n` and `word`, plural unless one: "1 node", "3 nodes"."""
    return f"{n} {word}{'s' if n != 1 else ''}"
