"""The EUDR due-diligence pack of a lot, and whether a lot is ready to file.

``write_pack`` writes one ZIP per lot, kept for the five years the regulation asks for:

- ``<lot>.geojson``: the geolocation of the lot's plots (:mod:`roasterdesk.services.eudr`),
  coordinates as recorded, only the plots without an error;
- ``summary.pdf``: every plot with its geometry checks, country check, area and the 31 Dec 2020
  cut-off, the DDS references, the documents, and the risk assessment with its result;
- ``dds.json``: the lot's own DDS and the upstream references received;
- ``documents/``: the legality documents attached to the lot or its producer;
- ``manifest.json``: every other file with its size and SHA-256.

Risk assessment (stated in the PDF): a lot is *negligible risk* only when every plot is
written without an error, every plot records that it was not forest after 31 Dec 2020, and a
DDS reference (own, or received upstream) is recorded. Anything else is *not ready* with its
reasons; nothing unrecorded is assumed.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import UserError
from . import eudr

CUT_OFF = date(2020, 12, 31)

NO_DDS = "no DDS reference"
CUT_OFF_NOT_RECORDED = "cut-off not recorded"
FOREST_AFTER_CUT_OFF = "forest after 31 Dec 2020"


@dataclass
class PlotRow:
    name: str
    producer: str
    geometry: str  # "Point" / "Polygon" / "none"
    area: str
    forest_after_2020: bool | None
    findings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [f for f in self.findings if f[0] in eudr.CATEGORIES]


@dataclass
class Readiness:
    """What stands between a lot and its due-diligence statement."""

    code: str
    harvest: int
    producer: str
    country: str
    report: eudr.GeoReport
    plots: list[PlotRow]
    dds: list[Any]
    documents: list[Any]
    reasons: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.reasons

    @property
    def risk(self) -> str:
        return "negligible" if self.ready else "not assessed as negligible: " + "; ".join(
            self.reasons)


def readiness(store: Any, code: str) -> Readiness:
    """Check one lot: its plots (geometry, borders, area, decimals), the cut-off, the DDS."""
    lot = store.lot_by_code(code)
    if lot is None:
        raise UserError(f"no lot with code {code!r}")
    producer = store.producer(lot.producer_id)
    report = eudr.validate(store, codes=[code])
    plot_ids = list(lot.plot_ids) or eudr._producer_plot_ids(store, lot.producer_id)
    rows = eudr._plot_rows(store, plot_ids)
    forest = {r[0]: r[1] for r in store.db.execute(
        f"SELECT id, forest_after_2020 FROM plots WHERE id IN ({','.join('?' * len(rows))})",
        list(rows))} if rows else {}
    plots = []
    by_plot: dict[int | None, list[tuple[str, str]]] = {}
    for p in report.problems + report.notes:
        by_plot.setdefault(p.plot_id, []).append((p.category, p.detail))
    for pid in sorted(rows, key=lambda i: rows[i]["name"]):
        row = rows[pid]
        geom = json.loads(row["geometry"]).get("type", "?") if row["geometry"] else "none"
        f = forest.get(pid)
        plots.append(PlotRow(row["name"], producer.name, geom,
                             f"{row['area_ha']} ha" if row["area_ha"] is not None
                             else "not recorded",
                             None if f is None else bool(f), by_plot.get(pid, [])))
    dds = store.dds_of_lot(lot.id)
    documents = store.legality_documents(lot.id, lot.producer_id)
    out = Readiness(code, lot.harvest, producer.name, producer.country, report, plots, dds,
                    documents)
    for cat, n in report.counts().items():
        if n:
            out.reasons.append(f"{n} × {cat}")
    if any(p.forest_after_2020 is None for p in plots):
        n = sum(p.forest_after_2020 is None for p in plots)
        out.reasons.append(f"{n} × {CUT_OFF_NOT_RECORDED}")
    if any(p.forest_after_2020 for p in plots):
        n = sum(bool(p.forest_after_2020) for p in plots)
        out.reasons.append(f"{n} × {FOREST_AFTER_CUT_OFF}")
    if not dds:
        out.reasons.append(NO_DDS)
    return out


def _dds_json(r: Readiness) -> str:
    return json.dumps({"lot": r.code, "statements": [
        {"role": d.role, "reference": d.reference, "verification": d.verification,
         "submitted_on": d.submitted_on.isoformat() if d.submitted_on else None,
         "status": d.status, "supplier": d.supplier} for d in r.dds]},
        ensure_ascii=False, indent=2)


def _pdf(r: Readiness) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from ..pdf.fonts import register_fonts

    regular, bold = register_fonts()
    body = ParagraphStyle("b", fontName=regular, fontSize=8.5, leading=11)
    head = ParagraphStyle("h", fontName=bold, fontSize=13, leading=16, spaceAfter=4)
    sub = ParagraphStyle("s", fontName=bold, fontSize=10, leading=13, spaceBefore=8)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        from xml.sax.saxutils import escape
        return Paragraph(escape(text), style)

    story: list[Any] = [
        p(f"EUDR due diligence — lot {r.code}", head),
        p(f"Producer {r.producer} ({r.country}), harvest {r.harvest}. Regulation (EU) 2023/1115."),
        p(f"Checked on {date.today().isoformat()}. Country borders: Natural Earth 1:10m; a "
          f"position within 1 km of a border is a warning. Geodesic areas on WGS84; declared "
          f"area within 10 %. Coordinates as recorded; fewer than 6 decimals is a warning."),
        p("Plots", sub),
    ]
    data = [["Plot", "Geometry", "Area", "Forest after\n31 Dec 2020", "Checks"]]
    for row in r.plots:
        forest = ("not recorded" if row.forest_after_2020 is None
                  else "yes" if row.forest_after_2020 else "no")
        checks = "; ".join(f"{c}: {d}" for c, d in row.findings) or "all passed"
        data.append([p(row.name), row.geometry, row.area, forest, p(checks)])
    table = Table(data, colWidths=[32 * mm, 18 * mm, 20 * mm, 24 * mm, 86 * mm], repeatRows=1)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), regular, 8),
                               ("FONT", (0, 0), (-1, 0), bold, 8),
                               ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [table, p("Production date and cut-off", sub),
              p(f"Harvest {r.harvest}. The cut-off is {CUT_OFF:%d %b %Y}: each plot above says "
                "whether it was forest after it, or that this is not recorded.")]
    story.append(p("Due-diligence statements", sub))
    if r.dds:
        for d in r.dds:
            on = d.submitted_on.isoformat() if d.submitted_on else "date not recorded"
            story.append(p(f"{'Own' if d.role == 'own' else 'Upstream'}: {d.reference}, "
                           f"verification {d.verification or 'not recorded'}, {on}, "
                           f"status {d.status or 'not recorded'}"
                           + (f", from {d.supplier}" if d.supplier else "")))
    else:
        story.append(p("No DDS reference recorded."))
    story.append(p("Legality documents", sub))
    story += [p(f"{d.title} ({d.kind or 'document'}): documents/{d.sha256[:12]}-{d.file_name}")
              for d in r.documents] or [p("None attached.")]
    story += [p("Risk assessment and result", sub),
              p("Negligible risk requires: every plot written without an error, every plot "
                "recorded as not forest after the cut-off, and a DDS reference."),
              p(f"Result: {r.risk}.")]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                      topMargin=15 * mm, bottomMargin=15 * mm,
                      title=f"EUDR due diligence {r.code}").build(story)
    return buf.getvalue()


def write_pack(store: Any, code: str, out: Path | str, attachments_dir: Path | None = None
               ) -> Readiness:
    """Write the lot's due-diligence pack to ``out`` (a ZIP); returns the readiness found."""
    from .attachments import stored_path

    r = readiness(store, code)
    geojson = eudr.geojson_text(r.report.features)
    if len(geojson.encode("utf-8")) > eudr.MAX_BYTES:
        raise UserError(f"lot {code}: the geolocation file would exceed 25 MB")
    files: dict[str, bytes] = {
        f"{code}.geojson": geojson.encode("utf-8"),
        "summary.pdf": _pdf(r),
        "dds.json": _dds_json(r).encode("utf-8"),
    }
    for d in r.documents:
        if attachments_dir is None:
            raise UserError("the attachments folder is needed to pack legality documents")
        path = stored_path(attachments_dir, d.sha256, d.file_name)
        if not path.is_file():
            raise UserError(f"lot {code}: the document {d.title!r} is missing from {path.parent}")
        files[f"documents/{d.sha256[:12]}-{d.file_name}"] = path.read_bytes()
    manifest = {"lot": code, "ready": r.ready, "reasons": r.reasons, "files": [
        {"name": n, "bytes": len(b), "sha256": hashlib.sha256(b).hexdigest()}
        for n, b in files.items()]}
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in files.items():
            z.writestr(n, b)
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    tmp.replace(out)
    return r


def write_harvest_packs(store: Any, harvest: int, out_dir: Path | str,
                        attachments_dir: Path | None = None,
                        progress: Callable[[int, int], None] | None = None
                        ) -> tuple[list[Readiness], float]:
    """One pack per lot of the harvest in ``out_dir``; returns the readiness and seconds taken."""
    from ..domain.model import LotStatus

    lots = [lot.code for lot in store.lots_where("harvest = ?", [harvest])
            if lot.status is not LotStatus.CANCELLED]
    if not lots:
        raise UserError(f"no lots in harvest {harvest}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    done = []
    for i, code in enumerate(sorted(lots)):
        if progress:
            progress(i, len(lots))
        done.append(write_pack(store, code, out_dir / f"eudr-{_safe(code)}.zip",
                               attachments_dir))
    if progress:
        progress(len(lots), len(lots))
    return done, time.perf_counter() - start


def _safe(code: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in code)


def lots_not_ready(store: Any, today: date) -> tuple[list[Any], int]:
    """Lots of the current and the previous harvest (not cancelled) that are not ready for their
    EUDR due-diligence statement, each with its reasons (the Overview's card)."""
    from ..domain.harvest import current_harvest
    from .attention import MAX_ITEMS, Item

    h = current_harvest(today)
    rows = store.db.execute(
        "SELECT l.id, l.code, p.name FROM lots l JOIN producers p ON p.id = l.producer_id "
        "WHERE l.status IS NOT 'cancelled' AND l.harvest >= ? ORDER BY l.harvest DESC, l.code",
        [h - 1]).fetchall()
    items = []
    total = 0
    for lot_id, code, name in rows:
        r = readiness(store, code)
        if r.ready:
            continue
        total += 1
        if len(items) < MAX_ITEMS:
            items.append(Item(f"{code} ({name}) — {'; '.join(r.reasons)}", "lot", lot_id,
                              urgent=any(x.split(" × ")[-1] in eudr.CATEGORIES
                                         for x in r.reasons),
                              detail="; ".join(r.reasons)))
    return items, total
