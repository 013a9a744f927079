"""The app-wide rule that a control changes only when the user means it.

A wheel notch over a dropdown or a spin box that does not have the keyboard focus scrolls the
page instead of changing the value (a buyer scrolling a long form must not edit it). Such
controls also stop taking the focus from the wheel. One event filter on the application does
this for every form; :func:`install` is idempotent and cheap, and every editor calls it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)

_GUARDED = (QComboBox, QAbstractSpinBox)


def _control(obj: QObject) -> QWidget | None:
    """The dropdown or spin box *obj* is, or is inside of (a spin box's line edit)."""
    w = obj if isinstance(obj, QWidget) else None
    for _ in range(3):
        if w is None:
            return None
        if isinstance(w, _GUARDED):
            return w
        w = w.parentWidget()
    return None


def _scroll_area(w: QWidget) -> QAbstractScrollArea | None:
    p = w.parentWidget()
    while p is not None and not isinstance(p, QAbstractScrollArea):
        p = p.parentWidget()
    return p


class WheelGuard(QObject):
    """Passes wheel events over an unfocused dropdown or spin box on to the page."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(obj, _GUARDED):
            obj.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel gives no focus
        elif kind == QEvent.Type.Wheel:
            control = _control(obj)
            if control is not None and not control.hasFocus():
                # The control never sees it; the area around it (the page) scrolls.
                area = _scroll_area(control)
                if area is not None:
                    QApplication.sendEvent(area.viewport(), event)
                return True
        return False


_guard: WheelGuard | None = None


def install(app: QApplication | None = None) -> WheelGuard | None:
    """Install the guard on the application once; returns it (None without an application)."""
    global _guard
    app = app or QApplication.instance()  # type: ignore[assignment]
    if app is None:
        return None
    if _guard is None or _guard.parent() is not app:
        _guard = WheelGuard(app)
        app.installEventFilter(_guard)
    return _guard
