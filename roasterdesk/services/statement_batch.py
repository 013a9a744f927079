"""Export many statements at once over a process pool (both cores), each worker with its own
read-only Store.

Plain Python; the app runs :func:`export_batch` in a background task and the command line runs
it directly. Workers are forked from a plain process and come from a fork server in the app (a
Qt process is never forked); see :func:`start_method`.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UserError

if TYPE_CHECKING:
    from ..pdf.template import Template
    from ..store import Store

_worker: dict[str, object] = {}


@dataclass(frozen=True)
class Exported:
    lot_id: int
    code: str
    path: Path
    pages: int


def safe_file_name(code: str) -> str:
    """A lot code as a file name: letters, digits, dot, dash and underscore only."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", code).strip("._") or "lot"
    return f"{cleaned}.pdf"


def _init(db_path: str, template: str | None, on: date | None,
          key: bytes | None = None) -> None:
    from ..pdf import load_template
    from .statement import open_read_only

    if key is not None:  # an encrypted database: the key the app holds, passed in memory
        from ..store.cipher import remember_key

        remember_key(db_path, key)

    _worker["store"] = open_read_only(db_path)
    _worker["template"] = load_template(template)
    _worker["on"] = on


def export_one(store: Store, lot_id: int, template: Template, out: Path,
               on: date | None = None) -> Exported:
    from ..pdf import render_statement
    from .statement import load_statement

    data = load_statement(store, lot_id, on=on, coordinate_decimals=template.coordinate_decimals,
                          template=template)
    pdf = render_statement(data, template)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(pdf)
    os.replace(tmp, out)
    return Exported(lot_id, data.lot.code, out, count_pages(pdf))


def count_pages(pdf: bytes) -> int:
    """Pages of a reportlab PDF (its page objects are written uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def _job(args: tuple[int, str]) -> Exported:
    lot_id, out = args
    return export_one(_worker["store"], lot_id, _worker["template"], Path(out),
                      _worker["on"])  # type: ignore[arg-type]


PRELOAD = ["roasterdesk.services.statement", "roasterdesk.pdf.render"]
"""Modules a fork server loads once, so that its workers start with reportlab ready."""


def start_method() -> str:
    """How worker processes start.

    ``fork`` from a plain process (workers inherit the loaded modules and fonts: fastest).
    Once Qt is loaded, forking the process itself is unsafe (its threads), so ``forkserver``:
    a clean server process, started once and kept for the session, forks the workers with
    reportlab preloaded; ``spawn`` where neither exists (Windows, macOS default)."""
    methods = mp.get_all_start_methods()
    if "PySide6" not in sys.modules and "fork" in methods:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def workers_start(method: str) -> bool:
    """Whether worker processes can start this way here. The standalone build starts none
    that would run the app's executable again (``forkserver``, ``spawn``: it is not a Python
    interpreter and would read the worker's arguments as a command): there, once Qt is loaded,
    the work stays in one process."""
    return method == "fork" or not getattr(sys, "frozen", False)


def export_batch(db_path: Path, lots: Iterable[tuple[int, str]], out_dir: Path, *,
                 template: str | None = None, processes: int | None = None,
                 on: date | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None,
                 start: str | None = None) -> list[Exported]:
    """Render the statements of ``lots`` ((id, code) pairs) into ``out_dir``.

    ``processes`` defaults to the number of cores. Stops early when ``cancelled()`` turns true;
    the files already written stay. ``start`` forces a multiprocessing start method.
    """
    from ..pdf import load_template

    load_template(template)  # a bad template fails here, before any worker starts
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create {out_dir}: {exc.strerror or exc}") from exc
    jobs = [(lot_id, str(out_dir / safe_file_name(code))) for lot_id, code in lots]
    done: list[Exported] = []
    n = processes or os.cpu_count() or 1
    if not workers_start(start or start_method()):
        n = 1
    if progress:
        progress(0, len(jobs))
    if n == 1 or len(jobs) <= 1:
        _init(str(db_path), template, on)
        try:
            for job in jobs:
                if cancelled and cancelled():
                    break
                done.append(_job(job))
                if progress:
                    progress(len(done), len(jobs))
        finally:
            _worker.pop("store").close()  # type: ignore[attr-defined]
        return done
    ctx = mp.get_context(start or start_method())
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(PRELOAD)
    from ..store.cipher import known_key

    key = known_key(db_path)
    with ctx.Pool(n, initializer=_init, initargs=(str(db_path), template, on, key)) as pool:
        for result in pool.imap_unordered(_job, jobs, chunksize=max(1, len(jobs) // (n * 8))):
            done.append(result)
            if progress:
                progress(len(done), len(jobs))
            if cancelled and cancelled():
                pool.terminate()
                break
    return done
