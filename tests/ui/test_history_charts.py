"""The History charts: every harvest from the first purchase to the last keeps its place on the
axis (a harvest with no purchase is a gap), one label style (domain.harvest.harvest_name), and
values on hover."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from PySide6.QtCharts import QBarSeries, QLineSeries
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QToolTip

from roasterdesk.domain.harvest import current_harvest, harvest_name
from roasterdesk.domain.model import Lot, LotStatus
from roasterdesk.ui.views.history import HistoryTab

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("propagateSizeHints", r"does not support raise")]


def _categories(chart) -> list[str]:
    return list(chart.axes()[0].categories())


def _lines(chart, name: str) -> list[list[tuple[int, float]]]:
    return [[(round(p.x()), p.y()) for p in s.points()] for s in chart.series()
            if isinstance(s, QLineSeries) and s.name() == name]


@pytest.fixture
def gap(ctx, sample):
    """The washing station (Ethiopia: across the new year) bought two harvests ago and this
    harvest, nothing last harvest."""
    this = current_harvest()
    ctx.store.save_lot(Lot("ET-OLD-001", sample.station.id, this - 2, weight_kg=D("1800"),
                           fob_usd_lb=D("3.90"), c_cents_lb=D("250"), quality_score=D("87"),
                           status=LotStatus.ARRIVED))
    ctx.store.save_lot(Lot("ET-NEW-002", sample.station.id, this, weight_kg=D("900"),
                           fob_usd_lb=D("4.40"), quality_score=D("88.5"),
                           status=LotStatus.CONTRACTED))
    return this


def test_a_harvest_with_no_purchase_keeps_its_place_as_a_gap(qtbot, ctx, sample, gap):
    this = gap
    tab = HistoryTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(900, 700)
    tab.show()
    tab.load(sample.station.id)
    assert [p.harvest for p in tab.points] == [this - 2, this]
    names = [harvest_name(y, "ET") for y in (this - 2, this - 1, this)]
    assert names[0] == f"{this - 3}/{(this - 2) % 100:02d}"  # one style: "2023/24"
    price, volume, quality = (v.chart() for v in tab.views)
    for chart in (price, volume, quality):
        assert _categories(chart) == names  # the empty harvest is on every axis
    # lines break at the empty harvest: no segment joins index 0 to index 2
    assert _lines(price, "FOB") == [[(0, 3.90)], [(2, 4.40)]]
    assert _lines(quality, "Quality") == [[(0, 87.0)], [(2, 88.5)]]
    # only the first segment of a line is in the legend
    qtbot.wait(50)
    visible = [m.series().name() for m in price.legend().markers() if m.isVisible()]
    assert visible.count("FOB") == 1
    bars = next(s for s in volume.series() if isinstance(s, QBarSeries)).barSets()[0]
    # this harvest counts the sample's own Ethiopian lot (1.2 t) too
    assert [round(bars.at(i), 3) for i in range(bars.count())] == [1.8, 0.0, 2.1]


def test_values_on_hover(qtbot, ctx, sample, gap):
    this = gap
    tab = HistoryTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.load(sample.station.id)
    price, volume, quality = (v.chart() for v in tab.views)
    fob = [s for s in price.series() if s.name() == "FOB"][1]
    fob.hovered.emit(QPointF(2, 4.4), True)
    assert QToolTip.text() == f"{harvest_name(this, 'ET')} · FOB 4.40 USD/lb"
    bars = volume.series()[0].barSets()[0]
    bars.hovered.emit(True, 1)
    assert QToolTip.text() == f"{harvest_name(this - 1, 'ET')} · no purchase"
    bars.hovered.emit(True, 0)
    assert QToolTip.text() == f"{harvest_name(this - 2, 'ET')} · 1.80 t green (1 lot)"
    quality.series()[0].hovered.emit(QPointF(0, 87), True)
    assert QToolTip.text() == f"{harvest_name(this - 2, 'ET')} · 87.00 points"
    assert [v.accessibleName() for v in tab.views] == [
        "Price by harvest (USD/lb green)", "Volume bought (t green)", "Quality (SCA score)"]


def test_every_harvest_label_is_whole_with_many_harvests(qtbot, ctx, sample):
    """Thirteen harvests, two charts at half width: each label has the room it needs, lying
    down where it fits, else standing upright (Qt cuts slanted labels that do not fit to
    "2…", as the volume and quality charts did)."""
    from PySide6.QtGui import QFontMetricsF

    this = current_harvest()
    for n in range(11):
        ctx.store.save_lot(Lot(f"ET-H{n:02d}", sample.station.id, this - 12 + n,
                               weight_kg=D("1000"), fob_usd_lb=D("4.00"),
                               quality_score=D("86"), status=LotStatus.ARRIVED))
    tab = HistoryTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1000, 600)
    tab.show()
    tab.load(sample.station.id)
    qtbot.wait(50)
    for view in tab.views:
        chart = view.chart()
        axis = chart.axes(Qt.Orientation.Horizontal)[0]
        categories = list(axis.categories())
        assert len(categories) == 13
        per = chart.plotArea().width() / len(categories)
        fm = QFontMetricsF(axis.labelsFont())
        assert axis.labelsAngle() in (0, -90, 90), chart.title()
        need = (max(fm.horizontalAdvance(c) for c in categories) if axis.labelsAngle() == 0
                else fm.height())
        assert need + 2 <= per, f"{chart.title()}: {need:.0f} px for {per:.0f} px"
