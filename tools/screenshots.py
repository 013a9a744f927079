"""Render every page of the app for a visual check: a demo database (built once, kept in the
output folder) and ``roasterdesk screenshots --both`` (1280×800, and 1920×1080 at 2×).

    python tools/screenshots.py [OUT_DIR]     (default: screenshots/)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    db = out / "demo.sqlite"
    run = [sys.executable, "-m", "roasterdesk"]
    if not db.exists():
        subprocess.run([*run, "demo", "--db", str(db)], check=True)
    return subprocess.run([*run, "screenshots", "--db", str(db), "--out-dir", str(out),
                           "--both"], check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
