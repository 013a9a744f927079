"""Reading and writing spreadsheets (CSV and XLSX) as plain tables of text.

Reading tolerates what buyers' files hold: UTF-8 with or without BOM, Latin-1/Windows-1252,
``,`` ``;`` or tab as delimiter, title rows and blank lines above the header, a group header row
above the real one (merged cells: "Price" over "FOB" and "Differential"), blank lines between
records. Every row keeps its line number in the file (CSV) or its row number (XLSX), so problems
can name the line a user sees.

Writing neutralises cells a spreadsheet would run as a formula (OWASP "CSV injection"): text
starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe, and
XLSX cells are written as text, never as formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from ..errors import UserError

HEADER_SCAN_ROWS = 25


@dataclass
class Table:
    """Cells as text. ``rows`` are (line number, cells) after the header; blank lines dropped."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    header_line: int = 1
    source: str = ""
    notes: list[str] = field(default_factory=list)  # e.g. "read as Latin-1"


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == 0:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value).strip()


_MAGIC = (  # what a file is, by its first bytes
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.xls/.doc)"), (b"\x1f\x8b", "a gzip archive"),
    (b"SQLite format 3", "an SQLite database"), (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"), (b"Rar!", "a RAR archive"), (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"), (b"RIFF", "a media file"),
)
_BOMS = ((b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32 with BOM"),
         (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32 with BOM"),
         (b"\xef\xbb\xbf", "utf-8", "UTF-8 with BOM"),
         (b"\xfe\xff", "utf-16-be", "UTF-16 with BOM"),
         (b"\xff\xfe", "utf-16-le", "UTF-16 with BOM"))


def what_binary(data: bytes) -> str | None:
    """ "a PNG image" … for a file that is not text, else None."""
    head = data[:16]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    return None


def _zero_pattern(data: bytes) -> tuple[str, str] | None:
    """UTF-16/32 without BOM, told by where the zero bytes of ASCII text fall."""
    sample = data[:4096]
    n = len(sample) - len(sample) % 4
    if n < 4:
        return None
    quads = [sample[i:i + 4] for i in range(0, n, 4)]
    if all(q[1:] == b"\x00\x00\x00" or q[0] != 0 and q[1:3] == b"\x00\x00" for q in quads):
        return "utf-32-le", "UTF-32 (no BOM)"
    if all(q[:3] == b"\x00\x00\x00" or q[3] != 0 and q[1:3] == b"\x00\x00" for q in quads):
        return "utf-32-be", "UTF-32 (no BOM)"
    even, odd = sample[0:n:2], sample[1:n:2]
    if odd.count(0) > 0.7 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le", "UTF-16 (no BOM)"
    if even.count(0) > 0.7 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be", "UTF-16 (no BOM)"
    return None


def decode(data: bytes, name: str = "the file") -> tuple[str, str]:
    """Text of a file and the encoding used: UTF-8/16/32 (BOM or not), else Windows-1252/Latin-1.

    A file that is not text is refused by what it is ("this is a PNG image, not a spreadsheet").
    """
    what = what_binary(data)
    if what:
        raise UserError(f"{name} is {what}, not a spreadsheet (use CSV or XLSX)")
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), label
            except UnicodeDecodeError as exc:
                raise UserError(f"{name}: not valid {label}: {exc}") from exc
    zeros = _zero_pattern(data)
    if zeros:
        try:
            return data.decode(zeros[0]), zeros[1]
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise UserError(f"{name} holds binary data, not a spreadsheet (use CSV or XLSX)")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252 (Latin-1)"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def _delimiter(text: str) -> str:
    """The delimiter that splits the first records into the most rows of one width (> 1).

    Records are parsed with quotes respected, so ``;`` or ``,`` inside quoted notes do not
    mislead; ties go to the order comma, semicolon, tab, bar.
    """
    sample = "\n".join(text.splitlines()[:200])
    best, best_score = ",", (-1, -1)
    for d in (",", ";", "\t", "|"):
        try:
            widths = [len(r) for r in csv.reader(io.StringIO(sample, newline=""), delimiter=d)
                      if any(c.strip() for c in r)]
        except csv.Error:
            continue
        wide = [w for w in widths if w > 1]
        if not wide:
            continue
        mode = max(set(wide), key=lambda w: (wide.count(w), w))
        score = (wide.count(mode), mode)
        if score > best_score:
            best, best_score = d, score
    return best


def read_csv_rows(path: Path) -> tuple[list[tuple[int, list[str]]], list[str]]:
    text, encoding = decode(path.read_bytes(), path.name)
    delim = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, [c.strip() for c in cells]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UserError(f"{path.name}, line {reader.line_num}: {exc}") from exc
    name = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}[delim]
    return rows, [f"read as {encoding}, {name}-separated"]


Rows = list[tuple[int, list[str]]]


def read_xlsx_rows(path: Path, sheet: str | None = None) -> tuple[Rows, list[str]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or non-XLSX file
        raise UserError(f"{path.name} cannot be read as an XLSX workbook: {exc}") from exc
    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        rows = [
            (n, [_cell_text(v) for v in values])
            for n, values in enumerate(ws.iter_rows(values_only=True), start=1)
        ]
        title = ws.title
    except KeyError as exc:
        raise UserError(f"{path.name} has no sheet {sheet!r}") from exc
    finally:
        wb.close()
    return rows, [f"sheet {title!r}"]


def read_rows(path: Path, sheet: str | None = None) -> tuple[Rows, list[str]]:
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path} does not exist")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx_rows(path, sheet)
    with open(path, "rb") as fh:
        what = what_binary(fh.read(16))
    if what == "a ZIP archive" and path.suffix.lower() not in (".csv", ".txt", ".tsv"):
        return read_xlsx_rows(path, sheet)  # an XLSX file under another name
    if path.suffix.lower() == ".xls":
        raise UserError(f"{path.name}: the old .xls format cannot be read; save it as .xlsx or CSV")
    return read_csv_rows(path)


def find_header(
    rows: Sequence[tuple[int, list[str]]],
    score: Callable[[list[str]], int],
) -> tuple[int, list[str]]:
    """The index in ``rows`` of the header row and its (possibly combined) header texts.

    The header is the row among the first non-blank ones whose cells best match known column
    names (``score``). If the row above it is a group row (merged cells), its texts are carried
    across the merged span and prefixed wherever the combined text is a known column ("Bag" over
    "Count" and "Weight" → "Bag Count", "Bag Weight").
    """
    best_i, best_score = -1, 0
    seen = 0
    for i, (_line, cells) in enumerate(rows):
        if not any(cells):
            continue
        seen += 1
        if seen > HEADER_SCAN_ROWS:
            break
        s = score(cells)
        if s > best_score:
            best_i, best_score = i, s
    if best_i < 0:
        first = next((i for i, (_n, c) in enumerate(rows) if any(c)), None)
        if first is None:
            raise UserError("the file is empty")
        return first, list(rows[first][1])
    headers = list(rows[best_i][1])
    if best_i > 0:
        above = list(rows[best_i - 1][1])
        if sum(1 for c in above if c) >= 1 and len([c for c in above if c]) < len(above):
            filled, last = [], ""
            for c in above + [""] * (len(headers) - len(above)):
                last = c or last
                filled.append(last)
            for j, h in enumerate(headers):
                group = filled[j] if j < len(filled) else ""
                if group and h and group != h:
                    combined = f"{group} {h}"
                    if score([combined]):  # "Bag" over "Weight" → "Bag Weight", not "Weight"
                        headers[j] = combined
                elif group and not h:
                    headers[j] = group if score([group]) else ""
    return best_i, headers


def read_table(path: Path, score: Callable[[list[str]], int], sheet: str | None = None) -> Table:
    """Read a CSV or XLSX file into a :class:`Table`, finding the header row with ``score``."""
    path = Path(path)
    rows, notes = read_rows(path, sheet)
    hi, headers = find_header(rows, score)
    width = max((len(c) for _n, c in rows[hi:]), default=0)
    headers = [h.strip() for h in headers] + [""] * (width - len(headers))
    body = []
    for line, cells in rows[hi + 1:]:
        if not any(cells):
            continue
        cells = cells + [""] * (width - len(cells))
        if [c.lower() for c in cells] == [h.lower() for h in headers]:
            continue  # the header repeated (files pasted together)
        body.append((line, cells))
    return Table(headers, body, rows[hi][0], path.name, notes)


# -- writing -------------------------------------------------------------------------------------
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would treat as a formula.

    Choice: a plain negative number ("-12.5") is a value, not a formula, and is left alone so that
    exported figures stay numbers on import.
    """
    if value.startswith(DANGEROUS_PREFIXES):
        if value.startswith("-") and _is_plain_number(value):
            return value
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo :func:`neutralise` on import: "'=1+2" reads back as "=1+2"."""
    if value.startswith("'") and value[1:2] and value[1:].startswith(DANGEROUS_PREFIXES):
        return value[1:]
    return value


def _is_plain_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return text.strip() == text and "e" not in text.lower() and "n" not in text.lower()


def write_table(path: Path, headers: Sequence[str], rows: Iterable[Sequence[str]],
                sheet_title: str = "Export") -> int:
    """Write text cells to CSV (UTF-8 with BOM, so Excel reads accents) or XLSX; rows written."""
    path = Path(path)
    suffix = path.suffix.lower()
    n = 0
    if suffix == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(sheet_title[:31])
        ws.append(list(headers))
        for row in rows:
            cells = []
            for value in row:
                text = ILLEGAL_CHARACTERS_RE.sub("", value) if value else ""
                cell = WriteOnlyCell(ws, value=text or None)
                if text:
                    cell.data_type = TYPE_STRING  # text, never a formula
                    if text.startswith(DANGEROUS_PREFIXES) and not _is_plain_number(text):
                        cell.quotePrefix = True  # Excel shows it as typed after an apostrophe
                cells.append(cell)
            ws.append(cells)
            n += 1
        wb.save(path)
        return n
    if suffix not in (".csv", ".txt", ".tsv"):
        raise UserError(f"{path.name}: export to .csv or .xlsx")
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter="\t" if suffix == ".tsv" else ",")
        w.writerow(list(headers))
        for row in rows:
            w.writerow([neutralise(v) for v in row])
            n += 1
    return n
