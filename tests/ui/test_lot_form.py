"""The lot form as a buyer lives in it: it stays still while messages come and go, the price
panel keeps its last figures when a field is wrong, and PTBF takes C and the differential."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from PySide6.QtWidgets import QWidget

from roasterdesk.domain.model import (
    ContractType,
    FarmGatePrice,
    Fixation,
    Lot,
    Producer,
    ProducerKind,
)
from roasterdesk.domain.units import Basis
from roasterdesk.ui.context import AppContext
from roasterdesk.ui.settings import Settings
from roasterdesk.ui.views.lot_editor import LotEditor

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


@pytest.fixture
def ctx(qapp, tmp_path):
    c = AppContext.create(tmp_path / "rd.sqlite", settings=Settings(tmp_path / "s.ini"))
    yield c
    c.close()


@pytest.fixture
def coop(ctx):
    return ctx.store.save_producer(Producer("Cooperativa Los Andes", ProducerKind.COOPERATIVE,
                                            "CO"))


@pytest.fixture
def editor(ctx, qtbot):
    ed = LotEditor(ctx)
    qtbot.addWidget(ed)
    ed.resize(1300, 900)
    ed.show()
    qtbot.waitExposed(ed)
    return ed


def _geometry(ed: LotEditor) -> dict[str, tuple[int, int, int, int]]:
    out = {}
    for key, w in ed.w.items():
        top = w.mapTo(ed, w.rect().topLeft())
        out[key] = (top.x(), top.y(), w.width(), w.height())
    return out


def test_the_form_stays_still_when_messages_appear_and_go(ctx, coop, editor, qtbot):
    lot = ctx.store.save_lot(Lot("CO-25-009", coop.id, 2025, bags=20, bag_kg=D(70),
                                 c_cents_lb=D("380"), fob_usd_lb=D("4.75")))
    editor.load(lot)
    qtbot.wait(10)
    before = _geometry(editor)
    fob = editor.fig["fob"].text()
    assert fob.startswith("4.75")
    for key, bad in (("weight_kg", "-5"), ("quality_score", "112"), ("moisture_pct", "45"),
                     ("bags", "2087.5"), ("fg_amount", "2600000")):
        editor.w[key].setText(bad)
        qtbot.wait(10)
        assert editor.errors, key
        assert _geometry(editor) == before, f"the form moved when {key} got a message"
    # the price panel keeps the last valid figures, greyed, and names what blocks them
    assert editor.fig["fob"].text() == fob
    assert not editor.fig["fob"].isEnabled()
    assert "Not current: correct “Weight”" in editor.missing.text()
    for key in ("weight_kg", "quality_score", "moisture_pct", "bags", "fg_amount"):
        editor.w[key].setText("" if key != "bags" else "20")
    qtbot.wait(10)
    assert not editor.errors
    assert _geometry(editor) == before
    assert editor.fig["fob"].isEnabled()


def test_ptbf_takes_c_and_the_differential_without_a_fixation_row(ctx, coop, editor, qtbot):
    editor.new_lot(coop.id)
    editor.w["code"].setText("CO-26-001")
    editor.w["harvest"].setText("2026")
    editor.w["bags"].setText("20")
    editor.w["bag_kg"].setText("70")
    combo = editor.w["contract_type"]
    combo.set_current(ContractType.PTBF)
    assert "fixations" in editor.w["c_cents_lb"].placeholderText()  # hints follow the type
    assert "C + differential" in editor.w["fob_usd_lb"].placeholderText()
    editor.w["contract_date"].setText("2026-02-10")
    editor.w["c_cents_lb"].setText("285.40")
    editor.w["differential_cents_lb"].setText("+95")
    assert editor.fixations.rowCount() == 0
    assert editor.fig["fob"].text() == "3.8040 USD/lb"  # (285.40 + 95) / 100
    assert "one fixation of the whole lot on 2026-02-10" in editor.missing.text()
    assert editor.save()
    saved = ctx.store.lot(editor.lot.id)
    assert [(f.on, f.c_cents_lb, f.volume_kg) for f in saved.fixations] == [
        (date(2026, 2, 10), D("285.40"), None)]
    # a partial fixation stays as it is: C and differential price only what is fixed
    editor.fixations.setRowCount(0)
    editor.add_fixation("2026-03-01", "300", "600")
    assert [f.volume_kg for f in editor.build()[0].fixations] == [D(600)]
    assert "one fixation of the whole lot" not in editor.missing.text()


def test_the_farm_gate_shows_its_outturn_and_conversion(ctx, coop, editor):
    fg = FarmGatePrice(D("2600000"), "COP", "carga", D("125"), Basis.PARCHMENT, D("4100"),
                       kg_per_kg_green=D(94) / D(70))
    lot = ctx.store.save_lot(Lot("CO-25-010", coop.id, 2025, bags=20, bag_kg=D(70),
                                 c_cents_lb=D("380"), fob_usd_lb=D("4.75"), farm_gate=fg))
    editor.load(lot)
    how = editor.fig["farm_gate_how"].text()
    assert "outturn 1.3429 kg" in how and "per kg green" in how
    assert "4,100 COP/USD" in how and "125 kg" in how
    assert isinstance(editor.fig["farm_gate_how"], QWidget)


def test_previous_and_next_wait_for_a_saved_record(ctx, coop, qtbot):
    from roasterdesk.ui.views.producer_detail import ProducerDetail

    d = ProducerDetail(ctx)
    qtbot.addWidget(d)
    d.show_producer(None)  # a new producer
    assert not d.prev_button.isEnabled() and not d.next_button.isEnabled()
    d.show_producer(coop.id)
    assert d.prev_button.isEnabled()
    qtbot.keyClicks(d.profile.name, " 2")  # an unsaved edit
    assert d.profile.dirty
    assert not d.next_button.isEnabled()
    assert "save or revert first" in d.next_button.toolTip()
    # a new producer, once saved, steps like any other (they stayed greyed out)
    d.show_producer(None)
    qtbot.keyClicks(d.profile.name, "Finca Nueva")
    d.profile.country.setText("CO")
    assert d.profile.save()
    assert d.producer_id is not None
    assert d.prev_button.isEnabled() and d.next_button.isEnabled()
    assert "save or revert first" not in d.next_button.toolTip()


def test_a_literal_ampersand_in_a_menu():
    from roasterdesk.ui.window_menus import menu_text

    assert menu_text("Commitments & projects") == "Commitments && projects"


def test_an_empty_list_says_what_to_do_next(ctx, qtbot):
    from roasterdesk.ui.views.lots import LotsPage

    page = LotsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    assert page.empty.isVisible() and "No lots yet" in page.empty.text()
    page.search.setText("nothing")
    qtbot.waitUntil(lambda: "No lot matches" in page.empty.text())


def test_not_recorded_is_an_explicit_choice_for_status_and_contract(ctx, coop, editor):
    from dataclasses import replace

    lot = ctx.store.save_lot(Lot("CO-25-010", coop.id, 2025, bags=20, bag_kg=D(70),
                                 status=None, contract_type=None, fob_usd_lb=D("4.75")))
    editor.load(lot)
    assert editor.w["status"].currentText() == "Not recorded"
    assert editor.w["contract_type"].currentText() == "Not recorded"
    built, errors = editor.build()
    assert not errors and built.status is None and built.contract_type is None
    editor.load(replace(lot, contract_type=ContractType.FIXED))
    assert editor.w["contract_type"].currentText() == "Fixed price"
    editor.w["contract_type"].set_current(None)
    assert editor.build()[0].contract_type is None
    editor.load(None)  # a new lot: nothing chosen for the buyer
    assert editor.w["status"].currentText() == "Not recorded"
    assert editor.w["contract_type"].currentText() == "Not recorded"


def test_not_recorded_process_and_species_round_trip_through_the_editor(ctx, coop, editor):
    from dataclasses import replace

    from roasterdesk.domain.model import Process, Species

    lot = ctx.store.save_lot(Lot("CO-25-011", coop.id, 2025, bags=20, bag_kg=D(70),
                                 process=None, species=None, fob_usd_lb=D("1.97"),
                                 contract_date=date(2025, 3, 10)))
    editor.load(lot)
    assert editor.w["process"].currentText() == "Not recorded"
    assert editor.w["species"].currentText() == "Not recorded"
    built, errors = editor.build()
    assert not errors and (built.process, built.species) == (None, None)
    assert editor.save()
    again = ctx.store.lot(lot.id)
    assert (again.process, again.species) == (None, None)
    # the figures panel says what is not there and why, never an arabica market or a floor
    assert "market price at fixation (species not recorded)" in editor.missing.text()
    assert ("Fairtrade comparison (species and process not recorded; market price at fixation "
            "not recorded)") in editor.missing.text()
    assert editor.fig["fairtrade"].text() == ("depends on the market price at fixation (not "
                                              "recorded)")
    # Colombia has a living-income reference; which one depends on the species
    assert editor.fig["living_income"].text() == "not recorded (species not recorded)"
    editor.load(replace(again, process=Process.NATURAL, species=Species.ROBUSTA))
    assert editor.w["process"].currentText() == "Natural"
    editor.w["process"].set_current(None)
    assert editor.build()[0].process is None and editor.build()[0].species is Species.ROBUSTA
    # a new lot by hand starts "not recorded": the buyer chooses, nothing is chosen for them
    editor.new_lot(coop.id)
    assert editor.w["process"].currentText() == "Not recorded"
    assert editor.w["species"].currentText() == "Not recorded"


def test_organic_not_recorded_round_trips_through_the_editor(ctx, coop, editor, qtbot):
    """Organic is a choice of three: Not recorded (first), Organic, Conventional; a lot whose
    organic status is not recorded is compared with both Fairtrade floors, and a new lot
    starts there."""
    from dataclasses import replace

    lot = ctx.store.save_lot(Lot("CO-25-012", coop.id, 2025, bags=20, bag_kg=D(70),
                                 organic=None, c_cents_lb=D(150), fob_usd_lb=D("2.10")))
    editor.load(lot)
    combo = editor.w["organic"]
    assert [combo.itemText(i) for i in range(combo.count())] == \
        ["Not recorded", "Organic", "Conventional"]
    assert combo.currentText() == "Not recorded"
    built, errors = editor.build()
    assert not errors and built.organic is None
    assert editor.save()
    assert ctx.store.lot(lot.id).organic is None
    # washed arabica at C 1.50: 2.10 lies between 2.00 (conventional) and 2.40 (organic)
    assert "Fairtrade comparison (organic status not recorded)" in editor.missing.text()
    assert editor.fig["fairtrade"].text() == "not recorded (organic status not recorded)"
    assert editor.fig["living_income"].text() == "not recorded (organic status not recorded)"
    combo.setCurrentIndex(combo.findText("Conventional"))
    assert editor.save()
    assert ctx.store.lot(lot.id).organic is False
    assert "FOB is 0.1000 USD/lb above" in editor.fig["fairtrade"].text()
    combo.setCurrentIndex(combo.findText("Organic"))
    assert editor.save()
    assert ctx.store.lot(lot.id).organic is True
    editor.load(replace(ctx.store.lot(lot.id), organic=False))
    assert combo.currentText() == "Conventional"
    combo.setCurrentIndex(0)
    assert editor.save()
    assert ctx.store.lot(lot.id).organic is None
    editor.new_lot(coop.id)
    assert editor.w["organic"].currentText() == "Not recorded"


def test_a_members_group_of_any_kind_stays_when_the_member_is_edited(ctx, qtbot):
    """A member imported under a group whose kind is not recorded: the 'Member of' choice
    shows that group, and saving another edit keeps the membership (it was dropped to '—')."""
    from roasterdesk.domain.model import Producer
    from roasterdesk.ui.views.producer_detail import ProducerDetail

    group = ctx.store.save_producer(Producer("Asociación sin tipo", None, "PE"))
    farm = ctx.store.save_producer(Producer("Finca del socio", None, "PE", parent_id=group.id))
    d = ProducerDetail(ctx)
    qtbot.addWidget(d)
    d.show_producer(farm.id)
    assert d.profile.parent_box.currentText() == "Asociación sin tipo"
    qtbot.keyClicks(d.profile.region, "Cajamarca")
    assert d.profile.save()
    assert ctx.store.producer(farm.id).parent_id == group.id


def test_the_lot_list_says_not_recorded_in_full(ctx, qtbot):
    from roasterdesk.domain.words import NOT_RECORDED
    from roasterdesk.ui.models.lots import LOT_COLUMNS
    from roasterdesk.ui.views.lots import LotsPage

    page = LotsPage(ctx)
    qtbot.addWidget(page)
    need = page.table.fontMetrics().horizontalAdvance(NOT_RECORDED)
    said = [c for c, col in enumerate(LOT_COLUMNS) if col.show(None) == NOT_RECORDED]
    assert {LOT_COLUMNS[c].header for c in said} >= {"Score", "Weight kg", "Process"}
    assert all(page.table.columnWidth(c) > need for c in said)


def test_a_ptbf_lot_fixed_in_part_shows_no_fob_and_says_what_is_fixed(ctx, coop, editor):
    """700 of 2,100 kg fixed: the panel printed FOB 4.8000 USD/lb and a FOB value of
    USD 22,222.60 for the whole lot, 1,400 kg of which had no price yet."""
    lot = ctx.store.save_lot(Lot(
        "CO-25-020", coop.id, 2025, weight_kg=D(2100), contract_type=ContractType.PTBF,
        differential_cents_lb=D(80), fixations=(Fixation(date(2025, 5, 2), D("400.00"), D(700)),)))
    editor.load(lot)
    assert editor.fig["fob"].text() == ("not recorded — 700 of 2,100 kg fixed (at 4.80 USD/lb); "
                                        "1,400 kg not fixed yet")
    why = "not recorded (price of 1,400 kg not fixed yet)"
    for key in ("c", "premium", "premium_pct", "fairtrade"):
        assert editor.fig[key].text() == why, key
    assert editor.fig["fob_value"].text() == "—"
    assert "FOB price (price of 1,400 kg not fixed yet)" in editor.missing.text()
    # the rest fixed (a fixation without a volume): priced as before
    editor.add_fixation("2025-06-02", "300")
    assert editor.fig["fob"].text() == "4.1333 USD/lb"  # (400 × 700 + 300 × 1,400) / 2,100 + 80


def test_an_imported_ptbf_c_without_a_fixation_is_not_fixed_by_opening_the_lot(ctx, coop, editor):
    """An import's PTBF row with C 380.00, +95 and FOB 4.75 but no fixation: the panel keeps the
    FOB as recorded, computes nothing from the unfixed C, and saving does not fix it."""
    lot = ctx.store.save_lot(Lot(
        "CO-25-021", coop.id, 2025, weight_kg=D(1400), contract_type=ContractType.PTBF,
        contract_date=date(2025, 3, 14), c_cents_lb=D("380.00"), differential_cents_lb=D(95),
        fob_usd_lb=D("4.75")))
    editor.load(lot)
    assert editor.fig["c"].text() == "not recorded (C not fixed yet)"
    assert editor.fig["fob"].text() == "4.7500 USD/lb (as recorded; C not fixed yet)"
    assert editor.fig["premium_pct"].text() == "not recorded (C not fixed yet)"  # was 25.0 %
    assert editor.fig["fairtrade"].text() == "not recorded (C not fixed yet)"
    assert "380.00 ¢/lb is recorded without a fixation" in editor.missing.text()
    assert editor.build()[0].fixations == ()
    # a C typed anew on the PTBF contract is one fixation of the whole lot, said so
    editor.w["fob_usd_lb"].setText("")
    editor.w["c_cents_lb"].setText("385")
    assert [f.c_cents_lb for f in editor.build()[0].fixations] == [D(385)]
    assert "one fixation of the whole lot on 2025-03-14" in editor.missing.text()


def _new(editor, coop, **texts):
    editor.new_lot(coop.id)
    for key, text in {"code": "CO-26-009", "harvest": "2026", **texts}.items():
        editor.w[key].setText(text)


def test_an_fob_the_import_would_question_is_shown_and_asked_about_before_saving(
        ctx, coop, editor, monkeypatch):
    """410 typed as an FOB (cents read as dollars) was saved without a word; now the panel says
    what to check and Save asks, Cancel by default (the import warns the same)."""
    _new(editor, coop, weight_kg="1380", c_cents_lb="380", fob_usd_lb="410")
    editor.w["contract_type"].set_current(ContractType.FIXED)
    assert not editor.errors
    assert ("Check: FOB price: FOB 410.00 USD/lb is unusual (an auction lot's, or a price in "
            "US cents per lb: 4.1000 USD/lb?)") in editor.missing.text()
    asked = []
    monkeypatch.setattr(editor, "confirm_save", lambda said: asked.append(said) or False)
    before = ctx.store.counts()["lots"]
    assert not editor.save() and ctx.store.counts()["lots"] == before
    assert asked and asked[0][0].startswith("FOB price: FOB 410.00 USD/lb")
    editor.w["fob_usd_lb"].setText("4.10")  # corrected: nothing to ask
    monkeypatch.setattr(editor, "confirm_save", lambda said: pytest.fail(f"asked: {said}"))
    assert editor.save() and ctx.store.counts()["lots"] == before + 1


def test_an_fob_typed_beside_fixations_that_price_the_lot_otherwise_is_asked_about(
        ctx, coop, editor, monkeypatch):
    """A PTBF lot fixed at 380.00 + 95 is priced 4.75 USD/lb: a FOB of 4.10 typed beside it was
    saved and dropped without a word (the window compared only the C typed on the lot, which a
    fixation leaves empty). The panel says which price the lot has, and Save asks."""
    _new(editor, coop, weight_kg="1400", differential_cents_lb="+95", fob_usd_lb="4.10")
    editor.w["contract_type"].set_current(ContractType.PTBF)
    editor.add_fixation("2026-03-14", "380.00")
    assert not editor.errors
    assert editor.fig["fob"].text().startswith("4.7500 USD/lb")
    assert ("Check: C 380 + differential +95 = 475 ¢/lb but FOB 4.1000 USD/lb is 410.00 ¢/lb: "
            "one of the three is wrong; the lot is priced from its fixations at 4.7500 USD/lb"
            ) in editor.missing.text()
    asked = []
    monkeypatch.setattr(editor, "confirm_save", lambda said: asked.append(said) or False)
    before = ctx.store.counts()["lots"]
    assert not editor.save() and ctx.store.counts()["lots"] == before and asked
    editor.w["fob_usd_lb"].setText("4.75")  # as fixed: nothing to ask
    monkeypatch.setattr(editor, "confirm_save", lambda said: pytest.fail(f"asked: {said}"))
    assert editor.save() and ctx.store.counts()["lots"] == before + 1


def test_fixations_beyond_the_lot_are_refused_as_the_import_refuses_them(ctx, coop, editor):
    _new(editor, coop, weight_kg="700", differential_cents_lb="+80")
    editor.w["contract_type"].set_current(ContractType.PTBF)
    editor.add_fixation("2026-03-01", "300", "900")
    assert editor.errors.get("fixations") == (
        "Fixations: fixations total 900 kg, more than the lot's 700 kg")
    assert not editor.save()


def test_a_farm_gate_price_needs_its_unit_and_basis_chosen(ctx, coop, editor):
    """The form chose "per kg" of "dry parchment" for an amount typed alone (a share of FOB of
    622 % followed): both start on "Choose…" and are asked for."""
    _new(editor, coop, weight_kg="1380", fob_usd_lb="4.10", fg_amount="180000",
         fg_currency="COP", fg_fx="4000")
    editor.w["contract_type"].set_current(ContractType.FIXED)
    assert editor.w["fg_unit"].currentText() == "Choose…"
    assert editor.w["fg_basis"].currentText() == "Choose…"
    assert editor.errors["fg_unit"].startswith("Per: choose the unit")
    assert editor.errors["fg_basis"].startswith("Basis: choose what the price is paid for")
    editor.w["fg_unit"].setCurrentIndex(editor.w["fg_unit"].findText("carga (125 kg)"))
    editor.w["fg_basis"].set_current(Basis.PARCHMENT)
    assert not editor.errors, editor.errors
    assert editor.build()[0].farm_gate.unit_kg == D(125)


def test_the_window_marks_a_fairtrade_floor_made_of_an_estimated_c_as_the_statement_does(
        ctx, coop, editor):
    from roasterdesk.domain.model import Species

    lot = ctx.store.save_lot(Lot("CO-25-020", coop.id, 2025, weight_kg=D(1400),
                                 contract_type=ContractType.FIXED, c_cents_lb=D(380),
                                 c_estimated=True, fob_usd_lb=D("4.75"),
                                 species=Species.ARABICA))
    editor.load(lot)
    assert editor.fig["fairtrade"].text().endswith("(from the estimated C price)")
    for key in ("c", "premium", "premium_pct", "premium_value"):  # every figure from it
        assert editor.fig[key].text().endswith(" (estimated)"), key
    assert "C is estimated from the monthly series" in editor.missing.text()


def test_the_farm_gate_units_offered_are_the_producers_countrys(ctx, coop, editor):
    """Both arrobas were offered to every producer: a Brazilian lot priced per "arroba (12.5
    kg)" (Colombia's) printed a farm gate 20 % too high. The units follow the producer."""
    fazenda = ctx.store.save_producer(Producer("Fazenda Boa Vista", ProducerKind.FARM, "BR"))
    unit = editor.w["fg_unit"]

    def offered():
        return [unit.itemText(i) for i in range(unit.count())]

    editor.new_lot(fazenda.id)
    assert "arroba (15 kg)" in offered() and "arroba (12.5 kg)" not in offered()
    assert offered()[0] == "Choose…" and offered()[-1] == "other unit"
    editor.new_lot(coop.id)
    assert "arroba (12.5 kg)" in offered() and "carga (125 kg)" in offered()
    assert "arroba (15 kg)" not in offered()
    unit.setCurrentIndex(unit.findText("carga (125 kg)"))
    editor.producer.set_producer(fazenda.id)
    editor.producer.picked.emit(fazenda.id)  # picking another producer keeps the unit chosen
    assert unit.currentText() == "carga (125 kg)" and "arroba (15 kg)" in offered()
    lot = ctx.store.save_lot(Lot("BR-25-001", fazenda.id, 2025, weight_kg=D(600),
                                 farm_gate=FarmGatePrice(D(1450), "BRL", "arroba (12.5 kg)",
                                                         D("12.5"), Basis.GREEN, D("5.5"))))
    editor.load(lot)  # a lot's own unit is shown as recorded
    assert unit.currentText() == "arroba (12.5 kg)" and editor.w["fg_unit_kg"].text() == "12.5"
