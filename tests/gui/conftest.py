"""Qt for the GUI tests: offscreen, with autosave, crash logs and settings in Qt's test
locations, and the `settings` and `make_window` fixtures."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from PySide6.QtCore import QStandardPaths  # noqa: E402

from helpers.windows import make_window, settings  # noqa: E402,F401 - fixtures

# Autosave, crash logs and settings go to Qt's test locations, never the user's own folders.
QStandardPaths.setTestModeEnabled(True)
