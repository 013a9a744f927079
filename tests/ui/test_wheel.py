"""The app-wide wheel rule: a wheel notch over a dropdown or spin box that has no focus
scrolls the page and never changes the value. Walks every combo and spin box of every editor."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget

from roasterdesk.ui.editors import (
    CertificationDialog,
    CommitmentDialog,
    PersonDialog,
    PlotDialog,
    ProjectDialog,
)
from roasterdesk.ui.views.lot_editor import LotEditor
from roasterdesk.ui.views.producer_detail import ProfileForm
from roasterdesk.ui.views.visit_editor import VisitEditor

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _wheel(w: QWidget, notches: int) -> None:
    pos = QPointF(w.width() / 2, w.height() / 2)
    ev = QWheelEvent(pos, QPointF(w.mapToGlobal(pos.toPoint())), QPoint(0, 0),
                     QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                     Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(w, ev)


def _value(w: QWidget):
    return w.currentIndex() if isinstance(w, QComboBox) else w.text()


def _controls(root: QWidget) -> list[QWidget]:
    found = root.findChildren(QComboBox) + root.findChildren(QAbstractSpinBox)
    return [w for w in found if w.isVisible() and w.isEnabled()]


def _editors(ctx, sample):
    pid = sample.farm.id
    lot = LotEditor(ctx)
    lot.load(ctx.store.lot(sample.lot_ids[0]))
    for _ in range(2):  # table rows with dropdowns of their own
        lot.add_cost()
        lot.add_premium()
    yield "lot editor", lot
    yield "visit editor", VisitEditor(ctx)
    profile = ProfileForm(ctx)
    yield "producer profile", profile
    for dialog in (PersonDialog, PlotDialog, CertificationDialog, CommitmentDialog,
                   ProjectDialog):
        yield dialog.__name__, dialog(ctx, None, producer_id=pid)


def test_the_wheel_never_changes_an_unfocused_dropdown_or_spin_box(qtbot, ctx, sample):
    walked = 0
    for name, editor in _editors(ctx, sample):
        qtbot.addWidget(editor)
        editor.resize(900, 500)
        editor.show()
        qtbot.waitExposed(editor)
        controls = _controls(editor)
        if "Dialog" not in name or name in ("PersonDialog", "CertificationDialog"):
            assert controls, f"{name}: no dropdown found to walk"
        for w in controls:
            w.setCurrentIndex(min(1, w.count() - 1)) if isinstance(w, QComboBox) else None
            before = _value(w)
            for notches in (-1, 1, -3):
                _wheel(w, notches)
            assert _value(w) == before, f"{name}: the wheel changed {w!r}"
            assert w.focusPolicy() == Qt.FocusPolicy.StrongFocus, f"{name}: {w!r} takes focus"
            walked += 1
    assert walked >= 20


def test_the_wheel_scrolls_the_form_and_a_focused_dropdown_still_takes_it(qtbot, ctx, sample):
    ed = LotEditor(ctx)
    qtbot.addWidget(ed)
    ed.resize(700, 400)  # the form is taller than the window: it scrolls
    ed.show()
    qtbot.waitExposed(ed)
    bar = ed._scroll.verticalScrollBar()
    assert bar.maximum() > 0
    combo = ed.w["process"]
    bar.setValue(0)
    before = combo.currentIndex()
    _wheel(combo, -2)
    assert combo.currentIndex() == before
    assert bar.value() > 0  # the page moved instead
    ed.activateWindow()  # a real X11 server gives focus only to the active window
    qtbot.waitActive(ed)
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    _wheel(combo, -1)
    assert combo.currentIndex() != before  # chosen on purpose: the wheel works
