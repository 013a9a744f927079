"""Undo/redo for record edits: QUndoCommands that write through the Store.

Use :func:`save_record` and :func:`delete_record` instead of calling ``ctx.store.save_*``
directly: they write at once (so a refused write raises *before* anything is pushed), then push
a command whose undo restores the previous object (or removes the new one) and whose redo
writes it again. Each write is one Store transaction. ``ctx.messages.data_changed`` is emitted
after every write, undo and redo.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from ..domain.model import (
    Certification,
    Commitment,
    Lot,
    LotStatus,
    Person,
    Plot,
    Producer,
    Project,
    Visit,
)
from ..errors import KNOWN_ERRORS

if TYPE_CHECKING:
    from .context import AppContext

log = logging.getLogger(__name__)

# record class -> (save method, delete method or None, data_changed kind, label)
_OPS: dict[type, tuple[str, str | None, str, str]] = {
    Producer: ("save_producer", "delete_producer", "producer", "producer"),
    Person: ("save_person", "delete_person", "producer", "person"),
    Plot: ("save_plot", "delete_plot", "producer", "plot"),
    Certification: ("save_certification", "delete_certification", "producer", "certification"),
    Commitment: ("save_commitment", "delete_commitment", "commitment", "commitment"),
    Project: ("save_project", "delete_project", "project", "project"),
    Visit: ("save_visit", "delete_visit", "visit", "visit"),
    Lot: ("save_lot", None, "lot", "lot"),
}


def kind_of(obj: Any) -> str:
    return _OPS[type(obj)][2]


def label_of(obj: Any) -> str:
    return _OPS[type(obj)][3]


def _write(ctx: AppContext, obj: Any) -> Any:
    return getattr(ctx.store, _OPS[type(obj)][0])(obj)


def _remove(ctx: AppContext, obj: Any) -> None:
    method = _OPS[type(obj)][1]
    if method is None:  # lots are never deleted: a lot created in error is cancelled
        ctx.store.cancel_lot(obj)
        return
    getattr(ctx.store, method)(obj.id if isinstance(obj, Producer) else obj)


def _fresh(obj: Any) -> Any:
    """The object as it must be inserted again after a delete (the row id is new)."""
    return replace(obj, id=None)


class RecordCommand(QUndoCommand):
    """One applied change: ``before`` → ``after`` (``None`` = the record does not exist)."""

    def __init__(self, ctx: AppContext, before: Any, after: Any, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.before = before
        self.after = after
        self._applied = True  # the first redo() (called by push) must not write again

    def _kind(self) -> str:
        return kind_of(self.after if self.after is not None else self.before)

    def _apply(self, old: Any, new: Any) -> Any:
        """Turn ``old`` into ``new`` in the store; returns ``new`` as stored (its id may change)."""
        if new is None:
            _remove(self.ctx, old)
            return None
        if old is None:
            if isinstance(new, Lot):  # an "undone" lot was only cancelled: restore it in place
                return _write(self.ctx, new)
            return _write(self.ctx, _fresh(new))
        return _write(self.ctx, replace(new, id=old.id))

    def _run(self, old: Any, new: Any) -> Any:
        try:
            return self._apply(old, new)
        except (*KNOWN_ERRORS, ValueError) as exc:
            log.warning("undo/redo of %r failed: %s", self.text(), exc)
            self.ctx.messages.error.emit(f"Could not {self.text().lower()}: {exc}")
            self.setObsolete(True)
            raise _Failed from exc

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        try:
            stored = self._run(self.before, self.after)
        except _Failed:
            return
        if stored is not None:
            self.after = stored
        self.ctx.messages.data_changed.emit(self._kind())

    def undo(self) -> None:
        try:
            stored = self._run(self.after, self.before)
        except _Failed:
            return
        if stored is not None:
            self.before = stored
        self.ctx.messages.data_changed.emit(self._kind())


class _Failed(Exception):
    pass


def save_record(ctx: AppContext, obj: Any, *, text: str = "") -> Any:
    """Save ``obj`` now and make the change undoable; returns the stored object.

    Raises (and pushes nothing) when the store refuses the write.
    """
    before = None
    if obj.id is not None:
        before = _load(ctx, obj)
    stored = _write(ctx, obj)
    verb = "Add" if before is None else "Edit"
    cmd = RecordCommand(ctx, before, stored, text or f"{verb} {label_of(obj)}")
    ctx.undo_stack.push(cmd)
    ctx.messages.data_changed.emit(kind_of(obj))
    return stored


def delete_record(ctx: AppContext, obj: Any, *, text: str = "") -> None:
    """Delete ``obj`` now (lots are cancelled instead) and make it undoable."""
    before = _load(ctx, obj)
    _remove(ctx, before)
    if isinstance(obj, Lot):
        after = replace(before, status=LotStatus.CANCELLED)
        cmd = RecordCommand(ctx, before, after, text or "Cancel lot")
    else:
        cmd = RecordCommand(ctx, before, None, text or f"Delete {label_of(obj)}")
    ctx.undo_stack.push(cmd)
    ctx.messages.data_changed.emit(kind_of(obj))


def _load(ctx: AppContext, obj: Any) -> Any:
    """The stored version of ``obj`` (what undo restores)."""
    s = ctx.store
    if isinstance(obj, Producer):
        return s.producer(obj.id)
    if isinstance(obj, Person):
        return s.person(obj.id)
    if isinstance(obj, Plot):
        return s.plot(obj.id)
    if isinstance(obj, Visit):
        return s.visit(obj.id)
    if isinstance(obj, Lot):
        return s.lot(obj.id)
    finder = {Certification: s.certifications, Commitment: s.commitments,
              Project: s.projects}[type(obj)]
    for x in finder(obj.producer_id):
        if x.id == obj.id:
            return x
    from ..store.errors import RecordNotFound

    raise RecordNotFound(f"no {label_of(obj)} with id {obj.id}")
