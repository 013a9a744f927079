"""``python -m benchmarks [--db PATH] [--json] [--repeats N]``: measure RoasterDesk's speed.

Start-up is measured here, in fresh subprocesses (the real ``python -m roasterdesk --db DB``
and a bare PySide6 window, interleaved, median of ``--repeats``). Every module
``benchmarks/bench_*.py`` that defines ``run(db_path) -> dict`` is then run and its keys merged
into the result, so other parts of the app add their own figures by adding one module.

The database is the ``large`` demo (``--db``, default /tmp/demo-large.sqlite); when the file
does not exist it is built first with :mod:`roasterdesk.services.demo`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_DB = Path(tempfile.gettempdir()) / "demo-large.sqlite"
TARGETS = {  # metric: (limit, "≤" — lower is better)
    "startup_ratio": 1.5,
    "list_first_paint_ms": 50.0,
    "search_p95_ms": 30.0,
    "recompute_ms": 5.0,
}


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def ensure_db(path: Path) -> Path:
    if path.exists() and path.stat().st_size > 0:
        return path
    from roasterdesk.services.demo import build_demo

    log(f"building the large demo database at {path} (takes a while)…")
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] > 10:
            last[0] = now
            log(f"  {done:,} / {total:,}")

    stats = build_demo(path, "large", progress=progress)
    log(f"built in {stats.seconds:.0f} s: {stats.counts}")
    return path


def _child_env(home: Path) -> dict[str, str]:
    """The environment of both kinds of start: offscreen Qt, bytecode caching on (as on every
    buyer's machine after the first start; some shells here set PYTHONDONTWRITEBYTECODE) and,
    for the app, settings, logs and data folders of its own so the user's stay untouched."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["QT_QPA_PLATFORM"] = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[var] = str(home / var.lower())
    env["ROASTERDESK_STARTUP_PROBE"] = "1"
    env.pop("ROASTERDESK_DB", None)
    return env


def _start_once(mode: str, db: Path, home: Path) -> dict[str, Any]:
    """One start in a fresh process; its wall time runs from spawning it to its JSON line."""
    if mode == "bare":
        cmd = [sys.executable, "-m", "benchmarks.startup_child"]
    elif mode == "furnished":
        cmd = [sys.executable, "-m", "benchmarks.startup_furnished", str(db)]
    else:  # the real command, as the README starts it
        cmd = [sys.executable, "-m", "roasterdesk", "--db", str(db)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=_child_env(home), cwd=Path(__file__).resolve().parent.parent)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    wall = (time.perf_counter() - t0) * 1000
    filled_line = proc.stdout.readline() if mode == "app" else ""
    filled = (time.perf_counter() - t0) * 1000
    _, err = proc.communicate(timeout=120)
    if proc.returncode != 0 or not line.strip() or (mode == "app" and not filled_line):
        raise RuntimeError(f"start-up of {mode} failed ({proc.returncode}): {err[-2000:]}")
    out = json.loads(line)
    out["wall_ms"] = wall
    if filled_line:  # the app's first page has its data (its lists load in the background)
        out["filled_wall_ms"] = filled
    return out


def measure_startup(db: Path, repeats: int) -> dict[str, Any]:
    import compileall

    import roasterdesk

    compileall.compile_dir(Path(roasterdesk.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        _start_once("app", db, home)  # warm the OS file cache for both kinds of start
        _start_once("bare", db, home)
        _start_once("furnished", db, home)
        app_ms, bare_ms, filled_ms, furnished_ms, rss = [], [], [], [], []
        phases: dict[str, dict[str, list[float]]] = {"app": {}, "bare": {}}
        for _ in range(repeats):
            for mode in ("bare", "furnished", "app"):
                r = _start_once(mode, db, home)
                if mode == "furnished":
                    furnished_ms.append(r["wall_ms"])
                    continue
                (app_ms if mode == "app" else bare_ms).append(r["wall_ms"])
                if mode == "app":
                    rss.append(r["rss_mb"])
                    filled_ms.append(r["filled_wall_ms"])
                for name, value in _phases(r).items():
                    phases[mode].setdefault(name, []).append(value)
    app_med, bare_med = statistics.median(app_ms), statistics.median(bare_ms)

    def ratio(times: list[float]) -> float:
        """Median of the ratios to the bare start of the same round: on a shared machine the
        load drifts between rounds, and a round's starts run back to back."""
        return round(statistics.median(t / b for t, b in zip(times, bare_ms, strict=True)), 2)

    return {
        "startup_ratio": ratio(app_ms),
        "startup_ratio_of_fastest": round(min(app_ms) / min(bare_ms), 2),
        "startup_app_ms": round(app_med, 1),
        "startup_bare_ms": round(bare_med, 1),
        "startup_filled_ms": round(statistics.median(filled_ms), 1),
        "startup_filled_ratio": ratio(filled_ms),
        "startup_furnished_ms": round(statistics.median(furnished_ms), 1),
        "startup_furnished_ratio": ratio(furnished_ms),
        "startup_repeats": repeats,
        "rss_mb": round(statistics.median(rss), 1),
        "startup_breakdown_ms": {mode: {k: round(statistics.median(v), 1) for k, v in p.items()}
                                 for mode, p in phases.items()},
    }


def _phases(r: dict[str, Any]) -> dict[str, float]:
    """Where one start-up's wall time went: the process before our first line, then each
    phase up to its mark (medians of these do not add up exactly)."""
    out = {"process_start": r["wall_ms"] - r["inside_ms"]}
    last = 0.0
    for name, at in r.get("marks_ms", {}).items():
        if name == "painted":
            continue
        out[name] = at - last
        last = at
    out["show_and_paint"] = r["inside_ms"] - last
    return out


def bench_modules() -> list[str]:
    here = Path(__file__).resolve().parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)])
                  if m.name.startswith("bench_"))


def machine() -> dict[str, Any]:
    return {"cpu_count": os.cpu_count(), "platform": platform.platform(),
            "machine": platform.machine(), "processor": platform.processor() or ""}


def versions() -> dict[str, str]:
    import sqlite3

    import PySide6
    from PySide6 import QtCore

    from roasterdesk import __version__

    return {"python": platform.python_version(), "PySide6": PySide6.__version__,
            "qt": QtCore.qVersion(), "sqlite": sqlite3.sqlite_version,
            "roasterdesk": __version__}


def table(result: dict[str, Any]) -> str:
    rows = [("metric", "value", "target")]
    for key, value in result.items():
        if isinstance(value, (dict, list)):
            continue
        target = TARGETS.get(key)
        mark = "" if target is None else (f"≤ {target:g}  "
                                           + ("ok" if value <= target else "MISSED"))
        rows.append((key, f"{value:g}" if isinstance(value, float) else str(value), mark))
    w = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join(f"{a:<{w[0]}}  {b:>{w[1]}}  {c}" for a, b, c in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--only", default="", help="comma-separated bench_* modules to run")
    parser.add_argument("--no-startup", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    db = ensure_db(args.db)

    result: dict[str, Any] = {}
    if not args.no_startup:
        log("start-up…")
        result.update(measure_startup(db, args.repeats))
    only = {f"bench_{x.strip().removeprefix('bench_')}" for x in args.only.split(",") if x}
    for name in bench_modules():
        if only and name not in only:
            continue
        module = importlib.import_module(f"benchmarks.{name}")
        run = getattr(module, "run", None)
        if run is None:
            continue
        log(f"{name}…")
        result.update(run(db))
    from roasterdesk.store import Store

    with Store.open(db, create=False) as store:
        counts = store.counts()
    result["machine"] = machine()
    result["versions"] = versions()
    result["db"] = {"path": str(db), "size_mb": round(db.stat().st_size / 2**20, 1),
                    "counts": counts}
    result["targets"] = TARGETS
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
