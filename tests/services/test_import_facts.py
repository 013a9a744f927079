"""No invented facts: a lot imported without a status or a contract type keeps them "not
recorded" (m007_import_facts), and the statement, its JSON and the preflight say so."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

from roasterdesk.cli import main
from roasterdesk.domain.model import ContractType, LotStatus
from roasterdesk.services.statement import load_statement, preflight
from roasterdesk.store import Store

FIXTURES = Path(__file__).parent.parent / "fixtures" / "schemas"


def _import(db_path, tmp_path, text):
    f = tmp_path / "lots.csv"
    f.write_text(text)
    assert main(["--db", str(db_path), "import", str(f), "--kind", "lots"]) == 0


def test_a_file_without_status_or_contract_gives_not_recorded_everywhere(
        store, db_path, tmp_path, capsys):
    _import(db_path, tmp_path,
            "Lot code,Producer,Country,Harvest,Weight (kg),FOB USD/lb\n"
            "GS-1,Finca Sol,CO,2024,60,4.10\n")
    lot = store.lot_by_code("GS-1")
    assert lot.status is None and lot.contract_type is None
    capsys.readouterr()
    assert main(["--db", str(db_path), "statement", "--lot", "GS-1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lot"]["status"] == "not recorded"
    assert data["lot"]["contract_type"] == "not recorded"
    missing = preflight(store, "GS-1")
    assert any(m.startswith("status: not recorded") for m in missing)
    assert any(m.startswith("contract type: not recorded") for m in missing)
    # a lot of unknown status is a live lot (NULL is not 'cancelled' in every query)
    assert [lot.code for lot in store.lots_where("status IS NOT 'cancelled'")] == ["GS-1"]


def test_the_pdf_names_no_contract_it_does_not_know(store, db_path, tmp_path):
    _import(db_path, tmp_path,
            "Lot code,Producer,Country,Harvest,Weight (kg),FOB USD/lb,Differential\n"
            "GS-2,Finca Sol,CO,2024,60,4.10,+35\n")
    assert load_statement(store, "GS-2").analysis.lot.contract_type is None
    text = _pdf_text(db_path, tmp_path, "GS-2")
    assert "fixed price" not in text and "price to be fixed" not in text
    assert "+35" in text  # the differential is still printed
    store.save_lot(replace(store.lot_by_code("GS-2"), contract_type=ContractType.FIXED))
    assert "fixed price" in _pdf_text(db_path, tmp_path, "GS-2")


def _pdf_text(db_path, tmp_path, code) -> str:
    from pypdf import PdfReader

    out = tmp_path / f"{code}-{len(list(tmp_path.glob('*.pdf')))}.pdf"
    assert main(["export-pdf", "--db", str(db_path), "--lot", code, "--out", str(out)]) == 0
    return " ".join(p.extract_text() for p in PdfReader(out).pages)


def test_fixations_say_price_to_be_fixed_and_a_given_status_is_kept(store, db_path, tmp_path):
    _import(db_path, tmp_path,
            "Lot code,Producer,Country,Harvest,Status,Differential,Fixations\n"
            "P-1,Finca Sol,CO,2024,shipped,+30,2024-03-01 190.00\n")
    lot = store.lot_by_code("P-1")
    assert lot.status is LotStatus.SHIPPED and lot.contract_type is ContractType.PTBF


def test_m007_relaxes_only_the_two_columns_and_keeps_indexes_and_triggers(tmp_path):
    db = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "roasterdesk-0.2.0.sqlite", db)
    conn = sqlite3.connect(db)
    before = sorted(conn.execute("SELECT type, name FROM sqlite_master WHERE tbl_name = 'lots'"))
    conn.close()
    with Store.open(db, before_migrate=None) as store:
        sql = store.db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'lots'").fetchone()[0]
        assert "status TEXT," in sql and "contract_type TEXT CHECK" in sql
        after = sorted(store.db.execute(
            "SELECT type, name FROM sqlite_master WHERE tbl_name = 'lots'"))
        assert set(before) <= set(after)  # nothing lost (m004 adds its own)
        assert ("trigger", "lots_never_tombstoned") in after
        lot = store.lot_by_code("CO-25-001")
        store.save_lot(replace(lot, status=None, contract_type=None))
        again = store.lot_by_code("CO-25-001")
        assert again.status is None and again.contract_type is None
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        try:
            store.db.execute("UPDATE lots SET contract_type = 'barter' WHERE id = ?", [lot.id])
        except sqlite3.IntegrityError as exc:
            assert "CHECK" in str(exc)
        else:
            raise AssertionError("the contract type's CHECK was lost")


def test_export_then_import_keeps_not_recorded_and_the_lot_list_can_filter_it(
        store, db_path, tmp_path):
    from roasterdesk.ui.models.lots import lot_filter

    _import(db_path, tmp_path, "Lot code,Producer,Country,Harvest\nN-1,Finca Sol,CO,2024\n")
    out = tmp_path / "out.csv"
    assert main(["--db", str(db_path), "export", "--kind", "lots", "--out", str(out)]) == 0
    other = tmp_path / "other.sqlite"
    assert main(["--db", str(other), "init"]) == 0
    assert main(["--db", str(other), "import", str(out), "--kind", "lots"]) == 0
    with Store.open(other) as again:
        lot = again.lot_by_code("N-1")
        assert lot.status is None and lot.contract_type is None
    where, params = lot_filter(status="")
    assert where == ["l.status IS NULL"] and params == []
