"""The demo data: deterministic, realistic, consistent with the domain, and safe to write."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest

from roasterdesk.cli import main
from roasterdesk.domain.geo import geometry_area_ha, validate_geometry
from roasterdesk.domain.model import ConsentScope
from roasterdesk.domain.pricing import economics
from roasterdesk.domain.reference import DEMO_C_ANNUAL_CENTS
from roasterdesk.domain.relationship import CommitmentState
from roasterdesk.errors import UserError
from roasterdesk.services.attachments import photo_path
from roasterdesk.services.backup import attachments_dir_for
from roasterdesk.services.demo import DemoCancelled, build_demo, ensure_demo
from roasterdesk.store import Store
from roasterdesk.store.store import metrics_row

TODAY = date.today()


@pytest.fixture(scope="module")
def small_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "small.sqlite"
    stats = build_demo(path, "small", seed=7)
    assert stats.counts["lots"] == 300
    return path


@pytest.fixture
def demo(small_path):
    with Store.open(small_path, create=False) as store:
        yield store


def _dump(path, table):
    with Store.open(path, create=False) as store:
        return list(store.db.execute(f"SELECT * FROM {table} ORDER BY id"))


def test_two_builds_with_one_seed_are_identical(small_path, tmp_path):
    again = tmp_path / "again.sqlite"
    build_demo(again, "small", seed=7)
    for table in ("producers", "people", "plots", "certifications", "visits", "lots",
                  "premiums", "projects"):
        assert _dump(again, table) == _dump(small_path, table), table
    other = tmp_path / "other.sqlite"
    build_demo(other, "small", seed=8)
    assert _dump(other, "lots") != _dump(small_path, "lots")


def test_small_scale_has_the_promised_size_and_spread(demo):
    counts = demo.counts()
    assert counts["producers"] == 30 and counts["lots"] == 300 and counts["visits"] == 200
    countries = {r[0] for r in demo.db.execute("SELECT country FROM producers")}
    assert len(countries) >= 8
    coops = demo.producers("kind = 'cooperative'")
    assert coops and all(demo.members(c.id) for c in coops)
    assert demo.harvests()[:10] == list(range(2016, 2026))
    assert demo.harvests()[10:] == ([TODAY.year] if TODAY.year > 2025 else [])


def test_this_harvests_contracts_are_open(demo):
    """After the last harvest with a demo C level, contracts are price-to-be-fixed or offers."""
    lots = demo.lots_where("harvest > 2025")
    assert bool(lots) == (TODAY.year > 2025)
    for lot in lots:
        assert lot.status.value in ("contracted", "offer", "cancelled")
        assert not lot.fixations and lot.fob_usd_lb is None and lot.farm_gate is None
        if lot.contract_type.value == "ptbf":
            assert lot.futures_month.startswith("KC") and 30 <= lot.differential_cents_lb <= 300


def test_people_with_without_and_withdrawn_consent(demo):
    people = [p for prod in demo.producers() for p in demo.people(prod.id)]
    assert any(p.consent is None for p in people)
    assert any(p.consent is not None and p.consent.withdrawn_on is None for p in people)
    assert any(p.consent is not None and p.consent.withdrawn_on is not None for p in people)


def test_certifications_expiring_soon_and_expired(demo):
    certs = [c for prod in demo.producers() for c in demo.certifications(prod.id)]
    latest: dict[tuple[int, str], date] = {}
    for c in certs:
        key = (c.producer_id, c.scheme.value)
        latest[key] = max(latest.get(key, c.valid_to), c.valid_to)
    ends = list(latest.values())
    assert any(TODAY <= d <= TODAY + timedelta(days=90) for d in ends)
    assert any(d < TODAY for d in ends)
    assert any(d > TODAY + timedelta(days=90) for d in ends)


def test_farm_gate_share_and_c_price_follow_the_domain(demo):
    lots = demo.lots_where("1 = 1")
    c_series = demo.reference().c_series
    shares = []
    for lot in lots:
        eco = economics(lot, c_series=c_series)
        if eco.c_usd_lb is not None and lot.harvest in DEMO_C_ANNUAL_CENTS:
            level = DEMO_C_ANNUAL_CENTS[lot.harvest] / 100
            assert abs(eco.c_usd_lb / level - 1) < Decimal("0.15"), lot.code
        if lot.farm_gate is not None and eco.fob_usd_lb is not None:
            shares.append(eco.farm_gate_share)
            assert Decimal("0.5") <= eco.farm_gate_share <= Decimal("0.85"), lot.code
        if lot.contract_type.value == "ptbf":
            assert 30 <= lot.differential_cents_lb <= 300
    assert len(shares) > 150
    currencies = {lot.farm_gate.currency for lot in lots if lot.farm_gate}
    assert {"COP", "ETB", "BRL"} <= currencies


def test_some_data_is_deliberately_missing(demo):
    lots = demo.lots_where("1 = 1")
    assert any(lot.farm_gate is None for lot in lots)
    assert any(lot.quality_score is None for lot in lots)
    assert any(not lot.exporter for lot in lots)
    assert any(lot.status.value == "cancelled" for lot in lots)
    overdue = [f for p in demo.producers() for v in demo.visits(p.id) for f in v.follow_ups
               if f.overdue(TODAY)]
    done = [f for p in demo.producers() for v in demo.visits(p.id) for f in v.follow_ups
            if f.done]
    assert overdue and done


def test_every_plot_geometry_is_valid_and_sized_by_the_eudr_rule(demo):
    plots = [p for prod in demo.producers() for p in demo.plots(prod.id)]
    kinds = Counter(p.geometry["type"] if p.geometry else None for p in plots)
    assert kinds["Point"] and kinds["Polygon"]
    for plot in plots:
        if plot.geometry is None:
            continue
        validate_geometry(plot.geometry)
        if plot.geometry["type"] == "Point":
            assert plot.area_ha <= 4
        else:
            assert plot.area_ha > 4
            assert abs(geometry_area_ha(plot.geometry) - float(plot.area_ha)) < 0.01


def test_commitments_kept_not_kept_and_in_progress(demo):
    states = Counter(
        r.state for p in demo.producers() for r in demo.relationship(p.id).commitments
    )
    assert set(states) == set(CommitmentState)


def test_bulk_metrics_equal_what_the_store_computes(demo):
    lots = demo.lots_where("1 = 1")
    assert demo.db.execute("SELECT count(*) FROM lot_metrics").fetchone()[0] == len(lots)
    for lot in lots[::37]:
        stored = demo.db.execute("SELECT * FROM lot_metrics WHERE lot_id = ?", [lot.id]).fetchone()
        assert tuple(stored) == metrics_row(demo.analyse(lot))


def test_visit_photos_lie_beside_the_database_and_some_show_people(demo, small_path):
    folder = attachments_dir_for(small_path)
    photos = [ph for p in demo.producers() for v in demo.visits(p.id) for ph in v.photos]
    assert len(photos) > 10
    for ph in photos:
        assert hashlib.sha256(photo_path(folder, ph).read_bytes()).hexdigest() == ph.sha256
    shown = [demo.person(ph.person_id) for ph in photos if ph.person_id is not None]
    assert any(p.may_appear(ConsentScope.PHOTO, TODAY) for p in shown)
    assert any(not p.may_appear(ConsentScope.PHOTO, TODAY) for p in shown)


def test_search_finds_visit_notes_and_names(demo):
    hits = demo.search("fermentation")
    assert any(h.kind == "visit" for h in hits)
    first = demo.producer(1)
    assert (("producer", 1) in {(h.kind, h.id) for h in demo.search(first.region)})


def test_command_refuses_a_database_with_data_unless_forced(small_path, tmp_path, capsys):
    path = tmp_path / "mine.sqlite"
    path.write_bytes(small_path.read_bytes())
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert main(["demo", "--scale", "small", "--db", str(path), "--seed", "3"]) == 2
    err = capsys.readouterr().err
    assert "already holds data" in err and "--force" in err and len(err.strip().splitlines()) == 1
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before

    assert main(["demo", "--scale", "small", "--db", str(path), "--seed", "3", "--force"]) == 0
    out = capsys.readouterr().out
    assert "lots" in out and "300" in out
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["mine-attachments", "mine.sqlite", "mine.sqlite.lock",
                    "mine.sqlite.sha256"]  # no temp, no WAL; sealed
    assert _dump(path, "lots") != _dump(small_path, "lots")  # seed 3, not seed 7


def test_command_writes_a_new_database(tmp_path, capsys):
    path = tmp_path / "new.sqlite"
    assert main(["demo", "--scale", "small", "--db", str(path)]) == 0
    with Store.open(path, create=False) as store:
        assert store.counts()["producers"] == 30
    assert "building small demo" in capsys.readouterr().err


def test_a_cancelled_build_leaves_nothing(tmp_path):
    path = tmp_path / "cancel.sqlite"
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(DemoCancelled):
        build_demo(path, "small", cancel=cancel)
    assert not path.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["cancel.sqlite.lock"]

    with Store.open(path) as store:
        with pytest.raises(DemoCancelled):
            build_demo(store, "small", cancel=lambda: True)
        assert store.is_empty()
        assert all(n == 0 for n in store.counts().values())
        assert store.db.execute("SELECT count(*) FROM c_prices").fetchone()[0] == 0


def test_a_database_open_for_writing_elsewhere_is_not_replaced(tmp_path):
    from roasterdesk.services.lock import writer_lock

    path = tmp_path / "busy.sqlite"
    with writer_lock(path):
        with pytest.raises(UserError, match="already open"):
            build_demo(path, "small")
    assert not path.exists()


def test_ensure_demo_builds_once(tmp_path):
    path = tmp_path / "sub" / "demo.sqlite"
    assert ensure_demo(path, scale="small") == path
    mtime = path.stat().st_mtime_ns
    assert ensure_demo(path, scale="small") == path
    assert path.stat().st_mtime_ns == mtime
