"""Fixtures of the impact-statement tests."""

from __future__ import annotations

import pytest
from statement_sample import build_example


@pytest.fixture
def example(store):
    """Store holding the worked-example lot CO-25-001 and an older lot of the same producer."""
    return build_example(store)
