"""A lot's organic status may be "not recorded" (m011_open_organic): a lot list without an
Organic column, or with an empty cell, stores NULL, never "conventional"; the Fairtrade floor is
then compared with and without the organic differential, and the statement, its JSON and the
preflight say what is not recorded. The schema step keeps every stored 0 and 1."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from cli_steps import import_text, pdf_text

from roasterdesk.cli import main
from roasterdesk.domain.model import Scheme
from roasterdesk.services import importing as I
from roasterdesk.services.statement import load_statement, preflight
from roasterdesk.store import Store

FIXTURES = Path(__file__).parent.parent / "fixtures" / "schemas"
# washed arabica at a recorded C of 150 c/lb, below every minimum (without a C price the floor
# is known only from below): Fairtrade floor 1.80 + 0.20 = 2.00 conventional, 2.40 organic
HEAD = "Lot code,Producer,Country,Harvest,Weight (kg),Species,Process,C price,FOB USD/lb"
BETWEEN = f"{HEAD}\nOR-1,Finca Ana Ruiz,CO,2024,600,arabica,washed,150,2.10\n"


def test_a_lot_list_without_organic_stores_not_recorded(store, db_path, tmp_path, capsys):
    import_text(db_path, tmp_path, BETWEEN)
    lot = store.lot_by_code("OR-1")
    assert lot.organic is None
    assert store.db.execute("SELECT organic FROM lots WHERE code = 'OR-1'").fetchone()[0] is None
    capsys.readouterr()
    assert main(["--db", str(db_path), "statement", "--lot", "OR-1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lot"]["organic"] == "not recorded"
    e = data["economics"]
    assert e["fairtrade"] is None  # 2.10 lies between 2.00 and 2.40
    assert "Fairtrade comparison (organic status not recorded)" in e["missing"]
    assert "living-income reference (organic status not recorded)" in e["missing"]
    missing = preflight(store, "OR-1")
    assert any(m.startswith("organic status: not recorded (the Fairtrade floor adds")
               for m in missing)
    assert "Fairtrade comparison: not recorded (organic status not recorded)" in missing
    # recorded, it is a fact in the JSON
    store.save_lot(replace(lot, organic=False))
    assert main(["--db", str(db_path), "statement", "--lot", "OR-1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lot"]["organic"] is False
    assert data["economics"]["fairtrade"]["meets"] is True


def test_the_import_says_which_lots_and_an_organic_certificate_does_not_set_it(store, tmp_path):
    f = tmp_path / "lots.csv"
    f.write_text(f"{HEAD},Organic,Certifications\n"
                 "A,F,CO,2024,600,arabica,washed,150,2.10,,Organic (EU)\n"
                 "B,F,CO,2024,600,arabica,washed,150,2.10,yes,\n"
                 "C,F,CO,2024,600,arabica,washed,150,2.10,no,\n")
    p = I.plan_import(store, I.read_source(f, "lots"), "lots")
    got = {r.record.code: r.record for r in p.records}
    assert (got["A"].organic, got["B"].organic, got["C"].organic) == (None, True, False)
    assert got["A"].certifications_claimed == (Scheme.ORGANIC_EU,)
    notes = "; ".join(p.notes)
    assert ("1 new lot with organic status not recorded (its Fairtrade floor is compared with "
            "and without the organic differential; a claimed organic certification does not "
            "set it; an 'Organic' column says which): A") in notes
    I.commit_import(store, p)
    assert store.lot_by_code("A").organic is None
    assert any("a claimed organic certification does not set it" in m
               for m in preflight(store, "A"))


def test_the_statement_says_the_organic_status_is_not_recorded(store, db_path, tmp_path):
    import_text(db_path, tmp_path, BETWEEN)
    text = pdf_text(db_path, tmp_path, "OR-1")
    assert "organic status not recorded: FOB lies between the floors this coffee could have" \
        in text
    # Colombia has a conventional (2.75) and an organic (3.06) reference: none is taken
    assert "(farm gate) not recorded organic status not recorded" in text
    # above both floors: true whichever it is
    lot = store.lot_by_code("OR-1")
    store.save_lot(replace(lot, fob_usd_lb=lot.fob_usd_lb + 1))
    text = pdf_text(db_path, tmp_path, "OR-1")
    assert ("the highest floor this coffee could have (organic status not recorded); FOB is "
            "0.7000 USD/lb above it") in text
    # recorded organic: its own floor, exact
    store.save_lot(replace(lot, organic=True))
    e = load_statement(store, "OR-1").analysis.economics
    assert e.fairtrade is not None and e.fairtrade.floor_usd_lb == Decimal("2.40")
    assert e.fairtrade.not_recorded == ""
    assert "FOB is 0.3000 USD/lb below it" in pdf_text(db_path, tmp_path, "OR-1")


def test_the_spanish_statement_says_it_too(store, db_path, tmp_path):
    from pypdf import PdfReader

    import_text(db_path, tmp_path, BETWEEN)
    out = tmp_path / "es.pdf"
    es = Path(__file__).parents[2] / "reports" / "default-es.toml"
    assert main(["export-pdf", "--db", str(db_path), "--lot", "OR-1", "--out", str(out),
                 "--template", str(es)]) == 0
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
    assert "condición orgánica sin registrar" in text


@pytest.mark.parametrize("fixture", ["roasterdesk-0.1.0.sqlite", "roasterdesk-0.2.0.sqlite"])
def test_m011_keeps_every_stored_value_and_allows_not_recorded(tmp_path, fixture):
    db = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / fixture, db)
    conn = sqlite3.connect(db)
    (code,) = conn.execute("SELECT code FROM lots").fetchone()
    # a second lot, organic: the stored 1 and 0 both stay
    cols = [r[1] for r in conn.execute("PRAGMA table_info(lots)") if r[1] != "id"]
    conn.execute(f"INSERT INTO lots ({', '.join(cols)}) SELECT "
                 + ", ".join("'ORG-1'" if c == "code" else "'u-org-1'" if c == "uuid"
                             else "1" if c == "organic" else c for c in cols)
                 + " FROM lots WHERE code = ?", [code])
    conn.commit()
    before = conn.execute("SELECT code, organic FROM lots ORDER BY code").fetchall()
    conn.close()
    assert sorted(v for _, v in before) == [0, 1]
    with Store.open(db, before_migrate=None) as store:
        db_ = store.db
        assert db_.execute("SELECT code, organic FROM lots ORDER BY code").fetchall() == before
        assert store.lot_by_code("ORG-1").organic is True
        assert store.lot_by_code(code).organic is False
        info = {r[1]: r for r in db_.execute("PRAGMA table_info(lots)")}
        assert info["organic"][3] == 0 and info["organic"][4] is None  # nullable, no default
        # the references stay published for one or the other
        refs = {r[1]: r for r in db_.execute("PRAGMA table_info(living_income_refs)")}
        assert refs["organic"][3] == 1
        lot = store.lot_by_code(code)
        store.save_lot(replace(lot, organic=None))
        assert store.lot(lot.id).organic is None
        assert db_.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store.open(db, before_migrate=None) as again:
        assert again.lot(lot.id).organic is None


def test_export_then_import_keeps_organic_not_recorded(store, db_path, tmp_path):
    import_text(db_path, tmp_path, f"{HEAD},Organic\nOR-1,F,CO,2024,600,arabica,washed,150,2.10,\n"
                               "OR-2,F,CO,2024,600,arabica,washed,150,2.10,yes\n"
                               "OR-3,F,CO,2024,600,arabica,washed,150,2.10,no\n")
    for kind in ("producers", "lots"):
        assert main(["--db", str(db_path), "export", "--kind", kind,
                     "--out", str(tmp_path / f"out-{kind}.csv")]) == 0
    other = tmp_path / "other.sqlite"
    assert main(["--db", str(other), "init"]) == 0
    for kind in ("producers", "lots"):
        assert main(["--db", str(other), "import", str(tmp_path / f"out-{kind}.csv"),
                     "--kind", kind]) == 0
    with Store.open(other) as again:
        assert [again.lot_by_code(c).organic for c in ("OR-1", "OR-2", "OR-3")] == \
            [None, True, False]
