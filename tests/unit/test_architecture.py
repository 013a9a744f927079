"""Layering: nothing below the UI imports Qt, and the command line imports nothing heavy."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "roasterdesk"
NO_QT = ("domain", "store", "services", "pdf", "commands")


def modules_below_ui() -> list[str]:
    names = []
    for folder in NO_QT:
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            names.append(".".join(parts))
    return names


def run_python(code: str) -> object:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=PACKAGE.parent)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_there_are_modules_to_check():
    mods = modules_below_ui()
    assert "roasterdesk.domain.units" in mods and "roasterdesk.store.store" in mods
    assert "roasterdesk.commands.info" in mods


def test_importing_every_module_below_the_ui_loads_no_qt():
    code = (
        "import importlib, json, sys\n"
        f"mods = {modules_below_ui()!r}\n"
        "for m in mods: importlib.import_module(m)\n"
        "print(json.dumps({'qt': sorted(k for k in sys.modules if k.startswith('PySide6')),"
        " 'count': len(mods)}))\n"
    )
    result = run_python(code)
    assert result["count"] == len(modules_below_ui())
    assert result["qt"] == []


def _import_time_imports(tree: ast.AST):
    """Import statements that run at import time (not inside a function body)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child
            stack.append(child)


def _imported_names(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.ImportFrom):
        return [node.module or ""]
    return [a.name for a in node.names]


@pytest.mark.parametrize("folder", NO_QT)
def test_no_import_time_pyside6_in_the_source(folder):
    offenders = []
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _import_time_imports(tree):
            if any(n.split(".")[0] in ("PySide6", "shiboken6") for n in _imported_names(node)):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert offenders == []


def test_the_ast_scan_would_see_a_top_level_import():
    tree = ast.parse(
        "import os\nfrom PySide6.QtCore import QObject\n"
        "class A:\n    import PySide6.QtWidgets\n"
        "def f():\n    from PySide6 import QtGui\n"
    )
    names = [n for node in _import_time_imports(tree) for n in _imported_names(node)]
    assert sorted(names) == ["PySide6.QtCore", "PySide6.QtWidgets", "os"]


def test_the_command_line_imports_neither_reportlab_nor_qt():
    code = (
        "import json, sys\n"
        "import roasterdesk.cli as cli\n"
        "cli.build_parser()\n"
        "print(json.dumps(sorted(k for k in sys.modules"
        " if k.split('.')[0] in ('reportlab', 'PySide6'))))\n"
    )
    assert run_python(code) == []
