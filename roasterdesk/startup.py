"""When each phase of starting the app ended, in milliseconds since the command began.

The app logs these once its window is painted (so a slow start on a buyer's laptop can be
diagnosed from the log file), and ``python -m benchmarks`` reads them: with
``ROASTERDESK_STARTUP_PROBE=1`` in the environment the app prints them as one JSON line on
stdout right after the first paint and quits, so the benchmark times the real command.
"""

from __future__ import annotations

import sys
import time

from . import STARTED as T0

PROBE_ENV = "ROASTERDESK_STARTUP_PROBE"
MARKS: dict[str, float] = {}


BEFORE_QT = ("logging", "sqlite3", "dataclasses",
             "roasterdesk.store.cipher", "roasterdesk.store.db", "roasterdesk.services.lock",
             "roasterdesk.services.places", "roasterdesk.services.attention")
"""Plain-Python modules the window needs at once, imported before Qt: PySide6 reads the source
of every module imported after it (to look for its ``__feature__`` switches)."""


def import_before_qt() -> None:
    import importlib

    for name in BEFORE_QT:
        importlib.import_module(name)


def elapsed_ms() -> float:
    return (time.perf_counter() - T0) * 1000


def mark(name: str) -> None:
    """Note that the phase ``name`` has just ended."""
    MARKS[name] = round(elapsed_ms(), 2)


def rss_mb() -> float:
    """This process's resident memory in MB (its peak where /proc is missing; 0 if unknown)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return float(peak / (1024 * 1024 if sys.platform == "darwin" else 1024))
