"""What an import reads from a cell, or refuses: harvest words, malformed numbers, rows wider
than the header, formulas with no saved value, and the wording of its messages."""

from __future__ import annotations

import pytest
from cli_steps import plan

from roasterdesk.cli import main
from roasterdesk.errors import UserError
from roasterdesk.services import fields as FS
from roasterdesk.services import importing as I
from roasterdesk.services import parsing as P
from roasterdesk.services import vocab

HEAD = "Lot code;Producer;Country;Harvest;Weight (kg);Cup score\n"


def test_a_harvest_month_or_season_is_read_by_the_origins_calendar_or_refused(store, tmp_path):
    f = tmp_path / "lots.csv"
    f.write_text(HEAD + "A;F;CO;Oct 2023;100;85\nB;F;CO;Sep 2023;100;85\n"
                 "C;G;BR;Winter 2023;100;85\nD;H;US;Fall 2023;100;85\n"
                 "E;F;CO;Banana 2023;100;85\nF;F;CO;cosecha octubre 2023;100;85\n"
                 "G;F;CO;Fall 2023;100;85\n")
    p = plan(store, f)
    assert {r.record.code: r.record.harvest for r in p.records} == {
        "A": 2024, "B": 2023, "C": 2023, "F": 2024}
    errors = {x.line: x.reason for x in p.errors}
    assert set(errors) == {5, 6, 8}
    assert "not known for US" in errors[5] and "give the harvest year" in errors[5]
    assert errors[6].startswith("'Banana 2023': 'Banana' is not a month, a season")
    assert "spans the harvests 2022/23 and 2023/24" in errors[8]
    # how a month was read is said, as a warning of the row
    told = [x.reason for x in p.problems if not x.error and x.line == 2]
    assert told == ["'Oct 2023' read as harvest 2023/24: in CO the crop year starts in October"]


def test_a_harvest_month_without_a_country_is_asked_not_guessed():
    with pytest.raises(ValueError, match="without the producer's country"):
        P.parse_harvest_year("Oct 2023")
    assert P.parse_harvest_year("Harvest 2023") == 2023
    assert P.parse_harvest_year("safra 2014/15") == 2015


def test_a_number_with_two_decimal_points_is_not_a_number_and_leaves_the_column_alone(
        store, tmp_path):
    f = tmp_path / "lots.csv"
    f.write_text(HEAD + "A;F;CO;2024;100;85.5.0\nB;F;CO;2024;100;86.25\nC;F;CO;2024;100;1,2.5\n")
    p = plan(store, f)
    errors = {x.line: x.reason for x in p.errors}
    assert errors == {2: "'85.5.0' is not a number", 4: "'1,2.5' is not a number"}
    assert not any("mixes" in n for n in p.notes)
    assert "column 'Cup score': decimal point (1,234.5)" in p.notes
    assert P.column_mark(["85.5.0", "86.25"]) == (".", False)
    with pytest.raises(ValueError, match="is not a number"):
        P.parse_number("85.5.0")  # outside an import too
    assert P.parse_number("1.234.567") == 1234567


def test_a_row_wider_than_the_header_is_an_error_of_that_row(store, tmp_path):
    f = tmp_path / "lots.csv"
    f.write_text(HEAD + "A;F;CO;2024;100;85;x;y\nB;F;CO;2024;100;86;;\n")
    p = plan(store, f)
    assert [(x.line, x.reason) for x in p.errors] == [
        (2, "the row has 8 cells; the header has 6 (extra: 'x' · 'y')")]
    assert [r.record.code for r in p.records] == ["B"]  # empty extra cells are no problem


def test_an_xlsx_formula_with_no_saved_value_is_an_error_not_empty(store, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Lot code", "Producer", "Country", "Harvest", "Weight (kg)", "Cup score"])
    ws.append(["A", "F", "CO", 2024, 100, "=80+5"])
    ws.append(["B", "F", "CO", 2024, 100, 86])
    f = tmp_path / "lots.xlsx"
    wb.save(f)
    p = plan(store, f)
    assert [(x.line, x.column, x.reason) for x in p.errors] == [
        (2, "Cup score", "holds a formula with no saved value: open and save the file in a "
                         "spreadsheet, or type the value")]
    assert [r.record.code for r in p.records] == ["B"]


def test_enum_names_are_words_and_nearest_labels_are_told_apart(store, tmp_path):
    with pytest.raises(ValueError, match="'Sampled' is not a lot status"):
        FS.parse_status("Sampled")
    err = vocab.unknown("country", "Korea Rep", {"korea republic of": "Korea, Republic of",
                                                 "korea dem": "Korea, Democratic"})
    near = str(err).partition("; nearest: ")[2].split(" · ")
    assert sorted(near) == ["Korea, Democratic", "Korea, Republic of"]


def test_a_file_with_a_header_and_no_rows_or_nothing_is_a_user_error(store, db_path, tmp_path,
                                                                       capsys):
    f = tmp_path / "only-header.csv"
    f.write_text(HEAD)
    with pytest.raises(UserError, match="only-header.csv has a header but no rows"):
        I.read_source(f, "lots")
    assert main(["--db", str(db_path), "import", str(f), "--kind", "lots"]) == 2
    assert "only-header.csv has a header but no rows" in capsys.readouterr().err
    e = tmp_path / "blank.csv"
    e.write_text("\n\n")
    with pytest.raises(UserError, match="blank.csv is empty"):
        I.read_source(e, "lots")
