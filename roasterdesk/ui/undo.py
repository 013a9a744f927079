"""Undo/redo for record edits: QUndoCommands over the store's change log.

Use :func:`save_record` and :func:`delete_record` instead of calling ``ctx.store.save_*``
directly: they write at once (so a refused write raises *before* anything is pushed), then push
a command holding the action's op id in the change log. Undo writes the inverse of that action
(:meth:`Store.revert`: new rows deleted or retired, changed fields back to their old values,
deleted rows back with their ids); redo reverts the undo. Each is one Store transaction.
``ctx.messages.data_changed`` is emitted after every write, undo and redo, once per part of the
app whose rows changed.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from ..domain.model import Lot
from ..errors import KNOWN_ERRORS
from ..store.kinds import page_of, record_name
from ..store.store import table_of

if TYPE_CHECKING:
    from .context import AppContext

log = logging.getLogger(__name__)


def kind_of(obj: Any) -> str:
    return page_of(table_of(obj))


def label_of(obj: Any) -> str:
    return record_name(table_of(obj))


class RecordCommand(QUndoCommand):
    """One applied user action, known by its op id in the change log."""

    def __init__(self, ctx: AppContext, op_id: str, kinds: list[str], text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.done_op = op_id  # the action as it stands applied
        self.undo_op: str | None = None  # the action that undid it, while undone
        self.kinds = kinds
        self._applied = True  # the first redo() (called by push) must not write again

    def _revert(self, op_id: str, label: str) -> str | None:
        try:
            tables = self.ctx.store.revert(op_id, label)
        except (*KNOWN_ERRORS, ValueError) as exc:
            log.warning("undo/redo of %r failed: %s", self.text(), exc)
            self.ctx.messages.error.emit(f"Could not {label.lower()}: {exc}")
            self.setObsolete(True)
            return None
        for kind in dict.fromkeys([*self.kinds, *(page_of(t) for t in tables)]):
            self.ctx.messages.data_changed.emit(kind)
        return self.ctx.store.log.last_op

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        if self.undo_op is None:
            return
        op = self._revert(self.undo_op, f"Redo {self.text().lower()}")
        if op is not None:
            self.done_op, self.undo_op = op, None

    def undo(self) -> None:
        op = self._revert(self.done_op, f"Undo {self.text().lower()}")
        if op is not None:
            self.undo_op = op


def _push(ctx: AppContext, before: str | None, obj: Any, text: str) -> None:
    op = ctx.store.log.last_op
    kind = kind_of(obj)
    if op is not None and op != before:  # something changed: undoable
        ctx.undo_stack.push(RecordCommand(ctx, op, [kind], text))
    ctx.messages.data_changed.emit(kind)


def save_record(ctx: AppContext, obj: Any, *, text: str = "") -> Any:
    """Save ``obj`` now and make the change undoable; returns the stored object.

    Raises (and pushes nothing) when the store refuses the write.
    """
    verb = "Add" if obj.id is None else "Edit"
    before = ctx.store.log.last_op
    stored = ctx.store.save(obj)
    _push(ctx, before, obj, text or f"{verb} {label_of(obj)}")
    return stored


def delete_record(ctx: AppContext, obj: Any, *, text: str = "") -> None:
    """Delete ``obj`` now (lots are cancelled instead) and make it undoable."""
    before = ctx.store.log.last_op
    ctx.store.delete(obj)
    default = "Cancel lot" if isinstance(obj, Lot) else f"Delete {label_of(obj)}"
    _push(ctx, before, obj, text or default)
