"""PySide6 6.12.0 on Python 3.11 loses a reference to None/True on each void call and each
signal emit, and the process aborts after a few thousand. pyproject pins PySide6 < 6.12 there;
these tests prove the installed build survives and that the pin holds."""

from __future__ import annotations

import operator
import os
import re
import subprocess
import sys
import textwrap
import tomllib
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CALLS = 50_000

SCRIPT = textwrap.dedent(f"""
    import sys
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    class Emitter(QObject):
        fired = Signal(bool)

    app = QCoreApplication.instance() or QCoreApplication([])
    obj = Emitter()
    received = []
    obj.fired.connect(lambda flag: received.append(flag) if len(received) < 1 else None)

    none0, true0 = sys.getrefcount(None), sys.getrefcount(True)
    for i in range({CALLS}):
        obj.setObjectName("lot")          # a void method: returns None
    for i in range({CALLS}):
        obj.fired.emit(True)              # a signal emit
    app.processEvents()
    none1, true1 = sys.getrefcount(None), sys.getrefcount(True)
    print(f"None {{none0}} -> {{none1}}; True {{true0}} -> {{true1}}; received {{len(received)}}")
    assert received == [True], received
    assert obj.objectName() == "lot"
    # a leak would lose one reference per call: {CALLS} or more
    assert none0 - none1 < 100, (none0, none1)
    assert true0 - true1 < 100, (true0, true1)
    sys.exit(0)
""")


def test_void_calls_and_signal_emits_do_not_lose_references():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         timeout=300, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, (out.returncode, out.stdout, out.stderr[-2000:])
    assert "received 1" in out.stdout


def _version(text: str) -> tuple[int, ...]:
    parts = tuple(int(p) for p in re.findall(r"\d+", text.split("+")[0])[:3])
    return parts + (0,) * (3 - len(parts))


_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
        "==": operator.eq, "!=": operator.ne}
_CLAUSE = re.compile(r"(<=|>=|==|!=|<|>)\s*([0-9][0-9.]*)")


def pyside_pins() -> list[tuple[list[tuple[str, str]], list[tuple[str, str]]]]:
    """(version clauses, python_version marker clauses) of each PySide6 dependency.

    Parsed here rather than with the ``packaging`` distribution, which a test package of the
    same name under tests/ can shadow; only ``python_version`` markers are understood, and any
    other marker fails the test loudly.
    """
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = []
    for dep in data["project"]["dependencies"]:
        spec, _, marker = dep.partition(";")
        if not re.match(r"\s*PySide6\b(?![-_])", spec, re.IGNORECASE):
            continue
        marker_clauses = re.findall(r"python_version\s*(<=|>=|==|!=|<|>)\s*['\"]([0-9.]+)['\"]",
                                    marker)
        assert marker.strip() == "" or marker_clauses, f"marker not understood: {marker!r}"
        pins.append((_CLAUSE.findall(spec), marker_clauses))
    return pins


def satisfies(version_text: str, clauses: list[tuple[str, str]]) -> bool:
    return all(_OPS[op](_version(version_text), _version(v)) for op, v in clauses)


def active_pins(python: str) -> list[list[tuple[str, str]]]:
    return [spec for spec, marker in pyside_pins() if satisfies(python, marker)]


def test_installed_pyside6_satisfies_the_pin():
    python = ".".join(map(str, sys.version_info[:2]))
    active = active_pins(python)
    assert len(active) == 1
    installed = version("PySide6")
    assert satisfies(installed, active[0]), (installed, active[0])
    if sys.version_info < (3, 12):
        assert _version(installed) < (6, 12, 0)


def test_the_pin_excludes_6_12_on_python_3_11():
    py311 = active_pins("3.11")
    assert len(py311) == 1
    assert not satisfies("6.12.0", py311[0])
    assert satisfies("6.11.3", py311[0])
    assert len(active_pins("3.12")) == 1 and satisfies("6.12.0", active_pins("3.12")[0])
