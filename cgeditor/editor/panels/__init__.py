"""The docks and dialogs around the canvas: the node palette and quick search, the inspector,
New from Expression, the PyTorch check, and the mixin that keeps hidden docks idle."""
