"""A value written on many rows is read once per column (the same text, unit and origin read
the same), yet every row still gets its own problems, with its own line; a column whose values
all differ, or whose values are lists, is not kept."""

from __future__ import annotations

from roasterdesk.services import import_checks as CH
from roasterdesk.services import importing as I


def _csv(path, rows):
    head = "Lot code;Farm;Country;Harvest;Bags;Bag kg;Process;Cup score;Certifications\n"
    path.write_text(head + "".join(rows), encoding="utf-8")
    return path


def test_a_repeated_value_is_parsed_once_and_each_row_keeps_its_own_problem(store, tmp_path,
                                                                           monkeypatch):
    read: list[str] = []
    real = CH._read_cell

    def counting(key, col, text, *args):
        if key == "quality_score":
            read.append(text)
        return real(key, col, text, *args)

    monkeypatch.setattr(CH, "_read_cell", counting)
    rows = [f"L-{i:03d};Finca {i % 3};CO;2024;10;70;Washed;{'150' if i % 10 == 0 else '86'};"
            "\n" for i in range(60)]
    plan = I.plan_import(store, I.read_source(_csv(tmp_path / "lots.csv", rows), "lots"), "lots")
    assert sorted(read) == ["150", "86"]  # once each, not 60 times
    bad = [p for p in plan.problems if p.column == "Cup score"]
    assert [p.line for p in bad] == [2 + i for i in range(0, 60, 10)]  # every row, its line
    assert all(p.error and p.value == "150" for p in bad)
    assert plan.count("create") == 54


def test_the_same_text_reads_by_its_row_own_origin(store, tmp_path):
    """A harvest month reads by the origin's calendar: the same "Oct 2023" is 2023 in Colombia
    and 2023 / 2024 elsewhere by their own calendars, never the first row's reading for all."""
    rows = ["A-1;Finca A;CO;Oct 2023;10;70;Washed;86;\n",
            "B-1;Finca B;BR;Oct 2023;10;70;Natural;86;\n",
            "A-2;Finca A;CO;Oct 2023;10;70;Washed;86;\n",
            "B-2;Finca B;BR;Oct 2023;10;70;Natural;86;\n"]
    plan = I.plan_import(store, I.read_source(_csv(tmp_path / "lots.csv", rows), "lots"), "lots")
    assert plan.ok, plan.report(limit=5)
    harvests = {r.record.code: r.record.harvest for r in plan.records}
    alone = {}
    for code, country in (("A-1", "CO"), ("B-1", "BR")):
        one = I.plan_import(store, I.read_source(_csv(
            tmp_path / f"{code}.csv", [f"{code};Finca;{country};Oct 2023;10;70;Washed;86;\n"]),
            "lots"), "lots")
        alone[country] = one.records[0].record.harvest
    assert alone["CO"] != alone["BR"]
    assert harvests == {"A-1": alone["CO"], "A-2": alone["CO"], "B-1": alone["BR"],
                        "B-2": alone["BR"]}


def test_unique_values_and_lists_are_not_kept():
    memo = CH._Memo()
    for i in range(300):
        assert memo.get((f"L-{i}", None, "")) is None
        kept = memo.keep((f"L-{i}", None, ""), (f"L-{i}", ()))
    assert not kept and len(memo) == 256  # a lot-code column: every value new, given up
    repeated = CH._Memo()
    for i in range(5000):
        key = (str(80 + i % 20), None, "")
        if repeated.get(key) is None:
            assert repeated.keep(key, (i % 20, ()))
    assert len(repeated) == 20
    assert not CH._Memo().keep(("ISO 9001", None, ""), (["ISO"], ()))  # a list: never shared
    capped = CH._Memo()
    capped.looked = 10**9
    for i in range(CH.MEMO_PER_COLUMN):
        assert capped.keep((str(i), None, ""), (i, ()))
    assert not capped.keep(("x", None, ""), (1, ()))
