"""EUDR geolocation file, Transparency Pledge export, C price series, a producer's own data."""

from __future__ import annotations

import csv
import json
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from roasterdesk.cli import main
from roasterdesk.domain.geo import self_intersects, validate_geometry
from roasterdesk.domain.model import (
    Consent,
    ConsentScope,
    Lot,
    LotStatus,
    Person,
    Photo,
    Plot,
    Premium,
    PremiumBasis,
    PremiumType,
    Producer,
    ProducerKind,
    Role,
    Species,
    Visit,
)
from roasterdesk.domain.reference import FAIRTRADE_2023
from roasterdesk.errors import UserError
from roasterdesk.services import eudr
from roasterdesk.services.geofiles import read_geo_table
from roasterdesk.services.importing import commit_import, plan_import, read_source
from roasterdesk.services.pledge import export_pledge
from roasterdesk.services.producer_data import erase_person, export_producer
from roasterdesk.services.reference_prices import import_c_prices

SQUARE_6HA = [[-75.9, 2.0], [-75.9, 2.0022], [-75.8978, 2.0022], [-75.8978, 2.0], [-75.9, 2.0]]


def _geo_fixture(store):
    co = store.save_producer(Producer("Finca El Mirador", ProducerKind.FARM, "CO"))
    et = store.save_producer(Producer("Wush Wush Station", ProducerKind.WASHING_STATION, "ET"))
    np_ = store.save_producer(Producer("Himalaya Farm", ProducerKind.FARM, "NO"))
    coop = store.save_producer(Producer("Coop Sur", ProducerKind.COOPERATIVE, "CO"))
    member = store.save_producer(Producer("Finca Miembro", ProducerKind.FARM, "CO",
                                          parent_id=coop.id))
    plots = {
        "point": store.save_plot(Plot(co.id, "La Loma", Decimal("2.5"),
                                      {"type": "Point", "coordinates": [-76.05, 1.85]})),
        "polygon": store.save_plot(Plot(co.id, "El Llano", None,
                                        {"type": "Polygon", "coordinates": [SQUARE_6HA]})),
        "big_point": store.save_plot(Plot(co.id, "Big", Decimal(9),
                                          {"type": "Point", "coordinates": [-76.1, 1.9]})),
        "no_area": store.save_plot(Plot(co.id, "No area", None,
                                        {"type": "Point", "coordinates": [-76.1, 1.9]})),
        "missing": store.save_plot(Plot(co.id, "Unmapped", Decimal(1))),
        "swapped": store.save_plot(Plot(et.id, "Swapped", Decimal(1),
                                        {"type": "Point", "coordinates": [6.85, 38.5]})),
        "outside": store.save_plot(Plot(et.id, "In Kenya", Decimal(1),
                                        {"type": "Point", "coordinates": [37.0, -0.5]})),
        "unknown": store.save_plot(Plot(np_.id, "Fjord", Decimal(1),
                                        {"type": "Point", "coordinates": [10.0, 60.0]})),
        "member": store.save_plot(Plot(member.id, "Parcela 1", Decimal(3),
                                       {"type": "Point", "coordinates": [-75.5, 2.2]})),
    }
    bowtie = [[-76.0, 1.0], [-75.99, 1.01], [-75.99, 1.0], [-76.0, 1.01], [-76.0, 1.0]]
    store.db.execute("UPDATE plots SET geometry = ? WHERE id = ?",
                     [json.dumps({"type": "Polygon", "coordinates": [bowtie]}),
                      plots["no_area"].id])  # an invalid polygon stored by an older version
    for code, pid in (("CO-1", co.id), ("ET-1", et.id), ("NO-1", np_.id), ("CS-1", coop.id)):
        store.save_lot(Lot(code, pid, 2025, weight_kg=Decimal(600)))
    store.save_lot(Lot("CO-2", co.id, 2025, plot_ids=(plots["point"].id,)))
    store.save_lot(Lot("EMPTY-1", store.save_producer(
        Producer("No Plots", ProducerKind.FARM, "PE")).id, 2025))
    return plots


def test_validation_report_lists_every_kind_of_problem(store):
    _geo_fixture(store)
    report = eudr.validate(store, harvest=2025)
    assert report.counts() == {
        eudr.MISSING: 2, eudr.INVALID: 1, eudr.POINT_OVER_4HA: 1, eudr.POINT_NO_AREA: 0,
        eudr.SWAPPED: 1, eudr.OUTSIDE: 1, eudr.DUPLICATE_VERTEX: 0,
    }
    text = {str(p) for p in report.problems}
    assert any(t.startswith("invalid geometry: Finca El Mirador / No area (lots CO-1) — the "
                            "polygon's edges cross each other (shapely: Self-intersection")
               for t in text)
    outside = next(p for p in report.problems if p.category == eudr.OUTSIDE)
    assert outside.plot == "In Kenya" and "is in Kenya" in outside.detail
    assert "missing geolocation: No Plots (lots EMPTY-1) — no plots recorded (nor plots of " \
           "member farms)" in text
    # Norway now has borders: the fjord plot is checked; every plot here has 1-4 decimals
    assert not [n for n in report.notes if n.category == eudr.NOT_CHECKED]
    assert sorted(n.plot for n in report.notes if n.category == eudr.FEW_DECIMALS) == [
        "El Llano", "Fjord", "In Kenya", "La Loma", "Parcela 1", "Swapped"]
    assert [n.plot for n in report.notes if n.category == eudr.REVERSED] == ["El Llano"]
    places = sorted(f["properties"]["ProductionPlace"] for f in report.features)
    assert places == ["El Llano", "Fjord", "La Loma", "Parcela 1"]  # members stand for the co-op


def test_geojson_file_follows_the_eu_rules(store, tmp_path):
    _geo_fixture(store)
    out = tmp_path / "dds.geojson"
    report, written = eudr.export_geojson(store, out, harvest=2025)
    assert not written and not out.exists()  # problems: nothing written without --force
    report, written = eudr.export_geojson(store, out, harvest=2025, force=True)
    assert written
    text = out.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 4
    import re

    coords_text = re.findall(r'"coordinates":(\[.*?\]\]?\]?)\}', text)
    assert coords_text
    for chunk in coords_text:  # as recorded (1 to 4 decimals here), never padded to 6
        for num in re.findall(r"-?\d+\.(\d+)", chunk):
            assert 1 <= len(num) <= 4
    for f in data["features"]:
        props, geom = f["properties"], f["geometry"]
        assert set(props) == {"ProducerName", "ProducerCountry", "ProductionPlace", "Area"}
        assert len(props["ProducerCountry"]) == 2
        validate_geometry(geom)
        if geom["type"] == "Point":
            assert 0 < props["Area"] <= 4
            lon, lat = geom["coordinates"]
        else:
            ring = geom["coordinates"][0]
            assert ring[0] == ring[-1] and len(ring) >= 4 and not self_intersects(ring)
            assert props["Area"] > 4
            lon, lat = ring[0]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    llano = next(f for f in data["features"] if f["properties"]["ProductionPlace"] == "El Llano")
    assert llano["geometry"]["coordinates"][0][0] == [-75.9, 2.0]
    assert '[-75.9,2.0]' in text and "-75.900000" not in text
    assert round(llano["properties"]["Area"], 1) == 6.0


def test_export_geojson_command_for_chosen_lots(store, db_path, tmp_path, capsys):
    _geo_fixture(store)
    out = tmp_path / "co2.geojson"
    assert main(["--db", str(db_path), "export-geojson", "--lot", "CO-2", "--out", str(out)]) == 0
    assert "wrote 1 plots" in capsys.readouterr().out
    assert json.loads(out.read_text())["features"][0]["properties"]["ProductionPlace"] == "La Loma"
    assert main(["--db", str(db_path), "export-geojson", "--lot", "NOPE", "--out", str(out)]) == 2


def test_plots_from_geojson_and_kml(store, tmp_path):
    gj = tmp_path / "plots.geojson"
    gj.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ProducerName": "Finca El Mirador",
                                           "ProducerCountry": "CO", "ProductionPlace": "Norte",
                                           "Area": 6.0},
         "geometry": {"type": "Polygon", "coordinates": [SQUARE_6HA]}},
        {"type": "Feature", "properties": {"ProducerName": "Finca El Mirador",
                                           "ProducerCountry": "CO", "ProductionPlace": "Sur",
                                           "Area": "1,5"},
         "geometry": {"type": "Point", "coordinates": [-76.0, 1.9, 1700]}},
        {"type": "Feature", "properties": {"ProducerName": "Finca El Mirador",
                                           "ProducerCountry": "CO", "ProductionPlace": "Open"},
         "geometry": {"type": "Polygon", "coordinates": [SQUARE_6HA[:-1]]}},
    ]}))
    p = plan_import(store, read_source(gj, "plots"), "plots")
    assert [str(x) for x in p.errors] == [
        "line 3: geometry: a polygon ring must be closed (first position = last)"]
    p.problems.clear()
    commit_import(store, p)
    kml = tmp_path / "farm.kml"
    kml.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
 <Placemark><name>Lote Alto</name>
  <ExtendedData><Data name="Area"><value>2.2</value></Data></ExtendedData>
  <Point><coordinates>-76.02,1.87,1800</coordinates></Point></Placemark>
 <Placemark><name>Lote Bajo</name>
  <Polygon><outerBoundaryIs><LinearRing><coordinates>
   -75.9,2.0 -75.9,2.0022 -75.8978,2.0022 -75.8978,2.0 -75.9,2.0
  </coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</Document></kml>""")
    p = plan_import(store, read_source(kml, "plots"), "plots",
                    defaults={"producer": "Finca El Mirador", "country": "CO"})
    assert p.ok, p.report()
    commit_import(store, p)
    pid = store.producers()[0].id
    by_name = {x.name: x for x in store.plots(pid)}
    assert set(by_name) == {"Norte", "Sur", "Lote Alto", "Lote Bajo"}
    assert by_name["Sur"].geometry["coordinates"] == [-76.0, 1.9, 1700]
    assert by_name["Sur"].area_ha == Decimal("1.5")
    assert by_name["Lote Bajo"].geometry["type"] == "Polygon"
    evil = tmp_path / "evil.kml"
    evil.write_text('<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaa">]><kml>&a;</kml>')
    with pytest.raises(UserError, match="DOCTYPE"):
        read_geo_table(evil)


def _pledge_fixture(store):
    farm = store.save_producer(Producer("Finca El Mirador", ProducerKind.FARM, "CO"))
    coop = store.save_producer(Producer("Coop Sur", ProducerKind.COOPERATIVE, "CO"))
    member = store.save_producer(Producer("Finca Pequeña", ProducerKind.FARM, "CO",
                                          parent_id=coop.id))
    store.save_person(Person(farm.id, "José Ramírez", Role.OWNER, consent=Consent(
        date(2020, 1, 1), frozenset({ConsentScope.NAME}))))
    store.save_person(Person(member.id, "Ana Díaz", Role.OWNER))  # no consent
    store.save_lot(Lot("CO-23-1", farm.id, 2023, weight_kg=Decimal(1000), quality_score=Decimal(85),
                       fob_usd_lb=Decimal("3.50"), contract_date=date(2023, 5, 1)))
    store.save_lot(Lot("CO-24-1", farm.id, 2024, weight_kg=Decimal(1400), quality_score=Decimal(86),
                       fob_usd_lb=Decimal("4.75"), contract_date=date(2024, 5, 1)))
    store.save_lot(Lot("CO-24-2", member.id, 2024, weight_kg=Decimal(600),
                       fob_usd_lb=Decimal("4.00"), contract_date=date(2024, 6, 1)))  # no score
    store.save_lot(Lot("CO-24-3", member.id, 2024, quality_score=Decimal(84),
                       fob_usd_lb=Decimal("4.00"), contract_date=date(2024, 7, 1)))  # no weight
    store.save_lot(Lot("CO-22-9", farm.id, 2022, weight_kg=Decimal(900),
                       contract_date=date(2022, 5, 1)))  # outside the period
    store.save_lot(Lot("CO-24-9", farm.id, 2024, weight_kg=Decimal(5000), fob_usd_lb=Decimal(5),
                       contract_date=date(2024, 9, 1), status=LotStatus.OFFER))  # not bought


def test_pledge_export_data_points_consent_and_share(store, tmp_path):
    _pledge_fixture(store)
    out = tmp_path / "pledge.csv"
    rows, summary = export_pledge(store, date(2023, 1, 1), date(2024, 12, 31), out)
    assert [r.lot_code for r in rows] == ["CO-23-1", "CO-24-1", "CO-24-2", "CO-24-3"]
    assert rows[1].producer == "Finca El Mirador (José Ramírez)"  # consent to be named
    assert rows[2].producer == "Finca Pequeña, member of Coop Sur"  # no consent: farm only
    assert rows[1].relationship_harvests == 3 and rows[1].first_harvest == 2022
    assert rows[2].missing == ("Quality (cup score)",)
    assert summary.total_kg == 3000 and summary.reported_kg == 2400
    assert summary.share_reported == Decimal("0.8") and summary.lots_without_weight == 1
    with open(out, encoding="utf-8-sig", newline="") as fh:
        data = list(csv.reader(fh))
    assert data[0][:3] == ["Lot", "Harvest", "Producer or organisation"]
    assert data[2] == ["CO-24-1", "2024", "Finca El Mirador (José Ramírez)", "CO", "4.7500",
                       "86", "1400", "3", "2022", "yes", ""]
    assert ["Share of volume reported", "80.0 %"] in data
    assert "José" not in "".join(",".join(r) for r in data if r and r[0] == "CO-24-2")


def test_pledge_command(store, db_path, tmp_path, capsys):
    _pledge_fixture(store)
    out = tmp_path / "p.csv"
    assert main(["--db", str(db_path), "export-pledge", "--from", "2024-01-01", "--to",
                 "2024-12-31", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Share of volume reported" in printed and "70.0 %" in printed
    assert main(["--db", str(db_path), "export-pledge", "--from", "2024-12-31", "--to",
                 "2024-01-01", "--out", str(out)]) == 2


def test_c_price_series_fills_estimated_c_from_contract_date(store, tmp_path):
    farm = store.save_producer(Producer("Finca", ProducerKind.FARM, "CO"))
    lot = store.save_lot(Lot("L1", farm.id, 2025, weight_kg=Decimal(1000),
                             fob_usd_lb=Decimal("4.75"), contract_date=date(2025, 3, 20)))
    assert store.analyse(lot).economics.c_usd_lb is None
    src = tmp_path / "kc.csv"
    src.write_text("Date;Settle\n2025-03-13;378,50\n2025-03-14;381,50\n2025-04-01;392,5\n"
                   "not a month;1\n")
    bad = import_c_prices(store, src)
    assert [str(p) for p in bad.problems] == [
        "line 5, column 'month': 'not a month' is not a month (use 2024-03)"]
    assert store.reference()[2].months == {}
    src.write_text("Date;Settle\n2025-03-13;378,50\n2025-03-14;381,50\n2025-04-01;392,5\n")
    result = import_c_prices(store, src)
    assert result.months == {(2025, 3): Decimal("380.00"), (2025, 4): Decimal("392.50")}
    eco = store.analyse(store.lot(lot.id)).economics
    assert eco.c_usd_lb == Decimal("3.80") and eco.c_estimated
    assert eco.premium_over_c_usd_lb == Decimal("0.95")
    usd = tmp_path / "usd.csv"
    usd.write_text("2024-01,1.85\n2024-02,1.90\n")
    r = import_c_prices(store, usd, dry_run=True)
    assert r.months[(2024, 1)] == Decimal("185.00") and "USD/lb" in r.notes[-1]


def test_fairtrade_terms_are_editable(store):
    farm = store.save_producer(Producer("Finca", ProducerKind.FARM, "CO"))
    lot = store.save_lot(Lot("L1", farm.id, 2025, weight_kg=Decimal(1000),
                             fob_usd_lb=Decimal("2.00"), c_cents_lb=Decimal(150)))
    assert store.analyse(lot).economics.fairtrade.floor_usd_lb == Decimal("2.00")
    minimums = dict(FAIRTRADE_2023.minimums)
    minimums[(Species.ARABICA, "washed")] = Decimal("2.10")
    store.save_fairtrade_terms(replace(FAIRTRADE_2023, valid_from=date(2025, 8, 1),
                                       minimums=minimums))
    ft = store.reference()[0]
    assert ft.valid_from == date(2025, 8, 1) and ft.minimums[(Species.ARABICA, "washed")] == \
        Decimal("2.10")
    assert store.analyse(lot).economics.fairtrade.floor_usd_lb == Decimal("2.30")


def test_producer_zip_and_erasing_a_person(store, db_path, tmp_path):
    farm = store.save_producer(Producer("Finca El Mirador", ProducerKind.FARM, "CO"))
    jose = store.save_person(Person(farm.id, "José Ramírez", Role.OWNER, phone="+57 1",
                                    email="j@example.org", quote="Our coffee",
                                    consent=Consent(date(2020, 1, 1),
                                                    frozenset({ConsentScope.PHOTO}))))
    att = tmp_path / f"{db_path.stem}-attachments"
    att.mkdir()
    sha = "a" * 64
    (att / f"{sha}.jpg").write_bytes(b"\xff\xd8jpeg")
    store.save_visit(Visit(farm.id, date(2024, 2, 1), participants=("José Ramírez", "Buyer"),
                           notes="Cupped with José Ramírez.",
                           photos=(Photo(sha, "jose.jpg", "José Ramírez at the beds", jose.id),)))
    store.save_lot(Lot("L1", farm.id, 2024, weight_kg=Decimal(100), premiums=(
        Premium(PremiumType.QUALITY, PremiumBasis.PER_LOT, Decimal(500),
                paid_to="José Ramírez"),)))
    out = tmp_path / "p.zip"
    assert export_producer(store, farm.id, out) == (1, [])
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ["photos/" + f"{sha}.jpg", "producer.json"]
        data = json.loads(zf.read("producer.json"))
    assert data["people"][0]["name"] == "José Ramírez"
    assert data["lots"][0]["premiums"][0]["amount"] == "500"
    assert data["visits"][0]["photos"][0]["person_id"] == jose.id

    erased = erase_person(store, jose.id)
    assert erased.pseudonymised and erased.name.startswith("Person ")
    assert (erased.phone, erased.email, erased.quote, erased.consent) == ("", "", "", None)
    visit = store.visits(farm.id)[0]
    assert visit.participants == (erased.name, "Buyer")
    assert visit.photos[0].person_id is None and visit.photos[0].sha256 == sha
    assert visit.photos[0].caption == f"{erased.name} at the beds"
    assert visit.notes == f"Cupped with {erased.name}."
    lot = store.lot_by_code("L1")
    assert lot.premiums[0].paid_to == erased.name and lot.premiums[0].amount == 500
    assert store.counts()["lots"] == 1 and store.counts()["premiums"] == 1
    blob = json.dumps(__import__("roasterdesk.services.producer_data", fromlist=["x"])
                      .producer_record(store, farm.id), ensure_ascii=False)
    assert "José" not in blob and "j@example.org" not in blob
    with pytest.raises(UserError, match="already pseudonymised"):
        erase_person(store, jose.id)


def test_a_price_series_is_read_by_its_columns_own_decimal_mark_below_a_title(store, tmp_path):
    """A hand-made series: a title row above the header, decimal commas with thousands dots.
    "5.120" in a column whose other values show a decimal comma is 5,120 USD/t (it was 5.12,
    then refused as not a London price); a value that reads two ways in a column that shows no
    mark, and a column mixing both marks, are errors, never a guess. Nothing is stored."""
    src = tmp_path / "london.csv"
    src.write_text("ICE Robusta futures, monthly settlement\n\nMonth;Settle USD/t\n"
                   "Jan 2025;4.812,50\nFeb 2025;5.120\n")
    result = import_c_prices(store, src, market="london")
    assert result.ok, result.report()
    assert result.months == {(2025, 1): Decimal("4812.50"), (2025, 2): Decimal("5120.00")}
    assert "1 row above the header (line 3) read as a title and left out" in result.notes
    c = tmp_path / "kc.csv"
    c.write_text("Month,Price\n2025-01,\"1,750\"\n2025-02,380\n")  # 1.75 or 1750: no mark shown
    ambiguous = import_c_prices(store, c)
    assert not ambiguous.ok and "reads as" in str(ambiguous.problems[0])
    c.write_text("Month;Price\n2025-01;380,5\n2025-02;392.5\n")
    mixed = import_c_prices(store, c)
    assert [str(p) for p in mixed.problems] == [
        "line 1, column 'price': the price column mixes decimal points and decimal commas: "
        "write one convention"]
    assert store.reference().c_series.months == {}


def test_pledge_volumes_are_printed_to_the_gram_at_most(store, tmp_path):
    """A lot weighed in lb (3,036 lb = 1,377.1... kg) printed a total like 70302.10643532."""
    from roasterdesk.services.pledge import export_pledge

    farm = store.save_producer(Producer("Finca", ProducerKind.FARM, "CO"))
    store.save_lot(Lot("LB-1", farm.id, 2024, weight_kg=Decimal("3036") * Decimal("0.45359237"),
                       contract_date=date(2024, 6, 1), fob_usd_lb=Decimal("4.00")))
    out = tmp_path / "pledge.csv"
    export_pledge(store, date(2024, 1, 1), date(2024, 12, 31), out)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        data = list(csv.reader(fh))
    assert data[1][6] == "1377.106" and ["Total volume (kg)", "1377.106"] in data
