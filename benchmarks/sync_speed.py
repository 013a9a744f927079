"""Team sync speed against a real local PostgreSQL (started here in a temporary folder):

    .venv/bin/python benchmarks/sync_speed.py [--scale roaster|large] [--json]

1. the initial push of a demo database to an empty hub (rows/s = change-log rows pushed);
2. ``--join`` of a second laptop from that hub (rows/s = hub changes pulled);
3. an incremental sync of 100 changes (a buyer edits 100 producers, syncs; the other laptop
   syncs), end to end, each side's seconds.
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


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="roaster")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
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
        t = time.perf_counter()
        with Store.open(b) as s:
            r = sync.sync(s, url)
            counts_b = s.counts()
        dt = time.perf_counter() - t
        out.update(join_changes=r.pulled, join_s=round(dt, 2),
                   join_rows_per_s=round(r.pulled / dt))
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
