"""The Map page: plots on real country borders (Natural Earth), filterable by origin."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from roasterdesk.services.borders import country_of
from roasterdesk.ui.views.map_page import MapPage
from roasterdesk.ui.worldmap import LAND, MARK, ORIGIN, borders_ready

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("propagateSizeHints", r"does not support raise")]


def _page(qtbot, ctx) -> MapPage:
    page = MapPage(ctx)
    qtbot.addWidget(page)
    page.resize(900, 640)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(borders_ready, timeout=20000)  # read on a worker thread at first paint
    page.map.grab()  # paints: positions and outlines are known after a paint
    return page


def _near(a, b, tolerance: int = 24) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3],
                                                        strict=True))


def test_the_map_draws_a_plot_inside_its_country(qtbot, ctx, sample):
    page = _page(qtbot, ctx)
    m = page.map
    image = m.grab().toImage()
    assert {mk.plot for mk, _ in m.mark_points} == {"El Mirador", "La Loma"}
    colombia = m.country_paths["CO"]
    assert {"CO", "EC", "PE", "BR", "VE"} <= set(m.country_paths)  # the neighbours are drawn
    for mark, px in m.mark_points:
        lon, lat = mark.centre()
        assert country_of(lon, lat) == "CO"  # the data says Colombia ...
        assert colombia.contains(px), mark.plot  # ... and so does the drawing
        for other in ("EC", "PE", "BR", "VE"):
            assert not m.country_paths[other].contains(px), (mark.plot, other)
        around = [image.pixelColor(px.toPoint() + QPoint(dx, dy))
                  for dx in range(-4, 5) for dy in range(-4, 5)]
        assert sum(_near(c, MARK) for c in around) >= 20, mark.plot  # the mark is painted
    # Colombia (Neiva) is shaded as an origin, Ecuador (Ibarra) is plain land
    for (lon, lat), code, colour in (((-75.28, 2.93), "CO", ORIGIN),
                                     ((-78.12, 0.35), "EC", LAND)):
        assert country_of(lon, lat) == code
        px = m.projection.to_px(lon, lat)
        assert m.rect().contains(px.toPoint()) and m.country_paths[code].contains(px)
        assert _near(image.pixelColor(px.toPoint()), colour), code


def test_filter_by_origin_and_say_what_is_not_on_the_map(qtbot, ctx, sample):
    page = _page(qtbot, ctx)
    assert page.origin.itemText(0) == "All origins"
    assert page.count.text().startswith("2 plots of 1 producer · 2 producers without "
                                        "coordinates")
    page.set_origin("ET")
    assert page.map.marks == []
    assert page.count.text().startswith("0 plots of 0 producers · 1 producer without")
    page.map.grab()
    assert "ET" in page.map.country_paths  # the origin is shown, empty
    page.set_origin("CO")
    assert len(page.map.marks) == 2 and page.count.text().startswith("2 plots of 1 producer.")


def test_hover_names_the_plot_and_a_click_opens_its_producer(window, qtbot, sample):
    page = window.show_page("map")
    qtbot.waitExposed(page)
    qtbot.waitUntil(borders_ready, timeout=20000)
    page.map.grab()
    mark, px = next((mk, p) for mk, p in page.map.mark_points if mk.plot == "El Mirador")
    assert page.map.mark_at(px + QPointF(3, 3)) is mark
    assert page.map.tooltip_for(mark).startswith("Cooperativa Los Andes — El Mirador · 1.50 ha\n"
                                                 "Colombia · 1.8540°N 76.0460°W")
    qtbot.mouseClick(page.map, Qt.MouseButton.LeftButton, pos=px.toPoint())
    assert window.current_key() == "producer"
    assert window.page("producer").detail.producer_id == sample.coop.id


def test_wheel_zooms_at_the_pointer_and_double_click_fits_again(qtbot, ctx, sample):
    page = _page(qtbot, ctx)
    m = page.map
    before = m.projection.scale
    m.zoom(0.5, QPointF(450, 300))
    m.grab()
    assert m.projection.scale == pytest.approx(before * 2, rel=0.01)
    qtbot.mouseDClick(m, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    m.grab()
    assert m.view is None and m.projection.scale == pytest.approx(before)


def test_names_on_the_map_never_cover_each_other(qtbot, ctx, sample):
    """Many producers close together (the demo's Central America): each name that is written
    is clear of the other names and marks, and inside the map."""
    from decimal import Decimal as D

    from roasterdesk.domain.model import Plot, Producer, ProducerKind

    for n in range(14):
        p = ctx.store.save_producer(Producer(f"Finca {n:02d}", ProducerKind.FARM, "HN"))
        ctx.store.save_plot(Plot(p.id, "Lote", D("2"), {
            "type": "Point", "coordinates": [-88.0 + n * 0.35, 14.0 + (n % 3) * 0.3]}))
    page = _page(qtbot, ctx)
    m = page.map
    m.grab()
    assert len(m.clusters) > 3 and m.labels
    for i, a in enumerate(m.labels):
        assert m.rect().contains(a.toRect()), a
        for b in m.labels[i + 1:]:
            assert not a.intersects(b), (a, b)
