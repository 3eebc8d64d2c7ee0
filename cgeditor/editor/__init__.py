"""The Qt editor, a view and controller over the model: `document` (the editing layer and its
undo commands), `canvas` (scene, items, view, gestures, render), `panels` (docks and dialogs),
`window` (the application and main window) and `teaching` (the Qt side of teaching mode).
Nothing here computes: the model does."""
