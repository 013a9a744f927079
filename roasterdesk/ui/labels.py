"""The text labels every page uses (their look comes from the stylesheet's object names).

A module of their own, so the first page on screen does not load the form and table helpers
of :mod:`roasterdesk.ui.widgets`, which re-exports these.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def heading(text: str, level: int = 1) -> QLabel:
    lab = QLabel(text)
    lab.setObjectName("h1" if level == 1 else "h2")
    return lab


def muted(text: str) -> QLabel:
    lab = QLabel(text)
    lab.setObjectName("muted")
    lab.setWordWrap(True)
    return lab
