"""The statement's charts as reportlab drawings: the FOB split and prices across harvests.

Values arrive computed by the domain; floats appear here only as drawing coordinates.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, Path, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.colors import HexColor, white

from ..domain.history import HarvestPoint
from ..domain.pricing import MoneySplit
from .fonts import BOLD, REGULAR


def _legend(d: Drawing, x: float, y: float, items: list[tuple[Any, str]], size: float = 7.5,
            gap: float = 14, dashed: tuple[int, ...] = (), right: float | None = None) -> None:
    """Swatches with labels from (x, y), wrapping to a new row below before ``right``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    x0 = x
    for i, (colour, label) in enumerate(items):
        if right is not None and x > x0 and x + 13 + stringWidth(label, REGULAR, size) > right:
            x, y = x0, y - size - 5
        if i in dashed:
            d.add(Line(x, y + 3, x + 10, y + 3, strokeColor=colour, strokeWidth=1.5,
                       strokeDashArray=[2, 2]))
        else:
            d.add(Rect(x, y, 10, 6, fillColor=colour, strokeColor=None))
        d.add(String(x + 13, y, label, fontName=REGULAR, fontSize=size,
                     fillColor=HexColor("#4A4038")))
        x += 13 + stringWidth(label, REGULAR, size) + gap


def money_split_drawing(width: float, split: MoneySplit, fob: Decimal, colours: dict[str, str],
                        labels: dict[str, str], fmt: Callable[[Decimal], str],
                        fob_label: str, unit_label: str) -> Drawing:
    """A horizontal bar of one lb's money: producer | exporter (= FOB) | premium | importer."""
    segments = [
        ("producer", split.producer),
        ("exporter", split.exporter_total),
        ("premium", split.premium_on_top),
        ("importer", split.importer_total),
    ]
    shown = [(k, v) for k, v in segments if v > 0]
    total = float(sum((v for _, v in shown), Decimal(0))) or 1.0
    height = 100.0
    d = Drawing(width, height)
    bar_y, bar_h = 42.0, 30.0
    x = 0.0
    fob_x = 0.0
    for key, value in shown:
        w = width * float(value) / total
        d.add(Rect(x, bar_y, w, bar_h, fillColor=HexColor(colours[key]), strokeColor=white,
                   strokeWidth=1.2))
        text = fmt(value)
        if w > 44:
            d.add(String(x + w / 2, bar_y + bar_h / 2 - 3.5, text, fontName=BOLD, fontSize=8.5,
                         fillColor=white, textAnchor="middle"))
        if key in ("producer", "exporter"):
            fob_x = x + w
        x += w
    # the FOB bracket over producer + exporter
    top = bar_y + bar_h + 6
    ink = HexColor(colours["primary"])
    d.add(Line(0.5, top, fob_x - 0.5, top, strokeColor=ink, strokeWidth=0.8))
    d.add(Line(0.5, top, 0.5, top - 4, strokeColor=ink, strokeWidth=0.8))
    d.add(Line(fob_x - 0.5, top, fob_x - 0.5, top - 4, strokeColor=ink, strokeWidth=0.8))
    d.add(String(fob_x / 2, top + 5, fob_label, fontName=BOLD, fontSize=8.5, fillColor=ink,
                 textAnchor="middle"))
    d.add(String(width, top + 5, unit_label, fontName=REGULAR, fontSize=7,
                 fillColor=HexColor(colours["muted"]), textAnchor="end"))
    _legend(d, 0, 18, [(HexColor(colours[k]), f"{labels[k]}  {fmt(v)}") for k, v in shown],
            right=width)
    return d


def history_drawing(width: float, points: tuple[HarvestPoint, ...], this_harvest: int,
                    colours: dict[str, str], labels: dict[str, str],
                    fmt_axis: Callable[[float], str],
                    this_lot: tuple[float | None, float | None] = (None, None),
                    year_label: Callable[[int], str] = str) -> Drawing:
    """The producer's average FOB, farm gate and C per harvest (USD/lb green) as lines, broken
    where a harvest had no purchase; this lot's own FOB and farm gate as marked points
    (``this_lot`` = (fob, farm gate); a figure not recorded is not drawn)."""
    height = 112.0
    d = Drawing(width, height)
    series = [
        ("fob", [(p.harvest, float(p.fob_usd_lb)) for p in points if p.fob_usd_lb is not None],
         colours["accent"]),
        ("farm_gate", [(p.harvest, float(p.farm_gate_usd_lb)) for p in points
                       if p.farm_gate_usd_lb is not None], colours["producer"]),
        ("c", [(p.harvest, float(p.c_usd_lb)) for p in points if p.c_usd_lb is not None],
         colours["c_price"]),
    ]
    series = [s for s in series if s[1]]
    years = [p.harvest for p in points]
    lo, hi = min(years), max(years)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    ymax = max([v for _, data, _ in series for _, v in data]
               + [v for v in this_lot if v is not None] + [0.5])
    step = 0.5 if ymax <= 3 else 1.0 if ymax <= 7 else 2.0
    top = step * (int(ymax / step) + 1)

    lp = LinePlot()
    lp.x, lp.y = 34, 24
    lp.width, lp.height = width - 44, height - 58
    # a harvest without a purchase is a gap: each run of consecutive harvests is its own line
    runs: list[tuple[str, list[tuple[int, float]], str]] = []
    for key, data, colour in series:
        run: list[tuple[int, float]] = []
        for x, v in data:
            if run and x != run[-1][0] + 1:
                runs.append((key, run, colour))
                run = []
            run.append((x, v))
        runs.append((key, run, colour))
    legend_series = series
    series = runs
    lp.data = [data for _, data, _ in series]
    for i, (key, _, colour) in enumerate(series):
        line = lp.lines[i]
        line.strokeColor = HexColor(colour)
        line.strokeWidth = 2.2 if key != "c" else 1.4
        line.symbol = makeMarker("FilledCircle", size=4.5 if key != "c" else 3)
        line.symbol.fillColor = HexColor(colour)
        line.symbol.strokeColor = HexColor(colour)
        if key == "c":
            line.strokeDashArray = [3, 2]
    xa, ya = lp.xValueAxis, lp.yValueAxis
    xa.valueMin, xa.valueMax = lo - 0.4, hi + 0.4
    xa.valueSteps = list(range(lo, hi + 1))
    xa.labelTextFormat = lambda v: year_label(int(round(v)))
    ya.valueMin, ya.valueMax, ya.valueStep = 0, top, step
    ya.labelTextFormat = fmt_axis
    for axis in (xa, ya):
        axis.labels.fontName = REGULAR
        axis.labels.fontSize = 7
        axis.labels.fillColor = HexColor(colours["muted"])
        axis.strokeColor = HexColor(colours["rule"])
    xa.tickDown = 2
    ya.visibleGrid = True
    ya.gridStrokeColor = HexColor(colours["rule"])
    ya.gridStrokeWidth = 0.5
    ya.visibleAxis = False
    ya.tickLeft = 0
    # this lot's harvest
    if lo <= this_harvest <= hi:
        hx = lp.x + lp.width * (this_harvest - xa.valueMin) / (xa.valueMax - xa.valueMin)
        d.add(Rect(hx - 9, lp.y, 18, lp.height, fillColor=HexColor(colours["band"]),
                   strokeColor=None))
        d.add(String(hx, lp.y + lp.height + 3, labels["this_lot"], fontName=REGULAR,
                     fontSize=7, fillColor=HexColor(colours["muted"]), textAnchor="middle"))
    d.add(lp)
    if lo <= this_harvest <= hi:
        for value, key in zip(this_lot, ("fob", "farm_gate"), strict=True):
            if value is None:
                continue
            colour = colours["accent"] if key == "fob" else colours["producer"]
            px = lp.x + lp.width * (this_harvest - xa.valueMin) / (xa.valueMax - xa.valueMin)
            py = lp.y + lp.height * value / top
            d.add(Rect(px - 3.6, py - 3.6, 7.2, 7.2, fillColor=white,
                       strokeColor=HexColor(colour), strokeWidth=1.8))
    d.add(String(0, height - 10, labels["axis"], fontName=REGULAR, fontSize=7,
                 fillColor=HexColor(colours["muted"])))
    keys = [k for k, _, _ in legend_series]
    _legend(d, width * 0.36, height - 10,
            [(HexColor(c), labels[k]) for k, _, c in legend_series],
            dashed=tuple(i for i, k in enumerate(keys) if k == "c"))
    return d


@lru_cache(maxsize=64)
def qr_runs(url: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """The QR code of ``url`` (error correction M) as (modules, dark runs (row, col, length))."""
    from reportlab.graphics.barcode import qrencoder

    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(url)
    qr.make()
    n = qr.getModuleCount()
    runs = []
    for r in range(n):
        c = 0
        while c < n:
            if qr.isDark(r, c):
                start = c
                while c < n and qr.isDark(r, c):
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return n, tuple(runs)


def qr_drawing(url: str, size: float, colour: str) -> Drawing:
    """A QR code as one filled path, with the quiet zone of 4 modules the standard asks for."""
    n, runs = qr_runs(url)
    unit = size / (n + 8)
    path = Path(fillColor=HexColor(colour), strokeColor=None, strokeWidth=0)
    for r, c, length in runs:
        x, y = (c + 4) * unit, size - (r + 5) * unit
        path.moveTo(x, y)
        path.lineTo(x + length * unit, y)
        path.lineTo(x + length * unit, y + unit)
        path.lineTo(x, y + unit)
        path.closePath()
    d = Drawing(size, size)
    d.add(path)
    return d
