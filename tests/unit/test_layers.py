"""Imports run one way: entry -> ui -> launch -> services -> pdf | store -> domain -> base.

Every ``import`` of the package is read from the source (an AST walk): at module level, inside
functions (lazy imports), under ``if TYPE_CHECKING:``. A module may import its own layer and any
layer below it, never one above; the two layers side by side (pdf and store) never import each
other. There is no list of exceptions. A new top-level module must be given a layer here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "roasterdesk"

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (  # top first
    ("entry", ("roasterdesk.__main__", "roasterdesk.cli", "roasterdesk.commands")),
    ("ui", ("roasterdesk.ui",)),
    ("launch", ("roasterdesk.launch", "roasterdesk.startup", "roasterdesk.xcb_check")),
    ("services", ("roasterdesk.services",)),
    ("pdf", ("roasterdesk.pdf",)),
    ("store", ("roasterdesk.store",)),
    ("domain", ("roasterdesk.domain",)),
    ("base", ("roasterdesk", "roasterdesk.errors", "roasterdesk.resources")),
)
SIDE_BY_SIDE = {"pdf": "store", "store": "pdf"}
"""Layers of the same rank: each may import what is below both, never the other."""

RANK = {name: i for i, (name, _) in enumerate(LAYERS)}
for a, b in SIDE_BY_SIDE.items():
    RANK[a] = RANK[b] = min(RANK[a], RANK[b])


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    """The layer of a module: its longest matching prefix (the package itself is the base)."""
    best, best_len = None, -1
    for name, prefixes in LAYERS:
        for prefix in prefixes:
            if module == prefix or (prefix != "roasterdesk" and module.startswith(prefix + ".")):
                if len(prefix) > best_len:
                    best, best_len = name, len(prefix)
    if best is None:
        raise LookupError(f"{module} has no layer: give it one in LAYERS")
    return best


def imports_of(path: Path, package: Path = PACKAGE) -> list[tuple[str, int]]:
    """(module imported, line) for every import of the package in ``path``, wherever it sits."""
    module = module_name(path, package)
    is_package = path.name == "__init__.py"
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:  # ``from pkg import submodule`` imports the submodule
                sub = f"{target}.{alias.name}"
                rel = Path(*sub.split("."))
                is_module = ((package.parent / rel).with_suffix(".py").is_file()
                             or (package.parent / rel / "__init__.py").is_file())
                out.append((sub if is_module else target, node.lineno))
    return [(name, line) for name, line in out
            if name == "roasterdesk" or name.startswith("roasterdesk.")]


def wrong_way(package: Path = PACKAGE) -> list[str]:
    """Every import that runs up or sideways, as ``file:line: module (layer) -> module (layer)``."""
    found: set[str] = set()
    for path in sorted(package.rglob("*.py")):
        module = module_name(path, package)
        mine = layer_of(module)
        for target, line in imports_of(path, package):
            theirs = layer_of(target)
            up = RANK[theirs] < RANK[mine]
            sideways = RANK[theirs] == RANK[mine] and theirs != mine
            if up or sideways:
                where = path.relative_to(package.parent)
                found.add(f"{where}:{line}: {module} ({mine}) -> {target} ({theirs})")
    return sorted(found)


def test_every_module_has_a_layer():
    for path in PACKAGE.rglob("*.py"):
        layer_of(module_name(path))


def test_imports_run_one_way():
    assert wrong_way() == []


@pytest.mark.parametrize(("source", "module", "expected"), [
    ("from ..services.statement import X\n", "pdf/x.py", ["roasterdesk.services.statement"]),
    ("def f():\n    from ..ui import app\n", "store/x.py", ["roasterdesk.ui.app"]),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .store import Store\n",
     "pdf/x.py", ["roasterdesk.pdf.store"]),
    ("import roasterdesk.cli\n", "ui/x.py", ["roasterdesk.cli"]),
    ("from .. import __version__\n", "store/x.py", ["roasterdesk"]),
])
def test_the_walk_sees_lazy_typing_and_relative_imports(tmp_path, source, module, expected):
    package = tmp_path / "roasterdesk"
    for folder in ("pdf", "store", "ui", "services"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "services" / "statement.py").write_text("")
    (package / "ui" / "app.py").write_text("")
    (package / "cli.py").write_text("")
    path = package / module
    path.write_text(source)
    assert [name for name, _ in imports_of(path, package)] == expected


def test_an_upward_or_sideways_import_is_found(tmp_path):
    package = tmp_path / "roasterdesk"
    for folder in ("pdf", "store", "services", "domain", "ui"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "cli.py").write_text("")
    (package / "services" / "statement.py").write_text("from ..domain import x\n")
    (package / "domain" / "x.py").write_text("")
    (package / "pdf" / "render.py").write_text(
        "def f():\n    from ..services.statement import Data\n")
    (package / "store" / "db.py").write_text("from ..pdf import render\n")
    (package / "ui" / "app.py").write_text("from ..cli import main\n")
    (package / "domain" / "y.py").write_text("from .x import z\nfrom .. import cli\n")
    found = wrong_way(package)
    assert [f.split(": ", 1)[0] for f in found] == [
        "roasterdesk/domain/y.py:2", "roasterdesk/pdf/render.py:2", "roasterdesk/store/db.py:1",
        "roasterdesk/ui/app.py:1"]


BELOW_THE_UI = ("services", "pdf", "store", "domain")


def prints_in(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "print"):
                found.append(f"{path.name}:{node.lineno}")
    return found


@pytest.mark.parametrize("layer", BELOW_THE_UI)
def test_nothing_below_the_ui_prints_it_logs(layer):
    """Services, pdf, store and domain report through return values, errors and loggers; only
    the command line and the window talk to the user."""
    assert prints_in(PACKAGE / layer) == []


def test_a_print_is_found(tmp_path):
    (tmp_path / "m.py").write_text("import logging\ndef f():\n    print('x')\n")
    assert prints_in(tmp_path) == ["m.py:3"]
