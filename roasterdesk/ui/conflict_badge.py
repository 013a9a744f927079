"""The badge a record's title carries while it has an open team-sync conflict
(:func:`roasterdesk.services.sync.conflicted_records`), until someone resolves it on the
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


def has_conflict(ctx: AppContext, table: str, uuid: str | None) -> bool:
    if not uuid:
        return False
    row = ctx.store.db.execute(
        "SELECT 1 FROM sync_conflicts WHERE resolved_at IS NULL AND table_name = ? AND "
        "row_uuid = ? LIMIT 1", [table, uuid]).fetchone()
    return row is not None


def set_title(label: QLabel, ctx: AppContext, text: str, table: str,
              uuid: str | None) -> bool:
    """Show ``text`` in ``label``, with the badge when the record has an open conflict."""
    conflict = has_conflict(ctx, table, uuid)
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
