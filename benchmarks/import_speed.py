"""Rows per second of the spreadsheet import: a 100,000-row lot CSV, dry run and commit, beside
a floor measured in the same run: sqlite-utils ``insert_all`` of the same lot rows (as the store
writes them) into an empty table, with no validation. Then the peak memory (RSS) of a dry run
and of a commit, each in a fresh process, for a large file (``--rss-rows``, default 900,000).

    python benchmarks/import_speed.py [--rows 100000] [--producers 1000] [--rss-rows 900000]
                                      [--wide]
    python benchmarks/import_speed.py --rss-only dry|commit --rows N [--wide]
                                      (one measured process)

``--wide`` gives every row of the RSS file a ~150-character notes column (900,000 rows: about
213 MB, the size of file the import's scale target names; without it, 73 MB).

The dry run is ``plan_import`` (read and check every row, write nothing). The commit is
``import_rows``, what ``roasterdesk import`` and the import dialog do: the rows checked and
written in one reading of the file, a batch at a time, in one transaction (before, a commit was
a dry run then ``commit_import`` of its plan: compare the old "import total" with it).

The file is read from disk on each pass and the rows are let go a batch at a time, so memory
grows with what is kept per row (a lot code for the duplicate check, ~60-120 bytes), not with
the file's cells or records.

The CSV looks like a buyer's sheet (decimal commas, units in cells, "2023/24" harvests); the
database starts empty, so the commit also creates the producers and computes the lot figures of
every one of them: the rows in one transaction, then (100,000 lots) the figures over every core
in a second one (``services.parallel_figures``; a kill in between leaves them pending for the
next start), all inside the timed commit.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from roasterdesk.services.importing import import_rows, plan_import, read_source
from roasterdesk.store import Store

COUNTRIES = ["Colombia", "Ethiopia", "Kenya", "Guatemala", "Honduras", "Peru", "Brazil",
             "Rwanda", "Costa Rica", "El Salvador"]
PROCESSES = ["Washed", "Natural", "Honey", "Lavado", "Anaerobic"]


NOTES = ("Cupped at origin and again on arrival, sweet, clean, stone fruit and panela. "
         "Dried on raised beds for {d} days, rested in parchment {w} weeks before milling.")


def make_csv(path: Path, rows: int, producers: int, wide: bool = False) -> None:
    """The lot sheet; ``wide`` adds a notes column of ~150 characters a row (a 900,000-row
    file is then about 200 MB, like the file the import's scale target names)."""
    rnd = random.Random(5)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("Lot Number;Farm Name;Country of Origin;Harvest Year;Number of Bags;Bag Weight;"
                 "Processing Method;Total Cup Points;Moisture;FOB (USD/lb);Exporter"
                 + (";Notes\n" if wide else "\n"))
        for i in range(rows):
            p = i % producers
            year = 2016 + rnd.randrange(10)
            fh.write(
                f"L-{i:06d};Farm {p:04d};{COUNTRIES[p % len(COUNTRIES)]};"
                f"{year - 1}/{year % 100:02d};"
                f"{rnd.randint(5, 60)};{rnd.choice(['60 kg', '69 kg', '70kg'])};"
                f"{rnd.choice(PROCESSES)};{rnd.randint(8000, 9200) / 100:.2f}".replace(".", ",")
                + f";{rnd.randint(95, 120) / 10:.1f} %;{rnd.randint(250, 700) / 100:.2f};"
                  f"Exporter {p % 17}"
                + (";" + NOTES.format(d=8 + i % 20, w=4 + i % 9) if wide else "") + "\n")


def floor_rows_per_s(store: Store) -> float:
    """sqlite-utils insert_all of the imported lots' rows (as the store writes them) into an
    empty table (no checks)."""
    import sqlite_utils

    from roasterdesk.store import rows as R

    rows = [R.lot_to_row(lot) for lot in store.lots_where("1 = 1")]
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite_utils.Database(Path(tmp) / "floor.sqlite")
        t0 = time.perf_counter()
        with db.conn:
            db["lots"].insert_all(rows, batch_size=1000)
        dt = time.perf_counter() - t0
        db.close()
    return len(rows) / dt


def peak_rss(mode: str, rows: int, producers: int, wide: bool = False) -> float:
    """Peak RSS in MB of one fresh process doing a dry run or a commit of ``rows`` rows."""
    out = subprocess.run([sys.executable, __file__, "--rss-only", mode, "--rows", str(rows),
                          "--producers", str(producers), *(["--wide"] if wide else [])],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def rss_child(mode: str, rows: int, producers: int, wide: bool = False) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "lots.csv"
        make_csv(csv_path, rows, producers, wide)
        with Store.open(Path(tmp) / "bench.sqlite") as store:
            if mode == "commit":
                plan, result = import_rows(store, read_source(csv_path, "lots"), "lots")
                assert result is not None and result.created == rows, plan.report(limit=5)
            else:
                plan = plan_import(store, read_source(csv_path, "lots"), "lots")
                assert plan.ok and plan.count("create") == rows, plan.report(limit=5)
    print(_peak_mb())
    return 0


def _peak_mb() -> float:
    """This process's peak resident memory in MB: the kernel's high-water mark of its own
    memory (``VmHWM``), which starts again at exec. (``ru_maxrss`` carries over the RSS the
    parent had when it forked: measured after the 100,000-row run, a child read the parent's
    537 MB instead of its own 180.)"""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--producers", type=int, default=1000)
    ap.add_argument("--rss-rows", type=int, default=900_000)
    ap.add_argument("--rss-only", choices=("dry", "commit"))
    ap.add_argument("--wide", action="store_true",
                    help="a ~150-character notes column in every row of the RSS file")
    args = ap.parse_args()
    if args.rss_only:
        return rss_child(args.rss_only, args.rows, args.producers, args.wide)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "lots.csv"
        make_csv(csv_path, args.rows, args.producers)
        with Store.open(Path(tmp) / "bench.sqlite") as store:
            t0 = time.perf_counter()
            plan = plan_import(store, read_source(csv_path, "lots"), "lots")
            t1 = time.perf_counter()
            assert plan.ok, plan.report(limit=5)
            plan, result = import_rows(store, read_source(csv_path, "lots"), "lots")
            t2 = time.perf_counter()
            assert store.counts()["lots"] == args.rows, result
            metrics = store.db.execute("SELECT count(*) FROM lot_metrics").fetchone()[0]
            assert metrics == args.rows
            floor = floor_rows_per_s(store)
        dry, commit = t1 - t0, t2 - t1
        print(f"{args.rows:,} rows, {args.producers:,} producers")
        print(f"dry run (read + check):   {dry:6.1f} s  {args.rows / dry:8,.0f} rows/s")
        print(f"commit (check + write + metrics, one reading): {commit:6.1f} s  "
              f"{args.rows / commit:8,.0f} rows/s")
        print(f"floor (sqlite-utils insert_all, same rows): {floor:8,.0f} rows/s  "
              f"(commit / floor {floor and args.rows / commit / floor:.2f})")
    if args.rss_rows:
        for mode in ("dry", "commit"):
            mb = peak_rss(mode, args.rss_rows, args.producers, args.wide)
            print(f"peak RSS, {args.rss_rows:,} rows, {mode:6}: {mb:7.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
