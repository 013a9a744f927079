"""Photo files through the team hub, by content hash: uploaded before the rows that name them
(:func:`files_to_upload`, in the push's transaction), and fetched after a pull by a laptop that
lacks them (:func:`fetch_missing`), so a joined laptop's statements show the same photos.

A pull that brings photo rows marks it in ``sync_state`` in the same transaction
(:func:`mark_wanted`); the fetch clears the mark when done, so a sync stopped in between fetches
them at the next one. The bytes are checked against their hash before they are written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UserError
from .attachments import store_bytes, stored_path
from .hub import _set_state, _state

if TYPE_CHECKING:
    from ..store import Store

WANTED = "photos_wanted"
"""``sync_state`` key: photo rows were pulled whose files may be missing here."""

CHECKED = "photos_checked"
"""``sync_state`` key: this laptop's photo files were checked once against its records (a
laptop that joined before files came down gets them at its next sync)."""

FETCH_BYTES = 64 * 1024 * 1024
"""At most this many bytes of photo files asked of the hub per query (one file at least)."""


def _folder(store: Store) -> Path:
    from .backup import attachments_dir_for

    return attachments_dir_for(store.path)


def files_to_upload(store: Store, batch: list[Any]) -> list[tuple[str, Path]]:
    """(hash, file) of each new photo row of ``batch`` whose file is here."""
    found = []
    folder = _folder(store)
    for c in batch:
        if c.table == "photos" and c.field == "*":
            sha = json.loads(c.new).get("sha256")
            if sha:
                for p in folder.glob(f"{sha}*"):
                    found.append((sha, p))
                    break
    return found


def mark_wanted(store: Store) -> None:
    """In the pull's transaction: photo rows came in, fetch their files after the pull."""
    _set_state(store, WANTED, "1")


def missing_files(store: Store) -> list[tuple[str, str]]:
    """(hash, file name) of each file the photos on record name that is not in the attachments
    folder: one per file (a file is named by its hash and extension; the photos that share it,
    under any name, ask for it once)."""
    folder = _folder(store)
    out = []
    seen: set[Path] = set()
    for sha, name in store.db.execute(
            "SELECT DISTINCT sha256, filename FROM photos WHERE deleted_at IS NULL"):
        try:
            path = stored_path(folder, sha, name)
        except UserError:  # not a hash: nothing to fetch under it
            continue
        if path not in seen:
            seen.add(path)
            if not path.is_file():
                out.append((sha, name))
    return out


def fetch_missing(store: Store, conn: Any) -> tuple[int, int]:
    """Fetch from the hub the files of photos on record but missing here, when a pull brought
    photo rows (:func:`mark_wanted`) or once on a laptop never checked (:data:`CHECKED`).
    Returns (files fetched, files the hub does not have or whose bytes do not match their
    hash)."""
    if _state(store, CHECKED) is not None and _state(store, WANTED) is None:
        return 0, 0
    folder = _folder(store)
    want = missing_files(store)
    names: dict[str, list[str]] = {}
    for sha, name in want:
        names.setdefault(sha, []).append(name)
    sizes = dict(conn.execute(
        "SELECT sha256, octet_length(data) FROM roasterdesk.photos WHERE sha256 = ANY(%s)",
        [sorted(names)]).fetchall()) if names else {}
    chunks: list[list[str]] = [[]]
    held = 0
    for sha in sorted(sizes):  # files of at most FETCH_BYTES a query: never all in memory
        if chunks[-1] and held + sizes[sha] > FETCH_BYTES:
            chunks.append([])
            held = 0
        chunks[-1].append(sha)
        held += sizes[sha]
    got = 0
    for chunk in (c for c in chunks if c):
        for sha, data in conn.execute(
                "SELECT sha256, data FROM roasterdesk.photos WHERE sha256 = ANY(%s)", [chunk]):
            for name in names[sha]:
                try:
                    store_bytes(bytes(data), sha, name, folder)
                except UserError:  # bytes that are not what their hash says: left out, counted
                    continue
                got += 1
        conn.commit()
    with store.db.atomic():
        store.db.execute("DELETE FROM sync_state WHERE key = ?", [WANTED])
        _set_state(store, CHECKED, "1")
    return got, len(want) - got
