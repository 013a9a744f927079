"""PySide6 6.12.0 on Python 3.11 loses a reference to None/True on each void call and each
signal emit, and the process aborts after a few thousand. pyproject pins PySide6 < 6.12 there;
these tests prove the installed build survives and that the pin holds."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

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


def pyside_requirements() -> list[Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = [Requirement(r) for r in data["project"]["dependencies"]]
    return [r for r in reqs if r.name.lower() == "pyside6"]


def test_installed_pyside6_satisfies_the_pin():
    active = [r for r in pyside_requirements() if r.marker is None or r.marker.evaluate()]
    assert len(active) == 1
    installed = Version(version("PySide6"))
    assert active[0].specifier.contains(installed, prereleases=True), (installed, active[0])
    if sys.version_info < (3, 12):
        assert installed < Version("6.12")


def test_the_pin_excludes_6_12_on_python_3_11():
    py311 = [r for r in pyside_requirements() if r.marker.evaluate({"python_version": "3.11"})]
    assert len(py311) == 1
    assert not py311[0].specifier.contains("6.12.0")
    assert py311[0].specifier.contains("6.11.3")
