"""Pick a producer by typing part of its name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QLineEdit,
    QWidget,
)

if TYPE_CHECKING:
    from ..context import AppContext

class ProducerPicker(QLineEdit):
    """Type part of a producer's name and pick it; names come from SQL a few at a time."""

    picked = Signal(object)  # producer id or None

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.producer_id: int | None = None
        self._names: dict[str, int] = {}
        self.setPlaceholderText("Type a producer's name")
        self.completer_ = QCompleter([], self)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(self.completer_)
        self.textEdited.connect(self._suggest)
        self.completer_.activated.connect(self._resolve)
        self.editingFinished.connect(lambda: self._resolve(self.text()))

    def _suggest(self, text: str) -> None:
        self.producer_id = None
        rows = self.ctx.store.producers_named_like(text)
        self._names = {f"{n} ({c})": i for i, n, c in rows}
        self.completer_.model().setStringList(list(self._names))  # type: ignore[attr-defined]
        self.picked.emit(None)

    def _resolve(self, text: str) -> None:
        pid = self._names.get(text)
        if pid is None:
            pid = self.ctx.store.producer_id_named(text)
        if pid is not None and pid != self.producer_id:
            self.set_producer(pid)
            self.picked.emit(pid)

    def set_producer(self, producer_id: int | None) -> None:
        self.producer_id = producer_id
        if producer_id is None:
            self.clear()
            return
        row = self.ctx.store.producer_label(producer_id)
        self.setText(f"{row[0]} ({row[1]})" if row else "")
        if row:
            self._names[self.text()] = producer_id
