"""Wording shared by every screen and document."""

from __future__ import annotations

NOT_RECORDED = "not recorded"
"""What a screen or document shows for a fact that was never recorded (never a guess)."""


def plural(n: int, word: str, words: str | None = None) -> str:
    """A count with its noun: "1 harvest", "2 harvests", "1,311 rows".

    >>> plural(1, "harvest"), plural(2, "harvest"), plural(3, "country", "countries")
    ('1 harvest', '2 harvests', '3 countries')
    """
    return f"{n:,} {word if n == 1 else (words or word + 's')}"
