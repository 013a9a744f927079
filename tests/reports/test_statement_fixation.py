"""A PTBF lot's statement prints only the price that is fixed (the hand-written import rows of a
user: one lot fixed for 700 of its 2,100 kg, one with a C price but no fixation).

Before: the first printed "FOB 4.8000 USD/lb", "FOB value USD 22,222.60" and "Premium over C
USD 3,703.77" over all 4,629.71 lb; the second "380.00 US¢/lb, not fixed yet" beside a premium
over C of 25.0 % and a Fairtrade comparison made from that unfixed C.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace

from pypdf import PdfReader
from statement_sample import ON, farm_gate

from roasterdesk.cli import main
from roasterdesk.pdf import render_statement
from roasterdesk.services import importing as I
from roasterdesk.services.statement import load_statement, preflight

ROWS = (
    "Lot;Farm;Country;Harvest;Species;Process;Organic;Status;Weight (kg);Contract type;"
    "Contract date;C price;Differential;FOB;Fixations\n"
    "PT-1;Finca Uno;CO;2025;Arabica;Washed;No;Contracted;2100;PTBF;2025-04-01;;+80;;"
    "2025-05-02 400.00 700\n"
    "PT-2;Finca Dos;CO;2025;Arabica;Washed;No;Contracted;1400;PTBF;2025-03-14;380,00;+95;"
    "4,75;\n"
)


def _text(store, code: str, template: str = "default-en") -> str:
    pdf = render_statement(load_statement(store, code, on=ON, photos=False), template)
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
                    .split())


def _json(db_path, code: str, capsys) -> dict:
    capsys.readouterr()
    assert main(["--db", str(db_path), "statement", "--lot", code, "--json",
                 "--on", ON.isoformat()]) == 0
    return json.loads(capsys.readouterr().out)


def _imported(store, db_path, tmp_path):
    f = tmp_path / "ptbf.csv"
    f.write_text(ROWS)
    plan = I.plan_import(store, I.read_source(f, "lots"), "lots")
    assert plan.ok
    assert main(["--db", str(db_path), "import", str(f), "--kind", "lots"]) == 0
    return plan


def test_a_lot_fixed_in_part_prints_no_fob_and_says_what_is_fixed(store, db_path, tmp_path,
                                                                  capsys):
    _imported(store, db_path, tmp_path)
    lot = store.lots_where("code = 'PT-1'")[0]
    store.save_lot(replace(lot, farm_gate=farm_gate()))  # the farm gate stays true
    eco = _json(db_path, "PT-1", capsys)["economics"]
    for key in ("fob_usd_lb", "c_usd_lb", "premium_over_c_usd_lb", "premium_over_c_pct",
                "farm_gate_share", "fob_value_usd", "premium_over_c_value_usd",
                "intermediaries_value_usd", "fairtrade", "split"):
        assert eco[key] is None, key
    assert eco["farm_gate_usd_lb"] is not None
    assert eco["not_fixed"] == {"fixed_kg": "700", "unfixed_kg": "1400",
                                "fixed_c_cents_lb": "400.00", "fixed_fob_usd_lb": "4.80",
                                "why": "price of 1,400 kg not fixed yet"}
    assert "FOB price (price of 1,400 kg not fixed yet)" in eco["missing"]
    text = _text(store, "PT-1")
    for wrong in ("4.8000", "22,222.60", "3,703.77", "4.0000"):
        assert wrong not in text, wrong
    assert ("Price paid at the export port (FOB) not recorded price to be fixed, differential "
            "+80.00 US¢/lb; 700 of 2,100 kg fixed (at 4.80 USD/lb); 1,400 kg not fixed yet"
            ) in text
    assert "400.00 US¢/lb, fixed on 2025-05-02 for 700 kg; 1,400 kg not fixed yet" in text
    assert "Premium over the C price not recorded price of 1,400 kg not fixed yet" in text
    assert "Farm gate as a share of FOB not recorded price of 1,400 kg not fixed yet" in text
    assert "Fairtrade floor for this coffee (comparison) not recorded price of 1,400 kg" in text
    assert "Not recorded: the price of 1,400 kg is not fixed yet, so the FOB price is not" in text
    assert "FOB value not recorded" in text
    assert "2 FOB price paid PLEDGE ✗ not answered" in text
    assert ("FOB price: not recorded (price of 1,400 kg not fixed yet)"
            in preflight(store, "PT-1", on=ON))
    es = _text(store, "PT-1", "default-es")
    assert "700 de 2.100 kg fijados (a 4,80 USD/lb); 1.400 kg sin fijar aún" in es


def test_a_ptbf_c_without_a_fixation_is_not_the_c_at_fixation(store, db_path, tmp_path, capsys):
    plan = _imported(store, db_path, tmp_path)
    warned = [(w.line, w.column) for w in plan.warnings if "but no fixation" in w.reason]
    assert warned == [(3, "C price")]
    assert "record the fixation with its date" in str(plan.warnings[-1])
    data = _json(db_path, "PT-2", capsys)
    eco = data["economics"]
    assert eco["fob_usd_lb"] == "4.75"  # what the file says was paid or agreed: kept
    assert eco["c_usd_lb"] is None and eco["premium_over_c_pct"] is None
    assert eco["premium_over_c_value_usd"] is None and eco["fairtrade"] is None
    assert eco["not_fixed"]["why"] == "C not fixed yet"
    assert eco["missing"] == ["C price at fixation (C not fixed yet)", "farm-gate price",
                              "Fairtrade comparison (C not fixed yet)"]
    text = _text(store, "PT-2")
    assert "25.0 %" not in text and "FOB is 0.7500 USD/lb above it" not in text
    assert ("Coffee market price (ICE “C”) not recorded not fixed yet: price to be fixed "
            "(380.00 US¢/lb recorded, no fixation)") in text
    assert ("Price paid at the export port (FOB) 4.7500 USD/lb price to be fixed, differential "
            "+95.00 US¢/lb; as recorded, without a fixation") in text
    assert "Premium over the C price not recorded C not fixed yet" in text
    assert "Fairtrade floor for this coffee (comparison) not recorded C not fixed yet" in text
    assert "FOB value USD 14,660.74" in text


def test_the_worked_example_prints_its_figures_as_before(example):
    store, lot = example
    text = _text(store, lot.code)
    for said in ("4.7500 USD/lb", "380.00 US¢/lb, fixed on 2025-03-14", "0.9500 USD/lb 25.0 %",
                 "FOB value USD 14,660.74", "Premium over C USD 2,932.15"):
        assert said in text, said
    assert "not fixed yet" not in text
