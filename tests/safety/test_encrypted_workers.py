"""Hole 12: every dialog's and page's background worker opens the database the way the window
did (one function, :func:`roasterdesk.ui.context.open_worker_store`), key included, and works on
an encrypted database."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("sqlcipher3")

from roasterdesk.domain.model import Commitment, Lot  # noqa: E402
from roasterdesk.errors import UserError  # noqa: E402
from roasterdesk.store import Store, cipher  # noqa: E402

from .conftest import fill  # noqa: E402

pytestmark = pytest.mark.gui
KEY = bytes(range(1, 33))
UI = Path(__file__).parents[2] / "roasterdesk" / "ui"
OPENERS = {"open", "open_any", "open_database", "open_encrypted", "open_read_only", "connect"}


@pytest.fixture
def enc_ctx(qapp, tmp_path):
    from roasterdesk.ui.context import AppContext
    from roasterdesk.ui.settings import Settings

    path = tmp_path / "secret.sqlite"
    with Store.open(path, key=KEY) as s:
        fill(s, 3)
        p = s.producers()[0]
        s.save_lot(Lot("CO-25-900", p.id, 2025, bags=5, bag_kg=Decimal(70),
                       fob_usd_lb=Decimal("4.10")))
        s.save_commitment(Commitment(p.id, 2024, 2026, volume_kg=Decimal(1000)))
    assert path.read_bytes()[:16] != b"SQLite format 3\x00"
    cipher.remember_key(path, KEY)  # as the window's unlock does
    ctx = AppContext.create(path, settings=Settings(tmp_path / "s.ini"))
    yield ctx
    ctx.close()
    cipher._KEYS.pop(str(path.resolve()), None)


def test_no_ui_module_opens_the_database_another_way():
    """Only ui/context.py opens databases: a worker added later cannot forget the key."""
    found = []
    for py in UI.rglob("*.py"):
        if py.name == "context.py":
            continue
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                owner = getattr(f.value, "id", "") if isinstance(f, ast.Attribute) else ""
                if (owner in {"Store", "cipher", "sqlite3"} and name in OPENERS
                        or name in OPENERS - {"open", "connect"}):
                    found.append(f"{py.relative_to(UI)}:{node.lineno} {owner}.{name}")
    assert found == []


def test_import_preview_and_commit(qtbot, enc_ctx, tmp_path):
    from roasterdesk.ui.dialogs.data_io import ImportDialog

    src = tmp_path / "p.csv"
    src.write_text("Producer,Country\nFinca Cifrada,CO\nFinca Dos,PE\n", encoding="utf-8")
    dlg = ImportDialog(enc_ctx)
    qtbot.addWidget(dlg)
    dlg.load_file(src, "producers")
    qtbot.waitUntil(lambda: dlg.plan is not None, timeout=20000)
    assert dlg.plan.ok, dlg.plan.report()
    dlg.start_import()
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=20000)
    names = {p.name for p in enc_ctx.store.producers()}
    assert {"Finca Cifrada", "Finca Dos"} <= names


def test_export_list(qtbot, enc_ctx, tmp_path):
    from roasterdesk.ui.dialogs.data_io import export_list

    out = tmp_path / "lots.csv"
    export_list(enc_ctx, "lot", None, path=out)
    enc_ctx.tasks.wait()
    qtbot.waitUntil(out.exists, timeout=10000)
    assert "CO-25-900" in out.read_text(encoding="utf-8")


def test_statement_preview_and_batch(enc_ctx, tmp_path):
    from roasterdesk.services.statement_batch import export_batch
    from roasterdesk.ui.dialogs.statement import render_in_worker

    lot = enc_ctx.store.lot_by_code("CO-25-900")
    pdf, _items, code = render_in_worker(enc_ctx.db_path, lot.id, "default-en")
    assert pdf.startswith(b"%PDF") and code == "CO-25-900"
    lots = [(x.id, x.code) for x in enc_ctx.store.lots_where("1", [])][:2]
    done = export_batch(enc_ctx.db_path, lots, tmp_path / "pdf", processes=2)
    assert len(done) == 2 and all(Path(d.path).read_bytes().startswith(b"%PDF") for d in done)


def test_eudr_packs(enc_ctx, tmp_path):
    from roasterdesk.ui.context import attachments_dir_for
    from roasterdesk.ui.dialogs.eudr_packs import pack_job

    job = pack_job(enc_ctx.db_path, 2025, tmp_path / "packs", attachments_dir_for(enc_ctx.db_path))
    results, _seconds = job(lambda *_: None, lambda: False)
    assert len(results) == 4 and any((tmp_path / "packs").iterdir())


def test_commitments_and_overview(qtbot, enc_ctx):
    from roasterdesk.ui.views.commitments import evaluate_all
    from roasterdesk.ui.views.overview import OverviewPage

    cs = enc_ctx.store.commitments(enc_ctx.store.producers()[0].id)
    out = evaluate_all(enc_ctx.db_path, cs, lambda *_: None, lambda: False)
    assert set(out) == {c.id for c in cs}
    errors = []
    enc_ctx.messages.error.connect(errors.append)
    page = OverviewPage(enc_ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=20000):
        page.refresh()
    assert errors == [] and "4 lots" in page.summary.text()


def test_backup_then_restore(qtbot, enc_ctx, tmp_path):
    from roasterdesk.services import backup as B
    from roasterdesk.ui.dialogs.backup import backup_now

    done = []
    enc_ctx.messages.error.connect(done.append)
    backup_now(enc_ctx, None)
    enc_ctx.tasks.wait()
    infos = B.list_backups(B.default_backup_dir(enc_ctx.db_path))
    assert done == [] and len(infos) == 1 and infos[0].counts["lots"] == 4


def test_sync_worker_without_a_hub_says_so(qtbot, enc_ctx):
    from roasterdesk.ui.views.conflicts import ConflictsPage

    page = ConflictsPage(enc_ctx)
    qtbot.addWidget(page)
    said = []
    enc_ctx.messages.error.connect(said.append)
    enc_ctx.messages.warning.connect(said.append)
    enc_ctx.messages.info.connect(said.append)
    page.start_sync()
    enc_ctx.tasks.wait()
    qtbot.waitUntil(lambda: bool(said), timeout=10000)
    assert "no hub" in " ".join(said) and "not a RoasterDesk database" not in " ".join(said)


def test_a_worker_without_the_key_is_told_why(enc_ctx):
    from roasterdesk.ui.context import open_worker_store

    with open_worker_store(enc_ctx.db_path) as store:
        assert store.counts()["lots"] == 4
    cipher._KEYS.pop(str(enc_ctx.db_path.resolve()))  # a process that never unlocked it
    with pytest.raises(UserError, match="encrypted and is not unlocked"):
        open_worker_store(enc_ctx.db_path)
