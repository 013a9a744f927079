"""Text that used to be cut at 1280×800: column titles under the sort arrow, the visit date
filters, observation notes and the premium table's titles."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from PySide6.QtGui import QFontMetrics

from roasterdesk.domain.model import Premium, PremiumBasis, PremiumType
from roasterdesk.ui.style import SORT_ROOM

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _bold(widget) -> QFontMetrics:
    f = widget.font()
    f.setBold(True)
    return QFontMetrics(f)


def _titles_fit(view, room: int) -> list[str]:
    """Column titles that do not fit their column with ``room`` px to spare."""
    hh = view.horizontalHeader()
    model = view.model()
    fm = _bold(hh)
    cut = []
    for c in range(model.columnCount()):
        if hh.isSectionHidden(c):
            continue
        title = str(model.headerData(c, hh.orientation()))
        if fm.horizontalAdvance(title) + 16 + room > hh.sectionSize(c):
            cut.append(title)
    return cut


@pytest.fixture
def styled(qapp):
    """The app's own look (the tests otherwise run on Qt's default one)."""
    from roasterdesk.ui.style import apply_style

    old = qapp.palette(), qapp.styleSheet(), qapp.style().name()
    apply_style(qapp)
    yield qapp
    qapp.setStyleSheet(old[1])
    qapp.setStyle(old[2])
    qapp.setPalette(old[0])


@pytest.fixture
def small(styled, window):
    window.resize(1280, 800)
    return window


def test_the_sort_arrow_leaves_every_lot_column_title_whole(small, qtbot):
    page = small.show_page("lot")
    qtbot.wait(20)
    assert _titles_fit(page.table, SORT_ROOM) == []
    page.table.sortByColumn(3, page.table.horizontalHeader().sortIndicatorOrder())
    assert page.model.headerData(3, page.table.horizontalHeader().orientation()) == "Harvest"


def test_the_visit_date_filters_show_their_whole_hint(small, qtbot):
    page = small.show_page("visit")
    qtbot.wait(20)
    for w in (page.date_from, page.date_to):
        need = w.fontMetrics().horizontalAdvance(w.placeholderText()) + 12
        assert w.width() >= need, w.placeholderText()


def test_observation_notes_have_room(small, qtbot, ctx, sample):
    page = small.show_page("visit")
    page.editor.load(ctx.store.visit(sample.overdue_visit.id))
    qtbot.wait(20)
    for topic, note in page.editor.obs_note.items():
        assert note.width() >= 180, topic
    note = next(iter(page.editor.obs_note.values()))
    note.setText("60% guamo shade over the upper plots")
    assert note.toolTip() == "60% guamo shade over the upper plots"


def test_the_premium_table_titles_are_whole(small, qtbot, ctx, sample):
    lot = ctx.store.lot(sample.lot_ids[0])
    from dataclasses import replace

    lot = ctx.store.save_lot(replace(lot, premiums=(
        Premium(PremiumType.RELATIONSHIP, PremiumBasis.PER_KG, D("0.20"),
                paid_to="Cooperativa Los Andes"),
        Premium(PremiumType.SOCIAL, PremiumBasis.PER_LOT, D("4420"),
                paid_to="community of the members"))))
    small.open_record("lot", lot.id)
    page = small.page("lot")
    qtbot.wait(20)
    table = page.editor.premiums
    assert table.rowCount() == 2
    fm = _bold(table.horizontalHeader())
    hh = table.horizontalHeader()
    for c in range(table.columnCount()):
        title = table.horizontalHeaderItem(c).text()
        assert fm.horizontalAdvance(title) + 16 <= hh.sectionSize(c), title
    assert table.cellWidget(1, 0).currentText() in ("Relationship", "Social")


def test_counts_say_1_harvest_and_1_lot(qtbot, ctx, sample):
    """The one plural helper in the Pledge table and the EUDR file summary."""
    from PySide6.QtCore import QDate

    from roasterdesk.ui.dialogs.data_io import GeoJsonDialog, PledgeDialog

    dlg = PledgeDialog(ctx)
    qtbot.addWidget(dlg)
    harvests = ctx.store.harvests()
    dlg.start.setDate(QDate(harvests[0] - 1, 1, 1))
    dlg.end.setDate(QDate(harvests[-1] + 1, 12, 31))
    texts = [dlg.table.item(r, c).text() for r in range(dlg.table.rowCount())
             for c in range(dlg.table.columnCount()) if dlg.table.item(r, c)]
    assert any(t.startswith("1 harvest (since") for t in texts)
    assert not any(t.startswith("1 harvests") for t in texts)
    geo = GeoJsonDialog(ctx)
    qtbot.addWidget(geo)
    geo.codes.setText(f"ET-{harvests[-1] % 100}-001")
    geo.validate()
    assert geo.summary.text().startswith("1 lot, ")


def test_every_figure_of_the_price_panel_is_whole(small, qtbot, ctx, sample):
    """A figure's words ("needs farm gate and FOB", the farm gate's conversion) wrap inside
    their row rather than being cut."""
    from PySide6.QtCore import QRect, Qt

    from roasterdesk.domain.model import Lot

    lot = ctx.store.save_lot(Lot("CO-XX-001", sample.coop.id, 2025, weight_kg=D("1000")))
    small.open_record("lot", lot.id)
    page = small.page("lot")
    qtbot.wait(20)
    fig = page.editor.fig
    assert fig["share"].text() == "needs farm gate and FOB"
    page.editor.load(ctx.store.lot(sample.lot_ids[0]))  # with a farm gate and its conversion
    qtbot.wait(20)
    for key, label in fig.items():
        if not label.isVisible():
            continue
        need = label.fontMetrics().boundingRect(QRect(0, 0, label.width(), 10_000),
                                                Qt.TextFlag.TextWordWrap, label.text())
        assert need.width() <= label.width() and need.height() <= label.height() + 2, key


def test_an_empty_producer_tab_says_the_next_step(qtbot, ctx, sample):
    from roasterdesk.ui.views.producer_tabs import CommitmentsTab, PeopleTab, VisitsTab

    for make, text in (
            (lambda: CommitmentsTab(ctx), "No commitments yet. Add one with Add commitment."),
            (lambda: PeopleTab(ctx, ctx.store.people), "No people yet. Add one with Add person."),
            (lambda: VisitsTab(ctx, ctx.store.visits), "No visits yet. Add one with New visit.")):
        tab = make()
        qtbot.addWidget(tab)
        tab.resize(700, 400)
        tab.show()
        tab.load(sample.farm.id)  # the farm has none of them
        qtbot.wait(10)
        assert tab.model.rowCount() == 0
        assert tab.empty.isVisible() and tab.empty.text() == text
        tab.load(sample.coop.id)
        qtbot.wait(10)
        assert not tab.empty.isVisible() or tab.model.rowCount() == 0


def test_a_tabs_hint_stays_on_one_line(qtbot, ctx, sample):
    from roasterdesk.ui.views.producer_tabs import PeopleTab

    tab = PeopleTab(ctx, ctx.store.people, hint="Consent decides who may appear in customer "
                                                 "documents.")
    qtbot.addWidget(tab)
    tab.resize(1000, 400)
    tab.show()
    qtbot.wait(10)
    assert tab.hint.fontMetrics().horizontalAdvance(tab.hint.text()) <= tab.hint.width()
