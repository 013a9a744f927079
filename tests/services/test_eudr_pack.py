"""EUDR DDS records, readiness, and the due-diligence pack of a lot and of a harvest.

The pack's GeoJSON is re-read here with a plain ``json`` load and regular expressions on the
raw text: no code shared with the exporter."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from roasterdesk.cli import main
from roasterdesk.domain.model import Lot, Plot, Producer, ProducerKind
from roasterdesk.services.demo import build_demo
from roasterdesk.services.eudr_pack import readiness, write_harvest_packs
from roasterdesk.store import Store
from roasterdesk.store.errors import ValidationError
from roasterdesk.store.eudr_records import Dds

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _fixture(store):
    co = store.save_producer(Producer("Finca La Esperanza", ProducerKind.FARM, "CO"))
    good = store.save_plot(Plot(co.id, "Alto", Decimal("1.5"),
                                {"type": "Point", "coordinates": [-75.681234, 4.531234]}))
    rough = store.save_plot(Plot(co.id, "Bajo", Decimal("2"),
                                 {"type": "Point", "coordinates": [-75.681, 4.531]}))
    quito = store.save_plot(Plot(co.id, "Quito", Decimal("1"),
                                 {"type": "Point", "coordinates": [-78.470001, -0.180001]}))
    store.db.execute("UPDATE plots SET forest_after_2020 = 0 WHERE id IN (?, ?)",
                     [good.id, rough.id])
    store.save_lot(Lot("CO-OK", co.id, 2025, weight_kg=Decimal(690), plot_ids=(good.id,)))
    store.save_lot(Lot("CO-ROUGH", co.id, 2025, weight_kg=Decimal(690), plot_ids=(rough.id,)))
    store.save_lot(Lot("CO-BAD", co.id, 2025, weight_kg=Decimal(690),
                       plot_ids=(good.id, quito.id)))
    return co


def _independent_check(zip_path: Path, db: Path) -> dict:
    """Re-read a pack with plain json: [lon, lat] order and ranges, closed rings, decimals as
    recorded in the database, manifest hashes. Returns the manifest."""
    recorded = set()
    con = sqlite3.connect(db)
    for (text,) in con.execute("SELECT geometry FROM plots WHERE geometry IS NOT NULL"):
        recorded.update(NUMBER.findall(text))
    con.close()
    with zipfile.ZipFile(zip_path) as z:
        names = z.namelist()
        manifest = json.loads(z.read("manifest.json"))
        for entry in manifest["files"]:
            data = z.read(entry["name"])
            assert len(data) == entry["bytes"]
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert {e["name"] for e in manifest["files"]} | {"manifest.json"} == set(names)
        geo_name = next(n for n in names if n.endswith(".geojson"))
        raw = z.read(geo_name).decode("utf-8")
        assert len(raw.encode()) < 25 * 1024 * 1024
        assert z.read("summary.pdf").startswith(b"%PDF")
        json.loads(z.read("dds.json"))
    data = json.loads(raw)
    assert data["type"] == "FeatureCollection"
    for f in data["features"]:
        geom = f["geometry"]
        rings = [[geom["coordinates"]]] if geom["type"] == "Point" else [geom["coordinates"][0]]
        for ring in rings:
            if geom["type"] == "Polygon":
                assert ring[0] == ring[-1] and len(ring) >= 4
            for lon, lat in ring:
                assert -180 <= lon <= 180 and -90 <= lat <= 90
                if f["properties"]["ProducerCountry"] in ("CO", "BR", "PE", "ET", "KE"):
                    assert abs(lat) < 40  # latitude second: coffee grows between the tropics
    for chunk in re.findall(r'"coordinates":(\[[^A-Za-z]*?\])\}', raw):
        for num in NUMBER.findall(chunk):
            assert num in recorded, f"{num} is not a number as recorded"
    return manifest


def test_dds_records_are_kept_per_lot(store):
    _fixture(store)
    lot = store.lot_by_code("CO-OK")
    own = store.save_dds(Dds(lot.id, "own", "25NLSN2XQL4321", "ABCD1234",
                             date(2026, 12, 30), "submitted"))
    store.save_dds(Dds(lot.id, "upstream", "25DEUP0000001", supplier="Importer GmbH"))
    with pytest.raises(ValidationError, match="already has its own DDS"):
        store.save_dds(Dds(lot.id, "own", "OTHER"))
    with pytest.raises(ValidationError, match="status"):
        store.save_dds(Dds(lot.id, "upstream", "X", status="maybe"))
    got = store.dds_of_lot(lot.id)
    assert [(d.role, d.reference) for d in got] == [("own", "25NLSN2XQL4321"),
                                                    ("upstream", "25DEUP0000001")]
    assert got[0].submitted_on == date(2026, 12, 30) and got[0].uuid == own.uuid
    store.delete_dds(own.id)
    assert [d.role for d in store.dds_of_lot(lot.id)] == ["upstream"]
    row = store.db.execute("SELECT deleted_at, updated_at FROM eudr_dds WHERE id = ?",
                           [own.id]).fetchone()
    assert row[0] and row[1]  # a tombstone, not a delete


def test_readiness_names_every_reason(store):
    _fixture(store)
    assert readiness(store, "CO-OK").reasons == ["no DDS reference"]
    lot = store.lot_by_code("CO-OK")
    store.save_dds(Dds(lot.id, "own", "25NLSN2XQL4321"))
    assert readiness(store, "CO-OK").ready
    bad = readiness(store, "CO-BAD")
    assert bad.reasons == ["1 × outside the producer's country", "1 × cut-off not recorded",
                           "no DDS reference"]
    rough = readiness(store, "CO-ROUGH")
    assert rough.reasons == ["no DDS reference"]
    assert [c for c, _ in rough.plots[0].findings] == ["fewer than 6 decimals"]


def test_eudr_command_records_and_shows_the_dds(store, db_path, tmp_path, capsys):
    _fixture(store)
    store.close()
    cert = tmp_path / "land-title.pdf"
    cert.write_bytes(b"%PDF-1.4 land title")
    assert main(["--db", str(db_path), "eudr", "--lot", "CO-OK", "--dds", "25NLSN2XQL4321",
                 "--verification", "ABCD1234", "--submitted", "2026-12-30",
                 "--status", "submitted", "--upstream", "25DEUP0000001",
                 "--supplier", "Importer GmbH", "--document", str(cert),
                 "--kind", "land title", "--producer-document"]) == 0
    out = capsys.readouterr().out
    assert "EUDR: ready" in out
    assert "DDS (own): 25NLSN2XQL4321  verification ABCD1234  2026-12-30  status submitted" in out
    assert "DDS (upstream): 25DEUP0000001" in out and "from Importer GmbH" in out
    assert "document: land-title.pdf (land title)" in out
    assert main(["--db", str(db_path), "eudr", "--lot", "CO-BAD"]) == 0
    out = capsys.readouterr().out
    assert "not ready: 1 × outside the producer's country" in out and "is in Ecuador" in out
    assert main(["--db", str(db_path), "eudr", "--lot", "NOPE"]) == 2


def test_lot_pack_holds_everything_and_passes_the_independent_check(store, db_path, tmp_path,
                                                                   capsys):
    _fixture(store)
    store.close()
    cert = tmp_path / "rainforest.pdf"
    cert.write_bytes(b"%PDF-1.4 certificate")
    assert main(["--db", str(db_path), "eudr", "--lot", "CO-ROUGH", "--dds", "REF-1",
                 "--document", str(cert), "--title", "Rainforest certificate"]) == 0
    out = tmp_path / "rough.zip"
    assert main(["--db", str(db_path), "eudr-pack", "--lot", "CO-ROUGH", "--out", str(out)]) == 0
    manifest = _independent_check(out, db_path)
    names = {e["name"] for e in manifest["files"]}
    assert {"CO-ROUGH.geojson", "summary.pdf", "dds.json"} <= names
    doc = next(n for n in names if n.startswith("documents/"))
    with zipfile.ZipFile(out) as z:
        assert z.read(doc) == cert.read_bytes()
        assert '"coordinates":[-75.681,4.531]' in z.read("CO-ROUGH.geojson").decode()
        assert json.loads(z.read("dds.json"))["statements"][0]["reference"] == "REF-1"
        pdf = z.read("summary.pdf")
    import io

    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "fewer than 6 decimals" in text and "REF-1" in text and "Risk assessment" in text
    assert "Rainforest certificate" in text


def test_harvest_pack_one_zip_per_lot_with_progress(store, db_path, tmp_path):
    _fixture(store)
    seen = []
    results, seconds = write_harvest_packs(store, 2025, tmp_path / "packs",
                                           progress=lambda i, n: seen.append((i, n)))
    assert sorted(p.name for p in (tmp_path / "packs").iterdir()) == [
        "eudr-CO-BAD.zip", "eudr-CO-OK.zip", "eudr-CO-ROUGH.zip"]
    assert seen[0] == (0, 3) and seen[-1] == (3, 3) and seconds > 0
    assert [r.ready for r in results] == [False, False, False]
    for z in (tmp_path / "packs").iterdir():
        manifest = _independent_check(z, db_path)
        assert manifest["ready"] is False and "no DDS reference" in manifest["reasons"]
    with zipfile.ZipFile(tmp_path / "packs" / "eudr-CO-BAD.zip") as z:
        places = [f["properties"]["ProductionPlace"]
                  for f in json.loads(z.read("CO-BAD.geojson"))["features"]]
    assert places == ["Alto"]  # Quito, outside Colombia, is left out


def test_demo_harvest_packs_pass_the_independent_check(tmp_path):
    db = tmp_path / "demo.sqlite"
    build_demo(db, "small", seed=7)
    with Store.open(db) as store:
        results, _ = write_harvest_packs(store, 2025, tmp_path / "packs")
    packs = sorted((tmp_path / "packs").iterdir())
    assert len(packs) == len(results) > 10
    features = 0
    for z in packs:
        manifest = _independent_check(z, db)
        assert manifest["lot"] in {r.code for r in results}
        with zipfile.ZipFile(z) as zz:
            name = next(n for n in zz.namelist() if n.endswith(".geojson"))
            features += len(json.loads(zz.read(name))["features"])
    assert features > 0


def test_overview_lists_lots_not_ready_with_reasons(store):
    from roasterdesk.services.eudr_pack import lots_not_ready

    _fixture(store)
    store.save_dds(Dds(store.lot_by_code("CO-OK").id, "own", "25NLSN2XQL4321"))
    items, total = lots_not_ready(store, date(2025, 12, 1))
    assert total == 2
    texts = {i.text: i.urgent for i in items}
    assert texts == {
        "CO-BAD (Finca La Esperanza) — 1 × outside the producer's country; "
        "1 × cut-off not recorded; no DDS reference": True,
        "CO-ROUGH (Finca La Esperanza) — no DDS reference": False,
    }
    assert lots_not_ready(store, date(2030, 12, 1)) == ([], 0)  # older harvests are not listed


def test_findings_stay_with_their_plot_when_names_repeat(store):
    coop = store.save_producer(Producer("Coop Sur", ProducerKind.COOPERATIVE, "CO"))
    a = store.save_producer(Producer("Finca A", ProducerKind.FARM, "CO", parent_id=coop.id))
    b = store.save_producer(Producer("Finca B", ProducerKind.FARM, "CO", parent_id=coop.id))
    store.save_plot(Plot(a.id, "Plot 1", Decimal(1),
                         {"type": "Point", "coordinates": [-75.681234, 4.531234]}))
    store.save_plot(Plot(b.id, "Plot 1", Decimal(1),
                         {"type": "Point", "coordinates": [-78.470001, -0.180001]}))
    store.save_lot(Lot("CS-1", coop.id, 2025, weight_kg=Decimal(690)))
    plots = readiness(store, "CS-1").plots
    assert sorted(len(p.errors) for p in plots) == [0, 1]
