"""A row's figures checked against the domain's plausibility and against each other: a C price
in the wrong unit, C + differential that is not the FOB, a farm gate above the FOB, bags without
their size, a harvest far from the contract; members of a rejected cooperative; true counts."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date
from decimal import Decimal

from cli_steps import plan

from roasterdesk.cli import main
from roasterdesk.domain.model import Lot, Producer, ProducerKind
from roasterdesk.services import importing as I


def found(p):
    return {(x.line, x.column, x.error): x.reason for x in p.problems}


def test_a_c_price_in_usd_lb_or_usd_t_is_an_error_naming_the_likely_unit(store, tmp_path):
    f = tmp_path / "c.tsv"
    f.write_text("Lot\tProducer\tCountry\tHarvest\tC Price\tFixations\n"
                 "T1\tF\tCO\t2025\t2.0015\t\n"
                 "T2\tF\tTZ\t2024\t4400\t\n"
                 "T3\tF\tCO\t2025\t200.15\t\n"
                 "T4\tF\tCO\t2025\t\t2025-01-10 3.80\n")
    p = plan(store, f)
    got = found(p)
    assert "2.0015 looks like USD/lb: 200.15 ¢/lb?" in got[(2, "C Price", True)]
    assert "4400 looks like a London robusta price in USD/t (199.58 ¢/lb" in got[
        (3, "C Price", True)]
    assert "3.80 looks like USD/lb: 380 ¢/lb?" in got[(5, "Fixations", True)]
    assert [r.record.code for r in p.records] == ["T3"]
    assert sorted(line for line, _e in p.rejected) == [2, 3, 5]


def test_a_c_price_of_0_is_not_recorded_and_a_robusta_lot_has_no_c_price(store, tmp_path):
    f = tmp_path / "c.tsv"
    f.write_text("Lot\tProducer\tCountry\tHarvest\tSpecies\tC Price\tFixations\n"
                 "T1\tF\tET\t2025\tarabica\t0\t\n"
                 "T2\tK\tTZ\t2024\trobusta\t199.58\t\n"
                 "T3\tK\tTZ\t2024\trobusta\t\t2024-03-01 199.58\n"
                 "T4\tK\tTZ\t2024\trobusta\t\t\n")
    p = plan(store, f)
    got = found(p)
    assert got[(2, "C Price", False)] == "C price 0 read as not recorded"
    assert "a robusta lot is compared with London (USD/t), never with ICE C" in got[
        (3, "C Price", True)]
    assert "never with ICE C" in got[(4, "Fixations", True)]
    assert [(r.record.code, r.record.c_cents_lb) for r in p.records] == [("T1", None),
                                                                        ("T4", None)]


def test_c_plus_differential_that_is_not_the_fob_is_an_error_naming_the_three(store, tmp_path):
    f = tmp_path / "offer.csv"
    f.write_text("Lot;Producer;Country;Harvest;C Price;Differential;FOB\n"
                 "E1;W;ET;2024;200,15;+250;7.60 USD/kg\n"
                 "E2;W;ET;2024;380,00;+95;4.75\n"
                 "E3;W;ET;2024;380,00;+95;4.7550\n")
    p = plan(store, f)
    got = found(p)
    assert got[(2, "C Price, Differential, FOB", True)].startswith(
        "C 200.15 + differential +250 = 450.15 ¢/lb but FOB 7.60 USD/kg is 344.73 ¢/lb")
    assert (3, "C Price, Differential, FOB", True) not in got  # 475 = 475
    assert (4, "C Price, Differential, FOB", True) not in got  # within a cent a lb
    assert [r.record.code for r in p.records] == ["E2", "E3"]


def test_a_farm_gate_above_the_fob_is_a_warning_with_its_column(store, tmp_path):
    f = tmp_path / "fg.csv"
    f.write_text("Lot;Producer;Country;Harvest;FOB;Precio al productor;Local Currency;"
                 "Local Unit;Basis;Outturn;Exchange Rate\n"
                 "E1;W;ET;2024;7.60 USD/kg;95;ETB;kg;cherry;6,2;56,5\n"
                 "E2;W;ET;2024;7.60 USD/kg;45;ETB;kg;cherry;6,2;56,5\n")
    p = plan(store, f)
    got = found(p)
    assert got[(2, "Precio al productor", False)].startswith(
        "farm gate 4.7286 USD/lb green is above the FOB 3.4473 USD/lb (137.2 % of FOB)")
    assert not [x for x in p.problems if x.line == 3]
    assert p.ok and len(p.records) == 2


def test_bags_without_a_bag_size_are_refused_as_the_lot_editor_refuses_them(store, tmp_path):
    f = tmp_path / "bags.csv"
    f.write_text("Lot;Producer;Country;Harvest;Net Weight (kg);Bags;Bag size\n"
                 "A;F;CO;2025;;20;\n"
                 "B;F;CO;2025;1400;20;70\n"
                 "C;F;CO;2025;1400;;\n"
                 "E;F;CO;2025;1400;20;\n")
    p = plan(store, f)
    got = found(p)
    assert got[(2, "Bags", True)] == (
        "20 bags without a bag size: a number of bags needs its bag size (e.g. 60, 69, 70 kg) "
        "or the lot's weight; add a 'Bag size' or a 'Weight' column (or leave the bags out)")
    # with the weight recorded, the bags are a count beside it (the weight gives the figures)
    assert [r.record.code for r in p.records] == ["B", "C", "E"]
    e = next(r.record for r in p.records if r.record.code == "E")
    assert (e.bags, e.bag_kg, e.weight) == (20, None, Decimal(1400))
    # an update that gives bags to a stored lot with neither bag size nor weight is refused
    # too; a stored weight makes them a count beside it
    pid = store.save_producer(Producer("F", ProducerKind.FARM, "CO")).id
    store.save_lot(Lot("D", pid, 2025))
    store.save_lot(Lot("W", pid, 2025, weight_kg=Decimal(600)))
    f.write_text("Lot;Producer;Country;Harvest;Bags\nD;F;CO;2025;10\nW;F;CO;2025;10\n")
    p = I.plan_import(store, I.read_source(f, "lots"), "lots", on_duplicate="update")
    assert "10 bags without a bag size" in found(p)[(2, "Bags", True)]
    assert (3, "Bags", True) not in found(p) and [r.record.code for r in p.records] == ["W"]


def test_a_harvest_far_from_the_contract_date_is_a_warning(store, tmp_path):
    f = tmp_path / "h.csv"
    f.write_text("Lot;Producer;Country;Crop;Date\n"
                 "CIV-0809;M;CI;08/09 crop;2024-04-03\n"
                 "OK-1;M;CO;2023/24;2024-04-03\n"
                 "FWD-1;M;CO;2026/27;2024-04-03\n")
    p = plan(store, f)
    got = found(p)
    assert got[(2, "Crop", False)] == ("harvest 2008/09 ended 15 years before the contract "
                                       "date 2024-04-03: is it the right harvest?")
    assert (3, "Crop", False) not in got
    assert "starts after the contract date 2024-04-03" in got[(4, "Crop", False)]
    assert p.ok


def test_members_of_a_rejected_cooperative_are_rejected_and_the_rest_imported(
        store, db_path, tmp_path, capsys):
    f = tmp_path / "producers.csv"
    f.write_text("Name,Type,Country,Farm Size,Member of\n"
                 'Coop,cooperative,CO,"1.250 ha",\n'
                 "Member A,farm,CO,2,Coop\n"
                 "Member of A,farm,CO,1,Member A\n"
                 "Alone,farm,CO,3,\n"
                 "Ghost,farm,Narnia,1,\n"
                 "Member B,farm,CO,4,Kept\n"
                 "Kept,cooperative,CO,9,\n")
    p = plan(store, f, "producers")
    got = found(p)
    assert got[(3, "Member of", True)] == "member of 'Coop': its row (line 2) was rejected"
    assert got[(4, "Member of", True)] == "member of 'Member A': its row (line 3) was rejected"
    assert "will create 3, update 0, skip 0 producers" in p.report()
    assert "3 rows can be imported" in p.report()
    assert main(["--db", str(db_path), "import", str(f), "--kind", "producers",
                 "--skip-invalid"]) == 0
    out = capsys.readouterr().out
    assert "4 rows rejected" in out and "imported producers: 3 created" in out
    names = {x.name: x for x in store.producers()}
    assert set(names) == {"Alone", "Member B", "Kept"}
    assert names["Member B"].parent_id == names["Kept"].id
    with open(I.rejects_path(f), encoding="utf-8-sig", newline="") as fh:
        assert [r[0] for r in csv.reader(fh)][1:] == ["Coop", "Member A", "Member of A", "Ghost"]


def test_can_be_imported_counts_rows_that_pass_not_a_totals_row(store, tmp_path):
    f = tmp_path / "lots.csv"
    f.write_text("Lot;Producer;Country;Harvest;Weight (kg)\n"
                 "A;F;Narnia;2024;100\nB;F;CO;next year;100\nTotal;;;;200\n")
    report = plan(store, f).report()
    assert "2 errors in 2 rows, 1 warning; 0 rows can be imported" in report


def test_a_date_column_is_not_described_by_a_decimal_mark(store, tmp_path):
    f = tmp_path / "d.tsv"
    f.write_text("Lot\tProducer\tCountry\tHarvest\tDate\n"
                 "A\tF\tCO\t2025\tJan 10, 2025\nB\tF\tCO\t2025\t10 January 2025\n")
    p = plan(store, f)
    assert "column 'Date': decimal" not in p.report()
    assert p.ok and p.records[0].record.contract_date == date(2025, 1, 10)


def test_a_closed_pipe_ends_a_command_quietly(store, db_path):
    """`roasterdesk info | head -3`: the reader closed the pipe; no "Broken pipe" message."""
    child = subprocess.Popen([sys.executable, "-m", "roasterdesk", "--db", str(db_path), "info"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()  # before the command writes its first line
    err = child.stderr.read().decode()
    assert child.wait(timeout=60) == 141
    assert "Broken pipe" not in err and err == ""


def test_a_rejected_lot_row_creates_no_producer(store, db_path, tmp_path, capsys):
    """A lot row rejected for its row as a whole (C + differential that is not the FOB, a
    farm-gate unit not known in Peru) still created its new producer with --skip-invalid: a
    producer with no lot, from a row the report said was not imported."""
    f = tmp_path / "lots.csv"
    f.write_text("Lot;Producer;Country;Harvest;Weight (kg);C price;Differential;FOB;"
                 "Farm Gate Price;Farm Gate Currency;Farm Gate Unit;Farm Gate Basis;"
                 "Exchange Rate\n"
                 "X-1;Finca Buena;CO;2025;690;380;95;4.75;;;;;\n"
                 "X-2;Finca Mala;CO;2025;690;380;95;3.10;;;;;\n"
                 "X-3;Finca Sur;PE;2025;690;;;4.10;350;PEN;arroba;parchment;3.7\n"
                 "X-4;Finca Buena;CO;2025;690;;;4.20;;;;;\n")
    p = plan(store, f)
    assert [x.name for x in p.new_producers.values()] == ["Finca Buena"]
    assert main(["--db", str(db_path), "import", str(f), "--kind", "lots",
                 "--skip-invalid"]) == 0
    out = capsys.readouterr().out
    assert "imported lots: 2 created, 0 updated, 0 skipped, 1 new producer" in out
    assert [x.name for x in store.producers()] == ["Finca Buena"]
