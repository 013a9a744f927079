"""What a buyer does on the command line, for tests that import a file and read the PDF."""

from __future__ import annotations

from roasterdesk.cli import main


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
