"""The canvas: the scene that mirrors a document's graph as items, the view, how nodes are
measured and painted, where overlay labels go, the mouse gestures, and pictures of it all.
Items draw and report; they never compute or validate."""
