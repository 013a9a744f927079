"""What a buyer does, for the import tests: plan a file, import it on the command line, read
the statement's PDF."""

from __future__ import annotations

import json

from roasterdesk.cli import main
from roasterdesk.services import importing as I


def plan(store, path, kind="lots", mapping=None):
    """The dry-run plan of the file at ``path`` (``mapping``: a saved mapping's dict)."""
    table = I.read_source(path, kind)
    if mapping is not None:
        m = path.with_suffix(".json")
        m.write_text(json.dumps(mapping))
        mapping = I.load_mapping(m, kind, table.headers)
    return I.plan_import(store, table, kind, mapping)


def import_text(db_path, tmp_path, text, kind="lots"):
    """``roasterdesk import`` of ``text`` written to a new file (each call its own file)."""
    f = tmp_path / f"{kind}-{len(list(tmp_path.glob('*.csv')))}.csv"
    f.write_text(text)
    assert main(["--db", str(db_path), "import", str(f), "--kind", kind]) == 0


def pdf_text(db_path, tmp_path, code) -> str:
    """The text of the lot's statement written by ``roasterdesk export-pdf``, spaces folded."""
    from pypdf import PdfReader

    out = tmp_path / f"{code}-{len(list(tmp_path.glob('*.pdf')))}.pdf"
    assert main(["export-pdf", "--db", str(db_path), "--lot", code, "--out", str(out)]) == 0
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
