"""An offline drawing of a producer's plots: points and outlines on a latitude/longitude grid
over the country borders (Natural Earth, :mod:`roasterdesk.ui.worldmap`), with a scale bar and
each plot's area. No map tiles, no network."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..domain.geo import EARTH_RADIUS_M, geometry_area_ha
from ..domain.model import Plot
from .worldmap import SEA, Projection, borders_ready, draw_borders, load_borders

FILL = QColor(107, 66, 38, 60)
EDGE = QColor("#6b4226")
SELECTED = QColor("#c0561a")
GRID = QColor("#e2ddd6")
TEXT = QColor("#3b2f25")


def _nice_step(span: float) -> float:
    """A round grid spacing giving 3–8 lines over ``span`` degrees."""
    raw = span / 5 if span > 0 else 0.001
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def _nice_length(metres: float) -> float:
    mag = 10 ** math.floor(math.log10(max(metres, 1e-3)))
    for m in (5, 2, 1):
        if m * mag <= metres:
            return m * mag
    return mag


class PlotMap(QWidget):
    """Draws plots with a geometry; ``plot_clicked(int)`` gives the index of the clicked plot."""

    plot_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plots: list[Plot] = []
        self.country = ""  # the producer's: shaded as the origin
        self.country_paths: dict = {}  # ISO-2 → outline in pixels, after a paint
        self.selected: int | None = None
        self.setMinimumSize(320, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._shapes: list[tuple[int, QPainterPath]] = []

    def set_plots(self, plots: Sequence[Plot], country: str = "") -> None:
        self.country = country
        self.plots = [p for p in plots if p.geometry]
        self.selected = None
        self.update()

    def select(self, plot_id: int | None) -> None:
        self.selected = next((i for i, p in enumerate(self.plots) if p.id == plot_id), None)
        self.update()

    # -- geometry ------------------------------------------------------------------------------
    def _points(self, plot: Plot) -> list[tuple[float, float]]:
        g = plot.geometry or {}
        if g.get("type") == "Point":
            return [tuple(g["coordinates"][:2])]  # type: ignore[list-item]
        return [tuple(p[:2]) for p in g["coordinates"][0]]  # type: ignore[misc]

    def bounds(self) -> tuple[float, float, float, float] | None:
        pts = [p for plot in self.plots for p in self._points(plot)]
        if not pts:
            return None
        lons, lats = [p[0] for p in pts], [p[1] for p in pts]
        w, s, e, n = min(lons), min(lats), max(lons), max(lats)
        pad = max(e - w, n - s, 0.002) * 0.15
        return w - pad, s - pad, e + pad, n + pad

    def paintEvent(self, event: object) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        self._shapes = []
        self.label_rects: list[QRectF] = []
        self.lon_labels: list[QRectF] = []
        b = self.bounds()
        if b is None:
            p.setPen(QColor("#6b6b6b"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                       "No plot has coordinates yet.\nAdd a point or an outline to a plot.")
            return
        w, s, e, n = b
        margin_l, margin_b, margin = 62, 28, 14
        area = QRectF(margin_l, margin, self.width() - margin_l - margin,
                      self.height() - margin - margin_b)
        # east-west degrees are shorter away from the equator (the projection's kx)
        proj = Projection(b, area)
        scale = proj.scale  # px per degree of latitude
        to_px = proj.to_px
        if not borders_ready():
            load_borders(self.update)
        else:
            p.save()
            p.setClipRect(area)
            p.fillRect(area, SEA)
            self.country_paths = draw_borders(p, proj, [self.country] if self.country else [])
            p.restore()

        # grid with labels
        small = QFont(self.font())
        small.setPointSizeF(max(7.5, small.pointSizeF() - 1.5))
        p.setFont(small)
        step = _nice_step(max(n - s, (e - w)))
        while step * proj.kx * scale < 78:  # longitude labels (about 70 px) never overlap
            step = _nice_step(step * 6)
        decimals = max(0, -int(math.floor(math.log10(step))))
        p.setPen(QPen(GRID, 1))
        lat = math.ceil(s / step) * step
        while lat <= n:
            y = to_px(w, lat).y()
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            p.setPen(TEXT)
            p.drawText(QRectF(2, y - 8, margin_l - 6, 16),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       f"{abs(lat):.{decimals}f}°{'N' if lat >= 0 else 'S'}")
            lat += step
        lon = math.ceil(w / step) * step
        while lon <= e:
            x = to_px(lon, s).x()
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
            p.setPen(TEXT)
            text = f"{abs(lon):.{decimals}f}°{'E' if lon >= 0 else 'W'}"
            p.drawText(QRectF(x - 40, area.bottom() + 4, 80, 16), Qt.AlignmentFlag.AlignCenter,
                       text)
            half = QFontMetricsF(small).horizontalAdvance(text) / 2
            self.lon_labels.append(QRectF(x - half, area.bottom() + 4, 2 * half, 16))
            lon += step

        # plots
        label_font = QFont(self.font())
        label_font.setBold(True)
        for i, plot in enumerate(self.plots):
            color = SELECTED if i == self.selected else EDGE
            pts = [to_px(*pt) for pt in self._points(plot)]
            path = QPainterPath()
            if len(pts) == 1:
                path.addEllipse(pts[0], 6, 6)
                p.setPen(QPen(color, 2))
                p.setBrush(color)
                p.drawPath(path)
                anchor = pts[0] + QPointF(9, -6)
                area_ha = plot.area_ha
            else:
                path.moveTo(pts[0])
                for q in pts[1:]:
                    path.lineTo(q)
                path.closeSubpath()
                p.setPen(QPen(color, 2.5 if i == self.selected else 1.5))
                p.setBrush(FILL)
                p.drawPath(path)
                box = path.boundingRect()
                anchor = QPointF(box.right() + 6, box.center().y() + 4)
                computed = geometry_area_ha(plot.geometry or {})
                area_ha = plot.area_ha if plot.area_ha is not None else computed
            self._shapes.append((i, path))
            p.setFont(label_font)
            p.setPen(TEXT)
            size = f" · {float(area_ha):,.2f} ha" if area_ha is not None else ""
            text = f"{plot.name}{size}"
            width = QFontMetricsF(label_font).horizontalAdvance(text)
            shape = path.boundingRect()
            if anchor.x() + width > self.width() - 4:  # no room on the right: on the left,
                left = shape.left() - 8 - width
                if left >= area.left() + 2:
                    anchor = QPointF(left, anchor.y())
                else:  # or under the plot (over it when it reaches the bottom)
                    x = max(area.left() + 2, min(shape.center().x() - width / 2,
                                                 self.width() - 4 - width))
                    y = shape.bottom() + 16
                    anchor = QPointF(x, y if y <= area.bottom() - 4 else shape.top() - 6)
            self.label_rects.append(QRectF(anchor.x(), anchor.y() - 12, width, 14))
            p.drawText(anchor, text)

        # scale bar (bottom right)
        p.setFont(small)
        metres_per_px = math.radians(1) * EARTH_RADIUS_M / scale
        target = _nice_length(metres_per_px * area.width() / 4)
        px = target / metres_per_px
        x1, y1 = area.right() - px - 8, area.bottom() - 14
        p.setPen(QPen(TEXT, 2))
        p.drawLine(QPointF(x1, y1), QPointF(x1 + px, y1))
        p.drawLine(QPointF(x1, y1 - 4), QPointF(x1, y1 + 4))
        p.drawLine(QPointF(x1 + px, y1 - 4), QPointF(x1 + px, y1 + 4))
        label = f"{target / 1000:g} km" if target >= 1000 else f"{target:g} m"
        p.drawText(QRectF(x1, y1 - 20, px, 16), Qt.AlignmentFlag.AlignCenter, label)
        p.end()

    def mousePressEvent(self, event: object) -> None:  # noqa: N802
        pos = event.position()  # type: ignore[attr-defined]
        for i, path in reversed(self._shapes):
            if path.contains(pos) or path.boundingRect().adjusted(-4, -4, 4, 4).contains(pos):
                self.selected = i
                self.update()
                self.plot_clicked.emit(i)
                return
