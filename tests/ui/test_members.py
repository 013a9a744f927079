"""A cooperative's member farms on its page, and a member's link back to its cooperative."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from roasterdesk.domain.model import Lot, LotStatus, Producer, ProducerKind

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def members(ctx, sample):
    store = ctx.store
    alta = store.save_producer(Producer(
        "Finca La Alta", ProducerKind.FARM, "CO", region="Huila", altitude_min_m=1700,
        altitude_max_m=1850, parent_id=sample.coop.id))
    baja = store.save_producer(Producer(
        "Finca La Baja", ProducerKind.FARM, "CO", region="Cauca", altitude_min_m=1450,
        altitude_max_m=1450, parent_id=sample.coop.id))
    for code, status in (("CO-A-1", LotStatus.ARRIVED), ("CO-A-2", LotStatus.CONTRACTED),
                         ("CO-A-3", LotStatus.OFFER), ("CO-A-4", LotStatus.CANCELLED)):
        store.save_lot(Lot(code, alta.id, 2024, weight_kg=Decimal("600"), status=status))
    return alta, baja


def double_click(qtbot, widget, pos):
    """Press, release, then the double-click event, as a real double-click delivers them."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    gpos = QPointF(widget.mapToGlobal(pos))
    event = QMouseEvent(QEvent.Type.MouseButtonDblClick, QPointF(pos), gpos,
                        Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def member_rows(tab):
    m = tab.model
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def open_members(window, coop_id):
    page = window.show_page("producer")
    page.open_record(coop_id)
    detail = page.detail
    detail.tabs.setCurrentIndex(detail.TABS.index("Members"))
    return page, detail.tab("Members")


def test_a_cooperative_lists_its_members(window, sample, members):
    page, tab = open_members(window, sample.coop.id)
    assert page.detail.tabs.isTabVisible(page.detail.TABS.index("Members"))
    # offers and cancelled lots are not bought
    assert member_rows(tab) == [
        ["Finca La Alta", "farm", "Huila", "1,700–1,850 masl", "2"],
        ["Finca La Baja", "farm", "Cauca", "1,450 masl", "0"],
    ]
    window.resize(1100, 700)
    tab.view.selectRow(0)
    page.detail.grab().save("/tmp/shots/members.png")


def test_enter_and_double_click_open_the_member(window, qtbot, sample, members):
    alta, baja = members
    page, tab = open_members(window, sample.coop.id)
    tab.view.setFocus()
    tab.view.selectRow(1)
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    assert page.detail.producer_id == baja.id
    assert page.detail.title.text() == "Finca La Baja"
    page, tab = open_members(window, sample.coop.id)
    idx = tab.model.index(0, 0)
    rect = tab.view.visualRect(idx)
    double_click(qtbot, tab.view.viewport(), rect.center())
    assert page.detail.producer_id == alta.id


def test_a_member_links_to_its_cooperative(window, qtbot, sample, members):
    alta, _ = members
    page = window.show_page("producer")
    page.open_record(alta.id)
    form = page.detail.profile
    # a farm has no members tab
    assert not page.detail.tabs.isTabVisible(page.detail.TABS.index("Members"))
    assert form.parent_link.isVisible()
    assert "Open Cooperativa Los Andes" in form.parent_link.text()
    form.grab().save("/tmp/shots/member_profile.png")
    form.parent_link.linkActivated.emit(str(sample.coop.id))
    assert page.detail.producer_id == sample.coop.id
    assert page.detail.title.text() == "Cooperativa Los Andes"
    # the cooperative itself belongs to nobody: no link
    assert not page.detail.profile.parent_link.isVisible()


def test_members_follow_an_edit_of_member_of(window, ctx, sample, members):
    _, baja = members
    ctx.store.save_producer(replace(baja, parent_id=sample.station.id))
    _, tab = open_members(window, sample.coop.id)
    assert [r[0] for r in member_rows(tab)] == ["Finca La Alta"]
    _, tab = open_members(window, sample.station.id)
    assert [r[0] for r in member_rows(tab)] == ["Finca La Baja"]
