"""Shared fixtures: a fresh database per test, closed afterwards; Qt offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from roasterdesk.store import Store  # noqa: E402


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "roasterdesk.sqlite"


@pytest.fixture
def store(db_path):
    s = Store.open(db_path)
    yield s
    s.close()
