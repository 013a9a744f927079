"""The editor dialog pattern: a form, inline validation, save through the undo stack.

A subclass builds its fields in ``build(form)`` and turns them into a record in ``collect()``
(raising :class:`~roasterdesk.ui.widgets.FieldError` for bad input). Pressing Save validates;
bad input shows a message under the form (the fields above it never move), marks the field, and
nothing is written. The dialog stays open so nothing typed is lost. While a message shows, every
edit checks the form again: the message follows the input and goes once it is right.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..errors import KNOWN_ERRORS
from . import wheel
from .taborder import order_when_shown
from .undo import save_record
from .widgets import ErrorLabel, FieldError, mark_invalid

if TYPE_CHECKING:
    from .context import AppContext


class EditorDialog(QDialog):
    title = "Edit"

    def __init__(self, ctx: AppContext, record: Any = None, parent: QWidget | None = None,
                 **extra: Any) -> None:
        super().__init__(parent)
        wheel.install()  # an unfocused dropdown or spin box scrolls the form instead
        self.ctx = ctx
        self.record = record
        self.extra = extra
        self.saved: Any = None
        self.fields: dict[str, QWidget] = {}
        self.setWindowTitle(("Edit " if record is not None and record.id else "New ")
                            + self.title.lower())
        self.setMinimumWidth(460)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 16, 18, 14)
        lay.setSpacing(12)
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(8)
        lay.addLayout(self.form)
        self.build(self.form)
        if record is not None:
            self.load(record)
        self.error = ErrorLabel()
        lay.addWidget(self.error)
        lay.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.try_save)
        for w in self.findChildren(QWidget):
            signal = (w.textChanged if isinstance(w, (QLineEdit, QPlainTextEdit)) else
                      w.currentIndexChanged if isinstance(w, QComboBox) else
                      w.toggled if isinstance(w, QAbstractButton) and w.isCheckable() else None)
            if signal is not None:
                signal.connect(self.recheck)

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        order_when_shown(self)  # Tab in reading order, once the form is laid out

    # -- to implement ----------------------------------------------------------------------
    def build(self, form: QFormLayout) -> None:
        raise NotImplementedError

    def load(self, record: Any) -> None:
        raise NotImplementedError

    def collect(self) -> Any:
        raise NotImplementedError

    # -- behaviour -------------------------------------------------------------------------
    def add(self, key: str, label: str, widget: QWidget) -> QWidget:
        self.fields[key] = widget
        self.form.addRow(label, widget)
        return widget

    def show_error(self, text: str, field: str | None = None, focus: bool = True) -> None:
        for w in self.fields.values():
            mark_invalid(w, False)
        self.error.show_error(text)
        w = self.fields.get(field or "")
        if w is not None:
            mark_invalid(w, True)
            if focus:
                w.setFocus()

    def recheck(self, *_: Any) -> None:
        """After an edit: a message on show is brought up to date, or goes when all is right
        (the focus stays where the user types)."""
        if not self.error.isVisible() and not self.error.text():
            return
        try:
            self.collect()
        except FieldError as exc:
            self.show_error(str(exc), exc.field, focus=False)
            return
        except ValueError as exc:
            text = str(exc)
            self.show_error(text[:1].upper() + text[1:], focus=False)
            return
        for w in self.fields.values():
            mark_invalid(w, False)
        self.error.clear_error()

    def try_save(self) -> bool:
        try:
            record = self.collect()
        except FieldError as exc:
            self.show_error(str(exc), exc.field)
            return False
        except ValueError as exc:  # a record's own rule (domain validation)
            text = str(exc)
            self.show_error(text[:1].upper() + text[1:])
            return False
        try:
            self.saved = save_record(self.ctx, record)
        except KNOWN_ERRORS as exc:
            self.show_error(f"Not saved: {exc}")
            return False
        self.error.clear_error()
        self.accept()
        return True
