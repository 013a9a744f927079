"""Map: every producer's plots on real country borders, filterable by origin. A click on a plot
opens its producer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ...domain.countries import country_name
from ...domain.words import plural
from ...services.plot_map import plot_marks, producers_without_coordinates
from ..labels import heading, muted
from ..worldmap import WorldMap

if TYPE_CHECKING:
    from ..context import AppContext


class MapPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 16)
        lay.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(heading("Map"))
        top.addStretch(1)
        self.origin = QComboBox()
        self.origin.setAccessibleName("Origin")
        self.origin.setMinimumContentsLength(18)
        top.addWidget(self.origin)
        self.fit = QPushButton("Show all")
        self.fit.setToolTip("Fit the map to the plots shown (or double-click the map)")
        top.addWidget(self.fit)
        lay.addLayout(top)
        self.map = WorldMap()
        lay.addWidget(self.map, 1)
        self.count = muted("")
        lay.addWidget(self.count)
        self._fill_origins()
        self.origin.currentIndexChanged.connect(self.refresh)
        self.fit.clicked.connect(lambda: self.map.set_marks(self.map.marks, self.map.focus))
        self.map.producer_clicked.connect(
            lambda pid: self.ctx.messages.open_record.emit("producer", pid))
        self.refresh()

    def _fill_origins(self) -> None:
        current = self.origin.currentData()
        self.origin.blockSignals(True)
        self.origin.clear()
        self.origin.addItem("All origins", None)
        for code in self.ctx.store.countries():
            self.origin.addItem(f"{country_name(code)} ({code})", code)
        self.origin.setCurrentIndex(max(0, self.origin.findData(current)))
        self.origin.blockSignals(False)

    def set_origin(self, code: str | None) -> None:
        self.origin.setCurrentIndex(max(0, self.origin.findData(code)))

    def refresh(self) -> None:
        self._fill_origins()
        code = self.origin.currentData()
        marks = plot_marks(self.ctx.store, code)
        self.map.set_marks(marks, code)
        producers = len({m.producer_id for m in marks})
        missing = producers_without_coordinates(self.ctx.store, code)
        text = f"{plural(len(marks), 'plot')} of {plural(producers, 'producer')}"
        if missing:
            text += (f" · {plural(missing, 'producer')} without coordinates "
                     "(not on the map)")
        self.count.setText(text + ". Wheel to zoom, drag to move, click a plot to open "
                                  "its producer.")

    def open_record(self, id_: int) -> None:
        pass
