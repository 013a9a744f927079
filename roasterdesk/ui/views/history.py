"""The producer's history tab: by harvest, FOB vs C vs farm gate (USD/lb), volume bought and
quality score (QtCharts)."""

from __future__ import annotations

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
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from ...domain.harvest import harvest_label
from ...domain.history import HarvestPoint
from ...services.analysis import harvest_history

if TYPE_CHECKING:
    from ..context import AppContext

COLORS = {"FOB": "#6b4226", "C price": "#8a8a8a", "Farm gate": "#2e7d32",
          "Volume": "#b08968", "Quality": "#c0561a"}


def short_label(year: int) -> str:
    """A harvest label that fits under a narrow bar: the year it ends, 2016 → "’16"."""
    return f"’{year % 100:02d}"


def labels(points: list[HarvestPoint], narrow: bool = False) -> list[str]:
    if narrow and len(points) > 6:
        return [short_label(p.harvest) for p in points]
    return [harvest_label(p.harvest) for p in points]


def _small_labels(axis: QBarCategoryAxis, categories: list[str]) -> None:
    if categories and categories[0].startswith("’"):
        f = axis.labelsFont()
        f.setPointSizeF(max(7.0, f.pointSizeF() - 1.5))
        axis.setLabelsFont(f)


def _f(x: Decimal | None) -> float | None:
    return float(x) if x is not None else None


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


def _axes(chart: QChart, series: list, categories: list[str], y_title: str,
          y_max: float) -> None:
    x = QBarCategoryAxis()
    x.append(categories)
    _small_labels(x, categories)
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


def price_chart(points: list[HarvestPoint]) -> QChart:
    chart = _chart("Price by harvest (USD/lb green)")
    cats = labels(points, narrow=len(points) > 12)
    series = []
    top = 0.0
    for name, attr in (("FOB", "fob_usd_lb"), ("C price", "c_usd_lb"),
                       ("Farm gate", "farm_gate_usd_lb")):
        s = QLineSeries()
        s.setName(name)
        s.setPointsVisible(True)
        pen = QPen(QColor(COLORS[name]), 2.5)
        if name == "C price":
            pen.setStyle(Qt.PenStyle.DashLine)
        s.setPen(pen)
        for i, p in enumerate(points):
            v = _f(getattr(p, attr))
            if v is not None:
                s.append(i, v)  # category axis: x is the category's index
                top = max(top, v)
        chart.addSeries(s)
        series.append(s)
    _axes(chart, series, cats, "USD/lb", top)
    return chart


def bar_chart(points: list[HarvestPoint], title: str, name: str, attr: str, y_title: str,
              scale: float = 1.0) -> QChart:
    chart = _chart(title)
    bars = QBarSet(name)
    bars.setColor(QColor(COLORS[name]))
    bars.setBorderColor(QColor(COLORS[name]))
    top = 0.0
    for p in points:
        v = _f(getattr(p, attr))
        bars.append((v or 0.0) * scale)
        top = max(top, (v or 0.0) * scale)
    series = QBarSeries()
    series.append(bars)
    series.setBarWidth(0.6)
    chart.addSeries(series)
    chart.legend().hide()
    _axes(chart, [series], labels(points, narrow=True), y_title, top)
    return chart


def quality_chart(points: list[HarvestPoint]) -> QChart:
    chart = _chart("Quality (SCA score)")
    s = QLineSeries()
    s.setName("Quality")
    s.setPointsVisible(True)
    s.setPen(QPen(QColor(COLORS["Quality"]), 2.5))
    scores = []
    for i, p in enumerate(points):
        v = _f(p.quality_score)
        if v is not None:
            s.append(i, v)
            scores.append(v)
    chart.addSeries(s)
    chart.legend().hide()
    x = QBarCategoryAxis()
    x.append(labels(points, narrow=True))
    _small_labels(x, labels(points, narrow=True))
    y = QValueAxis()
    lo = min(scores, default=80.0)
    y.setRange(min(80.0, lo - 1), 100 if not scores else max(max(scores) + 1, 88))
    y.setLabelFormat("%.0f")
    y.setTitleText("points")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
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
        for v in self.views:
            v.setParent(None)
            v.deleteLater()
        self.views = []
        self.empty.setVisible(not self.points)
        self.grid_host.setVisible(bool(self.points))
        if not self.points:
            return
        charts = [
            (price_chart(self.points), 0, 0, 1, 2),
            (bar_chart(self.points, "Volume bought (t green)", "Volume", "volume_kg",
                       "tonnes", 0.001), 1, 0, 1, 1),
            (quality_chart(self.points), 1, 1, 1, 1),
        ]
        for chart, r, c, rs, cs_ in charts:
            view = QChartView(chart)
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(200)
            self.grid.addWidget(view, r, c, rs, cs_)
            self.views.append(view)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 1)
        self.grid.setRowStretch(0, 3)
        self.grid.setRowStretch(1, 2)
