"""No invented facts: a lot list without process, species or producer type stores them "not
recorded" (m010_open_facts), never "washed", "arabica" or "farm"; the statement, its JSON and
the preflight say so; the schema step keeps every stored value of an older file."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from cli_steps import import_text, pdf_text

from roasterdesk.cli import main
from roasterdesk.domain.model import Person, Process, ProducerKind, Species
from roasterdesk.services.statement import load_statement, preflight
from roasterdesk.store import Store

FIXTURES = Path(__file__).parent.parent / "fixtures" / "schemas"
# organic is given (conventional): its "not recorded" is tests/services/test_open_organic.py
BARE = ("Lot code,Producer,Country,Harvest,Weight (kg),FOB USD/lb,Contract date,Organic\n"
        "NR-1,Finca Ana Ruiz,CO,2024,600,1.97,2024-03-05,no\n")


def test_a_lot_list_without_them_stores_not_recorded(store, db_path, tmp_path, capsys):
    import_text(db_path, tmp_path, BARE)
    lot = store.lot_by_code("NR-1")
    producer = store.producer(lot.producer_id)
    assert (lot.process, lot.species, producer.kind) == (None, None, None)
    row = store.db.execute("SELECT process, species FROM lots WHERE code = 'NR-1'").fetchone()
    assert tuple(row) == (None, None)
    assert store.db.execute("SELECT kind FROM producers WHERE id = ?",
                            [producer.id]).fetchone()[0] is None
    capsys.readouterr()
    assert main(["--db", str(db_path), "statement", "--lot", "NR-1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lot"]["species"] == "not recorded" and data["lot"]["process"] == "not recorded"
    e = data["economics"]
    # FOB 1.97 lies between the floors it could have (robusta natural 1.40 … arabica washed
    # 2.00) and no market is taken without a species (the reference C series is not used)
    assert e["fairtrade"] is None and e["c_usd_lb"] is None
    assert "market price at fixation (species not recorded)" in e["missing"]
    assert ("Fairtrade comparison (species and process not recorded; market price at fixation "
            "not recorded)") in e["missing"]
    missing = preflight(store, "NR-1")
    for fact in ("species", "process", "producer kind"):
        assert any(m.startswith(f"{fact}: not recorded") for m in missing), fact
    assert "market price at fixation: not recorded (species not recorded)" in missing
    assert ("Fairtrade comparison: not recorded (species and process not recorded; market "
            "price at fixation not recorded)") in missing
    assert "FOB price: not recorded" not in missing and "farm-gate price: not recorded" in missing


def test_the_statement_prints_no_fact_that_was_not_recorded(store, db_path, tmp_path):
    import_text(db_path, tmp_path, BARE)
    text = pdf_text(db_path, tmp_path, "NR-1")
    for invented in ("washed", "Washed", "arabica", "Arabica", "(farm)", "a farm"):
        assert invented not in text, invented
    assert "Process not recorded" in text
    # no market taken, and said why; Colombia has a living-income reference, but by species
    assert "Coffee market price (ICE “C” or London) not recorded species not recorded" in text
    assert "Premium over the market price not recorded" in text and "Premium over C" not in text
    assert "C price" not in text.split("Prices are in US dollars")[0]  # the method explains C
    assert "(farm gate) not recorded species not recorded" in text
    assert "no reference price recorded for this country" not in text
    # no market price: the floor max(minimum, market) + premium is not known above 1.40
    assert ("Fairtrade floor for this coffee (comparison) not recorded depends on the market "
            "price at fixation, not recorded (species not recorded)") in text
    # the buyer records the facts: the statement names them
    lot = store.lot_by_code("NR-1")
    store.save_lot(replace(lot, process=Process.WASHED, species=Species.ARABICA))
    store.save_producer(replace(store.producer(lot.producer_id), kind=ProducerKind.FARM))
    text = pdf_text(db_path, tmp_path, "NR-1")
    assert "Process washed" in text and "(farm)" in text
    # washed arabica, no C price: the floor is at least 1.80 + 0.20
    assert "at least 2.0000 USD/lb FOB is at least 0.0300 USD/lb below it" in text


def test_a_producer_shown_by_region_is_a_producer_not_a_farm(store, db_path, tmp_path):
    import_text(db_path, tmp_path, BARE)
    lot = store.lot_by_code("NR-1")
    store.save_person(Person(lot.producer_id, "Ana Ruiz"))  # no consent to be named
    store.save_lot(replace(lot, story="Finca Ana Ruiz dries on raised beds."))
    data = load_statement(store, "NR-1")
    assert data.producer_label == "a producer in Colombia"
    text = pdf_text(db_path, tmp_path, "NR-1")
    assert "a producer in Colombia" in text and "The producer dries on raised beds" in text
    assert "a farm" not in text and "the farm " not in text.lower()


def test_a_fairtrade_comparison_true_whichever_process(store, db_path, tmp_path):
    # C at fixation 1.50 USD/lb, below every minimum: the floors are minimum + premium
    import_text(db_path, tmp_path, "Lot code,Producer,Country,Harvest,Weight (kg),FOB USD/lb,"
            "C price,Species,Producer type,Organic\n"
            "FT-1,Coop Sur,CO,2024,600,2.10,150,arabica,cooperative,no\n")
    e = load_statement(store, "FT-1").analysis.economics
    assert e.fairtrade is not None and e.fairtrade.meets
    assert e.fairtrade.not_recorded == "process not recorded"
    text = pdf_text(db_path, tmp_path, "FT-1")
    assert ("the highest floor this coffee could have (process not recorded); FOB is 0.1000 "
            "USD/lb above it") in text
    assert "(cooperative)" in text


def test_m010_relaxes_the_three_columns_and_keeps_every_value(tmp_path):
    db = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "roasterdesk-0.2.0.sqlite", db)
    conn = sqlite3.connect(db)
    before = conn.execute("SELECT code, process, species FROM lots ORDER BY code").fetchall()
    kinds = conn.execute("SELECT name, kind FROM producers ORDER BY name").fetchall()
    objects = sorted(conn.execute("SELECT type, name FROM sqlite_master "
                                  "WHERE tbl_name IN ('lots', 'producers')"))
    conn.close()
    assert before and kinds
    with Store.open(db, before_migrate=None) as store:
        db_ = store.db
        assert db_.execute("SELECT code, process, species FROM lots ORDER BY code"
                           ).fetchall() == before
        assert db_.execute("SELECT name, kind FROM producers ORDER BY name").fetchall() == kinds
        after = sorted(db_.execute("SELECT type, name FROM sqlite_master "
                                   "WHERE tbl_name IN ('lots', 'producers')"))
        assert set(objects) <= set(after)
        cols = {(t, r[1]): r for t in ("lots", "producers")
                for r in db_.execute(f"PRAGMA table_info({t})")}
        for key in (("lots", "process"), ("lots", "species"), ("producers", "kind")):
            assert cols[key][3] == 0, key  # nullable
        assert cols[("lots", "species")][4] is None  # no invented default
        lot = store.lot_by_code(before[0][0])
        store.save_lot(replace(lot, process=None, species=None))
        assert (store.lot(lot.id).process, store.lot(lot.id).species) == (None, None)
        p = store.producer(lot.producer_id)
        store.save_producer(replace(p, kind=None))
        assert store.producer(p.id).kind is None
        assert db_.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            db_.execute("UPDATE producers SET kind = 'plantation' WHERE id = ?", [p.id])
    # a newer file is refused as before; this one opens again without a step to run
    with Store.open(db, before_migrate=None) as again:
        assert again.lot(lot.id).species is None


def test_export_then_import_keeps_not_recorded_and_lists_filter_it(store, db_path, tmp_path):
    from roasterdesk.ui.models.lots import lot_filter

    import_text(db_path, tmp_path, BARE)
    for kind in ("producers", "lots"):
        out = tmp_path / f"out-{kind}.csv"
        assert main(["--db", str(db_path), "export", "--kind", kind, "--out", str(out)]) == 0
    other = tmp_path / "other.sqlite"
    assert main(["--db", str(other), "init"]) == 0
    for kind in ("producers", "lots"):
        out = tmp_path / f"out-{kind}.csv"
        assert main(["--db", str(other), "import", str(out), "--kind", kind]) == 0
    with Store.open(other) as again:
        lot = again.lot_by_code("NR-1")
        assert (lot.process, lot.species, again.producer(lot.producer_id).kind) == \
            (None, None, None)
    assert lot_filter(process="") == (["l.process IS NULL"], [])
