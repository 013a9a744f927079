"""The badge a record's title carries while it has an open team-sync conflict
(:func:`roasterdesk.services.sync_conflicts.is_conflicted`), until someone resolves it on the
Conflicts page."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel

    from .context import AppContext

BADGE = "● sync conflict"
TIP = ("The team hub holds another value for a field of this record. Nothing was overwritten: "
       "choose which value to keep on the Conflicts page.")


def set_title(label: QLabel, ctx: AppContext, text: str, table: str,
              uuid: str | None) -> bool:
    """Show ``text`` in ``label``, with the badge when the record has an open conflict."""
    from ..services.sync_conflicts import is_conflicted

    conflict = is_conflicted(ctx.store, table, uuid)
    if conflict:
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setText(f'{escape(text)} <span style="color:#b45309; font-size:small">'
                      f"{BADGE}</span>")
        label.setToolTip(TIP)
    else:
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setText(text)
        label.setToolTip("")
    return conflict
