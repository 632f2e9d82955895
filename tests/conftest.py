"""Fixtures shared by every test module."""

import pytest

from tests.paths import ROOT


@pytest.fixture(autouse=True)
def _run_from_repository_root(monkeypatch):
    # Pages tell readers to run examples from the repository root.
    monkeypatch.chdir(ROOT)


def pytest_terminal_summary(terminalreporter, config):
    from tests.docs.census import SUMMARY

    summary = config.stash.get(SUMMARY, None)
    if summary:
        terminalreporter.write_line(summary)
