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

import codecs
import csv
import io
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import UserError

HEADER_SCAN_ROWS = 25


@dataclass
class Table:
    """Cells as text. ``rows`` are (line number, cells) after the header; blank lines dropped."""

    headers: list[str]
    rows: Collection[tuple[int, list[str]]]  # a list, or FileRows (streamed from disk)
    header_line: int = 1
    source: str = ""
    notes: list[str] = field(default_factory=list)  # e.g. "read as Latin-1"
    # problems of single rows found while reading (line → (column index or -1, reason, value)):
    # more cells than the header, a formula with no saved value
    faults: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)
    delimiter: str = ""  # a CSV file's (",", ";", tab, "|"); "" for a workbook


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


_STREAM_CODECS = {"utf-8": "utf-8-sig", "utf-16-le": "utf-16", "utf-16-be": "utf-16",
                  "utf-32-le": "utf-32", "utf-32-be": "utf-32"}  # after a BOM: the BOM's codec
_CHUNK = 1 << 20


def _decodes(path: Path, codec: str) -> UnicodeDecodeError | None:
    """Whether the whole file decodes with ``codec``, read a chunk at a time (never whole)."""
    dec = codecs.getincrementaldecoder(codec)()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                dec.decode(chunk)
        dec.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return exc
    return None


def file_encoding(path: Path) -> tuple[str, str]:
    """(codec to stream the file with, what to call it): :func:`decode`'s choice, made without
    holding the file in memory."""
    name = path.name
    with open(path, "rb") as fh:
        head = fh.read(4096)
    what = what_binary(head)
    if what:
        raise UserError(f"{name} is {what}, not a spreadsheet (use CSV or XLSX)")
    for bom, codec, label in _BOMS:
        if head.startswith(bom):
            stream = _STREAM_CODECS[codec]
            exc = _decodes(path, stream)
            if exc is not None:
                raise UserError(f"{name}: not valid {label}: {exc}") from exc
            return stream, label
    zeros = _zero_pattern(head)
    if zeros and _decodes(path, zeros[0]) is None:
        return zeros
    if b"\x00" in head:
        raise UserError(f"{name} holds binary data, not a spreadsheet (use CSV or XLSX)")
    if _decodes(path, "utf-8") is None:
        return "utf-8", "UTF-8"
    if _decodes(path, "cp1252") is None:
        return "cp1252", "Windows-1252 (Latin-1)"
    return "latin-1", "Latin-1"


def _records(path: Path, codec: str, delim: str) -> Iterator[tuple[int, list[str]]]:
    """(line, stripped cells) of every record of a CSV file, streamed from disk."""
    with open(path, encoding=codec, newline="") as fh:
        reader = csv.reader(fh, delimiter=delim)
        start = 1
        try:
            for cells in reader:
                yield start, [c.strip() for c in cells]
                start = reader.line_num + 1
        except csv.Error as exc:
            raise UserError(f"{path.name}, line {reader.line_num}: {exc}") from exc


def _csv_format(path: Path) -> tuple[str, str, str, list[str]]:
    """(codec, delimiter, notes) of a CSV file: the delimiter from its first 200 lines."""
    codec, encoding = file_encoding(path)
    with open(path, encoding=codec, newline="") as fh:
        delim = _delimiter(fh.read(_CHUNK))
    name = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}[delim]
    return codec, encoding, delim, [f"read as {encoding}, {name}-separated"]


def read_csv_rows(path: Path) -> tuple[list[tuple[int, list[str]]], list[str]]:
    codec, _encoding, delim, notes = _csv_format(path)
    return list(_records(path, codec, delim)), notes


Rows = list[tuple[int, list[str]]]


def _workbook(path: Path, data_only: bool = True) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or non-XLSX file
        raise UserError(f"{path.name} cannot be read as an XLSX workbook: {exc}") from exc


def _sheet(wb: Any, path: Path, sheet: str | None) -> Any:
    try:
        return wb[sheet] if sheet else wb.worksheets[0]
    except KeyError as exc:
        raise UserError(f"{path.name} has no sheet {sheet!r}") from exc


NO_SAVED_VALUE = ("holds a formula with no saved value: open and save the file in a "
                  "spreadsheet, or type the value")


def _xlsx_records(path: Path, sheet: str | None,
                  faults: dict[int, list[tuple[int, str, str]]] | None = None,
                  ) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of a sheet, streamed (openpyxl's read-only mode). With
    ``faults``, the cells holding a formula whose value was never saved (a file written by a
    program, never opened in a spreadsheet) are added to it: they read as empty otherwise."""
    wb = _workbook(path)
    formulas = _workbook(path, data_only=False) if faults is not None else None
    try:
        ws = _sheet(wb, path, sheet)
        rows = ws.iter_rows(values_only=True)
        ftexts = (_sheet(formulas, path, sheet).iter_rows(values_only=True)
                  if formulas is not None else None)
        for n, values in enumerate(rows, start=1):
            texts = [_cell_text(v) for v in values]
            if ftexts is not None and faults is not None:
                written = next(ftexts, ())
                for i, f in enumerate(written):
                    if (isinstance(f, str) and f.startswith("=") and
                            (i >= len(values) or values[i] is None)):
                        faults.setdefault(n, []).append((i, NO_SAVED_VALUE, f))
            yield n, texts
    finally:
        wb.close()
        if formulas is not None:
            formulas.close()


def _xlsx_notes(path: Path, sheet: str | None) -> list[str]:
    wb = _workbook(path)
    try:
        return [f"sheet {_sheet(wb, path, sheet).title!r}"]
    finally:
        wb.close()


def read_xlsx_rows(path: Path, sheet: str | None = None) -> tuple[Rows, list[str]]:
    notes = _xlsx_notes(path, sheet)
    return list(_xlsx_records(path, sheet)), notes


def read_rows(path: Path, sheet: str | None = None) -> tuple[Rows, list[str]]:
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path} does not exist")
    if not _is_csv(path):
        return read_xlsx_rows(path, sheet)
    return read_csv_rows(path)


def _is_csv(path: Path) -> bool:
    """Whether to read ``path`` as CSV (else as an XLSX workbook)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return False
    with open(path, "rb") as fh:
        what = what_binary(fh.read(16))
    if what == "a ZIP archive" and path.suffix.lower() not in (".csv", ".txt", ".tsv"):
        return False  # an XLSX file under another name
    if path.suffix.lower() == ".xls":
        raise UserError(f"{path.name}: the old .xls format cannot be read; save it as .xlsx or CSV")
    return True


def find_header(
    rows: Sequence[tuple[int, list[str]]],
    score: Callable[[list[str]], int],
    name: str = "the file",
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
            raise UserError(f"{name} is empty")
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


def _body(records: Iterable[tuple[int, list[str]]], headers: list[str],
          width: int) -> Iterator[tuple[int, list[str]]]:
    """The rows under the header: blank lines and the header repeated (files pasted together)
    left out, each row padded to ``width``."""
    folded = [h.lower() for h in headers]
    folded += [""] * (width - len(folded))
    for line, cells in records:
        if not any(cells):
            continue
        cells = cells + [""] * (width - len(cells))
        if [c.lower() for c in cells] == folded:
            continue
        yield line, cells


class FileRows:
    """The rows of a CSV file or XLSX sheet under its header, read from disk again on every
    pass, so that a large file is never held in memory (only the row being checked is).
    ``len()`` is known from the first reading."""

    def __init__(self, records: Callable[[], Iterator[tuple[int, list[str]]]], skip: int,
                 headers: list[str], width: int, count: int) -> None:
        self.records, self.skip = records, skip
        self.headers, self.width, self.count = headers, width, count

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        records = self.records()
        for _n, _r in zip(range(self.skip), records, strict=False):
            pass  # the lines above the header and the header itself
        return _body(records, self.headers, self.width)

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0


def _streamed_table(path: Path, score: Callable[[list[str]], int],
                    records: Callable[[], Iterator[tuple[int, list[str]]]],
                    notes: list[str],
                    first: Iterator[tuple[int, list[str]]] | None = None,
                    faults: dict[int, list[tuple[int, str, str]]] | None = None) -> Table:
    """A table whose rows are read from ``records()`` on each pass: this first reading (or
    ``first``, which fills ``faults``) finds the header (in the first lines), the width and
    number of rows, and the rows with more cells than the header.

    A file with a header and no rows is a :class:`UserError`, as an empty one is."""
    faults = {} if faults is None else faults
    reading = records() if first is None else first
    head: Rows = []  # the lines find_header looks at; the rest is streamed
    filled = 0
    for line, cells in reading:
        head.append((line, cells))
        filled += bool(any(cells))
        if filled > HEADER_SCAN_ROWS:
            break
    hi, headers = find_header(head, score, path.name)
    width = max((len(c) for _n, c in head[hi:]), default=0)
    count, last = 0, [h.strip().lower() for h in headers]
    while last and not last[-1]:
        last.pop()
    named = len(last)  # the header's cells, up to its last non-empty one
    for line, cells in _chain(head[hi + 1:], reading):
        width = max(width, len(cells))
        if any(cells):
            row = [c.lower() for c in cells]
            while row and not row[-1]:
                row.pop()
            if row != last:  # the header repeated is not a row
                count += 1
                if len(row) > named:
                    extra = cells[named:len(row)]
                    faults.setdefault(line, []).append((-1, (
                        f"the row has {len(row)} cells; the header has {named} (extra: "
                        + " · ".join(repr(c) for c in extra) + ")"), ""))
    if not count:
        raise UserError(f"{path.name} has a header but no rows")
    headers = [h.strip() for h in headers] + [""] * (width - len(headers))
    rows = FileRows(records, hi + 1, headers, width, count)
    body_faults = {n: f for n, f in faults.items() if n > head[hi][0]}
    return Table(headers, rows, head[hi][0], path.name, notes, body_faults)


def _chain(first: Iterable[tuple[int, list[str]]],
           rest: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    yield from first
    yield from rest


def read_table(path: Path, score: Callable[[list[str]], int], sheet: str | None = None) -> Table:
    """Read a CSV or XLSX file into a :class:`Table`, finding the header row with ``score``.
    The rows are streamed from disk on each pass (:class:`FileRows`)."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path} does not exist")
    if _is_csv(path):
        codec, _encoding, delim, notes = _csv_format(path)
        table = _streamed_table(path, score, lambda: _records(path, codec, delim), notes)
        table.delimiter = delim
        return table
    notes = _xlsx_notes(path, sheet)
    faults: dict[int, list[tuple[int, str, str]]] = {}
    return _streamed_table(path, score, lambda: _xlsx_records(path, sheet), notes,
                           _xlsx_records(path, sheet, faults), faults)


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
    """Undo :func:`neutralise` on import: "'=1+2" reads back as "=1+2". An apostrophe before a
    plain number ("'4,00": a neutralised "-4,00" whose sign was corrected by hand, or a number a
    spreadsheet was told to keep as text) is dropped too."""
    if value.startswith("'") and value[1:2] and (value[1:].startswith(DANGEROUS_PREFIXES)
                                                 or _is_plain_number(value[1:])):
        return value[1:]
    return value


_PLAIN_NUMBER = re.compile(r"-?\d(?:[\d.,' \u00a0\u202f]*\d)?")
"""A number in either convention, with its separators ("-12.5", "-4,00", "-1.234,5"): no
formula, whatever a spreadsheet makes of it."""


def _is_plain_number(text: str) -> bool:
    return _PLAIN_NUMBER.fullmatch(text) is not None


def write_table(path: Path, headers: Sequence[str], rows: Iterable[Sequence[str]],
                sheet_title: str = "Export", delimiter: str = "") -> int:
    """Write text cells to CSV (UTF-8 with BOM, so Excel reads accents) or XLSX; rows written.
    A CSV is comma-separated (tab-separated for ``.tsv``) unless ``delimiter`` says otherwise
    (e.g. the semicolons of the file whose rows these are)."""
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
        w = csv.writer(fh, delimiter=delimiter or ("\t" if suffix == ".tsv" else ","))
        w.writerow(list(headers))
        for row in rows:
            w.writerow([neutralise(v) for v in row])
            n += 1
    return n
