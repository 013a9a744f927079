"""Plots on real country borders, offline: Natural Earth admin-0 polygons
(:mod:`roasterdesk.services.borders`, public domain, ``resources/borders/ATTRIBUTION.md``).

:class:`Projection` maps longitude/latitude to pixels (equirectangular, east-west shortened by
the cosine of the middle latitude, as :class:`~roasterdesk.ui.plotmap.PlotMap` does), and
:func:`draw_borders` paints the countries in view under whatever is drawn next. The border data
is read on the first paint of a map, never at start-up.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import cache

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ..domain.countries import country_name
from ..domain.words import plural
from ..services.plot_map import PlotMark

Bounds = tuple[float, float, float, float]  # west, south, east, north

SEA = QColor("#e9f0f4")
LAND = QColor("#f7f3ec")
ORIGIN = QColor("#efe3cf")  # the countries the shown plots are in
BORDER = QColor("#a89a86")
MARK = QColor("#6b4226")
MARK_EDGE = QColor("white")
TEXT = QColor("#3b2f25")
MUTED = QColor("#7a6e62")

WORLD: Bounds = (-180.0, -58.0, 180.0, 78.0)


LEVELS = (0.005, 0.02, 0.1, 0.4)  # degrees: corners closer than this to the last are dropped


@cache
def _boxes() -> dict[str, tuple[Bounds, tuple[float, float], list[Bounds]]]:
    """ISO-2 → (bounding box, middle of its largest part, box of each part). Reads the border
    data (about a second): call it off the GUI thread first (:func:`load_borders`)."""
    import numpy as np

    from ..services.borders import _load

    out = {}
    for code, polygons in _load()[0].items():
        boxes = []
        for polygon in polygons:
            a = _unwrapped(np.asarray(polygon[0], dtype=float))
            boxes.append((a[:, 0].min(), a[:, 1].min(), a[:, 0].max(), a[:, 1].max()))
        w, s, e, n = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                      max(b[2] for b in boxes), max(b[3] for b in boxes))
        big = max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
        out[code] = ((float(w), float(s), float(e), float(n)),
                     (float(big[0] + big[2]) / 2, float(big[1] + big[3]) / 2),
                     [tuple(float(v) for v in b) for b in boxes])
    return out


def _unwrapped(a):  # type: ignore[no-untyped-def]
    """A ring cut at the antimeridian (Fiji, Chukotka) kept in one piece east of 180°."""
    import numpy as np

    if len(a) > 1 and (np.abs(np.diff(a[:, 0])) > 180).any():
        a = a.copy()
        a[a[:, 0] < 0, 0] += 360
    return a


@cache
def country_path(code: str, level: float = LEVELS[0]) -> QPainterPath:
    """The country's outline in lon/lat, corners closer than ``level`` degrees merged."""
    import numpy as np

    from ..services.borders import _load

    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for polygon in _load()[0].get(code, []):
        for ring in polygon:
            a = _unwrapped(np.asarray(ring, dtype=float))
            q = np.floor(a / level)
            keep = np.ones(len(a), dtype=bool)
            keep[1:] = (q[1:] != q[:-1]).any(axis=1)
            kept = a[keep]
            if len(kept) < 4:
                if level < LEVELS[-1] * 0.5 or len(a) < 50:
                    kept = a  # a small island: keep it whole
                else:
                    continue  # too small to see at this scale
            path.addPolygon(QPolygonF([QPointF(x, y) for x, y in kept.tolist()]))
    return path


def borders_ready() -> bool:
    return _boxes.cache_info().currsize > 0


class _Ready(QObject):
    done = Signal()


_loading: list[_Ready] = []


def load_borders(then: Callable[[], None]) -> None:
    """Read the border data on a worker thread, then call ``then`` on the GUI thread."""
    if borders_ready():
        then()
        return
    ready = _Ready()
    ready.done.connect(then)
    _loading.append(ready)
    if len(_loading) == 1:
        def work() -> None:
            try:
                _boxes()
            finally:
                for r in list(_loading):
                    r.done.emit()
                _loading.clear()

        threading.Thread(target=work, name="borders", daemon=True).start()


def country_box(code: str) -> Bounds | None:
    found = _boxes().get(code.upper()) if borders_ready() else None
    return found[0] if found else None


class Projection:
    """Longitude/latitude → pixels for ``bounds`` fitted, centred, into ``rect``."""

    def __init__(self, bounds: Bounds, rect: QRectF) -> None:
        w, s, e, n = bounds
        self.kx = math.cos(math.radians(max(-80.0, min(80.0, (s + n) / 2))))
        span_x, span_y = max((e - w) * self.kx, 1e-6), max(n - s, 1e-6)
        self.scale = min(rect.width() / span_x, rect.height() / span_y)  # px per degree lat
        ox = rect.left() + (rect.width() - span_x * self.scale) / 2
        oy = rect.top() + (rect.height() - span_y * self.scale) / 2
        self.transform = QTransform(self.kx * self.scale, 0, 0, -self.scale,
                                    ox - w * self.kx * self.scale, oy + n * self.scale)
        inverse, _ = self.transform.inverted()
        a, b = inverse.map(rect.topLeft()), inverse.map(rect.bottomRight())
        self.visible: Bounds = (a.x(), b.y(), b.x(), a.y())

    def to_px(self, lon: float, lat: float) -> QPointF:
        return self.transform.map(QPointF(lon, lat))

    def to_lonlat(self, point: QPointF) -> tuple[float, float]:
        inverse, _ = self.transform.inverted()
        q = inverse.map(point)
        return q.x(), q.y()


def _overlaps(a: Bounds, b: Bounds) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def draw_borders(p: QPainter, proj: Projection, highlight: Iterable[str] = (),
                 names: bool = False) -> dict[str, QPainterPath]:
    """Paint every country in view (``highlight``-ed ones darker, named if ``names``); returns
    the painted outlines in pixels by ISO-2 code. Nothing until the data is read
    (:func:`load_borders`)."""
    if not borders_ready():
        return {}
    marked = {c.upper() for c in highlight}
    pen = QPen(BORDER, 1)
    pen.setCosmetic(True)
    p.setPen(pen)
    per_px = 1 / proj.scale  # degrees of latitude per pixel
    level = next((lv for lv in reversed(LEVELS) if lv <= per_px * 1.5), LEVELS[0])
    painted = {}
    for code, (box, _middle, parts) in _boxes().items():
        if not _overlaps(box, proj.visible) or not any(
                _overlaps(part, proj.visible) for part in parts):
            continue
        px = proj.transform.map(country_path(code, level))
        p.setBrush(ORIGIN if code in marked else LAND)
        p.drawPath(px)
        painted[code] = px
    if names:
        p.setPen(MUTED)
        for code in sorted(marked & painted.keys()):
            if painted[code].boundingRect().width() < 120:  # too small to carry its name
                continue
            middle = proj.transform.map(QPointF(*_boxes()[code][1]))
            p.drawText(QRectF(middle.x() - 90, middle.y() - 9, 180, 18),
                       Qt.AlignmentFlag.AlignCenter, country_name(code))
    return painted


def _clusters(points: list[tuple[PlotMark, QPointF]], reach: float = 22.0
              ) -> list[tuple[list[PlotMark], QPointF]]:
    """Marks closer than ``reach`` pixels to a group's first mark join that group."""
    groups: list[tuple[list[PlotMark], QPointF]] = []
    for mark, px in points:
        for group, anchor in groups:
            if abs(anchor.x() - px.x()) <= reach and abs(anchor.y() - px.y()) <= reach:
                group.append(mark)
                break
        else:
            groups.append(([mark], px))
    return groups


def _cluster_label(group: list[PlotMark]) -> str:
    producers = {m.producer for m in group}
    if len(group) == 1:
        return f"{group[0].producer} · {group[0].plot}"
    if len(producers) == 1:
        return f"{group[0].producer} · {plural(len(group), 'plot')}"
    return f"{plural(len(producers), 'producer')} · {plural(len(group), 'plot')}"


class WorldMap(QWidget):
    """Plots (points and outlines) on country borders. Hover names the plot; a click emits
    ``producer_clicked(producer_id)``; the wheel zooms at the pointer, a drag pans, a double
    click shows every plot again."""

    producer_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.marks: list[PlotMark] = []
        self.focus: str | None = None
        self.view: Bounds | None = None  # zoomed/panned; None: fit the plots
        self.country_paths: dict[str, QPainterPath] = {}
        self.mark_points: list[tuple[PlotMark, QPointF]] = []
        self.clusters: list[tuple[list[PlotMark], QPointF]] = []
        self.labels: list[QRectF] = []  # where names were written, after a paint
        self.projection: Projection | None = None
        self._drag: QPointF | None = None
        self.setMinimumSize(360, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setAccessibleName("Map of the plots")

    def set_marks(self, marks: Sequence[PlotMark], focus: str | None = None) -> None:
        self.marks = list(marks)
        self.focus = focus
        self.view = None
        self.update()

    def fitted_bounds(self) -> Bounds:
        """The plots with room around them (at least 3° each way, so the region shows); with
        an origin chosen, its whole country too."""
        pts = [q for m in self.marks for q in m.points()]
        box = country_box(self.focus) if self.focus else None
        if box is not None and box[2] - box[0] < 60:  # not a country spread over oceans
            pts += [(box[0], box[1]), (box[2], box[3])]
        if not pts:
            return WORLD
        lons, lats = [q[0] for q in pts], [q[1] for q in pts]
        w, s, e, n = min(lons), min(lats), max(lons), max(lats)
        pad = max(max(e - w, n - s) * 0.08, 3.0 if box is None else 0.5)
        return w - pad, max(-85.0, s - pad), e + pad, min(85.0, n + pad)

    def paintEvent(self, event: object) -> None:  # noqa: N802
        if not borders_ready():
            load_borders(self.update)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), SEA if borders_ready() else LAND)
        rect = QRectF(self.rect()).adjusted(8, 8, -8, -8)
        proj = self.projection = Projection(self.view or self.fitted_bounds(), rect)
        origins = {m.country for m in self.marks} | ({self.focus} if self.focus else set())
        self.country_paths = draw_borders(p, proj, origins, names=True)
        self.mark_points = []
        p.setFont(self.font())
        label = QFont(self.font())
        label.setBold(True)
        for mark in self.marks:
            pts = [proj.to_px(*q) for q in mark.points()]
            centre = proj.to_px(*mark.centre())
            outline = QPolygonF(pts)
            box = outline.boundingRect()
            if len(pts) > 1 and max(box.width(), box.height()) >= 10:
                edge = QPen(MARK, 1.5)
                p.setPen(edge)
                fill = QColor(MARK)
                fill.setAlpha(70)
                p.setBrush(fill)
                p.drawPolygon(outline)
            else:
                p.setPen(QPen(MARK_EDGE, 1.5))
                p.setBrush(MARK)
                p.drawEllipse(centre, 5, 5)
            self.mark_points.append((mark, centre))
        self.clusters = _clusters(self.mark_points)
        fm = QFontMetricsF(label)
        badges = []
        for group, centre in self.clusters:
            if len(group) > 1:  # plots too close to tell apart at this scale: one badge
                count = str(len(group))
                r = max(9.0, fm.horizontalAdvance(count) / 2 + 4)
                p.setPen(QPen(MARK_EDGE, 1.5))
                p.setBrush(MARK)
                p.drawEllipse(centre, r, r)
                p.setFont(label)
                p.setPen(MARK_EDGE)
                p.drawText(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r),
                           Qt.AlignmentFlag.AlignCenter, count)
                badges.append(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r))
            else:
                badges.append(QRectF(centre.x() - 5, centre.y() - 5, 10, 10))
        # names where they fit: the biggest places first, never over another name or mark
        self.labels = []
        p.setFont(label)
        order = sorted(range(len(self.clusters)), key=lambda i: -len(self.clusters[i][0]))
        for i in order:
            group, centre = self.clusters[i]
            text = _cluster_label(group)
            width, r = fm.horizontalAdvance(text), badges[i].width() / 2
            box = QRectF(centre.x() + r + 4, centre.y() - fm.height() / 2, width, fm.height())
            if box.right() > self.width() - 4:  # no room on the right: on the left
                box.moveRight(centre.x() - r - 4)
            others = [b for j, b in enumerate(badges) if j != i]
            if (box.left() < 4 or any(box.intersects(b) for b in self.labels)
                    or any(box.intersects(b) for b in others)):
                continue  # the name would cover another: hover tells it
            at = QPointF(box.left(), box.top() + fm.ascent())
            halo = QPainterPath()
            halo.addText(at, label, text)
            p.strokePath(halo, QPen(LAND, 3))
            p.setPen(TEXT)
            p.drawText(at, text)
            self.labels.append(box)
        if not self.marks:
            p.setPen(MUTED)
            p.drawText(self.rect().adjusted(20, 20, -20, -20),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                       | Qt.TextFlag.TextWordWrap,
                       "No plot has coordinates yet. Add a point or an outline to a plot "
                       "(a producer's Plots tab), or import plots with coordinates.")
        p.setPen(MUTED)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 2))
        p.setFont(small)
        p.drawText(self.rect().adjusted(0, 0, -8, -4),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                   "Borders: Natural Earth" if borders_ready() else "Reading country borders…")
        p.end()

    # -- interaction ---------------------------------------------------------------------------
    def cluster_at(self, pos: QPointF, reach: float = 10.0) -> list[PlotMark]:
        best, found = reach * reach, []
        for group, centre in self.clusters:
            d = (centre.x() - pos.x()) ** 2 + (centre.y() - pos.y()) ** 2
            if d <= best:
                best, found = d, group
        return found

    def mark_at(self, pos: QPointF, reach: float = 8.0) -> PlotMark | None:
        best, found = reach * reach, None
        for mark, centre in self.mark_points:
            d = (centre.x() - pos.x()) ** 2 + (centre.y() - pos.y()) ** 2
            if d <= best:
                best, found = d, mark
        return found

    def tooltip_for(self, mark: PlotMark) -> str:
        area = f" · {mark.area_ha:,.2f} ha" if mark.area_ha is not None else ""
        lon, lat = mark.centre()
        return (f"{mark.producer} — {mark.plot}{area}\n{country_name(mark.country)} · "
                f"{abs(lat):.4f}°{'N' if lat >= 0 else 'S'} "
                f"{abs(lon):.4f}°{'E' if lon >= 0 else 'W'}\nClick to open the producer")

    def mouseMoveEvent(self, event: object) -> None:  # noqa: N802
        pos = event.position()  # type: ignore[attr-defined]
        if self._drag is not None and self.projection is not None:
            a = self.projection.to_lonlat(self._drag)
            b = self.projection.to_lonlat(pos)
            w, s, e, n = self.view or self.projection.visible
            dx, dy = a[0] - b[0], a[1] - b[1]
            self.view = (w + dx, s + dy, e + dx, n + dy)
            self._drag = pos
            self.update()
            return
        group = self.cluster_at(pos)
        self.setCursor(Qt.CursorShape.PointingHandCursor if group
                       else Qt.CursorShape.ArrowCursor)
        if group:
            QToolTip.showText(event.globalPosition().toPoint(),  # type: ignore[attr-defined]
                              self.cluster_tooltip(group), self)
        else:
            QToolTip.hideText()

    def cluster_tooltip(self, group: list[PlotMark]) -> str:
        if len(group) == 1:
            return self.tooltip_for(group[0])
        lines = [f"{m.producer} — {m.plot}" for m in group[:10]]
        if len(group) > 10:
            lines.append(f"… and {len(group) - 10} more")
        single = len({m.producer_id for m in group}) == 1
        return "\n".join([*lines, "Click to open the producer" if single else "Click to zoom in"])

    def mousePressEvent(self, event: object) -> None:  # noqa: N802
        pos = event.position()  # type: ignore[attr-defined]
        group = self.cluster_at(pos)
        if group and len({m.producer_id for m in group}) == 1:
            self.producer_clicked.emit(group[0].producer_id)
            return
        if group:  # several producers in one place: come closer
            self.zoom(0.25, pos)
            return
        self._drag = pos

    def mouseReleaseEvent(self, event: object) -> None:  # noqa: N802
        self._drag = None

    def mouseDoubleClickEvent(self, event: object) -> None:  # noqa: N802
        self.view = None
        self.update()

    def zoom(self, factor: float, at: QPointF | None = None) -> None:
        """Zoom in (factor < 1) or out around ``at`` (the middle by default)."""
        if self.projection is None:
            return
        w, s, e, n = self.view or self.projection.visible
        cx, cy = self.projection.to_lonlat(at) if at is not None else ((w + e) / 2, (s + n) / 2)
        span = max(e - w, n - s) * factor
        if span < 0.005 or span > 400:
            return
        self.view = (cx - (cx - w) * factor, cy - (cy - s) * factor,
                     cx + (e - cx) * factor, cy + (n - cy) * factor)
        self.update()

    def wheelEvent(self, event: object) -> None:  # noqa: N802
        steps = event.angleDelta().y() / 120  # type: ignore[attr-defined]
        if steps:
            self.zoom(0.8 ** steps, event.position())  # type: ignore[attr-defined]
        event.accept()  # type: ignore[attr-defined]
