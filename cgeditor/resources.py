"""The bundled example graphs, read through importlib.resources so a regular install finds them.

They are edited in the top-level `resources/examples`; `cgeditor/examples` links there, and the
build copies them into the package, so a wheel or pipx install carries them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DEFAULT_EXAMPLE = "chain_rule"  # L = (x + x·y)², the graph the editor opens first


def examples_dir() -> Path:
    # A package installed on disk (the only kind cgeditor supports) has real paths to its data.
    return Path(str(resources.files("cgeditor") / "examples"))


def example_path(name: str = DEFAULT_EXAMPLE) -> Path:
    """The file of example `name`, with or without its `.cgraph` suffix."""
    return examples_dir() / (name if name.endswith(".cgraph") else f"{name}.cgraph")


def list_examples() -> list[Path]:
    return sorted(examples_dir().glob("*.cgraph"))
