"""Every field is reached with Tab in reading order: top to bottom, left to right."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)

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

FIELDS = (QLineEdit, QPlainTextEdit, QComboBox, QAbstractButton, QTableWidget)


def _chain(root: QWidget) -> list[QWidget]:
    """The focusable fields of ``root`` in Tab order, from its first one."""
    fields = [w for w in root.findChildren(QWidget)
              if isinstance(w, FIELDS) and w.isVisible() and w.isEnabled()
              and w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    if not fields:
        return []
    seen: list[QWidget] = []
    w = fields[0]
    for _ in range(2000):
        if w in fields and w not in seen:
            seen.append(w)
        w = w.nextInFocusChain()
        if w is fields[0]:
            break
    return seen


def _out_of_order(root: QWidget, chain: list[QWidget]) -> list[str]:
    """Fields reached after one that lies below them (beyond a row's height)."""
    bad = []
    pos = [(w.mapTo(root, w.rect().topLeft()), w) for w in chain]
    for (a, wa), (b, wb) in zip(pos, pos[1:], strict=False):
        if b.y() < a.y() - 12:  # went back up the form
            bad.append(f"{type(wa).__name__} {wa.accessibleName() or wa.objectName()} "
                       f"@{a.y()} -> {type(wb).__name__} @{b.y()}")
    return bad


def _editors(ctx, sample):
    lot = LotEditor(ctx)
    lot.load(ctx.store.lot(sample.lot_ids[0]))
    yield "lot editor", lot
    visit = VisitEditor(ctx)
    visit.load(ctx.store.visit(sample.overdue_visit.id))
    yield "visit editor", visit
    profile = ProfileForm(ctx)
    profile.load(ctx.store.producer(sample.coop.id))
    yield "producer profile", profile
    for cls in (PersonDialog, PlotDialog, CertificationDialog, CommitmentDialog, ProjectDialog):
        yield cls.__name__, cls(ctx, None, producer_id=sample.coop.id)


def test_tab_goes_through_every_form_in_reading_order(qtbot, ctx, sample):
    problems = {}
    for name, w in _editors(ctx, sample):
        qtbot.addWidget(w)
        w.resize(1000, 3000)  # everything on screen at once: no scrolling in the way
        w.show()
        qtbot.waitExposed(w)
        qtbot.wait(10)  # the order is set once the form is laid out
        chain = _chain(w)
        assert len(chain) >= 4, name
        bad = _out_of_order(w, chain)
        if bad:
            problems[name] = bad
    assert not problems, problems
