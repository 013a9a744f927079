"""No module of the package is over 600 lines: a module that grows past it is split by what it
holds (a record kind, a section, a step), not left to grow."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "roasterdesk"
LIMIT = 600


def too_long(package: Path = PACKAGE, limit: int = LIMIT) -> dict[str, int]:
    """Modules over ``limit`` lines, with their length."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            out[str(path.relative_to(package.parent))] = lines
    return out


def test_no_module_is_over_600_lines():
    assert sum(1 for _ in PACKAGE.rglob("*.py")) > 100  # the package was found
    assert too_long() == {}


def test_a_long_module_is_found(tmp_path):
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "sub" / "long.py").write_text("x = 1\n" * (LIMIT + 1))
    (tmp_path / "pkg" / "short.py").write_text("x = 1\n" * LIMIT)
    assert too_long(tmp_path / "pkg") == {"pkg/sub/long.py": LIMIT + 1}
