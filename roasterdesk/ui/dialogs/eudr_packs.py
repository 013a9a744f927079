"""File ▸ EUDR packs for a harvest…: one due-diligence pack per lot, written in the background
with a progress dialog (:func:`roasterdesk.services.eudr_pack.write_harvest_packs`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QInputDialog, QWidget

from ...domain.harvest import current_harvest

if TYPE_CHECKING:
    from ..context import AppContext


def pack_job(db_path: Path, harvest: int, folder: Path, attachments: Path) -> Any:
    """The background job: opens its own connection, reports progress, honours Cancel."""
    def job(progress: Any, cancelled: Any) -> tuple[list[Any], float]:
        from ...services.eudr_pack import write_harvest_packs
        from ..context import open_worker_store
        from ..tasks import Cancelled

        def step(i: int, n: int) -> None:
            if cancelled():
                raise Cancelled()
            progress(i, n)

        with open_worker_store(db_path) as store:
            return write_harvest_packs(store, harvest, folder, attachments, progress=step)
    return job


def summary(result: tuple[list[Any], float], folder: Path) -> str:
    packs, seconds = result
    ready = sum(r.ready for r in packs)
    return (f"{len(packs)} EUDR packs written to {folder} in {seconds:.1f} s: {ready} ready, "
            f"{len(packs) - ready} not ready (each pack's summary.pdf says why)")


def write_harvest_packs_dialog(ctx: AppContext, parent: QWidget | None = None) -> None:
    from ...services.backup import attachments_dir_for

    year, ok = QInputDialog.getInt(parent, "EUDR packs", "Harvest (year):",
                                   current_harvest(), 2000, 2100)
    if not ok:
        return
    from ..files import folder_path, show_saved

    out = folder_path(parent, ctx.settings, "Folder for the EUDR packs")
    if out is None:
        return

    def done(result: Any) -> None:
        ctx.messages.info.emit(summary(result, out))
        show_saved(parent, out, summary(result, out))

    ctx.tasks.run(pack_job(ctx.db_path, year, out, attachments_dir_for(ctx.db_path)),
                  on_done=done,
                  label=f"Writing the EUDR packs of harvest {year}…", cancellable=True)
