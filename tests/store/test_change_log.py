"""The change log: every write of the store records each changed field, in the same transaction.

One scenario per public write method of :class:`Store`. Each compares the user tables before and
after the call, field by field, with the entries the call added to the log: one entry per changed
field (a new row is one entry, field ``*``, holding its fields), values before and after, the
references as uuids. A test fails when a public write method has no scenario here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from roasterdesk.domain.model import (
    Certification,
    Commitment,
    ContractType,
    CostLeg,
    FarmGatePrice,
    Fixation,
    FollowUp,
    Lot,
    LotStatus,
    Party,
    Person,
    Photo,
    Plot,
    Premium,
    PremiumBasis,
    PremiumType,
    Process,
    Producer,
    ProducerKind,
    Project,
    ProjectCategory,
    Role,
    Scheme,
    Species,
    Visit,
    VisitMode,
)
from roasterdesk.domain.reference import FAIRTRADE_2023, LivingIncomeReference
from roasterdesk.domain.units import Basis, factor_from_rendimiento
from roasterdesk.store import Store, ValidationError
from roasterdesk.store import rows as R
from roasterdesk.store.changes import Change, Clock
from roasterdesk.store.eudr_records import Dds, LegalityDocument
from roasterdesk.store.kinds import NOT_LOGGED, TABLES

D = Decimal


def full_lot(producer_id, plot_ids=(), **kw):
    args = dict(
        code="CO-25-001", producer_id=producer_id, harvest=2025, name="El Mirador Castillo",
        bags=20, bag_kg=D(70), plot_ids=tuple(plot_ids), variety="Castillo",
        process=Process.WASHED, species=Species.ARABICA, quality_score=D("86.25"),
        defects_cat1=0, defects_cat2=3, moisture_pct=D("10.8"), status=LotStatus.SHIPPED,
        contract_type=ContractType.PTBF, contract_date=date(2025, 3, 14), futures_month="KCK25",
        fixations=(Fixation(date(2025, 3, 14), D("380.00"), D(700)),
                   Fixation(date(2025, 4, 2), D("371.50"))),
        differential_cents_lb=D(95),
        farm_gate=FarmGatePrice(D(2_600_000), "COP", "carga (125 kg)", D(125), Basis.PARCHMENT,
                                D(4100), factor_from_rendimiento(94), date(2025, 3, 14),
                                "Banco de la República"),
        costs=(CostLeg(Party.EXPORTER, "milling", D("0.15")),
               CostLeg(Party.IMPORTER, "freight", D("0.12"))),
        premiums=(Premium(PremiumType.QUALITY, PremiumBasis.PER_KG, D("0.50"), paid_to="farm"),
                  Premium(PremiumType.SOCIAL, PremiumBasis.PER_FARMER, D(50), False,
                          "association", farmers=12)),
        exporter="Exportadora Nariño", importer="Green Import Co", organic=True,
        certifications_claimed=(Scheme.ORGANIC_EU,), story="Dried on raised beds.",
    )
    args.update(kw)
    return Lot(**args)


def snapshot(store):
    out = {}
    for t in TABLES:
        cur = store.db.execute(f"SELECT * FROM {t}")
        cols = [d[0] for d in cur.description]
        for row in cur.fetchall():
            r = dict(zip(cols, row, strict=True))
            out[(t, r["uuid"])] = r
    return out


def portable(store, table, col, value):
    to = TABLES[table].refs.get(col)
    if to is None or value is None:
        return value
    return store.db.execute(f"SELECT uuid FROM {to} WHERE rowid = ?", [value]).fetchone()[0]


def expected_entries(store, before, after):
    """(table, uuid, field) → (old, new) the log must hold for the change before → after."""
    want = {}
    for key, row in after.items():
        table, uuid = key
        old = before.get(key)
        if old is None:
            fields = {c: portable(store, table, c, v) for c, v in row.items()
                      if c not in NOT_LOGGED and v is not None}
            want[(table, uuid, "*")] = (None, fields)
            continue
        for c, v in row.items():
            if c not in NOT_LOGGED and old[c] != v:
                want[(table, uuid, c)] = (portable(store, table, c, old[c]),
                                          portable(store, table, c, v))
    assert set(before) <= set(after), "a row was deleted instead of tombstoned"
    return want


def logged_since(store, seq):
    got = {}
    for table, uuid, field, old, new in store.db.execute(
            "SELECT table_name, row_uuid, field, old_value, new_value FROM change_log "
            "WHERE seq > ? ORDER BY seq", [seq]):
        key = (table, uuid, field)
        assert key not in got, f"two entries for one field in one write: {key}"
        got[key] = (old, json.loads(new) if field == "*" else new)
    return got


def max_seq(store):
    return store.db.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]


@pytest.fixture
def world(store):
    """A producer with a plot, a person, a visit and a lot: something for every method."""
    farm = store.save_producer(Producer("Finca La Esperanza", ProducerKind.FARM, "CO"))
    coop = store.save_producer(Producer("Cooperativa Sur", ProducerKind.COOPERATIVE, "CO"))
    plot = store.save_plot(Plot(farm.id, "Lote 1", area_ha=D("2.5")))
    person = store.save_person(Person(farm.id, "Ana Ruiz", Role.OWNER, phone="+57 300"))
    visit = store.save_visit(Visit(
        farm.id, date(2025, 3, 1), VisitMode.IN_PERSON, participants=("Ana Ruiz",),
        notes="Ana Ruiz showed the drying beds.",
        follow_ups=(FollowUp("Send samples", who="Ana Ruiz", due=date(2025, 4, 1)),),
        photos=(Photo("a" * 64, "beds.jpg", "Ana Ruiz at the beds", person.id),)))
    lot = store.save_lot(full_lot(farm.id, plot_ids=(plot.id,)))
    cert = store.save_certification(Certification(farm.id, Scheme.FAIRTRADE, "FT-1",
                                                  valid_to=date(2026, 1, 1)))
    com = store.save_commitment(Commitment(farm.id, 2024, 2026, volume_kg=D(1000)))
    proj = store.save_project(Project(farm.id, 2025, ProjectCategory.DRYING_BEDS, D(500),
                                      evidence_visit_id=visit.id))
    ref = store.save_living_income(LivingIncomeReference(
        "CO", 2024, D(5000000), "COP", D(125), Basis.PARCHMENT, "test"))
    spare = dict(spare_producer=store.save_producer(Producer("Gone", ProducerKind.FARM, "BR")),
                 spare_person=store.save_person(Person(farm.id, "Luis", Role.MEMBER)),
                 spare_plot=store.save_plot(Plot(farm.id, "Lote 9")))
    plot = store.save_plot(replace(plot, shade_pct=40))
    return dict(plot_op=store.log.last_op, farm=farm, coop=coop, plot=plot, person=person,
                visit=visit, lot=lot, cert=cert, com=com, proj=proj, ref=ref, **spare)


def _new_producers():
    return [Producer(f"Bulk farm {i}", ProducerKind.FARM, "PE") for i in range(3)]


SCENARIOS = {
    "save_producer": [
        lambda s, w: s.save_producer(Producer("Finca Nueva", ProducerKind.FARM, "HN")),
        lambda s, w: s.save_producer(replace(w["farm"], region="Huila", notes="new notes")),
        lambda s, w: s.save_producer(replace(w["farm"], parent_id=w["coop"].id)),
    ],
    "delete_producer": [
        lambda s, w: s.delete_producer(w["spare_producer"].id)],
    "save_person": [
        lambda s, w: s.save_person(replace(w["person"], phone="+57 311", email="a@b.co"))],
    "delete_person": [lambda s, w: s.delete_person(w["spare_person"])],
    "save_plot": [lambda s, w: s.save_plot(replace(w["plot"], area_ha=D("3.10")))],
    "delete_plot": [lambda s, w: s.delete_plot(w["spare_plot"])],
    "save_certification": [lambda s, w: s.save_certification(replace(w["cert"], number="FT-2"))],
    "delete_certification": [lambda s, w: s.delete_certification(w["cert"])],
    "save_commitment": [lambda s, w: s.save_commitment(replace(w["com"], last_harvest=2027))],
    "delete_commitment": [lambda s, w: s.delete_commitment(w["com"])],
    "save_project": [lambda s, w: s.save_project(replace(w["proj"], evidence_visit_id=None))],
    "delete_project": [lambda s, w: s.delete_project(w["proj"])],
    "save_visit": [
        lambda s, w: s.save_visit(replace(
            s.visit(w["visit"].id), notes="Changed notes",
            follow_ups=(replace(s.visit(w["visit"].id).follow_ups[0], done=True),
                        FollowUp("Call back")),
            photos=())),
    ],
    "delete_visit": [lambda s, w: s.delete_visit(s.visit(w["visit"].id))],
    "set_follow_up_done": [
        lambda s, w: s.set_follow_up_done(s.visit(w["visit"].id).follow_ups[0].id, True)],
    "save_lot": [
        lambda s, w: s.save_lot(replace(
            s.lot(w["lot"].id), fob_usd_lb=D("4.10"),
            fixations=(replace(s.lot(w["lot"].id).fixations[0], c_cents_lb=D("390.00")),
                       Fixation(date(2025, 5, 2), D("360"))),
            costs=s.lot(w["lot"].id).costs[:1], plot_ids=(),
            premiums=s.lot(w["lot"].id).premiums[1:])),
        lambda s, w: s.save_lot(replace(full_lot(w["farm"].id), code="CO-25-002")),
    ],
    "cancel_lot": [lambda s, w: s.cancel_lot(s.lot(w["lot"].id))],
    "save_dds": [
        lambda s, w: s.save_dds(Dds(w["lot"].id, "own", "25FRXXXX1", "VER1", date(2025, 3, 1),
                                    "submitted", uuid="dds-own-1")),
        lambda s, w: s.save_dds(Dds(w["lot"].id, "own", "25FRXXXX1", "VER2", date(2025, 3, 2),
                                    "available", uuid="dds-own-1")),
        lambda s, w: s.save_dds(Dds(w["lot"].id, "upstream", "24COYYYY9", supplier="Exporter")),
    ],
    "delete_dds": [  # a DDS to delete (its own action), then the delete
        lambda s, w: s.save_dds(Dds(w["lot"].id, "upstream", "24COZZZZ1", uuid="dds-gone")),
        lambda s, w: s.delete_dds(s.ids_by_uuid("eudr_dds", ["dds-gone"])["dds-gone"]),
    ],
    "add_legality_document": [
        lambda s, w: s.add_legality_document(LegalityDocument(
            "Land title", "ab" * 32, "title.pdf", "land_title", producer_id=w["farm"].id)),
        lambda s, w: s.add_legality_document(LegalityDocument(
            "Export permit", "cd" * 32, "permit.pdf", lot_id=w["lot"].id)),
    ],
    "set_c_prices": [lambda s, w: s.set_c_prices({(2025, 1): D("310.5"), (2025, 2): D(300)}),
                     lambda s, w: s.set_c_prices({(2025, 1): D("311")})],
    "set_london_prices": [
        lambda s, w: s.set_london_prices({(2025, 1): D(4400), (2025, 2): D("4512.5")}),
        lambda s, w: s.set_london_prices({(2025, 1): D(4390)})],
    "save_fairtrade_terms": [
        lambda s, w: s.save_fairtrade_terms(replace(FAIRTRADE_2023, premium_usd_lb=D("0.25"))),
        lambda s, w: s.save_fairtrade_terms(replace(FAIRTRADE_2023, valid_from=date(2026, 1, 1))),
    ],
    "save_living_income": [lambda s, w: s.save_living_income(replace(w["ref"], year=2025))],
    "delete_living_income": [lambda s, w: s.delete_living_income(w["ref"].id)],
    "insert_many": [lambda s, w: s.insert_many(
        "producers", [{**R.producer_to_row(p), "created_at": "2025-01-01T00:00:00+00:00"}
                      for p in _new_producers()])],
    "update_many": [lambda s, w: s.update_many(
        "producers", [(w["farm"].id, {"region": "Cauca"}), (w["coop"].id, {"notes": "x"})])],
    "add_records": [
        lambda s, w: s.add_records(_new_producers()),
        lambda s, w: s.add_records([replace(full_lot(w["farm"].id, (w["plot"].id,)),
                                            code=f"B-{i}") for i in range(3)]),
        lambda s, w: s.add_records([replace(w["visit"], id=None, uuid="v-bulk",
                                            follow_ups=(FollowUp("Bulk follow-up"),),
                                            photos=(Photo("b" * 64, "new.jpg"),))]),
    ],
    "update_records": [lambda s, w: s.update_records([replace(
        s.lot(w["lot"].id), story="Updated in bulk", fixations=())])],
    "write_metrics": [lambda s, w: s.write_metrics([s.analyse(s.lot(w["lot"].id))])],
    "save": [lambda s, w: s.save(replace(w["plot"], name="Lote Uno"))],
    "delete": [lambda s, w: s.delete(w["spare_plot"]), lambda s, w: s.delete(w["lot"])],
    "revert": [lambda s, w: s.revert(w["plot_op"])],
    "forget_text": [lambda s, w: s.forget_text("Ana Ruiz", "Person A1", w["person"])],
}

NOT_WRITES = {"transaction", "close", "open"}


def public_write_methods():
    verbs = ("save_", "delete_", "set_", "cancel_", "insert_", "update_", "add_", "write_",
             "forget_")
    named = ("save", "delete", "revert")
    return sorted(n for n in dir(Store)
                  if (n.startswith(verbs) or n in named) and callable(getattr(Store, n)))


def test_every_public_write_method_has_a_scenario():
    assert sorted(public_write_methods()) == sorted(SCENARIOS)


@pytest.mark.parametrize("method", sorted(SCENARIOS))
def test_a_write_logs_one_entry_per_changed_field(store, world, method):
    for scenario in SCENARIOS[method]:
        before, seq = snapshot(store), max_seq(store)
        scenario(store, world)
        after = snapshot(store)
        want = expected_entries(store, before, after)
        got = logged_since(store, seq)
        assert set(got) == set(want), method
        for key, (old, new) in want.items():
            if key[2] == "*":
                assert got[key][1] == new, key
            else:
                assert got[key] == (old, new), key
        if want:  # one action: one op id, one clock per entry, this device
            ops = store.db.execute("SELECT DISTINCT op_id FROM change_log WHERE seq > ?",
                                   [seq]).fetchall()
            assert len(ops) == 1
            devices = {r[0] for r in store.db.execute(
                "SELECT device_id FROM change_log WHERE seq > ?", [seq])}
            assert devices == {store.log.device_id}


def test_a_write_that_fails_leaves_neither_row_nor_entry(store, world):
    before, seq = snapshot(store), max_seq(store)
    with pytest.raises(ValidationError), store.transaction():
        store.save_producer(Producer("Half done", ProducerKind.FARM, "CO"))
        store.save_lot(replace(full_lot(world["farm"].id), code=world["lot"].code))  # duplicate
    assert snapshot(store) == before and max_seq(store) == seq


def test_a_used_record_is_not_deleted_and_nothing_is_logged(store, world):
    seq = max_seq(store)
    with pytest.raises(ValidationError, match="still used"):
        store.delete_plot(world["plot"])  # a lot comes from it
    assert max_seq(store) == seq and store.plot(world["plot"].id) == world["plot"]


def test_deleted_records_stay_as_tombstones_and_no_read_shows_them(store, world):
    farm = world["farm"]
    store.delete_visit(store.visit(world["visit"].id))
    store.delete_certification(world["cert"])
    assert store.visits(farm.id) == [] and store.certifications(farm.id) == []
    assert store.counts()["visits"] == 0 and store.counts()["follow_ups"] == 0
    assert not [h for h in store.search("drying") if h.kind == "visit"]
    rows = store.db.execute("SELECT deleted_at FROM follow_ups").fetchall()
    assert rows and all(r[0] for r in rows)  # the visit's follow-ups went with it
    assert store.projects(farm.id)[0].evidence_visit_id is None


def test_child_rows_are_changed_in_place(store, world):
    lot = store.lot(world["lot"].id)
    ids = store.db.execute("SELECT id, uuid FROM fixations ORDER BY id").fetchall()
    changed = store.save_lot(replace(lot, fixations=(
        replace(lot.fixations[0], c_cents_lb=D("399")), lot.fixations[1])))
    assert store.db.execute("SELECT id, uuid FROM fixations ORDER BY id").fetchall() == ids
    assert [f.uuid for f in changed.fixations] == [u for _i, u in ids]
    # values typed in again, without their uuids, still match the stored rows
    store.save_lot(replace(lot, fixations=tuple(replace(f, uuid="") for f in lot.fixations)))
    assert store.db.execute("SELECT id, uuid FROM fixations ORDER BY id").fetchall() == ids
    # a plot taken off and put back is the same link again
    store.save_lot(replace(store.lot(lot.id), plot_ids=()))
    store.save_lot(replace(store.lot(lot.id), plot_ids=lot.plot_ids))
    assert store.db.execute("SELECT count(*) FROM lot_plots").fetchone()[0] == 1
    assert store.lot(lot.id).plot_ids == lot.plot_ids


def test_a_copied_lot_gets_child_rows_of_its_own(store, world):
    lot = store.lot(world["lot"].id)
    copy = store.save_lot(replace(lot, id=None, uuid="copy-lot", code="CO-25-COPY"))
    assert {f.uuid for f in copy.fixations}.isdisjoint(f.uuid for f in lot.fixations)
    assert store.lot(lot.id) == lot and store.lot(copy.id).fixations == lot.fixations


def test_an_action_is_undone_and_redone_through_the_log(store, world):
    lot = store.lot(world["lot"].id)
    store.save_lot(replace(lot, fob_usd_lb=D("5.55"), fixations=lot.fixations[:1]))
    op = store.log.last_op
    store.revert(op)
    assert store.lot(lot.id) == lot
    store.revert(store.log.last_op)  # the undo, undone
    assert store.lot(lot.id).fob_usd_lb == D("5.55") and len(store.lot(lot.id).fixations) == 1
    visit = store.visit(world["visit"].id)
    store.delete_visit(visit)
    store.revert(store.log.last_op)
    assert store.visit(visit.id) == visit  # back with its follow-ups and photos, same ids


def test_unpushed_changes_are_listed_in_order_and_marked(store, world):
    pending = store.log.unpushed(limit=10_000)
    assert pending and [c.seq for c in pending] == sorted(c.seq for c in pending)
    hlcs = [c.hlc for c in pending]
    assert hlcs == sorted(hlcs)  # the clock only goes forward, and sorts as text
    store.log.mark_pushed([c.seq for c in pending[:5]])
    assert [c.seq for c in store.log.unpushed(limit=10_000)] == [c.seq for c in pending[5:]]


def test_remote_changes_are_applied_with_their_identity_and_not_pushed_again(store, world,
                                                                             tmp_path):
    with Store.open(tmp_path / "laptop2.sqlite") as other:
        p = other.save_producer(Producer("Remote farm", ProducerKind.FARM, "ET"))
        other.save_producer(replace(p, region="Sidama"))
        remote = other.log.unpushed()
        remote_device = other.log.device_id
    seq = max_seq(store)
    with store.transaction():
        applied = store.log.apply_remote(remote)
    assert len(applied) == 2
    got = store.producer_by_uuid(p.uuid)
    assert got is not None and got.region == "Sidama"
    assert all(c.seq <= seq for c in store.log.unpushed(limit=10_000))  # nothing to push
    # the field change is logged with its own device and clock; the new row is not (the hub's
    # feed keeps its creation, and no change of a row is older than its creation)
    rows = store.db.execute("SELECT device_id, hlc, origin, field FROM change_log "
                            "WHERE seq > ?", [seq]).fetchall()
    assert [c.field for c in remote] == ["*", "region"]
    assert rows == [(remote_device, remote[1].hlc, "remote", "region")]
    # a later local change wins over an older remote one (last writer wins, per field)
    store.save_producer(replace(store.producer_by_uuid(p.uuid), region="Guji"))
    stale = Change(0, "op-old", remote[1].hlc, remote_device, "producers", p.uuid, "region",
                   "Sidama", "Yirgacheffe")
    with store.transaction():
        assert store.log.apply_remote([stale]) == []
    assert store.producer_by_uuid(p.uuid).region == "Guji"


def test_the_clock_is_monotonic_when_the_wall_clock_goes_back():
    times = iter([1000, 1000, 900, 2000, 2100])
    c = Clock("dev", None, wall=lambda: next(times))
    stamps = [c.tick() for _ in range(4)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 4
    c.observe("000000000005000-000003-other")
    assert c.tick() > "000000000005000-000003-other"


KILL_CHILD = textwrap.dedent("""
    import os, signal, sys
    from roasterdesk.domain.model import Producer, ProducerKind
    from roasterdesk.store import Store
    store = Store.open(sys.argv[1], before_migrate=None)
    if sys.argv[2] == "kill":
        store.log.after_data_write = lambda table: os.kill(os.getpid(), signal.SIGKILL)
    store.save_producer(Producer("Killed farm", ProducerKind.FARM, "CO"))
    store.close()
""")


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
@pytest.mark.parametrize("mode", ["kill", "live"])
def test_a_kill_between_the_row_and_its_entry_leaves_neither(db_path, mode):
    with Store.open(db_path) as s:
        s.save_producer(Producer("Before", ProducerKind.FARM, "CO"))
    proc = subprocess.run([sys.executable, "-c", KILL_CHILD, str(db_path), mode],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == (-9 if mode == "kill" else 0), proc.stderr
    with Store.open(db_path) as s:
        rows = s.db.execute("SELECT uuid FROM producers WHERE name = 'Killed farm'").fetchall()
        logged = s.db.execute("SELECT count(*) FROM change_log WHERE row_uuid IN "
                              "(SELECT uuid FROM producers WHERE name = 'Killed farm') "
                              "OR new_value LIKE '%Killed farm%'").fetchone()[0]
        assert (len(rows), logged) == ((0, 0) if mode == "kill" else (1, 1))
