"""Where the bundled example graphs live (the top-level `resources/examples` folder)."""

from __future__ import annotations

from pathlib import Path

_EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"
DEFAULT_EXAMPLE = "chain_rule"  # L = (x + x·y)², the graph the editor opens first


def examples_dir() -> Path:
    return _EXAMPLES


def example_path(name: str = DEFAULT_EXAMPLE) -> Path:
    """The file of example `name`, with or without its `.cgraph` suffix."""
    return _EXAMPLES / (name if name.endswith(".cgraph") else f"{name}.cgraph")


def list_examples() -> list[Path]:
    return sorted(_EXAMPLES.glob("*.cgraph"))
