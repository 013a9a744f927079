"""Tab goes through a form in reading order: top to bottom, then left to right, as the form is
laid out (not in the order its parts were built). Cells of a table are left to the table."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTextEdit,
    QWidget,
)

FIELDS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractButton, QAbstractSpinBox,
          QAbstractItemView)
ROW = 12  # px: fields whose tops are this close share a row


def _in_a_table(w: QWidget, root: QWidget) -> bool:
    parent = w.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


def _scroll_area(w: QWidget, root: QWidget) -> QScrollArea | None:
    parent = w.parentWidget()
    found = None
    while parent is not None and parent is not root:
        if isinstance(parent, QScrollArea):
            found = parent  # the outermost one below root
        parent = parent.parentWidget()
    return found


def reading_order(root: QWidget) -> list[QWidget]:
    """Chain the visible fields of ``root`` for Tab in reading order; returns them."""
    fields = [w for w in root.findChildren(QWidget)
              if isinstance(w, FIELDS) and not isinstance(w, QScrollArea) and w.isVisibleTo(root)
              and w.focusPolicy() & Qt.FocusPolicy.TabFocus and not _in_a_table(w, root)]

    def place(w: QWidget, within: QWidget) -> tuple[int, int]:
        p = w.mapTo(within, QPoint(0, 0))
        return p.y() // ROW, p.x()

    def key(w: QWidget) -> tuple[tuple[int, int], tuple[int, int]]:
        # a field in a scrolling form is placed by where it lies in the form, the form by
        # where its scroll area lies: the buttons under a long form come after all of it
        area = _scroll_area(w, root)
        if area is not None and area.widget() is not None:
            return place(area, root), place(w, area.widget())
        return place(w, root), (0, 0)

    fields.sort(key=key)
    for a, b in zip(fields, fields[1:], strict=False):
        QWidget.setTabOrder(a, b)
    return fields


def order_when_shown(root: QWidget) -> None:
    """Order once the form is laid out (the next turn of the event loop after it shows)."""
    QTimer.singleShot(0, root, lambda: reading_order(root))
