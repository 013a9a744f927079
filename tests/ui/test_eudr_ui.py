"""The lot editor's DDS section and the harvest packs from the window."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest

from roasterdesk.services.backup import attachments_dir_for
from roasterdesk.ui.dialogs.eudr_packs import pack_job, summary
from roasterdesk.ui.views.dds_section import DdsSection

pytestmark = [pytest.mark.gui]


def test_dds_section_records_own_and_upstream_references(qtbot, ctx):
    lot = ctx.store.lots_where("1 = 1")[0]
    section = DdsSection(ctx)
    qtbot.addWidget(section)
    section.load(None)
    assert not section.isEnabled()
    section.load(lot.id)
    section.reference.setText("25NLSN2XQL4321")
    section.verification.setText("ABCD1234")
    section.submitted.setText("30/12/2026")
    assert not section.save() and "not a date" in section.message.text()
    section.submitted.setText("2026-12-30")
    section.status.setCurrentText("submitted")
    section.upstream.setPlainText("25DEUP0000001; V-9; Importer GmbH\n\n25DEUP0000002")
    assert section.save(), section.message.text()
    got = ctx.store.dds_of_lot(lot.id)
    assert [(d.role, d.reference, d.verification, d.supplier) for d in got] == [
        ("own", "25NLSN2XQL4321", "ABCD1234", ""),
        ("upstream", "25DEUP0000001", "V-9", "Importer GmbH"),
        ("upstream", "25DEUP0000002", "", "")]
    assert got[0].submitted_on == date(2026, 12, 30) and got[0].status == "submitted"
    section.upstream.setPlainText("25DEUP0000002")
    section.reference.setText("")
    assert section.save()
    assert [(d.role, d.reference) for d in ctx.store.dds_of_lot(lot.id)] == [
        ("upstream", "25DEUP0000002")]


def test_harvest_packs_job_reports_progress(ctx, tmp_path):
    harvest = ctx.store.lots_where("1 = 1")[0].harvest
    seen = []
    job = pack_job(ctx.db_path, harvest, tmp_path / "packs", attachments_dir_for(ctx.db_path))
    result = job(lambda i, n: seen.append((i, n)), lambda: False)
    packs = sorted((tmp_path / "packs").glob("*.zip"))
    assert len(packs) == len(result[0]) == seen[-1][1] and seen[0][0] == 0
    for p in packs:
        assert "manifest.json" in zipfile.ZipFile(p).namelist()
    assert summary(result, tmp_path).startswith(f"{len(packs)} EUDR packs written")
