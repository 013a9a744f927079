"""Offer lists write a lot's bags and bag size in one cell ("275 x 69 kg"): read as both, the
size agreeing with a bag size column when there is one."""

from __future__ import annotations

from decimal import Decimal

from roasterdesk.services import importing as I


def _plan(store, tmp_path, text):
    f = tmp_path / "offer.csv"
    f.write_text(text, encoding="utf-8")
    return I.plan_import(store, I.read_source(f, "lots"), "lots")


def test_bags_and_their_size_in_one_cell(store, tmp_path):
    plan = _plan(store, tmp_path, "Lot;Producer;Country;Harvest;Bags\n"
                                  "A;F;CO;2025;275 x 69 kg\n"
                                  "B;F;CO;2025;20 × 70\n"
                                  "C;F;CO;2025;10 bags x 60kg\n"
                                  "D;F;CO;2025;4 x 100 lb\n"
                                  "E;F;CO;2025;12\n")
    got = {r.record.code: (r.record.bags, r.record.bag_kg) for r in plan.records}
    assert got["A"] == (275, Decimal(69)) and got["B"] == (20, Decimal(70))
    assert got["C"] == (10, Decimal(60))
    assert got["D"][0] == 4 and abs(got["D"][1] - Decimal("45.359237")) < Decimal("0.000001")
    assert "E" not in got  # 12 bags and no size, no weight: refused as before
    assert [p.line for p in plan.errors] == [6]


def test_a_size_in_the_cell_and_a_bag_size_column_must_agree(store, tmp_path):
    plan = _plan(store, tmp_path, "Lot;Producer;Country;Harvest;Bags;Bag size\n"
                                  "A;F;CO;2025;20 x 70 kg;70\n"
                                  "B;F;CO;2025;20 x 70 kg;69\n")
    assert [r.record.code for r in plan.records] == ["A"]
    (bad,) = plan.errors
    assert (bad.line, bad.column) == (3, "Bags")
    assert bad.reason == "the bags cell says bags of 70 kg but 'Bag size' says 69 kg: which is it?"


def test_not_a_bags_cell_stays_an_error(store, tmp_path):
    plan = _plan(store, tmp_path, "Lot;Producer;Country;Harvest;Bags\nA;F;CO;2025;many x big\n")
    assert [(p.line, p.column) for p in plan.errors][:1] == [(2, "Bags")]
