"""Shared test set-up that needs no Qt: a private home per test, and fuzz runs marked `slow`
wait for --run-slow.  Qt's own set-up lives in gui/conftest.py, so the model and CLI tests run
where PySide6 is not installed."""

import gc

import pytest


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory, monkeypatch):
    """Each test gets its own home, so no autosave, recovery file or setting one test leaves
    behind (nor one from an earlier run) can put a question in front of another."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture(autouse=True)
def thaw_after_test():
    """A large document freezes the objects alive when it opens (see editor/document/gc_pause);
    tests that leave such a scene without closing its window must not keep them frozen."""
    yield
    gc.unfreeze()


@pytest.fixture(scope="session")
def hostile_corpus(tmp_path_factory) -> dict[str, str]:
    """The hostile corpus (tests/helpers/hostile_files.py), its generated cases written once a session."""
    from helpers.hostile_files import built, corpus_files

    return corpus_files() | built(tmp_path_factory.mktemp("hostile-built"))


@pytest.fixture(scope="session")
def heavy_hostile_corpus(tmp_path_factory) -> dict[str, str]:
    """The generated hostile cases at full size, written once a session (for tests marked slow)."""
    from helpers.hostile_files import built_heavy

    return built_heavy(tmp_path_factory.mktemp("hostile-heavy"))


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
