"""File → Export Image… and File → Export ▸ code: the window's side of `render` and `export`.

The pictures come from `render.render_graph` (the canvas's own painting, with the overlays the
window currently shows) and the code from `cgeditor.model.export`, so the editor writes exactly
what `cgeditor render` and `cgeditor export` write.  The questions asked (where to save, at
what scale) are plain functions the window holds, so tests can answer them without a dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from cgeditor.model.evaluate import OutputError
from cgeditor.model.export import export
from cgeditor.model.validate import InvalidGraphError

from cgeditor.editor.window import file_dialogs
from cgeditor.model.atomic_write import write_text_atomically
from cgeditor.editor.canvas.render import RenderError, render_graph
from cgeditor.editor.canvas.overlay_labels import OVERLAYS

IMAGE_FILTER = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
DEFAULT_IMAGE_SCALE = 2.0  # sharp on slides and high-density screens
_PY_FILTER = "Python scripts (*.py);;All files (*)"


class CodeFormat(NamedTuple):
    menu: str
    title: str
    suffix: str
    file_filter: str


CODE_FORMATS = {  # keys are cgeditor.model.export.FORMATS names
    "pytorch": CodeFormat("&PyTorch Script…", "PyTorch script", ".py", _PY_FILTER),
    "python": CodeFormat("P&ython Script…", "Python script", ".py", _PY_FILTER),
    "dot": CodeFormat("&Graphviz DOT…", "Graphviz DOT file", ".dot",
                      "Graphviz files (*.dot *.gv);;All files (*)"),
}


def choose_export_path(parent: QWidget, title: str, suggested: Path, file_filter: str) -> Path | None:
    """Ask where to write; a name typed without a suffix gets the chosen filter's first one."""
    path, chosen = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
    if not path:
        return None
    path = Path(path)
    if not path.suffix and "(*." in chosen:
        path = path.with_suffix(chosen.split("(*", 1)[1].split()[0].rstrip(")"))
    return path


def ask_image_scale(parent: QWidget, default: float) -> float | None:
    scale, ok = QInputDialog.getDouble(parent, "Export Image", "PNG pixels per canvas unit:",
                                       default, 0.25, 8.0, 2)
    return scale if ok else None


def export_image(window) -> bool:
    """Draw the whole graph, with the overlays shown on the canvas, into an image file."""
    document = window.document
    if not len(document.graph):
        window.show_message("Nothing to export: the graph is empty")
        return False
    path = window.choose_export_path(window, "Export image", _suggested(window, ".png"), IMAGE_FILTER)
    if path is None:
        return False
    scale = 1.0
    if path.suffix.lower() == ".png":
        scale = window.ask_image_scale(window, DEFAULT_IMAGE_SCALE)
        if scale is None:
            return False
    overlays = {kind: window.scene.overlay_visible(kind) for kind in OVERLAYS}
    try:
        if not file_dialogs.write_asking(window, path, lambda replace: render_graph(
                document, path, scale=scale, overlays=overlays, replace_read_only=replace)):
            return False
    except RenderError as e:
        file_dialogs.show_error(window, "Cannot export image", str(e))
        return False
    window.show_message(f"Exported {path}")
    return True


def export_code(window, fmt: str) -> bool:
    """Write the graph as `fmt` (see `cgeditor.model.export.FORMATS`) to a file the user picks."""
    code = CODE_FORMATS[fmt]
    try:
        text = export(window.document.graph, fmt)
    except (InvalidGraphError, OutputError) as e:
        file_dialogs.show_error(window, f"Cannot export {code.title}", f"The graph cannot be exported: {e}")
        return False
    path = window.choose_export_path(window, f"Export {code.title}", _suggested(window, code.suffix),
                                     code.file_filter)
    if path is None:
        return False
    try:
        if not file_dialogs.write_asking(window, path, lambda replace: write_text_atomically(
                path, text, replace_read_only=replace)):
            return False
    except OSError as e:
        file_dialogs.show_error(window, f"Cannot export {code.title}", f"{path}: {e.strerror or e}")
        return False
    window.show_message(f"Exported {path}")
    return True


def _suggested(window, suffix: str) -> Path:
    """Beside the document (or in the last folder used), named after it."""
    document = window.document
    folder = file_dialogs.start_folder(window.settings, document.path)
    stem = document.path.stem if document.path is not None else "untitled"
    return folder / f"{stem}{suffix}"
