"""The lint gate (STYLE.md item 15): ruff, and mypy --strict on the typed core.

Both read their settings from pyproject.toml ([tool.ruff], [tool.mypy]), so running them by hand
from the repository root gives the same verdict as this test.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TYPED = ["roasterdesk/domain", "roasterdesk/store"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_ruff_finds_nothing_in_domain_and_store() -> None:
    result = _run("ruff", "check", "--no-cache", *TYPED)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"ruff check {' '.join(TYPED)}:\n{output}"
    assert "All checks passed" in output, output


def test_mypy_strict_finds_nothing_in_domain_and_store(tmp_path: Path) -> None:
    # a fresh cache: the verdict must not depend on what an earlier run left behind
    result = _run("mypy", "--strict", "--cache-dir", str(tmp_path), *TYPED)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"mypy --strict {' '.join(TYPED)}:\n{output}"
    # it looked at every module of both packages (an empty file list would also exit 0)
    modules = sum(len(list((ROOT / p).rglob("*.py"))) for p in TYPED)
    assert re.search(rf"no issues found in {modules} source files", output), output
