"""What the statement says about prices is what was recorded: no Fairtrade floor taken from the
minimum alone when the C price is missing, no "fixed on" without a fixation, the outturn factor
said when the usual one converted the farm-gate price, no "margin" for an unbroken gap."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal

from pypdf import PdfReader
from statement_sample import ON

from roasterdesk.domain.model import ContractType, CostLeg, Party
from roasterdesk.pdf import render_statement
from roasterdesk.services.statement import load_statement


def _text(store, code, template="default-en"):
    pdf = render_statement(load_statement(store, code, on=ON, photos=False), template)
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _unpriced(store, lot, **changes):
    """The worked example without any C price (no fixation, none recorded, no contract date:
    the C series cannot give one either)."""
    store.save_lot(replace(store.lot(lot.id), fixations=(), c_cents_lb=None, contract_date=None,
                           **changes))


def test_without_a_c_price_the_fairtrade_floor_is_not_the_minimum(example):
    store, lot = example
    _unpriced(store, lot, fob_usd_lb=Decimal("2.10"), contract_type=ContractType.FIXED)
    text = _text(store, lot.code)
    assert "FOB is 0.1000 USD/lb above it" not in text  # 1.80 + 0.20 taken for the floor
    assert ("Fairtrade floor for this coffee (comparison) not recorded depends on the C price "
            "at fixation, not recorded") in text
    _unpriced(store, lot, fob_usd_lb=Decimal("1.90"), contract_type=ContractType.FIXED)
    text = _text(store, lot.code)
    assert ("at least 2.0000 USD/lb FOB is at least 0.1000 USD/lb below it (the C price at "
            "fixation is not recorded)") in text
    assert "depende del precio C de la fijación" not in text
    _unpriced(store, lot, fob_usd_lb=Decimal("2.10"), contract_type=ContractType.FIXED)
    assert "depende del precio C de la fijación, sin registrar" in _text(store, lot.code,
                                                                         "default-es")


def test_fixed_on_only_for_a_fixation_or_a_fixed_price_contract(example):
    store, lot = example
    base = dict(fixations=(), c_cents_lb=Decimal("380"))
    for contract, said in ((ContractType.FIXED, "380.00 US¢/lb, fixed on 2025-03-14"),
                           # a PTBF lot's C without a fixation is not its C at fixation
                           (ContractType.PTBF, "not fixed yet: price to be fixed (380.00 US¢/lb "
                                               "recorded, no fixation)"),
                           (None, "380.00 US¢/lb, as recorded with the contract of 2025-03-14 "
                                  "(no fixation recorded)")):
        store.save_lot(replace(store.lot(lot.id), contract_type=contract, **base))
        text = _text(store, lot.code)
        assert said in text, contract
        if contract is not ContractType.FIXED:
            assert "fixed on" not in text, contract


def test_the_usual_outturn_factor_is_said_when_none_was_recorded(example):
    store, lot = example
    recorded = _text(store, lot.code)
    assert "outturn not recorded" not in recorded
    fg = store.lot(lot.id).farm_gate
    store.save_lot(replace(store.lot(lot.id), farm_gate=replace(fg, kg_per_kg_green=None)))
    text = _text(store, lot.code)
    assert "outturn not recorded: the usual 1.250 kg dry parchment per kg green" in text
    # a price of green coffee needs no outturn: "the usual 1.000 kg green per kg green" was
    # printed as if one were missing
    from roasterdesk.domain.units import Basis

    store.save_lot(replace(store.lot(lot.id), farm_gate=replace(
        fg, kg_per_kg_green=None, basis=Basis.GREEN)))
    green = _text(store, lot.code)
    assert "outturn not recorded" not in green and "kg green per kg green" not in green


def test_the_gap_without_recorded_legs_is_not_called_a_margin_and_a_negative_step_has_one_sign(
        example):
    store, lot = example
    text = _text(store, lot.code)
    assert "Between farm gate and FOB (not broken down) + 1.6599 USD/lb" in text
    from roasterdesk.pdf.data import statement_json
    from roasterdesk.services.statement import load_statement

    chain = statement_json(load_statement(store, lot.code, photos=False))["chain"]
    assert [s["label"] for s in chain if s["key"] == "exporter_margin"] == [
        "between farm gate and FOB, not broken down"]  # the JSON said "exporter margin"
    assert "margin" not in text.split("From farm gate to landed")[1].split("Landed")[0].lower()
    store.save_lot(replace(store.lot(lot.id), costs=(
        CostLeg(Party.EXPORTER, "milling", Decimal("2.00")),)))
    text = _text(store, lot.code)
    assert "Remainder (margin and costs not recorded) − 0.3401 USD/lb" in text
    assert "+ -" not in text and "+ −" not in text


def test_the_preflight_names_stored_figures_the_rules_refuse(example):
    """A lot stored before the import and the editor checked its figures: the preflight names
    a C price in the wrong unit, C + differential that is not the FOB, a farm gate above FOB."""
    from roasterdesk.services.statement import preflight

    store, lot = example
    assert not [m for m in preflight(store, lot.code, on=ON) if m.startswith("check:")]
    store.save_lot(replace(store.lot(lot.id), fixations=(), c_cents_lb=Decimal("2.0015"),
                           differential_cents_lb=Decimal(250), fob_usd_lb=Decimal("3.4473")))
    checks = [m for m in preflight(store, lot.code, on=ON) if m.startswith("check:")]
    assert checks[0].startswith("check: C price 2.0015 ¢/lb is outside 30–1000 ¢/lb: 2.0015 "
                                "looks like USD/lb")
    assert "C 2.0015 + differential +250 = 252.0015 ¢/lb but FOB 3.4473 USD/lb" in checks[1]
    fg = store.lot(lot.id).farm_gate
    store.save_lot(replace(store.lot(lot.id), c_cents_lb=Decimal("200.15"),
                           differential_cents_lb=Decimal("144.58"),
                           farm_gate=replace(fg, amount=fg.amount * 2)))
    (over,) = [m for m in preflight(store, lot.code, on=ON) if m.startswith("check:")]
    assert over.startswith("check: farm gate ") and "is above the FOB 3.4473 USD/lb" in over


def test_at_least_below_the_floor_names_the_lot_own_market(example):
    """A FOB below every floor with no market price recorded: the statement says which price is
    missing, the lot's own market (London for robusta, "market" when the species is open)."""
    from roasterdesk.domain.model import Process, Species

    store, lot = example
    for species, said in ((Species.ROBUSTA, "the London price at fixation is not recorded"),
                          (None, "the market price at fixation is not recorded"),
                          (Species.ARABICA, "the C price at fixation is not recorded")):
        _unpriced(store, lot, fob_usd_lb=Decimal("1.00"), contract_type=ContractType.FIXED,
                  species=species, process=Process.NATURAL, organic=False)
        text = _text(store, lot.code)
        assert "FOB is at least" in text and said in text, species
