"""Team sync speed against a real local PostgreSQL (started here in a temporary folder):

    .venv/bin/python benchmarks/sync_speed.py [--scale roaster|large] [--divide N] [--json]

(``--divide 10``: a tenth of the scale, the same proportions, for a quicker look.)

1. the initial push of a demo database to an empty hub (rows/s = change-log rows pushed);
2. ``--join`` of a second laptop from that hub (rows/s = hub changes pulled);
3. an incremental sync of 100 changes (a buyer edits 100 producers, syncs; the other laptop
   syncs), end to end, each side's seconds.

Each of 1 and 2 is also given as a ratio to a floor measured in the same run on the same data:

- push floor: the same change-log rows read from SQLite and sent with ``COPY`` into one plain
  table of the same hub database (no ops, no rows, no compare-and-set): moving the bytes;
- pull floor: the hub's whole feed read (the pull's own query, past no cursor) and written into
  one plain SQLite table in one transaction (no tables of records, no indexes, no change log, no
  lot figures): moving the bytes back.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from roasterdesk.services import sync  # noqa: E402
from roasterdesk.services.demo import build_demo  # noqa: E402
from roasterdesk.store import Store  # noqa: E402
from tests.pg import remove, start_cluster  # noqa: E402


def push_floor(db: Path, url: str) -> tuple[int, float]:
    """Seconds to COPY the change log of ``db`` into a plain table on the hub."""
    import sqlite3

    import psycopg

    src = sqlite3.connect(db)
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE floor_changes (seq bigint, op_id text, hlc text, "
                     "table_name text, row_uuid text, field text, old_value text, "
                     "new_value text)")
        conn.commit()
        t = time.perf_counter()
        n = 0
        with conn.cursor() as cur, cur.copy("COPY floor_changes FROM STDIN") as cp:
            for row in src.execute("SELECT seq, op_id, hlc, table_name, row_uuid, field, "
                                   "old_value, new_value FROM change_log ORDER BY seq"):
                cp.write_row(row)
                n += 1
        conn.commit()
        dt = time.perf_counter() - t
        conn.execute("DROP TABLE floor_changes")
    src.close()
    return n, dt


def pull_floor(url: str, folder: Path) -> tuple[int, float]:
    """Seconds to read the hub's feed and write it into one plain SQLite table."""
    import sqlite3

    import psycopg

    dst = sqlite3.connect(folder / "floor.sqlite")
    dst.execute("CREATE TABLE feed (seq INTEGER, op_id TEXT, hlc TEXT, device_id TEXT, "
                "table_name TEXT, row_uuid TEXT, field TEXT, old_value TEXT, new_value TEXT)")
    t = time.perf_counter()
    n = 0
    with psycopg.connect(url) as conn, conn.cursor(name="feed") as cur:
        cur.itersize = sync.PULL_PAGE
        cur.execute("SELECT seq, op_id, hlc, device_id, table_name, row_uuid, field, "
                    "old_value::text, new_value::text FROM roasterdesk.changes ORDER BY seq")
        with dst:
            while rows := cur.fetchmany(sync.PULL_PAGE):
                dst.executemany("INSERT INTO feed VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                n += len(rows)
    dt = time.perf_counter() - t
    dst.close()
    return n, dt


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="roaster")
    ap.add_argument("--divide", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.divide > 1:
        from roasterdesk.services.demo_plan import SCALES, Scale

        full = SCALES[args.scale]
        args.scale = f"{args.scale}/{args.divide}"
        SCALES[args.scale] = Scale(full.producers // args.divide, full.lots // args.divide,
                                   full.visits // args.divide, full.members)
    cluster = start_cluster()
    out: dict[str, float | int | str] = {"scale": args.scale}
    try:
        url = cluster.create_database("bench")
        sync.init_hub(url)
        work = Path(tempfile.mkdtemp(prefix="rdsync-"))
        a, b = work / "a.sqlite", work / "b.sqlite"
        build_demo(a, args.scale)
        with Store.open(a) as s:
            rows = sync.waiting(s)
            t = time.perf_counter()
            r = sync.sync(s, url)
            dt = time.perf_counter() - t
        out.update(push_changes=r.pushed, push_s=round(dt, 2),
                   push_rows_per_s=round(r.pushed / dt))
        n, floor = push_floor(a, url)
        out.update(push_floor_rows_per_s=round(n / floor),
                   push_floor_ratio=round(dt / floor * n / r.pushed, 2))
        t = time.perf_counter()
        with Store.open(b) as s:
            r = sync.sync(s, url)
            counts_b = s.counts()
        dt = time.perf_counter() - t
        out.update(join_changes=r.pulled, join_s=round(dt, 2),
                   join_rows_per_s=round(r.pulled / dt))
        n, floor = pull_floor(url, work)
        out.update(join_floor_rows_per_s=round(n / floor),
                   join_floor_ratio=round(dt / floor * n / r.pulled, 2))
        with Store.open(a) as s:
            assert s.counts() == counts_b, "the joined laptop differs"
            for p in s.producers()[:100]:
                s.save_producer(replace(p, notes=(p.notes or "") + " (checked)"))
            t = time.perf_counter()
            r = sync.sync(s, url)
            out.update(incremental_push_changes=r.pushed,
                       incremental_push_s=round(time.perf_counter() - t, 3))
        with Store.open(b) as s:
            t = time.perf_counter()
            r = sync.sync(s, url)
            out.update(incremental_pull_changes=r.pulled,
                       incremental_pull_s=round(time.perf_counter() - t, 3))
        out["demo_change_rows"] = rows
    finally:
        remove(cluster)
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:<28} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
