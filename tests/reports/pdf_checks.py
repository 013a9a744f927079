"""Checks of a written statement PDF with the tools a reviewer uses (qpdf, poppler).

``problems(path, lot_code, headings)`` → a list of plain sentences, empty when the file passes
``qpdf --check``, embeds every font (``pdffonts``), has no heading orphaned at the foot of a
page and no lot code broken across lines (``pdftotext -layout``). Used by the tests and by
``python tests/reports/pdf_checks.py DB HARVEST...`` over whole demo harvests.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path


def tools_missing() -> list[str]:
    import shutil

    return [t for t in ("qpdf", "pdffonts", "pdftotext") if shutil.which(t) is None]


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True)


def pages_text(path: Path) -> list[str]:
    out = _run("pdftotext", "-layout", str(path), "-")
    return out.stdout.split("\f")


def problems(path: Path, lot_code: str, headings: list[str]) -> list[str]:
    found = []
    q = _run("qpdf", "--check", str(path))
    if q.returncode != 0:
        found.append(f"qpdf --check failed: {q.stdout[-200:]} {q.stderr[-200:]}")
    fonts = _run("pdffonts", str(path)).stdout.splitlines()[2:]
    for line in fonts:
        # columns: name type encoding emb sub uni object ID; emb is the 4th from the end - 3
        cols = line.split()
        if len(cols) >= 7 and cols[-5] == "no":
            found.append(f"font not embedded: {cols[0]}")
    heads = {h.strip() for h in headings if h.strip()}
    code_parts = [lot_code[:i] for i in range(2, len(lot_code))]
    for n, page in enumerate(pages_text(path), start=1):
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        body = [ln for ln in lines if not re.search(r"(Page|Página|Seite) \d+$", ln)]
        if body and body[-1] in heads:
            found.append(f"page {n}: heading \"{body[-1]}\" orphaned at the foot")
        for a, b in zip(lines, lines[1:], strict=False):
            for part in code_parts:
                if a.endswith(part) and b.startswith(lot_code[len(part):]) \
                        and lot_code not in a:
                    found.append(f"page {n}: lot code broken: {a[-20:]!r} / {b[:20]!r}")
    return found


def page_count(path: Path) -> int:
    out = _run("pdfinfo", str(path)).stdout
    m = re.search(r"Pages:\s+(\d+)", out)
    return int(m.group(1)) if m else 0


def main(argv: list[str]) -> int:  # pragma: no cover - a reviewer's script
    """``pdf_checks.py DB OUT_DIR HARVEST [HARVEST…]``: export both languages, check all."""
    import time
    from collections import Counter

    from roasterdesk.domain.model import LotStatus
    from roasterdesk.pdf import load_template
    from roasterdesk.services.statement import open_read_only
    from roasterdesk.services.statement_batch import export_batch

    db, out = Path(argv[0]), Path(argv[1])
    counts: Counter[int] = Counter()
    bad = 0
    for harvest in map(int, argv[2:]):
        store = open_read_only(db)
        lots = store.lots_where("harvest = ? AND status IS NOT ?",
                                [harvest, LotStatus.CANCELLED.value])
        store.close()
        for tpl_name in ("default-en", "default-es"):
            tpl = load_template(tpl_name)
            heads = [tpl.heading(s) for s in tpl.sections]
            folder = out / f"{harvest}-{tpl_name}"
            t0 = time.perf_counter()
            done = export_batch(db, [(x.id, x.code) for x in lots if x.id is not None], folder,
                                template=tpl_name)
            took = time.perf_counter() - t0
            print(f"{harvest} {tpl_name}: {len(done)} statements in {took:.1f} s")
            for d in done:
                counts[d.pages] += 1
                code = d.code
                for p in problems(Path(d.path), code, heads):
                    bad += 1
                    print(f"  {code}: {p}")
    total = sum(counts.values())
    for pages in sorted(counts):
        print(f"{pages} pages: {counts[pages]} ({100 * counts[pages] / total:.1f} %)")
    print(f"problems: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
