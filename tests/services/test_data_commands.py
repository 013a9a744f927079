"""The data commands end to end: import, export, C prices, a producer's data, erasure."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from roasterdesk.cli import main
from roasterdesk.domain.model import Person, Producer, ProducerKind

FIX = Path(__file__).parent.parent / "fixtures" / "imports"


def run(db_path, *argv):
    return main(["--db", str(db_path), *map(str, argv)])


def test_import_command_dry_run_commit_and_duplicates(store, db_path, tmp_path, capsys):
    assert run(db_path, "import", FIX / "lots_messy.csv", "--kind", "lots", "--dry-run") == 2
    out, err = capsys.readouterr()
    assert "line 10, column 'Country of Origin': unknown country 'Narnia'" in out
    assert "2 errors: nothing was imported" in err
    assert store.counts()["lots"] == 0
    good = tmp_path / "good.csv"
    good.write_text((FIX / "lots_messy.csv").read_text(encoding="utf-8")
                    .replace("Narnia", "GT").replace("eighty", "80"), encoding="utf-8")
    assert run(db_path, "import", good, "--kind", "lots", "--dry-run") == 0
    assert "dry run: nothing was written" in capsys.readouterr().out
    assert store.counts()["lots"] == 0
    assert run(db_path, "import", good, "--kind", "lots") == 0
    assert "5 created" in capsys.readouterr().out and store.counts()["lots"] == 5
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"Total Cup Points": None}))
    good.write_text(good.read_text(encoding="utf-8").replace("86,25", "90"), encoding="utf-8")
    assert run(db_path, "import", good, "--kind", "lots", "--on-duplicate", "update",
               "--mapping", mapping) == 0
    assert "0 created, 5 updated" in capsys.readouterr().out
    assert str(store.lot_by_code("CO-24-001").quality_score) == "86.25"  # column ignored
    assert run(db_path, "import", good, "--kind", "lots", "--on-duplicate", "update") == 0
    assert str(store.lot_by_code("CO-24-001").quality_score) == "90"
    assert store.counts()["lots"] == 5


def test_import_plots_from_kml_needs_a_producer(store, db_path, tmp_path, capsys):
    kml = tmp_path / "f.kml"
    kml.write_text('<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>A</name>'
                   '<Point><coordinates>-76.0,1.9</coordinates></Point></Placemark></kml>')
    assert run(db_path, "import", kml, "--kind", "plots") == 2
    assert "no column for 'Producer'" in capsys.readouterr().out
    assert run(db_path, "import", kml, "--kind", "plots", "--producer", "Finca X",
               "--country", "Colombia") == 0
    assert store.counts()["plots"] == 1 and store.producers()[0].name == "Finca X"


def test_export_command_and_bad_suffix(store, db_path, tmp_path, capsys):
    store.save_producer(Producer("=Finca", ProducerKind.FARM, "CO"))
    out = tmp_path / "p.csv"
    assert run(db_path, "export", "--kind", "producers", "--out", out) == 0
    assert "'=Finca" in out.read_text(encoding="utf-8-sig")
    assert run(db_path, "export", "--kind", "producers", "--out", tmp_path / "p.pdf") == 2


def test_c_prices_command(store, db_path, tmp_path, capsys):
    c = tmp_path / "c.csv"
    c.write_text("Month,Price\nMar 2025,380\n2025-04,392.5\n")
    assert run(db_path, "import-c-prices", c) == 0
    assert "stored 2 months" in capsys.readouterr().out
    from roasterdesk.store import Store

    with Store.open(db_path) as fresh:
        assert len(fresh.reference()[2].months) == 2
    c.write_text("Month,Price\nsoon,380\n")
    assert run(db_path, "import-c-prices", c) == 2


def test_london_robusta_prices_command(store, db_path, tmp_path, capsys):
    """ICE London robusta, USD per tonne, beside C; a series in USD/lb is refused, not scaled."""
    from decimal import Decimal

    from roasterdesk.store import Store

    rc = tmp_path / "london.csv"
    rc.write_text("Month,USD/t\n2025-03,\"4,400\"\n2025-04,4512.5\n")
    assert run(db_path, "import-c-prices", "--market", "london", rc) == 0
    assert "London robusta prices from london.csv: 2 months" in capsys.readouterr().out
    with Store.open(db_path) as fresh:
        ref = fresh.reference()
        assert ref.london_series.months == {(2025, 3): Decimal(4400), (2025, 4): Decimal("4512.50")}
        assert ref.c_series.months == {}  # C is another market
    rc.write_text("Month,USD/t\n2025-05,2.05\n")
    assert run(db_path, "import-c-prices", "--market", "london", rc) == 2
    assert "not a London robusta price in USD per tonne" in capsys.readouterr().out
    with Store.open(db_path) as fresh:
        assert (2025, 5) not in fresh.reference().london_series.months


def test_producer_export_and_erase_commands(store, db_path, tmp_path, capsys):
    p = store.save_producer(Producer("Finca El Mirador", ProducerKind.FARM, "CO"))
    person = store.save_person(Person(p.id, "José Ramírez", email="j@example.org"))
    out = tmp_path / "p.zip"
    assert run(db_path, "export-producer", "Finca El Mirador", "--out", out) == 0
    with zipfile.ZipFile(out) as zf:
        assert json.loads(zf.read("producer.json"))["people"][0]["email"] == "j@example.org"
    assert run(db_path, "export-producer", "Nobody", "--out", out) == 2
    assert run(db_path, "erase-person", person.id) == 1
    assert store.person(person.id).name == "José Ramírez"
    assert run(db_path, "erase-person", person.id, "--yes") == 0
    erased = store.person(person.id)
    assert erased.pseudonymised and erased.email == "" and erased.name.startswith("Person ")
