"""``python -m benchmarks`` still runs and prints what the README's table is made from.

No figure is judged here (speed is measured in benchmarks/, not in timed tests): this only keeps
the harness working, on a small demo database, with one round of start-ups and the UI module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from roasterdesk.services.demo import build_demo

pytestmark = pytest.mark.gui

REQUIRED = ("startup_ratio", "startup_furnished_ratio", "startup_filled_ratio",
            "list_first_paint_ms", "search_p95_ms", "recompute_ms", "rss_mb",
            "lot_sort_worst_ms", "lot_query_worst_ms")


def test_the_benchmark_prints_every_figure_of_the_table(tmp_path):
    db = tmp_path / "small.sqlite"
    build_demo(db, "small")
    env = {k: v for k, v in os.environ.items() if k != "ROASTERDESK_DB"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--db", str(db), "--repeats", "1", "--only", "ui",
         "--json"], capture_output=True, text=True, timeout=300, env=env,
        cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout)
    for key in REQUIRED:
        assert isinstance(result[key], (int, float)) and result[key] > 0, key
    assert set(result["startup_breakdown_ms"]) == {"app", "bare"}
    assert result["versions"]["roasterdesk"] and result["machine"]["cpu_count"]
    assert result["db"]["counts"]["producers"] > 0
