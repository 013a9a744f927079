"""Importing buyers' spreadsheets: a preview with every problem, all or nothing, no duplicates."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from roasterdesk.domain.model import ConsentScope, Evidence, Lot, Process, Producer, ProducerKind
from roasterdesk.errors import UserError
from roasterdesk.services import importing as I
from roasterdesk.services.exporting import export_list
from roasterdesk.store import Store, ValidationError

FIX = Path(__file__).parent.parent / "fixtures" / "imports"


def counts(store):
    return {k: v for k, v in store.counts().items() if v}


def plan(store, name, kind, **kw):
    return I.plan_import(store, I.read_source(FIX / name, kind), kind, **kw)


def test_messy_lot_sheet_preview_names_every_problem_and_writes_nothing(store):
    p = plan(store, "lots_messy.csv", "lots")
    assert p.table.header_line == 5  # title rows, a blank line and a group row above it
    assert "semicolon" in p.table.notes[0]
    problems = {(x.line, x.column): (x.reason, x.error) for x in p.problems}
    assert problems[(10, "Country of Origin")] == (
        "unknown country 'Narnia'; nearest: Armenia · Argentina · Mauritania", True)
    assert problems[(12, "Total Cup Points")] == ("'eighty' is not a number", True)
    assert problems[(11, "")] == ("repeats line 8 exactly; skipped", False)
    assert problems[(14, "")] == ("looks like a totals row; skipped", False)
    assert len(p.problems) == 4
    assert "line 10, column 'Country of Origin': unknown country 'Narnia'" in p.report()
    assert not p.ok
    assert counts(store) == {}
    with pytest.raises(UserError, match="2 problems"):
        I.commit_import(store, p)
    assert counts(store) == {}


def test_messy_values_parse_to_exact_figures(store):
    p = plan(store, "lots_messy.csv", "lots")
    lots = {r.record.code: r.record for r in p.records}
    mirador = lots["CO-24-001"]
    assert (mirador.bags, mirador.bag_kg, mirador.harvest) == (20, Decimal(70), 2024)
    assert mirador.fob_usd_lb == Decimal("4.75") and mirador.quality_score == Decimal("86.25")
    assert mirador.moisture_pct == Decimal("11.5") and mirador.process is Process.WASHED
    assert lots["CO-24-002"].moisture_pct == Decimal("10.8")
    wush = lots["ET-24-010"]
    # a differential alone does not say which contract it is: not recorded, never guessed
    assert wush.differential_cents_lb == Decimal(120) and wush.contract_type is None
    new = {k[0]: v for k, v in p.new_producers.items()}
    assert new["finca el mirador"].altitude_min_m == 1600
    assert new["finca la esperanza"].altitude_max_m == 1750  # "1,750 m"
    assert new["wush wush station"].altitude_min_m == 1829  # 6000 ft
    assert new["wush wush station"].region == "Sidama"


def test_fixed_file_commits_and_reimport_skips_or_updates(store, tmp_path):
    src = (FIX / "lots_messy.csv").read_text(encoding="utf-8")
    good = tmp_path / "lots.csv"
    good.write_text(src.replace("Narnia", "Guatemala").replace("eighty", "83,75"),
                    encoding="utf-8")
    p = I.plan_import(store, I.read_source(good, "lots"), "lots")
    assert p.ok and p.count("create") == 5
    result = I.commit_import(store, p)
    assert (result.created, result.producers_created) == (5, 5)
    assert store.counts()["lots"] == 5 and store.counts()["producers"] == 5
    lot = store.lot_by_code("HN-24-007")
    assert lot.quality_score == Decimal("83.75") and lot.process is Process.HONEY
    assert store.producer(lot.producer_id).altitude_min_m == 1450  # "1.450 m"
    metrics = store.db.execute("SELECT count(*) FROM lot_metrics").fetchone()[0]
    assert metrics == 5

    again = I.plan_import(store, I.read_source(good, "lots"), "lots")
    assert (again.count("create"), again.count("skip"), len(again.new_producers)) == (0, 5, 0)
    I.commit_import(store, again)
    assert store.counts()["lots"] == 5

    good.write_text(good.read_text(encoding="utf-8").replace("86,25", "87,5"), encoding="utf-8")
    upd = I.plan_import(store, I.read_source(good, "lots"), "lots", on_duplicate="update")
    assert upd.count("update") == 5
    I.commit_import(store, upd)
    assert store.lot_by_code("CO-24-001").quality_score == Decimal("87.5")
    assert store.lot_by_code("CO-24-001").story == ""  # columns not in the file keep values
    assert store.counts()["lots"] == 5 and store.counts()["producers"] == 5


def test_latin1_producers_with_accents_and_cooperative_kind(store):
    p = plan(store, "producers_latin1.csv", "producers")
    assert "Latin-1" in p.table.notes[0]
    assert p.ok, p.report()
    I.commit_import(store, p)
    by_name = {x.name: x for x in store.producers()}
    coop = by_name["Cooperativa Café Perú"]
    assert (coop.kind, coop.country, coop.altitude_min_m, coop.altitude_max_m) == (
        ProducerKind.COOPERATIVE, "PE", 1500, 2000)
    assert coop.varieties == ("Típica", "Bourbon") and coop.harvest_months == (4, 5, 6, 7, 8, 9)
    brazil = by_name["Fazenda São João"]
    assert (brazil.kind, brazil.country, brazil.total_area_ha) == (
        ProducerKind.ESTATE, "BR", Decimal(85))
    assert by_name["Finca El Mirador"].total_area_ha == Decimal("12.5")
    assert by_name["Finca El Mirador"].harvest_months == (10, 11, 12, 1)
    assert by_name["Wush Wush Station"].kind is ProducerKind.WASHING_STATION


def test_bom_people_link_to_existing_producers_and_keep_consent(store):
    store.save_producer(Producer("Finca El Mirador", ProducerKind.FARM, "CO"))
    p = plan(store, "people_bom.csv", "people")
    assert "BOM" in p.table.notes[0] and p.ok
    assert [k[0] for k in p.new_producers] == ["wush wush station"]
    I.commit_import(store, p)
    mirador = store.producers("name = 'Finca El Mirador'")[0]
    jose = next(x for x in store.people(mirador.id) if x.name == "José Ramírez")
    assert jose.consent.scope == frozenset({ConsentScope.NAME, ConsentScope.PHOTO})
    assert jose.quote == '=HYPERLINK("http://x")'  # stored as text; neutralised on export
    assert store.counts()["producers"] == 2


def test_plots_with_swapped_coordinates_are_flagged(store):
    p = plan(store, "plots.csv", "plots")
    assert [(x.line, x.reason) for x in p.warnings] == [
        (3, "latitude and longitude look swapped for Colombia"),
        (4, "the position is outside Colombia"),
    ]
    I.commit_import(store, p)
    pid = store.producers()[0].id
    loma = next(x for x in store.plots(pid) if x.name == "La Loma")
    assert loma.geometry == {"type": "Point", "coordinates": [-76.0512345, 1.8512345]}
    assert (loma.area_ha, loma.altitude_m, loma.shade_pct) == (Decimal("2.5"), 1750, 40)


def test_visits_tab_separated_with_observations_and_a_bad_date(store):
    p = plan(store, "visits.tsv", "visits")
    # nothing in the column says whether 12/02/2024 is day or month first: asked, not guessed
    assert [str(x).split(":")[0:2] for x in p.errors] == [
        ["line 2, column 'Visit Date'", " '12/02/2024' reads as 12 February 2024 or 2 December "
                                        "2024"],
        ["line 4, column 'Visit Date'", " '31.13.2024' is not a date (use 2025-03-14)"]]
    p = plan(store, "visits.tsv", "visits", dates={2: "dmy"})  # the user said day first
    assert [str(x) for x in p.errors] == [
        "line 4, column 'Visit Date': '31.13.2024' is not a date (use 2025-03-14)"]
    first = p.records[0].record
    assert first.date.isoformat() == "2024-02-12" and first.mode.value == "in_person"
    assert first.participants == ("José Ramírez", "Ana (buyer)")
    assert [(o.topic.value, o.evidence, o.note) for o in first.observations] == [
        ("shade", Evidence.OBSERVED, ""), ("composting", Evidence.REPORTED, "pulp pile")]
    assert p.records[1].record.mode.value == "message"


def test_xlsx_with_merged_title_and_group_header(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Purchases 2024"])
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(["", "", "Bag", None, "", ""])
    ws.merge_cells("C3:D3")
    ws.append(["Lot #", "Farm", "Count", "Weight", "Country", "Crop Year"])
    ws.append(["KE-24-1", "Gichathaini", 30, 60, "Kenya", "2023/24"])
    ws.append([None] * 6)
    ws.append(["KE-24-2", "Gichathaini", 12, 60.0, "KEN", 2024])
    path = tmp_path / "purchases.xlsx"
    wb.save(path)
    table = I.read_source(path, "lots")
    assert table.header_line == 4
    assert table.headers[2:4] == ["Bag Count", "Bag Weight"]  # not the lot's weight
    p = I.plan_import(store, table, "lots")
    assert p.ok, p.report()
    recs = [r.record for r in p.records]
    assert [(r.code, r.bags, r.bag_kg, r.weight, r.harvest) for r in recs] == [
        ("KE-24-1", 30, Decimal(60), 1800, 2024), ("KE-24-2", 12, Decimal(60), 720, 2024)]
    assert [r.line for r in p.records] == [5, 7]


def test_failure_at_row_900_of_1000_writes_nothing(store, tmp_path):
    lines = ["Lot code,Producer,Country,Harvest,Bags,Bag size (kg)"]
    lines += [f"L-{i:04d},Farm {i % 7},CO,2024,10,70" for i in range(1, 1001)]
    path = tmp_path / "thousand.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    # a bad value on row 900: the preview refuses the whole file
    bad = path.read_text().replace("L-0900,Farm 4,CO,2024,10,70", "L-0900,Farm 4,CO,2024,ten,70")
    bad_path = tmp_path / "bad.csv"
    bad_path.write_text(bad)
    p = I.plan_import(store, I.read_source(bad_path, "lots"), "lots")
    assert [str(x) for x in p.errors] == ["line 901, column 'Bags': 'ten' is not a number"]
    with pytest.raises(UserError):
        I.commit_import(store, p)
    assert counts(store) == {}
    # the database refuses row 900 during the write: everything is rolled back
    p = I.plan_import(store, I.read_source(path, "lots"), "lots")
    assert p.ok
    store.db.execute("CREATE TEMP TRIGGER refuse BEFORE INSERT ON lots WHEN NEW.code = 'L-0900' "
                     "BEGIN SELECT RAISE(ABORT, 'refused by the database'); END")
    with pytest.raises(ValidationError, match="refused by the database"):
        I.commit_import(store, p)
    assert counts(store) == {}
    store.db.execute("DROP TRIGGER refuse")
    # someone else wrote one of the file's lots meanwhile: the commit, which reads the rows
    # again, plans otherwise than the preview did and writes nothing
    other = store.save_producer(Producer("Elsewhere", ProducerKind.FARM, "PE"))
    store.save_lot(Lot("L-0900", other.id, 2024))
    with pytest.raises(UserError, match="changed since the file was checked"):
        I.commit_import(store, p)
    assert store.counts()["lots"] == 1 and store.counts()["producers"] == 1


def test_conflicting_duplicate_rows_are_an_error(store, tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("Lot,Farm,Country,Harvest\nA-1,X,CO,2024\nA-1,Y,CO,2024\n")
    p = I.plan_import(store, I.read_source(path, "lots"), "lots")
    assert [str(x) for x in p.errors] == [
        "line 3: lot A-1 is also on line 2 with different values; keep one of the two rows"]


def test_missing_required_column_and_mapping_file(store, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Ref,Farm,Land,Year\nA-1,X,Colombia,2024\n")
    p = I.plan_import(store, I.read_source(path, "lots"), "lots")
    assert {x.reason for x in p.errors} == {  # a missing lot code is generated instead
        "no column for 'Country' (map one, or add it to the file)"}
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"Ref": "code", "Land": "Country", "Farm": "producer"}))
    table = I.read_source(path, "lots")
    p = I.plan_import(store, table, "lots", I.load_mapping(mapping, "lots", table.headers))
    assert p.ok and p.records[0].record.code == "A-1"
    mapping.write_text(json.dumps({"Nope": "code"}))
    with pytest.raises(UserError, match="no column 'Nope'"):
        I.load_mapping(mapping, "lots", table.headers)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_round_trips_every_field(store, tmp_path, fmt):
    a = Store.open(tmp_path / "a.sqlite")
    try:
        src = tmp_path / "lots_src.csv"
        src.write_text(
            "Lot code,Producer,Country,Harvest,Bags,Bag size (kg),Weight (kg),Process,Cup score,"
            "Moisture (%),Status,Contract type,Contract date,Futures month,Differential (cents/lb),"
            "Fixations,Farm-gate price,Farm-gate currency,Farm-gate unit,Farm-gate unit (kg),"
            "Farm-gate basis,Farm-gate kg per kg green,Exchange rate (local per USD),"
            "Exchange rate date,Exporter,Importer,Organic,Certifications,Story,Variety,"
            "Category 1 defects,Category 2 defects,Species,Lot name\n"
            "CO-25-001,Finca El Mirador,CO,2025,20,70,1400,washed,86.5,11.5 %,contracted,ptbf,"
            "2025-03-01,KCK25,95,2025-03-14 380.00 700; 2025-04-02 392.5,2600000,COP,"
            "carga (125 kg),125,parchment,1.342857142857142857142857143,4100,2025-03-14,"
            "Exporter \"A\",=cmd|' /C calc'!A0,no,Fairtrade; Organic (EU),"
            "\"-Line one\nline two\",Castillo,0,3,arabica,@SUM(1)\n", encoding="utf-8")
        I.commit_import(a, plan_src := I.plan_import(a, I.read_source(src, "lots"), "lots"))
        assert plan_src.ok
        pid = a.producers()[0].id
        a.save_producer(replace(a.producer(pid), region="Huila", altitude_min_m=1600,
                                altitude_max_m=1800, varieties=("Castillo", "Caturra"),
                                harvest_months=(10, 11), total_area_ha=Decimal("12.5"),
                                notes="+57 notes"))
        out = tmp_path / f"lots.{fmt}"
        pout = tmp_path / f"producers.{fmt}"
        assert export_list(a, "producers", pout) == 1
        assert export_list(a, "lots", out) == 1
        I.commit_import(store, I.plan_import(store, I.read_source(pout, "producers"), "producers"))
        p = I.plan_import(store, I.read_source(out, "lots"), "lots")
        assert p.ok and not p.problems, p.report()
        I.commit_import(store, p)
        before, after = a.lots_where("1")[0], store.lots_where("1")[0]
        assert after == replace(before, id=after.id, producer_id=after.producer_id)
        assert after.importer == "=cmd|' /C calc'!A0" and after.name == "@SUM(1)"
        assert after.story == "-Line one\nline two"
        pa, pb = a.producer(pid), store.producer(after.producer_id)
        assert pb == replace(pa, id=pb.id)
    finally:
        a.close()


def test_export_round_trips_people_plots_and_visits(store, tmp_path):
    for name, kind in (("producers_latin1.csv", "producers"), ("people_bom.csv", "people"),
                       ("plots.csv", "plots")):
        I.commit_import(store, plan(store, name, kind))
    v = plan(store, "visits.tsv", "visits")
    v.problems.clear()
    I.commit_import(store, v)
    b = Store.open(tmp_path / "b.sqlite")
    try:
        for kind in ("producers", "people", "plots", "visits"):
            out = tmp_path / f"{kind}.xlsx"
            export_list(store, kind, out)
            p = I.plan_import(b, I.read_source(out, kind), kind)
            assert p.ok, p.report()
            I.commit_import(b, p)
        for mine in store.producers():
            theirs = b.producer_by_uuid(mine.uuid)
            assert theirs == replace(mine, id=theirs.id)
            for get in (Store.people, Store.plots, Store.visits):
                got = [replace(x, producer_id=mine.id, id=None) for x in get(b, theirs.id)]
                assert got == [replace(x, id=None) for x in get(store, mine.id)]
    finally:
        b.close()


INJECTIONS = [
    "=1+2", "=cmd|' /C calc'!A0", "+SUM(A1:A2)", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1",
    "=HYPERLINK(\"http://evil.example\",\"click\")", "-", "+", "@", "=",
]


def test_formula_injection_payloads_stay_text(store, tmp_path):
    p = store.save_producer(Producer("Finca", ProducerKind.FARM, "CO"))
    for i, payload in enumerate(INJECTIONS):
        store.save_lot(Lot(f"X-{i:02d}", p.id, 2024, name=payload, story=payload,
                           differential_cents_lb=Decimal("-12.5")))
    xlsx = tmp_path / "lots.xlsx"
    export_list(store, "lots", xlsx)
    ws = load_workbook(xlsx).active
    header = [c.value for c in ws[1]]
    name_col, diff_col = header.index("Lot name"), header.index("Differential (cents/lb)")
    rows = list(ws.iter_rows(min_row=2))
    for row, payload in zip(rows, INJECTIONS, strict=True):
        cell = row[name_col]
        # XML stores a carriage return as a line feed; the text is otherwise unchanged
        assert cell.data_type == "s" and cell.value == payload.replace("\r", "\n")
        assert cell.quotePrefix
    assert rows[0][diff_col].value == "-12.5"
    csv_path = tmp_path / "lots.csv"
    export_list(store, "lots", csv_path)
    import csv

    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        data = list(csv.reader(fh))
    names = [r[data[0].index("Lot name")] for r in data[1:]]
    assert names == ["'" + x for x in INJECTIONS]
    assert all(r[data[0].index("Differential (cents/lb)")] == "-12.5" for r in data[1:])
    # and they import back as the original text
    b = Store.open(tmp_path / "b.sqlite")
    try:
        for path in (csv_path, xlsx):
            pl = I.plan_import(b, I.read_source(path, "lots"), "lots")
            assert [r.record.name for r in pl.records] == [x.strip() for x in INJECTIONS]
    finally:
        b.close()


# The small demo's round trip through every list: tests/services/test_round_trip.py


def test_cancelling_the_commit_writes_nothing(store, tmp_path):
    lines = ["Lot code,Producer,Country,Harvest"] + [f"C-{i},F{i % 3},CO,2024"
                                                      for i in range(2500)]
    path = tmp_path / "c.csv"
    path.write_text("\n".join(lines))
    p = I.plan_import(store, I.read_source(path, "lots"), "lots")
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 1  # the user presses Cancel during the write

    with pytest.raises(I.ImportCancelled):
        I.commit_import(store, p, cancelled=cancelled)
    assert counts(store) == {}
