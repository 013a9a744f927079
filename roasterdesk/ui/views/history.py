"""The producer's history tab: by harvest, FOB vs C vs farm gate (USD/lb), volume bought and
quality score (QtCharts).

Every harvest from the first purchase to the last has its place on the axis, named by the one
rule (`domain.harvest.harvest_name`, by the producer's harvest months, else its country). A
harvest without a purchase, or without the figure, is a gap: lines break there and its bar is
empty. Hovering a point or a bar shows its value.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QCursor, QPainter, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QToolTip, QVBoxLayout, QWidget

from ...domain.harvest import harvest_name
from ...domain.history import HarvestPoint
from ...domain.words import plural
from ...services.analysis import harvest_history

if TYPE_CHECKING:
    from ..context import AppContext

COLORS = {"FOB": "#6b4226", "C price": "#8a8a8a", "Farm gate": "#2e7d32",
          "Volume": "#b08968", "Quality": "#c0561a"}

Namer = Callable[[int], str]


def harvest_axis(points: list[HarvestPoint]) -> list[int]:
    """Every harvest from the first purchase to the last, those without a purchase included."""
    if not points:
        return []
    first, last = points[0].harvest, points[-1].harvest
    return list(range(first, last + 1))


def _by_year(points: list[HarvestPoint]) -> dict[int, HarvestPoint]:
    return {p.harvest: p for p in points}


def _f(x: Decimal | None) -> float | None:
    return float(x) if x is not None else None


def show_hover(text: str, on: bool) -> None:
    """The value under the pointer, as a tooltip (hidden when the pointer leaves)."""
    if on:
        QToolTip.showText(QCursor.pos(), text)
    else:
        QToolTip.hideText()


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(6)
    chart.setMargins(QMargins(6, 6, 6, 6))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    f = chart.titleFont()
    f.setBold(True)
    chart.setTitleFont(f)
    return chart


def _x_axis(categories: list[str], fits: int) -> QBarCategoryAxis:
    """The harvest axis; with more than ``fits`` harvests the labels stand upright (at an angle
    Qt cuts them to "2…"), so every label is whole."""
    x = QBarCategoryAxis()
    x.append(categories)
    if len(categories) > fits:
        x.setLabelsAngle(-90)
        f = x.labelsFont()
        f.setPointSizeF(max(7.5, f.pointSizeF() - 1))
        x.setLabelsFont(f)
    return x


def _axes(chart: QChart, series: list, categories: list[str], y_title: str,
          y_max: float, fits: int) -> None:
    x = _x_axis(categories, fits)
    y = QValueAxis()
    y.setTitleText(y_title)
    y.setRange(0, y_max * 1.15 if y_max > 0 else 1)
    y.setLabelFormat("%.2f" if y_max < 20 else "%.0f")
    y.applyNiceNumbers()
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    for s in series:
        s.attachAxis(x)
        s.attachAxis(y)


def _segments(values: list[float | None]) -> list[list[tuple[int, float]]]:
    """Runs of consecutive known values (category index, value): a gap breaks the line."""
    runs: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for i, v in enumerate(values):
        if v is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((i, v))
    if current:
        runs.append(current)
    return runs


def _line(chart: QChart, name: str, values: list[float | None], pen: QPen,
          hover: Callable[[int, float], str]) -> list[QLineSeries]:
    """One line per run of known values, all under one legend entry."""
    made = []
    for n, run in enumerate(_segments(values)):
        s = QLineSeries()
        s.setName(name)
        s.setPointsVisible(True)
        s.setPen(pen)
        for i, v in run:
            s.append(i, v)  # category axis: x is the category's index
        s.hovered.connect(lambda point, on, hover=hover: show_hover(
            hover(round(point.x()), point.y()), on))
        chart.addSeries(s)
        if n:
            for marker in chart.legend().markers(s):
                marker.setVisible(False)
        made.append(s)
    return made


def price_chart(points: list[HarvestPoint], name: Namer) -> QChart:
    chart = _chart("Price by harvest (USD/lb green)")
    years = harvest_axis(points)
    by_year = _by_year(points)
    series: list[QLineSeries] = []
    top = 0.0
    for label, attr in (("FOB", "fob_usd_lb"), ("C price", "c_usd_lb"),
                        ("Farm gate", "farm_gate_usd_lb")):
        pen = QPen(QColor(COLORS[label]), 2.5)
        if label == "C price":
            pen.setStyle(Qt.PenStyle.DashLine)
        values = [_f(getattr(by_year[y], attr)) if y in by_year else None for y in years]
        top = max([top, *(v for v in values if v is not None)])
        series += _line(chart, label, values, pen, lambda i, v, label=label: (
            f"{name(years[i])} · {label} {v:.2f} USD/lb"))
    _axes(chart, series, [name(y) for y in years], "USD/lb", top, fits=14)
    return chart


def volume_text(name: Namer, year: int, point: HarvestPoint | None) -> str:
    if point is None:
        return f"{name(year)} · no purchase"
    return (f"{name(year)} · {float(point.volume_kg) / 1000:,.2f} t green "
            f"({plural(point.lots, 'lot')})")


def bar_chart(points: list[HarvestPoint], name: Namer) -> QChart:
    chart = _chart("Volume bought (t green)")
    years = harvest_axis(points)
    by_year = _by_year(points)
    bars = QBarSet("Volume")
    bars.setColor(QColor(COLORS["Volume"]))
    bars.setBorderColor(QColor(COLORS["Volume"]))
    top = 0.0
    for y in years:
        v = float(by_year[y].volume_kg) / 1000 if y in by_year else 0.0
        bars.append(v)
        top = max(top, v)
    bars.hovered.connect(lambda on, i: show_hover(
        volume_text(name, years[i], by_year.get(years[i])), on))
    series = QBarSeries()
    series.append(bars)
    series.setBarWidth(0.6)
    chart.addSeries(series)
    chart.legend().hide()
    _axes(chart, [series], [name(y) for y in years], "tonnes", top, fits=6)
    return chart


def quality_chart(points: list[HarvestPoint], name: Namer) -> QChart:
    chart = _chart("Quality (SCA score)")
    years = harvest_axis(points)
    by_year = _by_year(points)
    values = [_f(by_year[y].quality_score) if y in by_year else None for y in years]
    series = _line(chart, "Quality", values, QPen(QColor(COLORS["Quality"]), 2.5),
                   lambda i, v: f"{name(years[i])} · {v:.2f} points")
    chart.legend().hide()
    x = _x_axis([name(y) for y in years], fits=6)
    y = QValueAxis()
    scores = [v for v in values if v is not None]
    lo = min(scores, default=80.0)
    y.setRange(min(80.0, lo - 1), 100 if not scores else max(max(scores) + 1, 88))
    y.setLabelFormat("%.0f")
    y.setTitleText("points")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    for s in series:
        s.attachAxis(x)
        s.attachAxis(y)
    return chart


class HistoryTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.points: list[HarvestPoint] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        self.empty = QLabel("No lots bought from this producer yet: the history starts with "
                            "the first lot.")
        self.empty.setObjectName("placeholder")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.empty)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(8)
        lay.addWidget(self.grid_host, 1)
        self.views: list[QChartView] = []

    def load(self, producer_id: int) -> None:
        store = self.ctx.store
        self.points = harvest_history(store, producer_id)
        producer = store.producer(producer_id)
        self.name: Namer = lambda year: harvest_name(year, producer.country,  # noqa: E731
                                                     producer.harvest_months)
        for v in self.views:
            v.setParent(None)
            v.deleteLater()
        self.views = []
        self.empty.setVisible(not self.points)
        self.grid_host.setVisible(bool(self.points))
        if not self.points:
            return
        charts = [
            (price_chart(self.points, self.name), 0, 0, 1, 2),
            (bar_chart(self.points, self.name), 1, 0, 1, 1),
            (quality_chart(self.points, self.name), 1, 1, 1, 1),
        ]
        for chart, r, c, rs, cs_ in charts:
            view = QChartView(chart)
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(200)
            view.setAccessibleName(chart.title())
            self.grid.addWidget(view, r, c, rs, cs_)
            self.views.append(view)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 1)
        self.grid.setRowStretch(0, 3)
        self.grid.setRowStretch(1, 2)
