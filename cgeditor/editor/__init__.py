"""The Qt editor: the editing layer (document, commands), the canvas (scene, items, view,
interactions) and the main window with its panels.  Nothing here computes: the model does."""
