"""Export → import round trip of every list, into a database made by ``roasterdesk init``.

What is compared: every field of every producer, person, plot, lot (with its fixations, cost legs,
premiums, plots and DDS references) and visit (with its follow-ups), and each lot's statement
JSON. What is ignored, because it cannot be the same in a new database: local row ids (records
are matched by their UUID, which the lists carry), the UUIDs of a lot's or visit's child rows
(fixations, cost legs, premiums, follow-ups, DDS records: the cells carry no identity) and
timestamps. Not in the lists, so copied through the store before the statements are compared:
certifications, commitments, projects and the C price series. Photos are files, not list cells:
they are left out of the comparison of visits.
"""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from roasterdesk.cli import main
from roasterdesk.domain.model import PremiumBasis
from roasterdesk.pdf.data import statement_json
from roasterdesk.services import importing as I
from roasterdesk.services import list_cells as L
from roasterdesk.services.demo import build_demo
from roasterdesk.services.exporting import KINDS, export_list
from roasterdesk.services.statement import load_statement
from roasterdesk.store import Store
from roasterdesk.store.eudr_records import Dds

ON = date(2026, 6, 1)
ORDER = ("producers", "people", "plots", "lots", "visits")


def _dds(store, lot_id):
    return [(d.role, d.reference, d.verification, d.submitted_on, d.status, d.supplier)
            for d in store.dds_of_lot(lot_id)]


def _without_ids(value):
    """A statement's JSON without local row ids (a commitment's "id", "producer_id")."""
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items()
                if not (k == "id" or k.endswith("_id"))}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _no_child_ids(lot):
    return replace(lot, id=None, producer_id=0, plot_ids=(),
                   premiums=tuple(replace(p, id=None, uuid="") for p in lot.premiums))


def _copy_unlisted(a, b):
    """Certifications, commitments, projects and the C series: kinds without a list."""
    pid = {p.id: b.producer_by_uuid(p.uuid).id for p in a.producers()}
    lid = {x.id: b.lot_by_code(x.code).id for x in a.lots_where("1")}
    visits = {v.uuid: v.id for p in b.producers() for v in b.visits(p.id)}
    vid = {v.id: visits[v.uuid] for p in a.producers() for v in a.visits(p.id)}
    for old, new in pid.items():
        for c in a.certifications(old):
            b.save_certification(replace(c, id=None, producer_id=new))
        for c in a.commitments(old):
            b.save_commitment(replace(c, id=None, producer_id=new))
        for p in a.projects(old):
            b.save_project(replace(p, id=None, producer_id=new,
                                   lot_id=lid.get(p.lot_id), evidence_visit_id=vid.get(
                                       p.evidence_visit_id)))
    months = {(int(m[:4]), int(m[5:7])): Decimal(v) for m, v in a.db.execute(
        "SELECT month, cents_lb FROM c_prices WHERE deleted_at IS NULL")}
    b.set_c_prices(months)


@pytest.fixture(scope="module")
def trip(tmp_path_factory):
    """The small demo (with DDS references and a voided premium added), exported by the
    command line and imported into an empty database made by ``roasterdesk init``."""
    tmp = tmp_path_factory.mktemp("trip")
    a = Store.open(tmp / "demo.sqlite")
    build_demo(a, "small", today=ON)
    lots = a.lots_where("1")
    a.save_dds(Dds(lots[0].id, "own", "26NLSN2XQL4321", "ABCD1234", date(2026, 3, 2),
                   "available"))
    a.save_dds(Dds(lots[0].id, "upstream", "25DEUP0000001", supplier="Importer; GmbH"))
    a.save_dds(Dds(lots[0].id, "upstream", "25DEUP0000002", "VER-2"))
    a.save_dds(Dds(lots[1].id, "own", "26NLSN2XQL9999", status="draft"))
    paid = next(x for x in lots if len(x.premiums) > 1)
    a.save_lot(replace(paid, premiums=paid.premiums[1:]))  # the first one is now voided
    a.close()
    b_path = tmp / "empty.sqlite"
    assert main(["init", "--db", str(b_path)]) == 0
    for kind in ORDER:
        out = tmp / f"{kind}.csv"
        assert main(["export", "--db", str(tmp / "demo.sqlite"), "--kind", kind,
                     "--out", str(out)]) == 0
        assert main(["import", "--db", str(b_path), "--kind", kind, str(out)]) == 0
    a, b = Store.open(tmp / "demo.sqlite"), Store.open(b_path)
    yield tmp, a, b
    a.close()
    b.close()


def test_every_list_field_arrives_unchanged(trip):
    _tmp, a, b = trip
    assert len(b.producers()) == len(a.producers()) == 30
    lots_a = a.lots_where("1")
    assert len(lots_a) == 300 and any(p.voided for x in lots_a for p in x.premiums)
    for mine in a.producers():
        theirs = b.producer_by_uuid(mine.uuid)
        parent = b.producer_by_uuid(a.producer(mine.parent_id).uuid).id if mine.parent_id \
            else None
        assert theirs == replace(mine, id=theirs.id, parent_id=parent)
        for get in (Store.people, Store.plots):
            assert [replace(x, id=None, producer_id=0) for x in get(b, theirs.id)] == \
                   [replace(x, id=None, producer_id=0) for x in get(a, mine.id)]
        got = {v.uuid: replace(v, id=None, producer_id=0, photos=(), follow_ups=tuple(
            replace(f, id=None, uuid="") for f in v.follow_ups)) for v in b.visits(theirs.id)}
        want = {v.uuid: replace(v, id=None, producer_id=0, photos=(), follow_ups=tuple(
            replace(f, id=None, uuid="") for f in v.follow_ups)) for v in a.visits(mine.id)}
        for uuid, v in want.items():
            assert got[uuid] == v
        assert got.keys() == want.keys()
    plots_a = {p.id: (p.uuid) for p in a.plots_by_ids({i for x in lots_a for i in x.plot_ids})}
    follow_ups = 0
    for x in lots_a:
        y = b.lot_by_code(x.code)
        assert y.uuid == x.uuid
        assert _no_child_ids(y) == _no_child_ids(x)
        # fixations and cost legs compare without their uuids (compare=False); premiums
        # field by field above; the plots by their own uuid:
        assert [b.plot(i).uuid for i in y.plot_ids] == [plots_a[i] for i in x.plot_ids]
        assert _dds(b, y.id) == _dds(a, x.id)
        assert (b.producer(y.producer_id).uuid == a.producer(x.producer_id).uuid)
    for p in a.producers():
        follow_ups += sum(len(v.follow_ups) for v in a.visits(p.id))
    assert follow_ups > 50  # the demo's follow-ups were compared above


def test_each_lot_statement_is_the_same(trip):
    _tmp, a, b = trip
    _copy_unlisted(a, b)
    for x in a.lots_where("1"):
        mine = _without_ids(statement_json(load_statement(a, x.code, on=ON, photos=False)))
        theirs = _without_ids(statement_json(load_statement(b, x.code, on=ON, photos=False)))
        assert theirs == mine, (x.code, {k: (mine[k], theirs.get(k)) for k in mine
                                         if mine[k] != theirs.get(k)})


def test_a_second_import_with_update_changes_nothing(trip):
    tmp, _a, b = trip
    before = b.db.execute("SELECT count(*) FROM change_log").fetchone()[0]
    for kind in ORDER:
        p = I.plan_import(b, I.read_source(tmp / f"{kind}.csv", kind), kind,
                          on_duplicate="update")
        assert p.ok and p.count("create") == 0, p.report(limit=5)
        I.commit_import(b, p)
    assert b.db.execute("SELECT count(*) FROM change_log").fetchone()[0] == before


def test_the_lists_write_every_import_field(trip):
    tmp, _a, _b = trip
    from roasterdesk.services import fields as FS
    from roasterdesk.services.exporting import export_columns

    # producer_kind: read only for a producer the import creates
    derived = {"producers": {"altitude", "altitude_unit"},
               "people": {"producer_kind"},
               "plots": {"latitude", "longitude", "altitude_unit", "producer_kind"},
               "lots": {"fob_usd_kg", "producer_region", "producer_altitude", "altitude_unit",
                        "weight_unit", "producer_kind"},
               "visits": {"producer_kind"}}
    for kind in KINDS:
        written = {s.key for s in export_columns(kind)}
        # what is not written is another form of a written field (or a unit for one)
        assert {s.key for s in FS.KINDS[kind]} - written <= derived[kind], kind
        with open(tmp / f"{kind}.csv", encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh))
        assert header == [s.label for s in export_columns(kind)]


# -- a value changed in the spreadsheet arrives changed -------------------------------------------
def _rewrite(path, column, change):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index(column)
    for r in rows[1:]:
        r[col] = change(r[col])
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


@pytest.mark.parametrize("case", ["premium", "cost leg", "follow-up", "dds", "plots"])
def test_a_child_changed_in_the_file_arrives_changed(trip, tmp_path, case):
    tmp, a, _b = trip
    c = Store.open(tmp_path / "c.sqlite")
    try:
        for kind in ORDER:
            src = tmp / f"{kind}.csv"
            path = tmp_path / src.name
            path.write_bytes(src.read_bytes())
            if case == "premium" and kind == "lots":
                _rewrite(path, "Premiums", lambda t: t.replace(" USD/kg", "1 USD/kg"))
            elif case == "cost leg" and kind == "lots":
                _rewrite(path, "Cost legs", lambda t: t.replace(" USD/lb", "7 USD/lb"))
            elif case == "follow-up" and kind == "visits":
                _rewrite(path, "Follow-ups", lambda t: t.replace("open]", "done]"))
            elif case == "dds" and kind == "lots":
                _rewrite(path, "DDS status", lambda t: "withdrawn" if t else "")
            elif case == "plots" and kind == "lots":
                _rewrite(path, "Plots", lambda t: L.join(L.items(t)[:1]))
            p = I.plan_import(c, I.read_source(path, kind), kind)
            assert p.ok, p.report(limit=5)
            I.commit_import(c, p)
        for x in a.lots_where("1"):
            y = c.lot_by_code(x.code)
            if case == "premium":
                assert [p.amount for p in y.premiums] == [
                    Decimal(f"{p.amount}1") if p.basis is PremiumBasis.PER_KG else p.amount
                    for p in x.premiums]
            elif case == "cost leg":
                assert [k.usd_lb for k in y.costs] == [Decimal(f"{k.usd_lb}7") for k in x.costs]
            elif case == "dds":
                assert {d.status for d in c.dds_of_lot(y.id) if d.role == "own"} == (
                    {"withdrawn"} if any(d.role == "own" for d in a.dds_of_lot(x.id)) else set())
            elif case == "plots":
                assert len(y.plot_ids) == min(len(x.plot_ids), 1)
            else:
                assert len(y.premiums) == len(x.premiums)
        if case == "follow-up":
            for p in a.producers():
                mine = {v.uuid: v for v in a.visits(p.id)}
                for v in c.visits(c.producer_by_uuid(p.uuid).id):
                    assert [f.done for f in v.follow_ups] == [True] * len(mine[v.uuid].follow_ups)
    finally:
        c.close()


# -- bad cells are named by line and column --------------------------------------------------------
BAD = [
    ("Premiums", "quality: 0.10 USD/kg", "say whether the premium is 'in FOB' or paid 'on top'"),
    ("Premiums", "quality: 0.10 EUR/kg, on top", "premiums are recorded in USD"),
    ("Premiums", "bonus: 0.10 USD/kg, on top", "'bonus' is not a premium type"),
    ("Premiums", "quality: 0.10, on top", "write the amount with its basis"),
    ("Premiums", "second payment: 20 USD per farmer, on top",
     "a per-farmer premium needs the number of farmers"),
    ("Premiums", "quality: -1 USD/kg, on top", "a premium cannot be negative"),
    ("Cost legs", "shipper freight: 0.1 USD/lb", "write a cost leg as"),
    ("Cost legs", "exporter milling: 0.1", "write the amount with its unit"),
    ("Cost legs", "exporter milling: 0.1 USD/lb; exporter export: abc USD/lb",
     "write the amount with its unit"),
    ("DDS status", "sent", "'sent' is not a DDS status"),
    ("DDS submitted on", "someday", "not a date"),
    ("DDS status", "draft", "a DDS needs its reference number"),
    ("Upstream DDS", "25X1; 25X1", "25X1 named twice"),
    ("Upstream DDS", "25X1, verified V", "is not part of a DDS reference"),
    ("Plots", "Lote 9", "plot 'Lote 9'"),
]


@pytest.mark.parametrize("column,cell,reason", BAD)
def test_a_bad_cell_is_named_and_nothing_is_written(store, tmp_path, column, cell, reason):
    path = tmp_path / "lots.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["Lot code", "Producer", "Country", "Harvest", column],
                                  ["L-1", "Finca", "CO", "2025", cell]])
    p = I.plan_import(store, I.read_source(path, "lots"), "lots")
    errors = [(x.line, x.column, x.reason) for x in p.errors]
    named = "DDS reference" if "reference number" in reason else column  # what is missing
    assert len(errors) == 1 and errors[0][:2] == (2, named) and reason in errors[0][2], errors
    assert not p.ok


def test_follow_up_cells_read_back_quoted_text_and_are_named_when_bad(store, tmp_path):
    from roasterdesk.domain.visits import FollowUp

    tricky = FollowUp('Pay "Ana; Luis", then [re]check', 'Ruiz, A.', date(2026, 1, 2), True)
    back = L.parse_follow_ups(L.follow_up_text(tricky) + "; Call the mill")
    assert [replace(f, uuid="") for f in back] == [
        replace(tricky, uuid=""), FollowUp("Call the mill", uuid="")]
    path = tmp_path / "visits.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["Producer", "Country", "Date", "Mode", "Follow-ups"],
                                  ["Finca", "CO", "2025-01-02", "call", "Call [soon]"]])
    p = I.plan_import(store, I.read_source(path, "visits"), "visits")
    assert [(x.line, x.column) for x in p.errors] == [(2, "Follow-ups")]
    assert "'soon' is not part of a follow-up" in p.errors[0].reason


def test_premium_cells_read_back_every_form(store):
    from roasterdesk.domain.model import Premium, PremiumType

    forms = [Premium(PremiumType.QUALITY, PremiumBasis.PER_KG, Decimal("0.1"), True, "A, B"),
             Premium(PremiumType.SOCIAL, PremiumBasis.PER_LOT, Decimal(1500), False, ""),
             Premium(PremiumType.SECOND_PAYMENT, PremiumBasis.PER_FARMER, Decimal(25), False,
                     "member farmers", 40, True),
             Premium(PremiumType.RELATIONSHIP, PremiumBasis.PCT_OF_PRICE, Decimal("2.5"), True)]
    text = L.join(L.premium_text(p) for p in forms)
    back = L.parse_premiums(text)
    assert [replace(p, uuid="") for p in back] == [replace(p, uuid="") for p in forms]
    assert json.dumps(text)  # one plain string
    # a decimal comma is not a separator
    assert L.parse_premiums("quality: 0,10 USD/kg, on top")[0].amount == Decimal("0.10")


def test_list_items_and_notes_holding_a_separator_read_back(store, tmp_path):
    from roasterdesk.domain.model import Producer, ProducerKind
    from roasterdesk.domain.visits import Visit

    p = store.save_producer(Producer("Finca", ProducerKind.FARM, "KE",
                                     varieties=("SL28/SL34", "Batian"), processes=("washed",)))
    from roasterdesk.domain.visits import Evidence, Observation, Outcome, Topic

    notes = ("about 40 % (rough; under inga", 'said "fine")', "pH (7) fine")
    store.save_visit(Visit(p.id, date(2025, 2, 3), participants=("Ruiz, Ana", 'Tom "TB" Becker',
                                                                 "Dawit"), observations=(
        Observation(Topic.SHADE, Evidence.OBSERVED, notes[0], Outcome.NO_ISSUE),
        Observation(Topic.WATER_USE, Evidence.REPORTED, notes[1]),
        Observation(Topic.COMPOSTING, Evidence.OBSERVED, notes[2]))))
    c = Store.open(tmp_path / "c.sqlite")
    try:
        for kind in ("producers", "visits"):
            out = tmp_path / f"{kind}.csv"
            export_list(store, kind, out)
            plan = I.plan_import(c, I.read_source(out, kind), kind)
            assert plan.ok, plan.report(limit=5)
            I.commit_import(c, plan)
        q = c.producer_by_uuid(p.uuid)
        assert q.varieties == ("SL28/SL34", "Batian")
        visit = c.visits(q.id)[0]
        assert visit.participants == ("Ruiz, Ana", 'Tom "TB" Becker', "Dawit")
        assert tuple(o.note for o in visit.observations) == notes
    finally:
        c.close()
