"""The Overview's wording of how far a date is from today."""

from __future__ import annotations

import pytest

from roasterdesk.services.attention import _when


@pytest.mark.parametrize("days, words", [
    (-3, "overdue by 3 days"), (-1, "overdue by 1 day"), (0, "due today"),
    (1, "due in 1 day"), (14, "due in 14 days")])
def test_days_from_today_in_words(days, words):
    assert _when(days, "overdue by {}", "due today", "due in {}") == words
