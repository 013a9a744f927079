"""The ``roasterdesk`` command line: ``info`` output and one-line user errors."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest

from roasterdesk.domain.model import Lot, Producer, ProducerKind, Visit
from roasterdesk.store import Store
from roasterdesk.store.schema import SCHEMA_COMPAT

KINDS = {"producers", "people", "plots", "certifications", "commitments", "visits",
         "follow_ups", "photos", "lots", "premiums", "projects"}


def roasterdesk(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "ROASTERDESK_DB"}
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "roasterdesk", *args], capture_output=True,
                          text=True, timeout=120, env=environ)


def assert_one_line_error(out: subprocess.CompletedProcess, *words: str) -> None:
    assert out.returncode != 0
    assert out.stdout == ""
    lines = out.stderr.splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("roasterdesk")
    assert "Traceback" not in out.stderr
    for w in words:
        assert w in lines[0]


def test_info_json_on_a_fresh_database(db_path):
    Store.open(db_path).close()
    out = roasterdesk("info", "--json", "--db", str(db_path))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"path", "schema", "counts", "harvests", "full_check"}
    assert data["path"] == str(db_path)
    assert data["schema"] == SCHEMA_COMPAT
    assert set(data["counts"]) == KINDS
    assert set(data["counts"].values()) == {0}
    assert data["harvests"] == []
    assert data["full_check"] is None  # never run on this file


def test_info_counts_what_the_database_holds(db_path):
    with Store.open(db_path) as s:
        p = s.save_producer(Producer("Finca El Mirador", ProducerKind.FARM, "CO"))
        s.save_lot(Lot("CO-24-001", p.id, 2024, weight_kg=Decimal(700)))
        s.save_lot(Lot("CO-25-001", p.id, 2025, weight_kg=Decimal(1400)))
        s.save_visit(Visit(p.id, date(2025, 3, 2)))
    out = roasterdesk("--db", str(db_path), "info", "--json")  # --db before the command
    data = json.loads(out.stdout)
    assert data["counts"]["producers"] == 1 and data["counts"]["lots"] == 2
    assert data["counts"]["visits"] == 1
    assert data["harvests"] == [2024, 2025]
    text = roasterdesk("info", env={"ROASTERDESK_DB": str(db_path)})
    assert text.returncode == 0
    assert f"database  {db_path}" in text.stdout
    assert "harvests  2024–2025 (2)" in text.stdout


def test_info_on_a_missing_file(tmp_path):
    path = tmp_path / "missing.sqlite"
    out = roasterdesk("info", "--json", "--db", str(path))
    assert out.returncode == 2
    assert_one_line_error(out, str(path), "does not exist")
    assert not path.exists()


def test_info_on_a_newer_database(db_path):
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_COMPAT + 1}")
    conn.commit()
    conn.close()
    out = roasterdesk("info", "--db", str(db_path))
    assert_one_line_error(out, "newer", f"schema {SCHEMA_COMPAT + 1}", f"schema {SCHEMA_COMPAT}")


def test_info_on_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "lots.csv"
    path.write_text("code\nCO-25-001\n")
    assert_one_line_error(roasterdesk("info", "--db", str(path)), "not a RoasterDesk database")


@pytest.mark.parametrize("args, words", [
    (["info", "--bogus"], ["unrecognized arguments: --bogus"]),
    (["frobnicate"], ["invalid choice", "frobnicate"]),
    (["info", "--db"], ["--db", "expected one argument"]),
])
def test_bad_arguments(args, words):
    out = roasterdesk(*args)
    assert out.returncode == 2
    assert_one_line_error(out, *words)


def test_a_passphrase_prompt_with_no_input_is_a_one_line_error(db_path):
    Store.open(db_path).close()
    out = subprocess.run(
        [sys.executable, "-m", "roasterdesk", "encrypt", "--passphrase", "--db", str(db_path)],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    # the prompt has no newline of its own, so the message ends the prompt's line
    assert "roasterdesk: the input ended" in out.stderr.strip().splitlines()[-1]
