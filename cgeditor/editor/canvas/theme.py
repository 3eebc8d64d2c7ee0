"""Colours, pen widths and fonts of the canvas, in one object so a projector theme can swap them.

Everything that paints (node painter, items, minimap, view background) reads the theme instead
of naming colours, and exported images use the same theme as the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont


@dataclass(frozen=True)
class Theme:
    canvas: str = "#f6f7f9"
    grid_minor: str = "#eef0f3"
    grid_major: str = "#e2e5ea"
    text: str = "#1f2430"
    muted: str = "#6b7280"

    node_fill: str = "#ffffff"
    node_border: str = "#5b6472"
    variable_fill: str = "#e7f0fd"
    variable_border: str = "#3d6fc4"
    constant_fill: str = "#eef0f3"
    constant_border: str = "#9aa1ad"
    selection: str = "#2f80ed"
    accent: str = "#7048e8"  # the output node
    shadow: str = "#1a1f2b"

    port_fill: str = "#ffffff"
    port_border: str = "#5b6472"
    port_valid: str = "#2f9e44"
    port_invalid: str = "#c92a2a"

    edge: str = "#7d8697"
    edge_selected: str = "#2f80ed"
    edge_width: float = 1.0  # cosmetic pixels: 1 px is several times faster to draw than wider
    wire_preview: str = "#2f80ed"

    error: str = "#e03131"
    error_fill: str = "#fff0f0"

    value_text: str = "#1f2430"
    value_fill: str = "#ffffff"
    value_border: str = "#d5d9e0"
    grad_text: str = "#c2410c"
    grad_fill: str = "#fff4e8"
    grad_border: str = "#fdd3b0"
    edge_grad_text: str = "#1864ab"
    edge_grad_fill: str = "#eef5ff"
    edge_grad_border: str = "#c7dcf7"
    nonfinite_text: str = "#c92a2a"
    nonfinite_fill: str = "#ffe3e3"
    nonfinite_border: str = "#f08c8c"

    font_family: str = "DejaVu Sans"
    label_px: int = 13  # node labels
    symbol_px: int = 18  # op symbols
    small_px: int = 10  # op ids, port names, tags
    overlay_px: int = 14  # values and gradients: read from the back of a lecture hall
    grid_size: int = 20

    def color(self, name: str) -> QColor:
        return QColor(getattr(self, name))

    def font(self, px: int, bold: bool = False) -> QFont:
        f = QFont(self.font_family)
        f.setPixelSize(px)
        f.setBold(bold)
        return f


DEFAULT_THEME = Theme()

# For a projector: darker ink, stronger borders and 3-pixel edges that survive a washed-out beamer.
# Type sizes stay those of the normal theme, so no node changes size and nothing is laid out
# again; presentation mode makes type large by zooming the graph to fill the screen.
PROJECTOR_THEME = Theme(
    canvas="#ffffff", grid_minor="#ffffff", grid_major="#f1f3f5", text="#000000", muted="#343a40",
    node_border="#212529", variable_fill="#d0e2ff", variable_border="#1c4f9c", constant_fill="#e9ecef",
    constant_border="#495057", edge="#343a40", edge_width=3.0, value_text="#000000",
    value_border="#495057", grad_text="#a12c00", grad_fill="#ffe8cc", grad_border="#d9480f",
    edge_grad_text="#0b3d91", edge_grad_fill="#dbe8ff", edge_grad_border="#1c4f9c")
