"""Rows per second of the spreadsheet import: a 100,000-row lot CSV, dry run and commit.

    /work/venv/bin/python benchmarks/import_speed.py [--rows 100000] [--producers 1000]

The CSV looks like a buyer's sheet (decimal commas, units in cells, "2023/24" harvests); the
database starts empty, so the commit also creates the producers and refreshes the lot metrics of
every one of them, all in one transaction.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from roasterdesk.services.importing import commit_import, plan_import, read_source
from roasterdesk.store import Store

COUNTRIES = ["Colombia", "Ethiopia", "Kenya", "Guatemala", "Honduras", "Peru", "Brazil",
             "Rwanda", "Costa Rica", "El Salvador"]
PROCESSES = ["Washed", "Natural", "Honey", "Lavado", "Anaerobic"]


def make_csv(path: Path, rows: int, producers: int) -> None:
    rnd = random.Random(5)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("Lot Number;Farm Name;Country of Origin;Harvest Year;Number of Bags;Bag Weight;"
                 "Processing Method;Total Cup Points;Moisture;FOB (USD/lb);Exporter\n")
        for i in range(rows):
            p = i % producers
            year = 2016 + rnd.randrange(10)
            fh.write(
                f"L-{i:06d};Farm {p:04d};{COUNTRIES[p % len(COUNTRIES)]};"
                f"{year - 1}/{year % 100:02d};"
                f"{rnd.randint(5, 60)};{rnd.choice(['60 kg', '69 kg', '70kg'])};"
                f"{rnd.choice(PROCESSES)};{rnd.randint(8000, 9200) / 100:.2f}".replace(".", ",")
                + f";{rnd.randint(95, 120) / 10:.1f} %;{rnd.randint(250, 700) / 100:.2f};"
                  f"Exporter {p % 17}\n")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--producers", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "lots.csv"
        make_csv(csv_path, args.rows, args.producers)
        with Store.open(Path(tmp) / "bench.sqlite") as store:
            t0 = time.perf_counter()
            plan = plan_import(store, read_source(csv_path, "lots"), "lots")
            t1 = time.perf_counter()
            assert plan.ok, plan.report(limit=5)
            result = commit_import(store, plan)
            t2 = time.perf_counter()
            assert store.counts()["lots"] == args.rows, result
            metrics = store.db.execute("SELECT count(*) FROM lot_metrics").fetchone()[0]
            assert metrics == args.rows
        dry, commit = t1 - t0, t2 - t1
        print(f"{args.rows:,} rows, {args.producers:,} producers")
        print(f"dry run (read + check):   {dry:6.1f} s  {args.rows / dry:8,.0f} rows/s")
        print(f"commit (write + metrics): {commit:6.1f} s  {args.rows / commit:8,.0f} rows/s")
        print(f"import total:             {dry + commit:6.1f} s  "
              f"{args.rows / (dry + commit):8,.0f} rows/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
