"""The editing layer: one Document per open graph, the undo commands that change it, its
autosave and the garbage-collector care a large graph needs.  Widgets edit only through here."""
