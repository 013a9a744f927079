"""How long the full check takes, and how fast it stops when cancelled:

    .venv/bin/python benchmarks/full_check.py [--scale roaster|large] [--db PATH] [--json]

The demo of ``--scale`` is built in a temporary folder unless ``--db`` names a file. Timed, each
``--repeats`` times on a fresh read-only connection: ``quick_check`` (run at every open) and
``integrity_check`` (the full check), then :func:`roasterdesk.store.integrity.full_check`
itself; and the time from asking a running full check to stop to its :class:`CheckCancelled`
(the window's Cancel), asked 25 % into a full check's time.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from roasterdesk.store import integrity  # noqa: E402


def _pragma(path: Path, name: str, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        t0 = time.perf_counter()
        rows = conn.execute(f"PRAGMA {name}").fetchall()
        times.append(time.perf_counter() - t0)
        conn.close()
        if rows != [("ok",)]:
            raise SystemExit(f"{name} did not pass: {rows[:3]}")
    return statistics.median(times)


def _cancel_latency(path: Path, after: float) -> float:
    stop = threading.Event()
    asked: list[float] = []

    def ask() -> None:
        time.sleep(after)
        asked.append(time.perf_counter())
        stop.set()

    threading.Thread(target=ask, daemon=True).start()
    try:
        integrity.full_check(path, cancelled=stop.is_set)
    except integrity.CheckCancelled:
        return time.perf_counter() - asked[0]
    return float("nan")  # finished before the stop was asked


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="roaster", choices=["small", "roaster", "large"])
    ap.add_argument("--db", type=Path)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db
        if path is None:
            from roasterdesk.services.demo import build_demo
            from roasterdesk.store import Store

            path = Path(tmp) / f"demo-{args.scale}.sqlite"
            store = Store.open(path)
            build_demo(store, scale=args.scale)
            store.close()
        full = _pragma(path, "integrity_check", args.repeats)
        t0 = time.perf_counter()
        integrity.full_check(path)
        out = {
            "file_mb": round(path.stat().st_size / 1e6, 1),
            "quick_check_s": round(_pragma(path, "quick_check", args.repeats), 3),
            "integrity_check_s": round(full, 3),
            "full_check_s": round(time.perf_counter() - t0, 3),
            "cancel_latency_ms": round(_cancel_latency(path, full / 4) * 1000, 1),
        }
        integrity.record_path(path).unlink(missing_ok=True)
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:20} {v}")


if __name__ == "__main__":
    main()
