"""Hole 11: control characters never reach the database, whichever entry point typed them (the
store's forms, an import, a synced change from another laptop), and `ZZ` is not a country."""

from __future__ import annotations

import json

from roasterdesk.domain.model import Producer, ProducerKind
from roasterdesk.services import importing as I
from roasterdesk.services.exporting import export_list

DIRTY = "Finca \x1b[31mRoja\x1b[0m\x07\x00"


def _no_controls(text: str) -> bool:
    return not any(ord(c) < 32 and c not in "\t\n\r" or 0x7F <= ord(c) <= 0x9F for c in text)


def test_a_form_save_stores_clean_text_and_keeps_line_breaks(store):
    p = store.save_producer(Producer(DIRTY, ProducerKind.FARM, "CO", region="Hu\x1bila",
                                     varieties=("\x07Caturra",), notes="line one\nline\x00 two"))
    got = store.producer(p.id)
    assert (got.name, got.region, got.varieties, got.notes) == (
        "Finca Roja", "Huila", ("Caturra",), "line one\nline two")
    raw = store.db.execute("SELECT name, varieties, notes FROM producers").fetchone()
    assert all(_no_controls(v) for v in raw) and "\\u0007" not in raw[1]
    logged = [r[0] for r in store.db.execute("SELECT new_value FROM change_log")]
    assert all(_no_controls(v or "") and "\\u001b" not in (v or "") for v in logged)


def test_an_update_is_cleaned_too(store):
    p = store.save_producer(Producer("Finca", ProducerKind.FARM, "CO"))
    from dataclasses import replace

    store.save_producer(replace(store.producer(p.id), name="Finca\x1b[2J Nueva\x08"))
    assert store.producer(p.id).name == "Finca Nueva"


def test_an_import_stores_clean_text_and_refuses_zz(store, tmp_path):
    src = tmp_path / "p.csv"
    src.write_text("Producer,Country,Region\n"
                   "\"Finca \x1b[31mRoja\x1b[0m\x07\",CO,\"Hu\x07ila\"\n"  # (a NUL: binary)
                   "Finca Nowhere,ZZ,Somewhere\n", encoding="utf-8")
    plan = I.plan_import(store, I.read_source(src, "producers"), "producers")
    assert not plan.ok
    report = plan.report()
    assert "line 3" in report and "ZZ" in report, report
    assert store.counts()["producers"] == 0  # a refused file writes nothing
    src.write_text(src.read_text(encoding="utf-8").replace("ZZ", "CO"), encoding="utf-8")
    plan = I.plan_import(store, I.read_source(src, "producers"), "producers")
    assert plan.ok, plan.report()
    I.commit_import(store, plan)
    assert sorted((p.name, p.region) for p in store.producers()) == [
        ("Finca Nowhere", "Somewhere"), ("Finca Roja", "Huila")]
    out = tmp_path / "out.csv"
    export_list(store, "producers", out)
    assert _no_controls(out.read_text(encoding="utf-8"))


def test_a_synced_change_from_another_laptop_is_cleaned(store):
    from roasterdesk.store.changes import Change

    p = store.save_producer(Producer("Finca", ProducerKind.FARM, "CO"))
    uuid = store.producer(p.id).uuid
    remote = Change(seq=0, op_id="op-remote-1", hlc="9999999999999-0000-zz", device_id="zz",
                    table="producers", row_uuid=uuid, field="name", old="Finca",
                    new="Finca\x1b[5m Remota\x07")
    with store.transaction():
        store.log.apply_remote([remote])
    assert store.producer(p.id).name == "Finca Remota"
    assert json.dumps(store.producer(p.id).name) == '"Finca Remota"'
