"""Shared test set-up: Qt runs offscreen in its test locations, and fuzz runs marked `slow`
wait for --run-slow."""

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import pytest
from PySide6.QtCore import QStandardPaths

# Autosave, crash logs and settings go to Qt's test locations, never the user's own folders.
QStandardPaths.setTestModeEnabled(True)

pytest_plugins = ["windows"]  # the `settings` and `make_window` fixtures for GUI tests


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory, monkeypatch):
    """Each test gets its own home, so no autosave, recovery file or setting one test leaves
    behind (nor one from an earlier run) can put a question in front of another."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture(autouse=True)
def thaw_after_test():
    """A large document freezes the objects alive when it opens (see editor/gc_pause); tests
    that leave such a scene without closing its window must not keep them frozen."""
    yield
    gc.unfreeze()


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", default=False,
                     help="also run tests marked slow (long fuzz runs)")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
