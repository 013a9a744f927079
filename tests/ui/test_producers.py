"""The producer list and the producer page, driven as a buyer would."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from roasterdesk.domain.model import ConsentScope, Plot, ProducerKind
from roasterdesk.ui.editors import PersonDialog, PlotDialog
from roasterdesk.ui.models.producers import ProducerFilter, ProducerTableModel

from .conftest import with_modal

# the offscreen platform warns that it cannot resize windows to their size hints
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(
    "propagateSizeHints", "does not support raise", "does not support grabbing the keyboard")]


def producers_page(window):
    page = window.show_page("producer")
    assert window.current_key() == "producer"
    return page


def save_button(dlg):
    return dlg.buttons.button(QDialogButtonBox.StandardButton.Save)


def test_create_a_producer_from_the_list(window, qtbot, ctx):
    page = producers_page(window)
    before = ctx.store.counts()["producers"]
    qtbot.mouseClick(page.list.new_button, Qt.MouseButton.LeftButton)
    form = page.detail.profile
    assert page.detail.title.text() == "New producer"
    qtbot.keyClicks(form.name, "Finca El Paraiso")
    form.kind.set_current(ProducerKind.FARM)
    qtbot.keyClicks(form.country, "co")
    qtbot.keyClicks(form.alt_min, "1700")
    qtbot.keyClicks(form.alt_max, "1950")
    qtbot.keyClicks(form.months, "Apr, May, 11")
    qtbot.keySequence(window, "Ctrl+S")
    assert ctx.store.counts()["producers"] == before + 1
    p = ctx.store.producers("name = ?", ["Finca El Paraiso"])[0]
    assert (p.country, p.altitude_min_m, p.altitude_max_m, p.harvest_months) == (
        "CO", 1700, 1950, (4, 5, 11))
    assert page.detail.title.text() == "Finca El Paraiso"
    assert not form.dirty
    assert page.detail.tabs.isTabEnabled(page.detail.TABS.index("Plots"))
    page.show_list()
    names = [page.list.model.index(r, 0).data() for r in range(page.list.model.rowCount())]
    assert "Finca El Paraiso" in names


@pytest.mark.parametrize("field, text, message", [
    ("country", "C1", "two-letter ISO code"),
    ("alt_min", "high", "is not a whole number"),
    ("alt_max", "9000", "9000 is outside -500–6000"),
    ("total_area", "-3", "at least 0"),
    ("months", "Smarch", "not a month"),
])
def test_bad_profile_input_shows_a_message_and_saves_nothing(window, qtbot, ctx, sample,
                                                             field, text, message):
    page = producers_page(window)
    page.open_record(sample.coop.id)
    form = page.detail.profile
    w = form.fields[field]
    w.clear()
    qtbot.keyClicks(w, text)
    assert form.dirty
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.error.isVisible()
    assert message in form.error.text()
    assert w.property("invalid") is True
    assert ctx.store.producer(sample.coop.id) == sample.coop  # nothing written
    assert form.dirty  # what was typed is still there
    assert w.text() == text


def test_empty_name_is_refused(window, qtbot, ctx, sample):
    page = producers_page(window)
    page.open_record(sample.farm.id)
    form = page.detail.profile
    form.name.clear()
    qtbot.keyClicks(form.name, "   ")
    form.save()
    assert "Name" in form.error.text()
    assert ctx.store.producer(sample.farm.id).name == "Sítio Boa Vista"


def test_add_a_plot_and_a_person_with_consent_through_the_tabs(window, qtbot, ctx, sample):
    page = producers_page(window)
    page.open_record(sample.farm.id)
    detail = page.detail
    detail.tabs.setCurrentIndex(detail.TABS.index("Plots"))
    plots_tab = detail.plots
    assert plots_tab.model.rowCount() == 0

    def fill_plot(dlg):
        assert isinstance(dlg, PlotDialog)
        qtbot.keyClicks(dlg.name, "Talhao Alto")
        dlg.coords.setPlainText("-21.5500, -45.4400\n-21.5500, -45.4380\n"  # pasted
                                "-21.5520, -45.4380\n-21.5520, -45.4400")
        assert "4 corners" in dlg.geo_info.text() and "ha" in dlg.geo_info.text()
        qtbot.keyClicks(dlg.shade, "35")
        qtbot.mouseClick(save_button(dlg), Qt.MouseButton.LeftButton)

    with_modal(qtbot, lambda: qtbot.mouseClick(plots_tab.buttons["add"],
                                               Qt.MouseButton.LeftButton), fill_plot)
    plots = ctx.store.plots(sample.farm.id)
    assert [p.name for p in plots] == ["Talhao Alto"]
    plot = plots[0]
    assert plot.geometry["type"] == "Polygon"
    assert plot.geometry["coordinates"][0][0] == [-45.44, -21.55]  # longitude first
    assert Decimal("4.5") < plot.area_ha < Decimal("5.2")  # computed from the outline
    assert plots_tab.model.rowCount() == 1
    assert [p.name for p in plots_tab.map.plots] == ["Talhao Alto"]
    img = plots_tab.map.grab()
    assert not img.isNull()

    detail.tabs.setCurrentIndex(detail.TABS.index("People"))
    people_tab = detail.people

    def fill_person(dlg):
        assert isinstance(dlg, PersonDialog)
        qtbot.keyClicks(dlg.name, "Joao Silva")
        dlg.consent.setChecked(True)
        qtbot.keyClicks(dlg.given_on, "2025-06-01")
        dlg.scope_boxes[ConsentScope.NAME].setChecked(True)
        dlg.scope_boxes[ConsentScope.PHOTO].setChecked(True)
        qtbot.mouseClick(save_button(dlg), Qt.MouseButton.LeftButton)

    with_modal(qtbot, lambda: qtbot.mouseClick(people_tab.buttons["add"],
                                               Qt.MouseButton.LeftButton), fill_person)
    (person,) = ctx.store.people(sample.farm.id)
    assert person.name == "Joao Silva"
    assert person.may_appear(ConsentScope.PHOTO, date(2025, 7, 1))
    assert not person.may_appear(ConsentScope.QUOTE, date(2025, 7, 1))
    shown = people_tab.model.index(0, 2).data()
    assert shown == "name, photo (since 2025-06-01)"


def test_undo_and_redo_the_last_edit(window, qtbot, ctx, sample):
    page = producers_page(window)
    page.open_record(sample.coop.id)
    form = page.detail.profile
    form.region.clear()
    qtbot.keyClicks(form.region, "Cauca")
    qtbot.keySequence(window, "Ctrl+S")
    assert ctx.store.producer(sample.coop.id).region == "Cauca"
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert ctx.store.producer(sample.coop.id).region == "Huila"
    assert form.region.text() == "Huila"  # the page shows the restored record
    window.redo_action.trigger()
    assert ctx.store.producer(sample.coop.id).region == "Cauca"


def test_undo_removes_an_added_plot_and_redo_brings_it_back(window, ctx, sample):
    page = producers_page(window)
    page.open_record(sample.farm.id)
    dlg = PlotDialog(ctx, None, page, producer_id=sample.farm.id)
    dlg.name.setText("Baixada")
    dlg.coords.setPlainText("-21.55, -45.44")
    assert dlg.try_save()
    assert [p.name for p in ctx.store.plots(sample.farm.id)] == ["Baixada"]
    window.undo_action.trigger()
    assert ctx.store.plots(sample.farm.id) == []
    window.redo_action.trigger()
    assert [p.name for p in ctx.store.plots(sample.farm.id)] == ["Baixada"]


def test_delete_asks_and_undo_restores(window, qtbot, ctx, sample, monkeypatch):
    page = producers_page(window)
    page.open_record(sample.coop.id)
    detail = page.detail
    detail.tabs.setCurrentIndex(detail.TABS.index("People"))
    detail.people.view.selectRow(1)
    assert detail.people.current().name == "Luis Ortega"
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(detail.people.buttons["delete"], Qt.MouseButton.LeftButton)
    assert [p.name for p in ctx.store.people(sample.coop.id)] == ["Ana María Rojas"]
    window.undo_action.trigger()
    assert [p.name for p in ctx.store.people(sample.coop.id)] == ["Ana María Rojas",
                                                                   "Luis Ortega"]


def test_unsaved_changes_guard(window, qtbot, ctx, sample, monkeypatch):
    page = producers_page(window)
    page.open_record(sample.coop.id)
    form = page.detail.profile
    qtbot.keyClicks(form.notes, "Met the new board.")
    answers = [QMessageBox.StandardButton.Cancel]
    monkeypatch.setattr(QMessageBox, "exec", lambda self: answers.pop(0))
    window.show_page("overview")
    assert window.current_key() == "producer"  # Cancel keeps the edit on screen
    assert form.notes.toPlainText() == "Met the new board."
    answers.append(QMessageBox.StandardButton.Save)
    window.show_page("overview")
    assert window.current_key() == "overview"
    assert ctx.store.producer(sample.coop.id).notes == "Met the new board."


def test_filters_narrow_the_list(window, qtbot, ctx, sample):
    page = producers_page(window)
    lst = page.list

    def names():
        return sorted(lst.model.index(r, 0).data() for r in range(lst.model.rowCount()))

    assert len(names()) == 3
    lst.country.setCurrentIndex(lst.country.findData("ET"))
    assert names() == ["Chelchele Washing Station"]
    lst.country.setCurrentIndex(0)
    lst.kind.setCurrentIndex(lst.kind.findData(ProducerKind.COOPERATIVE.value))
    assert names() == ["Cooperativa Los Andes"]
    lst.kind.setCurrentIndex(lst.kind.findData(""))  # kind not recorded: none of these
    assert names() == []
    lst.kind.setCurrentIndex(0)
    lst.scheme.setCurrentIndex(lst.scheme.findData("Organic (EU)"))
    assert names() == ["Chelchele Washing Station"]
    lst.scheme.setCurrentIndex(0)
    lst.harvest.setCurrentIndex(lst.harvest.findData(sample_harvest(ctx, sample)))
    assert names() == ["Cooperativa Los Andes"]
    lst.harvest.setCurrentIndex(0)
    qtbot.keyClicks(lst.search, "minas")  # region, accents folded, prefix
    qtbot.waitUntil(lambda: names() == ["Sítio Boa Vista"], timeout=2000)
    assert lst.count.text() == "1 of 3 producers"


def sample_harvest(ctx, sample):
    return ctx.store.lot(sample.lot_ids[0]).harvest


def test_sorting_happens_in_sql(ctx, sample, qtmodeltester):
    model = ProducerTableModel(ctx)
    qtmodeltester.check(model)
    model.sort(6, Qt.SortOrder.DescendingOrder)  # lots
    assert model.index(0, 0).data() == "Cooperativa Los Andes"
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "Sítio Boa Vista"
    qtmodeltester.check(model)


def test_the_list_fetches_lazily(ctx, store, qtmodeltester):
    from roasterdesk.domain.model import Producer

    with store.transaction():
        for n in range(450):
            store.save_producer(Producer(f"Farm {n:03d}", ProducerKind.FARM, "PE"))
    model = ProducerTableModel(ctx)
    assert model.total == 453
    assert model.rowCount() == model.page_size  # first page only
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * model.page_size
    model.set_filter(ProducerFilter(country="PE", text="farm 44"))
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        f"Farm {n}" for n in range(440, 450)]
    qtmodeltester.check(model)


def test_plot_map_draws_points_and_outlines(qtbot, ctx, sample):
    from roasterdesk.ui.plotmap import PlotMap

    m = PlotMap()
    qtbot.addWidget(m)
    m.resize(500, 400)
    plots = ctx.store.plots(sample.coop.id)
    m.set_plots([*plots, Plot(sample.coop.id, "No coordinates")])
    assert [p.name for p in m.plots] == ["El Mirador", "La Loma"]
    w, s, e, n = m.bounds()
    assert w < -76.05 and e > -76.046 and s < 1.85 and n > 1.854
    image = m.grab().toImage()
    brown = sum(1 for x in range(0, 500, 4) for y in range(0, 400, 4)
                if image.pixelColor(x, y).red() < 150 and image.pixelColor(x, y).blue() < 100)
    assert brown > 10  # the plots were drawn


def test_the_plot_map_draws_the_plots_on_their_country(qtbot, ctx, sample):
    from roasterdesk.ui.plotmap import PlotMap
    from roasterdesk.ui.worldmap import ORIGIN, borders_ready

    m = PlotMap()
    qtbot.addWidget(m)
    m.resize(500, 400)
    m.set_plots(ctx.store.plots(sample.coop.id), "CO")
    m.grab()
    qtbot.waitUntil(borders_ready, timeout=20000)
    image = m.grab().toImage()
    assert list(m.country_paths) == ["CO"]  # 400 m of Huila: only Colombia is in view
    for _i, shape in m._shapes:
        assert m.country_paths["CO"].contains(shape.boundingRect().center())
    corner = image.pixelColor(70, 20)  # inside the plot area, away from the plots
    assert abs(corner.red() - ORIGIN.red()) < 8 and abs(corner.blue() - ORIGIN.blue()) < 8


def test_history_tab_charts_by_harvest(window, ctx, sample):
    page = producers_page(window)
    page.open_record(sample.coop.id)
    page.detail.tabs.setCurrentIndex(page.detail.TABS.index("History"))
    hist = page.detail.history
    assert [p.harvest for p in hist.points] == sorted(ctx.store.lot(i).harvest
                                                       for i in sample.lot_ids[:3])
    assert hist.points[-1].fob_usd_lb == Decimal("4.75")
    assert len(hist.views) == 3
    price = hist.views[0].chart()
    assert [s.name() for s in price.series()] == ["FOB", "C price", "Farm gate"]
    assert price.series()[0].count() == 3


def test_next_and_previous_record(window, qtbot, sample):
    page = producers_page(window)
    page.open_record(sample.station.id)  # list order: Chelchele, Cooperativa, Sítio
    qtbot.keySequence(window, "Alt+Down")
    assert page.detail.producer_id == sample.coop.id
    qtbot.keySequence(window, "Ctrl+PgDown")
    assert page.detail.producer_id == sample.farm.id
    qtbot.keySequence(window, "Alt+Up")
    assert page.detail.producer_id == sample.coop.id


def test_certification_expiry_is_shown(window, ctx, sample):
    page = producers_page(window)
    page.open_record(sample.coop.id)
    page.detail.tabs.setCurrentIndex(page.detail.TABS.index("Certifications"))
    model = page.detail.certifications.model
    assert model.index(0, 0).data() == "Fairtrade"
    assert model.index(0, 4).data() == (date.today() + timedelta(days=30)).isoformat()
    assert model.index(0, 5).data() == "yes"


def test_lots_tab_shows_the_price_chain_figures(window, sample):
    page = producers_page(window)
    page.open_record(sample.coop.id)
    page.detail.tabs.setCurrentIndex(page.detail.TABS.index("Lots"))
    model = page.detail.lots.model
    assert model.rowCount() == 3
    newest = [model.index(0, c).data() for c in range(model.columnCount())]
    # the worked example of docs/domain.md: FOB 4.75, C 3.70 here, farm gate 3.0901 USD/lb green
    assert newest[3:] == ["1,400", "86.75", "4.7500", "+1.0500", "65.1 %", newest[8]]
    assert newest[8].endswith("of 12") or newest[8].endswith("of 13")


def test_new_visit_and_lot_start_from_the_producer(window, qtbot, sample):
    page = producers_page(window)
    page.open_record(sample.farm.id)
    page.detail.tabs.setCurrentIndex(page.detail.TABS.index("Visits"))
    qtbot.mouseClick(page.detail.visits.buttons["new"], Qt.MouseButton.LeftButton)
    assert window.current_key() == "visit"
    visits = window.page("visit")
    assert visits.editor.producer.text().startswith("Sítio Boa Vista")
    window.show_page("producer")
    page.detail.tabs.setCurrentIndex(page.detail.TABS.index("Lots"))
    qtbot.mouseClick(page.detail.lots.buttons["new"], Qt.MouseButton.LeftButton)
    assert window.current_key() == "lot"


def test_undoing_a_new_producer_removes_it_and_returns_to_the_list(window, qtbot, ctx):
    page = producers_page(window)
    page.new_record()
    form = page.detail.profile
    qtbot.keyClicks(form.name, "Finca Nueva")
    qtbot.keyClicks(form.country, "PE")
    assert form.save()
    assert ctx.store.producers("name = ?", ["Finca Nueva"])
    window.undo_action.trigger()
    assert ctx.store.producers("name = ?", ["Finca Nueva"]) == []
    assert page.stack.currentWidget() is page.list
    window.redo_action.trigger()
    (again,) = ctx.store.producers("name = ?", ["Finca Nueva"])
    assert again.country == "PE"


def test_a_producer_kind_not_recorded_round_trips_and_is_filtered(window, qtbot, ctx, sample):
    from dataclasses import replace

    page = producers_page(window)
    coop = ctx.store.producers("name = ?", ["Cooperativa Los Andes"])[0]
    ctx.store.save_producer(replace(coop, kind=None))
    page.list.refresh()
    page.list.kind.setCurrentIndex(page.list.kind.findData(""))
    lst = page.list
    qtbot.waitUntil(lambda: lst.model.rowCount() == 1, timeout=2000)
    assert lst.model.index(0, 0).data() == "Cooperativa Los Andes"
    assert lst.model.index(0, 1).data() == "not recorded"
    page.open_record(coop.id)
    form = page.detail.profile
    assert form.kind.currentText() == "Not recorded"
    assert "Kind not recorded" in page.detail.subtitle.text()
    qtbot.keyClicks(form.name, " 2")
    qtbot.keySequence(window, "Ctrl+S")
    saved = ctx.store.producer(coop.id)
    assert saved.name == "Cooperativa Los Andes 2" and saved.kind is None
    form.kind.set_current(ProducerKind.ESTATE)
    qtbot.keySequence(window, "Ctrl+S")
    assert ctx.store.producer(coop.id).kind is ProducerKind.ESTATE
    page.detail.show_producer(None)  # a new producer: no kind is chosen for the buyer
    assert form.kind.currentText() == "Not recorded"
