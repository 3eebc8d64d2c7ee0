"""The window's Check Against PyTorch: one check at a time, run in a separate process so the
window stays usable, its results in one dialog (a new check's replaces the last one's)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from cgeditor.editor.panels.torch_check import CheckResult, TorchCheck, TorchCheckDialog, torch_available
from cgeditor.editor.window import file_dialogs

TORCH_MISSING = ("PyTorch is not installed in the Python that runs cgeditor. Install the CPU build with "
                 "pip install torch --index-url https://download.pytorch.org/whl/cpu, then restart.")


class TorchChecking(QObject):
    """Runs the check of the window's current document when `action` is triggered; without
    PyTorch the action is disabled and says how to install it."""

    def __init__(self, window: QMainWindow, action: QAction):
        super().__init__(window)
        self.window = window
        self.action = action
        self.check: TorchCheck | None = None  # the check running now, if any
        self.dialog: TorchCheckDialog | None = None  # the last check's results
        if not torch_available():
            action.setEnabled(False)
            action.setText("Check Against PyTorch (PyTorch not installed)")
            action.setStatusTip(TORCH_MISSING)
            action.setToolTip(TORCH_MISSING)
        action.triggered.connect(self.start)

    def start(self) -> None:
        """Run the PyTorch export in a separate process; the results (or why it failed) appear
        when it ends."""
        if self.check is not None:
            return
        self.check = TorchCheck(self.window.document.graph, self.window)
        self.check.finished.connect(self._checked)
        self.check.failed.connect(self._failed)
        self.action.setEnabled(False)
        self.window.show_message("Checking against PyTorch…")
        self.check.start()

    def _ended(self) -> None:
        self.check.deleteLater()
        self.check = None
        self.action.setEnabled(True)
        self.window.statusBar().clearMessage()

    def _checked(self, result: CheckResult) -> None:
        self._ended()
        if self.dialog is not None:
            self.dialog.deleteLater()  # one results window at a time
        self.dialog = TorchCheckDialog(result, self.window)
        self.dialog.show()

    def _failed(self, message: str) -> None:
        self._ended()
        file_dialogs.show_error(self.window, "Check against PyTorch", message)
