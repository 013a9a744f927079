"""Every released schema opens in this build: stored fixture databases, copied into tmp_path.

Add a fixture here whenever a release changes the schema (make it with the released version:
a few records of every kind, the docs/domain.md worked-example lot, checkpointed,
journal_mode=delete).
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from roasterdesk.store import Store
from roasterdesk.store.schema import SCHEMA_COMPAT, known_migrations

FIXTURES = sorted((Path(__file__).parent.parent / "fixtures" / "schemas").glob("*.sqlite"))


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_released_database_opens_upgrades_and_keeps_its_records(fixture, tmp_path):
    db = tmp_path / fixture.name
    shutil.copyfile(fixture, db)
    with Store.open(db, before_migrate=None) as store:
        applied = [r[0] for r in store.db.execute(
            "SELECT name FROM _sqlite_migrations ORDER BY rowid")]
        assert applied == known_migrations()
        assert store.schema_version() == SCHEMA_COMPAT
        lot = store.lot_by_code("CO-25-001")
        assert lot is not None
        eco = store.analyse(lot).economics
        assert eco.fob_usd_lb == Decimal("4.75")
        assert round(eco.farm_gate_usd_lb, 4) == Decimal("3.0901")
        counts = store.counts()
        assert counts["producers"] == 2 and counts["visits"] == 1 and counts["premiums"] == 1
        assert [h.kind for h in store.search("drying")] == ["visit"]
        assert store.people(store.producers("parent_id IS NOT NULL")[0].id)[0].consent is not None


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_a_statement_of_a_released_database_reads_it_upgraded(fixture, tmp_path, capsys):
    """``statement``/``export-pdf`` open read-only; on a file of an earlier version they failed
    on a table that version did not have. The file is migrated first, with its backup."""
    from roasterdesk.cli import main

    db = tmp_path / fixture.name
    shutil.copyfile(fixture, db)
    assert main(["statement", "--db", str(db), "--lot", "CO-25-001", "--json"]) == 0
    assert '"fob_usd_lb": "4.75' in capsys.readouterr().out
    with Store.open(db) as store:
        applied = [r[0] for r in store.db.execute(
            "SELECT name FROM _sqlite_migrations ORDER BY rowid")]
        assert applied == known_migrations()
    assert list(tmp_path.rglob("*.sqlite*")) != [db]  # the backup made before migrating


def test_there_is_a_fixture_for_the_first_release():
    assert any(f.stem == "roasterdesk-0.1.0" for f in FIXTURES)
