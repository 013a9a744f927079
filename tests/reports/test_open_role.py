"""A person's role may be "not recorded" (m012_open_role): a people list without a Role column,
and the person dialog left alone, store NULL, never "owner"; the statement then prints the
person's name alone, and a person without consent stands in free text as "the person". The
schema step keeps every stored role."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from statement_sample import build_example

from roasterdesk.domain.model import Consent, ConsentScope, Person, Role
from roasterdesk.services import importing as I
from roasterdesk.services.statement import load_statement, redact
from roasterdesk.store import Store

FIXTURES = Path(__file__).parent.parent / "fixtures" / "schemas"


def test_a_people_list_without_a_role_stores_not_recorded(store, tmp_path):
    for kind, text in (("producers", "Producer,Country\nFinca Alta,CO\n"),
                       ("people", "Producer,Country,Name\nFinca Alta,CO,Rosa Quilindo\n")):
        f = tmp_path / f"{kind}.csv"
        f.write_text(text, encoding="utf-8")
        _plan, result = I.import_file(store, f, kind)
        assert result is not None
    [rosa] = store.people(store.producers()[0].id)
    assert rosa.role is None
    assert store.db.execute("SELECT role FROM people").fetchone()[0] is None
    assert redact("Rosa Quilindo sorts the cherries.", [rosa]) == \
        "The person sorts the cherries."


def test_the_statement_names_a_person_without_a_role_alone(store):
    _, lot = build_example(store)
    p = store.save_person(Person(lot.producer_id, "Rosa Quilindo", consent=Consent(
        date(2024, 1, 1), frozenset({ConsentScope.NAME}))))
    assert p.role is None
    data = load_statement(store, lot.code, on=date(2026, 6, 1), photos=False)
    [named] = [x for x in data.people if x.name == "Rosa Quilindo"]
    assert named.role == ""  # printed as the name alone, never "(owner)"
    store.save_person(replace(p, role=Role.MANAGER))
    data = load_statement(store, lot.code, on=date(2026, 6, 1), photos=False)
    assert [x.role for x in data.people if x.name == "Rosa Quilindo"] == ["manager"]


@pytest.mark.parametrize("fixture", ["roasterdesk-0.1.0.sqlite", "roasterdesk-0.2.0.sqlite"])
def test_m012_keeps_every_stored_role_and_allows_not_recorded(tmp_path, fixture):
    db = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / fixture, db)
    conn = sqlite3.connect(db)
    before = conn.execute("SELECT name, role FROM people ORDER BY name").fetchall()
    conn.close()
    assert before and all(role for _, role in before)
    with Store.open(db, before_migrate=None) as store:
        assert store.db.execute("SELECT name, role FROM people ORDER BY name").fetchall() == \
            before
        info = {r[1]: r for r in store.db.execute("PRAGMA table_info(people)")}
        assert info["role"][3] == 0  # nullable
        person = store.person(store.db.execute("SELECT id FROM people").fetchone()[0])
        assert person.role is not None
        store.save_person(replace(person, role=None))
        assert store.person(person.id).role is None


@pytest.mark.parametrize("fixture", ["roasterdesk-0.1.0.sqlite", "roasterdesk-0.2.0.sqlite"])
def test_m013_has_a_file_made_before_compute_its_lot_figures_again(tmp_path, fixture):
    """The rules behind the lot list's figures changed (a PTBF lot fixed in part, offers,
    labour): a file made before is marked and the next start computes them, once; a new file
    is not marked."""
    from roasterdesk.services.recovery import recover_at_start

    db = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / fixture, db)
    with Store.open(db, before_migrate=None) as store:
        lots = store.db.execute("SELECT count(*) FROM lots").fetchone()[0]
        assert lots > 0
        assert store.db.execute("SELECT value FROM sync_state WHERE key = 'metrics_dirty'"
                                ).fetchone() == ("all",)
    notes = recover_at_start(db)
    assert notes == [f"computed the figures of {lots:,} lots left to compute (by an "
                     "interrupted import or sync, or rules that changed)."]
    assert recover_at_start(db) == []
    with Store.open(tmp_path / "new.sqlite") as fresh:
        assert fresh.db.execute("SELECT count(*) FROM sync_state").fetchone()[0] == 0
