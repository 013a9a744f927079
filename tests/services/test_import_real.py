"""Real spreadsheets: numbers by the file's own convention, units, encodings, every problem of
every row, the good rows usable (--skip-invalid), generated codes, first-non-empty mappings."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from cli_steps import plan

from roasterdesk.cli import main
from roasterdesk.errors import UserError
from roasterdesk.services import importing as I

HEAD = "Lot code;Producer;Country;Harvest;Weight (kg);Cup score\n"


def run(db_path, *argv):
    return main(["--db", str(db_path), *map(str, argv)])


def test_european_numbers_clear_column_reads_by_its_decimal_comma(store, tmp_path):
    f = tmp_path / "eu.csv"
    f.write_text(HEAD + "A;F;CO;2024;19.200;84,5\nB;F;CO;2024;1.250,5;86\n")
    p = plan(store, f)
    assert p.ok, p.report()
    got = {r.record.code: r.record for r in p.records}
    assert got["A"].weight_kg == Decimal(19200)  # not 19.2
    assert got["B"].weight_kg == Decimal("1250.5")
    assert got["A"].quality_score == Decimal("84.5")
    assert "column 'Weight (kg)': decimal comma (1.234,5)" in p.report()


def test_european_numbers_ambiguous_column_is_an_error_asking_not_a_guess(store, tmp_path):
    f = tmp_path / "amb.csv"
    f.write_text(HEAD + "A;F;CO;2024;19.200;84\nB;F;CO;2024;21.000;85\n")
    p = plan(store, f)
    assert not p.ok and not p.records
    reasons = {(x.line, x.column): x.reason for x in p.errors}
    assert reasons[(2, "Weight (kg)")].startswith("'19.200' reads as 19.2 or 19200")
    assert "mapping" in reasons[(2, "Weight (kg)")]
    # the user says which: the mapping's decimal entry
    p = plan(store, f, mapping={"_decimal": {"Weight (kg)": "comma"}})
    assert p.ok and p.records[0].record.weight_kg == Decimal(19200)
    p = plan(store, f, mapping={"_decimal": {"Weight (kg)": "point"}})
    assert p.ok and p.records[0].record.weight_kg == Decimal("19.2")


def test_a_whole_number_both_readings_leave_whole_is_asked_unless_the_column_shows(store,
                                                                                 tmp_path):
    f = tmp_path / "bags.csv"
    bags = "Lot code;Producer;Country;Harvest;Bags;Bag size (kg)\n"
    f.write_text(bags + "A;F;CO;2024;1.000;69\nB;F;CO;2024;275;69\n")
    p = plan(store, f)  # 1 bag or 1,000 bags: both whole, nothing in the column says which
    assert [(x.line, x.column, x.reason[:27]) for x in p.errors] == [
        (2, "Bags", "'1.000' reads as 1 or 1000:")]
    p = plan(store, f, mapping={"_decimal": {"Bags": "comma"}})
    assert p.ok and p.records[0].record.bags == 1000
    p = plan(store, f, mapping={"_decimal": {"Bags": "point"}})
    assert p.ok and p.records[0].record.bags == 1
    # a '1.750' in the column groups thousands (1.75 bags is no reading): '1.000' follows it
    f.write_text(bags + "A;F;CO;2024;1.000;69\nB;F;CO;2024;1.750;69\n")
    p = plan(store, f)
    assert p.ok, p.report()
    assert [r.record.bags for r in p.records] == [1000, 1750]
    assert "column 'Bags': decimal comma" in p.report()
    # altitudes alike: '1,450' says the comma groups thousands, so '2,000' is 2,000 m
    f.write_text("Producer;Country;Altitude\nA;CO;2,000\nB;CO;1,450\n")
    p = plan(store, f, "producers")
    assert p.ok, p.report()
    assert sorted((r.record.name, r.record.altitude_min_m) for r in p.records) == [
        ("A", 2000), ("B", 1450)]
    f.write_text("Producer;Country;Altitude\nA;CO;2,000\nB;CO;1800\n")
    assert [(x.line, x.reason[:27]) for x in plan(store, f, "producers").errors] == [
        (2, "'2,000' reads as 2 or 2000:")]


def test_a_value_against_its_columns_convention_is_an_error(store, tmp_path):
    f = tmp_path / "mix.csv"
    f.write_text(HEAD + "A;F;CO;2024;1.250,5;84\nB;F;CO;2024;19.5;85\nC;F;CO;2024;2.500;85\n")
    p = plan(store, f)  # the column mixes both: only what each value shows for itself is read
    assert "column 'Weight (kg)' mixes decimal points and commas" in p.report()
    assert [r.record.weight_kg for r in p.records] == [Decimal("1250.5"), Decimal("19.5")]
    assert [(x.line, x.reason[:28]) for x in p.errors] == [(4, "'2.500' reads as 2.5 or 2500")]
    p = plan(store, f, mapping={"_decimal": {"Weight (kg)": "comma"}})
    assert [(x.line, x.reason) for x in p.errors] == [
        (3, "'19.5' does not follow the column's decimal comma")]


def test_altitude_unit_column_and_units_in_cells_and_decimal_altitude(store, tmp_path):
    f = tmp_path / "alt.csv"
    f.write_text("Producer,Country,Altitude,unit_of_measurement\n"
                 "A,CO,5000,ft\nB,CO,1650 m,ft\nC,CO,1.2,m\nD,CO,16.8,\nE,CO,4287,m\n"
                 "G,CO,1600,furlongs\n")
    p = plan(store, f, "producers")
    got = {r.record.name: r.record for r in p.records}
    assert (got["A"].altitude_min_m, got["A"].altitude_max_m) == (1524, 1524)  # feet
    assert got["B"].altitude_min_m == 1650  # the cell's own unit wins
    errors = {x.line: x.reason for x in p.errors}
    assert "whole number" in errors[4] and "whole number" in errors[5]
    assert "outside 0–3000 m" in errors[6]
    assert "'furlongs' is not a unit" in errors[7]
    assert set(got) == {"A", "B"}


def test_utf16_and_utf32_with_and_without_bom(store, tmp_path):
    text = "Lot code,Producer,Country,Harvest\nA-1,Finca Ñandú,CO,2024\n"
    for codec, note in [("utf-16", "UTF-16 with BOM"), ("utf-16-le", "UTF-16 (no BOM)"),
                        ("utf-16-be", "UTF-16 (no BOM)"), ("utf-32", "UTF-32 with BOM"),
                        ("utf-32-le", "UTF-32 (no BOM)")]:
        f = tmp_path / f"{codec}.csv"
        f.write_bytes(text.encode(codec))
        p = plan(store, f)
        assert p.ok, (codec, p.report())
        assert p.table.notes[0].startswith(f"read as {note}")
        assert next(iter(p.new_producers.values())).name == "Finca Ñandú"


def test_a_png_renamed_csv_is_named_for_what_it_is(store, tmp_path):
    f = tmp_path / "lots.csv"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
    with pytest.raises(UserError, match="lots.csv is a PNG image, not a spreadsheet"):
        I.read_source(f, "lots")
    f.write_bytes(b"%PDF-1.7\n...")
    with pytest.raises(UserError, match="is a PDF document"):
        I.read_source(f, "lots")


def test_a_row_with_three_problems_reports_all_three_and_plurals(store, tmp_path):
    f = tmp_path / "three.csv"
    f.write_text("Lot code,Producer,Country,Harvest,Bags,Bag size,Cup score,Moisture (%)\n"
                 "A,F,CO,2024,-3,60,150,11\nB,F,CO,2024,10,60,85,0\n"
                 "C,F,Narnia,2024,10,60,85,11\n")
    p = plan(store, f)
    two = sorted((x.column, x.value) for x in p.problems if x.line == 2)
    assert two == [("Bags", "-3"), ("Cup score", "150")]
    assert all(x.error for x in p.problems if x.line == 2)
    moist = [x for x in p.problems if x.line == 3]
    assert [(x.error, x.reason) for x in moist] == [(False, "moisture 0 % read as not recorded")]
    assert next(r.record for r in p.records if r.record.code == "B").moisture_pct is None
    f.write_text("Lot code,Producer,Country,Harvest,Bags,Cup score,Moisture (%)\n"
                 "A,F,Narnia,2024,-3,150,30\n")
    p = plan(store, f)
    assert sorted(x.column for x in p.errors) == ["Bags", "Country", "Cup score", "Moisture (%)"]
    assert all(x.line == 2 for x in p.errors)
    report = p.report()
    assert "4 errors in 1 row, 0 warnings; 0 rows can be imported" in report
    assert "line 2, column 'Bags': bags must be more than 0 (not -3)" in report
    assert "line 2, column 'Country' ('Narnia'): unknown country" not in report
    assert "line 2, column 'Country': unknown country 'Narnia'" in report
    f.write_text("Lot code,Producer,Country,Harvest\nA,F,Narnia,2024\nB,F,CO,2024\n")
    assert "1 error in 1 row, 0 warnings; 1 row can be imported" in plan(store, f).report()
    f.write_text("Lot code,Producer,Country,Harvest,Moisture (%)\nA,F,CO,2024,0\nB,F,CO,2024,11\n")
    assert "\nno errors, 1 warning; 2 rows can be imported" in plan(store, f).report()
    f.write_text("Lot code,Producer,Country,Harvest\nA,F,CO,2024\nB,F,CO,2024\n")
    report = plan(store, f).report()
    assert "\nno problems; 2 rows can be imported" in report and "0 error" not in report


def test_skip_invalid_writes_rejects_then_reimport_fixed(store, db_path, tmp_path, capsys):
    f = tmp_path / "lots.csv"
    f.write_text("Lot code,Producer,Country,Harvest,Bags,Bag size\n"
                 "A,F,CO,2024,10,70\nB,F,Narnia,2024,5,60\nC,F,CO,2024,-1,70\nD,G,PE,2023,7,69\n")
    assert run(db_path, "import", f, "--kind", "lots") == 2
    assert "2 errors: nothing was imported (--skip-invalid" in capsys.readouterr().err
    assert store.counts()["lots"] == 0
    assert run(db_path, "import", f, "--kind", "lots", "--skip-invalid", "--dry-run") == 0
    assert "would import 2 rows and reject 2 rows" in capsys.readouterr().out
    assert store.counts()["lots"] == 0 and not I.rejects_path(f).exists()
    assert run(db_path, "import", f, "--kind", "lots", "--skip-invalid") == 0
    out = capsys.readouterr().out
    rejects = tmp_path / "lots.rejected.csv"
    assert f"2 rows rejected, written with a 'problem' column to {rejects}" in out
    assert sorted(lot.code for lot in store.lots_where("1")) == ["A", "D"]
    with open(rejects, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Lot code", "Producer", "Country", "Harvest", "Bags", "Bag size",
                       "problem"]
    assert [r[0] for r in rows[1:]] == ["B", "C"]
    assert "Country: unknown country 'Narnia'" in rows[1][6]
    assert "Bags: bags must be more than 0" in rows[2][6]
    fixed = rejects.read_text(encoding="utf-8-sig").replace("Narnia", "GT").replace(",-1,", ",1,")
    rejects.write_text(fixed, encoding="utf-8")
    assert run(db_path, "import", rejects, "--kind", "lots") == 0
    assert sorted(lot.code for lot in store.lots_where("1")) == ["A", "B", "C", "D"]


def test_rejects_of_a_semicolon_file_keep_its_separator_and_name_each_line(
        store, db_path, tmp_path, capsys):
    """A European sheet (semicolons, decimal commas) gives back a rejects file of the same
    shape, so the spreadsheet that made it opens it in columns; each problem names the row's
    line in the original file. Fixed, it imports with its decimal commas read as such."""
    f = tmp_path / "oferta.csv"
    f.write_text("Lote;Productor;País;Cosecha;Peso (kg);FOB (USD/lb)\n"
                 "A;F;CO;2024;1.380,5;3,45\n"
                 "B;F;Narnia;2024;690;3,10\n"
                 "C;F;CO;2024;-5;4,20\n", encoding="utf-8")
    assert run(db_path, "import", f, "--kind", "lots", "--skip-invalid") == 0
    capsys.readouterr()
    rejects = I.rejects_path(f)
    text = rejects.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    assert rows[0] == ["Lote", "Productor", "País", "Cosecha", "Peso (kg)", "FOB (USD/lb)",
                       "problem"]
    assert [r[:6] for r in rows[1:]] == [["B", "F", "Narnia", "2024", "690", "3,10"],
                                         ["C", "F", "CO", "2024", "-5", "4,20"]]
    assert rows[1][6].startswith("line 3: ") and "Narnia" in rows[1][6]
    assert rows[2][6].startswith("line 4: ")
    rejects.write_text(text.replace("Narnia", "PE").replace(";-5;", ";1.035,5;"),
                       encoding="utf-8")
    assert run(db_path, "import", rejects, "--kind", "lots") == 0
    got = {lot.code: lot for lot in store.lots_where("1")}
    assert got["A"].weight_kg == Decimal("1380.5") and got["C"].weight_kg == Decimal("1035.5")
    assert got["B"].fob_usd_lb == Decimal("3.10")


def test_a_file_wide_problem_is_not_skipped(store, tmp_path):
    f = tmp_path / "nocountry.csv"
    f.write_text("Lot code,Producer,Harvest\nA,F,2024\n")
    p = plan(store, f)
    assert not p.skippable
    with pytest.raises(UserError, match="1 problem in"):
        I.commit_import(store, p, skip_invalid=True)


def test_generated_lot_codes_when_the_file_has_none(store, tmp_path):
    from dataclasses import replace

    f = tmp_path / "nocode.csv"
    f.write_text("Producer,Country,Harvest,Bags,Bag size\nF,CO,2024,10,70\nF,CO,2024,12,70\n"
                 "G,PE,2023,5,69\n")
    p = plan(store, f)
    assert p.ok
    assert [r.record.code for r in p.records] == ["CO-24-001", "CO-24-002", "PE-23-001"]
    assert [x.reason for x in p.warnings] == [f"no lot code: generated {c}" for c in
                                              ("CO-24-001", "CO-24-002", "PE-23-001")]
    I.commit_import(store, p)
    p = plan(store, f)  # stored codes are not given twice
    assert [r.record.code for r in p.records][:2] == ["CO-24-003", "CO-24-004"]
    del replace


def test_first_non_empty_of_several_columns(store, tmp_path):
    f = tmp_path / "farms.csv"
    f.write_text("Lot code,Farm name,Owner,Mill,Country,Harvest\n"
                 "A,Finca Uno,Ana,Mill X,CO,2024\nB,,Beto,Mill X,CO,2024\nC,,,Mill X,CO,2024\n")
    p = plan(store, f, mapping={"Farm name": "producer", "Owner": "producer",
                                 "Mill": "producer"})
    assert p.ok, p.report()
    assert sorted(k[0] for k in p.new_producers) == ["beto", "finca uno", "mill x"]
    p = plan(store, f, mapping={"Mill": "producer", "Farm name": "producer"})
    assert sorted(k[0] for k in p.new_producers) == ["mill x"]


def test_duplicates_compare_mapped_columns_only(store, tmp_path):
    f = tmp_path / "dups.csv"
    f.write_text("Producer,Country,Internal note\nA,CO,x\nA,CO,y\n")
    p = plan(store, f, "producers")
    assert p.ok and [x.reason for x in p.warnings] == ["repeats line 2 exactly; skipped"]


def test_grading_export_process_labels_and_value_mapping(store, tmp_path):
    f = tmp_path / "labels.csv"
    f.write_text("Lot code,Producer,Country,Harvest,Process\n"
                 "A,F,CO,2024,Washed / Wet\nB,F,CO,2024,Natural / Dry\n"
                 "C,F,CO,2024,Semi-washed / Semi-pulped\nD,F,CO,2024,Pulped natural / honey\n"
                 "E,F,CO,2024,Kyoto drip\n")
    p = plan(store, f)
    assert [r.record.process.value for r in p.records] == ["washed", "natural", "honey", "honey"]
    assert [x.line for x in p.errors] == [6]
    p = plan(store, f, mapping={"_values": {"Process": {"Kyoto drip": "washed"}}})
    assert p.ok and p.records[-1].record.process.value == "washed"


def test_init_creates_an_empty_database_and_commands_name_a_missing_one(tmp_path, capsys):
    db = tmp_path / "new.sqlite"
    assert main(["--db", str(db), "info"]) == 2
    err = capsys.readouterr().err
    assert str(db) in err and "roasterdesk init" in err
    assert main(["--db", str(db), "init"]) == 0
    assert "created an empty database" in capsys.readouterr().out
    assert main(["--db", str(db), "info"]) == 0
    assert main(["--db", str(db), "init"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_every_iso_country_and_the_variants_grading_exports_write(store, tmp_path):
    f = tmp_path / "countries.csv"
    f.write_text("Producer;Country;Region\nA;Japan;\nB;Mauritius;\nC;Tanzania, United Republic Of;"
                 "\nD;United States (Hawaii);\nE;Cote d?Ivoire;\nF;Costa de Marfil;\n"
                 "G;Brasil (Sul de Minas);Cerrado\nH;Colombai;\n")
    p = plan(store, f, "producers")
    got = {r.record.name: (r.record.country, r.record.region) for r in p.records}
    assert got == {"A": ("JP", ""), "B": ("MU", ""), "C": ("TZ", ""), "D": ("US", "Hawaii"),
                   "E": ("CI", ""), "F": ("CI", ""), "G": ("BR", "Cerrado")}
    assert [(x.line, x.reason) for x in p.errors] == [
        (9, "unknown country 'Colombai'; nearest: Colombia · Somalia · Romania")]


def test_unknown_process_lists_the_nearest_known_labels(store, tmp_path):
    f = tmp_path / "proc.csv"
    f.write_text("Lot code,Producer,Country,Harvest,Process,Certifications\n"
                 "A,F,CO,2024,Washd,Comercio justo; UTZ\nB,F,CO,2024,lavado,Fairtrad\n")
    p = plan(store, f)
    reasons = [x.reason for x in p.errors]
    assert reasons[0].startswith("unknown process 'Washd'; nearest: washed")
    assert reasons[1].startswith("unknown certification 'Fairtrad'; nearest: Fairtrade")
    assert len(reasons) == 2


def test_written_dates_and_harvests(store, tmp_path):
    f = tmp_path / "dates.csv"
    f.write_text("Lot code;Producer;Country;Harvest;Contract date\n"
                 "A;F;CO;08/09 crop;April 4th, 2015\nB;F;CO;March 2010;4 abr 2015\n"
                 "C;F;CO;Fall 2009;4 de abril de 2015\nD;F;CO;2014/15;2015-04-04\n"
                 "E;F;CO;Spring;31 Feb 2015\n")
    p = plan(store, f)
    got = [(r.record.harvest, r.record.contract_date.isoformat()) for r in p.records]
    # March 2010 lies in Colombia's crop year Oct 2009 – Sep 2010; autumn 2009 spans two
    assert got == [(2009, "2015-04-04"), (2010, "2015-04-04"), (2015, "2015-04-04")]
    assert [x.reason for x in p.errors if x.line == 4] == [
        "'Fall 2009' spans the harvests 2008/09 and 2009/10 of this origin; give the harvest year"]
    assert sorted(x.column for x in p.errors if x.line == 6) == ["Contract date", "Harvest"]


DATED = "Lot code;Producer;Country;Harvest;Contract date\n"


def test_a_date_column_ambiguous_throughout_is_asked_not_guessed(store, tmp_path):
    f = tmp_path / "dates.csv"
    f.write_text(DATED + "A;F;CO;2024;03/04/2024\nB;F;CO;2024;05/06/2024\nC;F;CO;2024;07/07/2024\n")
    p = plan(store, f)
    reasons = {(x.line, x.column): x.reason for x in p.errors}
    assert set(reasons) == {(2, "Contract date"), (3, "Contract date")}  # 07/07 reads one way
    assert reasons[(2, "Contract date")].startswith(
        "'03/04/2024' reads as 3 April 2024 or 4 March 2024")
    assert '"_dates"' in reasons[(2, "Contract date")]
    # the user says which: the mapping's date order, kept by the saved mapping
    p = plan(store, f, mapping={"_dates": {"Contract date": "mdy"}})
    assert p.ok, p.report()
    assert [r.record.contract_date.isoformat() for r in p.records] == [
        "2024-03-04", "2024-05-06", "2024-07-07"]
    assert "column 'Contract date': dates month first (03/25/2024)" in p.report()
    doc = I.mapping_document(p.table.headers, p.mapping, dates={4: "mdy"})
    assert doc["_dates"] == {"Contract date": "mdy"}
    p = plan(store, f, mapping={"_dates": {"Contract date": "day first"}})
    assert p.records[0].record.contract_date.isoformat() == "2024-04-03"
    with pytest.raises(UserError, match="'dmy' .* or 'mdy'"):
        plan(store, f, mapping={"_dates": {"Contract date": "sideways"}})


def test_a_date_column_whose_values_show_the_order_follows_it(store, tmp_path):
    f = tmp_path / "us.csv"
    f.write_text(DATED + "A;F;CO;2024;03/04/2024\nB;F;CO;2024;12/25/2024\n")
    p = plan(store, f)
    assert p.ok, p.report()
    assert [r.record.contract_date.isoformat() for r in p.records] == ["2024-03-04", "2024-12-25"]
    assert "month first" in p.report()
    f.write_text(DATED + "A;F;CO;2024;03/04/2024\nB;F;CO;2024;25.12.2024\n")
    p = plan(store, f)
    assert [r.record.contract_date.isoformat() for r in p.records] == ["2024-04-03", "2024-12-25"]
    # both orders in one column: the dates that read both ways are asked, the others read
    f.write_text(DATED + "A;F;CO;2024;03/04/2024\nB;F;CO;2024;12/25/2024\nC;F;CO;2024;25/12/2024\n")
    p = plan(store, f)
    assert [x.line for x in p.errors] == [2]
    assert "mixes day-first and month-first dates" in p.report()
    # stated day first, a month-first date is an error naming the column's order
    p = plan(store, f, mapping={"_dates": {"Contract date": "dmy"}})
    assert [(x.line, x.reason) for x in p.errors] == [
        (3, "'12/25/2024' is not a date day first, as the column's other dates are")]


def test_producer_values_on_lot_rows_that_differ_are_reported_not_dropped(store, tmp_path):
    from roasterdesk.domain.model import Producer, ProducerKind

    old = store.save_producer(Producer("Finca Uno", ProducerKind.FARM, "CO", region="Huila",
                                       altitude_min_m=1600, altitude_max_m=1800))
    f = tmp_path / "regions.csv"
    f.write_text("Lot code;Producer;Country;Harvest;Region;Altitude\n"
                 "A;Finca Uno;CO;2024;Huila;1600-1800\n"       # the same: nothing to say
                 "B;Finca Uno;CO;2024;Nariño;1750\n"           # both differ
                 "C;Finca Dos;CO;2024;Cauca;1500\n"            # a new producer...
                 "D;Finca Dos;CO;2024;Cauca;1550\n")           # ...said otherwise later
    p = plan(store, f)
    assert p.ok, p.report()
    warned = [(x.line, x.column, x.reason) for x in p.warnings]
    assert warned == [
        (3, "Region", "Finca Uno's region is 'Huila' (kept); this row says 'Nariño': change "
                      "the producer to change it"),
        (3, "Altitude", "Finca Uno's altitude is '1600-1800 m' (kept); this row says "
                        "'1750 m': change the producer to change it"),
        (5, "Altitude", "Finca Dos's altitude is '1500 m' (kept); this row says '1550 m': "
                        "change the producer to change it")]
    I.commit_import(store, p)
    kept = store.producer(old.id)
    assert (kept.region, kept.altitude_min_m, kept.altitude_max_m) == ("Huila", 1600, 1800)


def test_spanish_headers_of_an_offer_list_map_to_their_fields(store, tmp_path):
    """A hand-written Spanish offer list: 'Lote', 'Peso saco (kg)' and 'Peso neto' were left
    unmapped (the lot code generated, the bags refused for want of a bag size)."""
    f = tmp_path / "sacos.csv"
    f.write_text("Lote;Finca;País;Cosecha;Sacos;Peso saco (kg);Peso neto\n"
                 "HU-01;El Roble;Honduras;2024;275;69;18975\n", encoding="utf-8")
    p = plan(store, f)
    assert p.ok, p.report()
    lot = p.records[0].record
    assert (lot.code, lot.bags, lot.bag_kg, lot.weight_kg) == ("HU-01", 275, Decimal(69),
                                                               Decimal(18975))


def test_spanish_and_portuguese_sheets_map_every_column_a_buyer_would_head_so(store, tmp_path):
    """A Colombian exporter's list and a Brazilian one, headed in their own language: every
    column lands in its field (before, 'Productor' and 'Produtor' were not the producer, so
    the file was refused for want of a producer column)."""
    es = tmp_path / "oferta.csv"
    es.write_text("Código de Lote;Productor;País de Origen;Año de Cosecha;Número de Sacos;"
                  "Peso por Saco;Variedad;Tipo de Proceso;Especie;Puntaje de Taza;Humedad;"
                  "Precio FOB;Diferencial;Exportadora;Certificaciones;Orgánico\n"
                  "CO-01;Finca La Esperanza;Colombia;2024;10;70 kg;Castillo;Lavado;Arábica;"
                  "86,25;11,2 %;3,45;+45;Expocafé;Fairtrade;no\n", encoding="utf-8")
    p = plan(store, es)
    assert p.ok, p.report()
    lot = p.records[0].record
    assert (lot.code, lot.harvest, lot.bags, lot.bag_kg, lot.variety) == (
        "CO-01", 2024, 10, Decimal(70), "Castillo")
    assert (lot.process.value, lot.species.value, lot.quality_score, lot.moisture_pct) == (
        "washed", "arabica", Decimal("86.25"), Decimal("11.2"))
    assert (lot.fob_usd_lb, lot.differential_cents_lb, lot.exporter, lot.organic) == (
        Decimal("3.45"), Decimal(45), "Expocafé", False)
    assert [s.value for s in lot.certifications_claimed] == ["Fairtrade"]
    pt = tmp_path / "lotes.csv"
    pt.write_text("Número do Lote;Produtor;País de Origem;Safra;Quantidade de Sacas;Peso Saca;"
                  "Processo;Pontuação SCA;Umidade;Preço FOB\n"
                  "BR-7;Fazenda Boa Vista;Brasil;2024;20;60;Natural;84,5;11 %;2,95\n",
                  encoding="utf-8")
    p = plan(store, pt)
    assert p.ok, p.report()
    lot = p.records[0].record
    assert (lot.code, lot.bags, lot.bag_kg, lot.process.value, lot.quality_score,
            lot.fob_usd_lb) == ("BR-7", 20, Decimal(60), "natural", Decimal("84.5"),
                                Decimal("2.95"))
    assert p.new_producers and [x.name for x in p.new_producers.values()] == ["Fazenda Boa Vista"]


def test_no_header_routes_to_two_fields_of_one_kind():
    """Each header (as folded) names one field of a kind: a synonym given to two fields would
    send the column to whichever comes first, silently."""
    from collections import defaultdict

    from roasterdesk.services import fields as FS

    for kind, specs in FS.KINDS.items():
        owners: dict[str, set[str]] = defaultdict(set)
        for spec in specs:
            for name in FS._names(spec):
                owners[name].add(spec.key)
        assert {n: k for n, k in owners.items() if len(k) > 1} == {}, kind


def test_a_weight_that_bags_times_their_size_do_not_make_is_a_warning_on_its_line(
        store, tmp_path):
    """19,600 kg beside 274 bags of 70 kg (19,180 kg): the statement would print both (a net
    weight within 2 % of the bags', B's, is not named)."""
    f = tmp_path / "pesos.csv"
    f.write_text("Lot;Producer;Country;Harvest;Weight (kg);Bags;Bag size\n"
                 "A;F;CO;2024;19600;274;70\nB;F;CO;2024;19200;274;70\n", encoding="utf-8")
    p = plan(store, f)
    assert p.ok, p.report()
    [w] = [x for x in p.problems if "bags ×" in x.reason]
    assert (w.line, w.error, w.column) == (2, False, "Weight (kg), Bags, Bag size")
    assert "weight 19600 kg is not 274 bags × 70 kg = 19180 kg" in w.reason


def test_a_price_header_that_names_cents_or_dollars_is_read_in_that_unit(store, tmp_path):
    """'Preço FOB (US¢/lb)' holding 410,00 is 4.10 USD/lb (it was stored as 410 USD/lb and a
    statement printed a 10,549 % premium); a C price column headed in USD/lb is read as
    dollars, and a differential written '+0.95 USD/lb' as 95 ¢/lb. An FOB above 100 USD/lb
    with no unit is a warning asking whether it is in cents."""
    f = tmp_path / "ofertas.csv"
    f.write_text("Lote;Produtor;País;Safra;Preço FOB (US¢/lb);C price (USD/lb);Diferencial\n"
                 "BR-1;Sítio Boa Vista;Brasil;2024;410,00;3,85;+25\n"
                 "BR-2;Sítio Boa Vista;Brasil;2024;475,00;3,80;+0,95 USD/lb\n"
                 "BR-3;Sítio Boa Vista;Brasil;2024;395,50;3,80;+0,95 USD/lb\n",
                 encoding="utf-8")
    p = plan(store, f)
    got = {r.record.code: r.record for r in p.records}
    assert got["BR-1"].fob_usd_lb == Decimal("4.10") and got["BR-1"].c_cents_lb == Decimal(385)
    assert got["BR-2"].fob_usd_lb == Decimal("4.75")
    assert got["BR-2"].differential_cents_lb == Decimal(95)
    [e] = [x for x in p.problems if x.error]  # the sum is checked in the header's unit
    assert e.line == 4 and "FOB 395,50 ¢/lb is 395.50 ¢/lb" in e.reason
    g = tmp_path / "sin_unidad.csv"
    g.write_text("Lot;Producer;Country;Harvest;FOB\nX-1;F;CO;2024;410\n", encoding="utf-8")
    p = plan(store, g)
    [w] = [x for x in p.problems if "FOB" in x.reason]
    assert not w.error and w.line == 2
    assert w.reason == ("FOB 410.00 USD/lb is unusual (an auction lot's, or a price in US cents "
                        "per lb: 4.1000 USD/lb?)")
