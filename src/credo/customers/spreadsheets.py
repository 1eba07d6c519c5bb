"""Reading the rows of an uploaded spreadsheet: .csv (UTF-8 with or without BOM, else GBK/GB18030)
or an Excel workbook (.xlsx, .xlsm, .xls, .ods through python-calamine, first sheet).

Rows come back as (row number as the spreadsheet shows it, list of cell values); entirely empty rows
are left out but still counted, so a row number always points at the row the user sees.
"""

import csv
import datetime
import io
from pathlib import PurePath

from django.utils.translation import gettext as _

CSV_EXTENSIONS = {".csv", ".txt"}
EXCEL_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".ods"}
EXTENSIONS = CSV_EXTENSIONS | EXCEL_EXTENSIONS


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is for the user."""


def extension(filename: str) -> str:
    return PurePath(filename or "").suffix.lower()


def check_extension(filename: str) -> str:
    ext = extension(filename)
    if ext not in EXTENSIONS:
        raise FileProblem(
            _("Unsupported file type “%(ext)s”: use an Excel workbook (.xlsx) or a CSV file (.csv).")
            % {"ext": ext or filename}
        )
    return ext


def decode_text(raw: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (a BOM is dropped) if the bytes are valid UTF-8, else GB18030 (a superset of
    GBK and GB2312, what Excel on a Chinese Windows saves)."""
    encodings = ("utf-16",) if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "gb18030")
    for encoding in encodings:  # Excel's "Unicode text" is UTF-16 with a BOM
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise FileProblem(_("The file is neither UTF-8 nor GBK text; save it again as “CSV UTF-8” or as .xlsx."))


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max([",", "\t", ";"], key=first.count) if first else ","


def _is_empty(cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_csv(raw: bytes):
    text, _encoding = decode_text(raw)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for number, cells in enumerate(reader, start=1):
            if not _is_empty(cells):
                yield number, cells
    except csv.Error as exc:
        raise FileProblem(
            _("The CSV file is malformed near row %(row)s: %(error)s")
            % {"row": reader.line_num, "error": exc}
        ) from exc


def read_excel(raw: bytes):
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except Exception as exc:  # calamine raises its own error types for every kind of broken file
        raise FileProblem(
            _("The file could not be read as an Excel workbook; open it in Excel and save it again as .xlsx.")
        ) from exc
    for number, cells in enumerate(rows, start=1):  # iter_rows starts at the sheet's first row
        if not _is_empty(cells):
            yield number, cells


def read_rows(fileobj, filename: str) -> list[tuple[int, list]]:
    """Every non-empty row of the file (header included), with its row number."""
    ext = check_extension(filename)
    raw = fileobj.read()
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if not raw.strip():
        raise FileProblem(_("The file is empty."))
    looks_like_workbook = raw[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx/.ods zip, old .xls
    reader = read_csv if ext in CSV_EXTENSIONS and not looks_like_workbook else read_excel
    return list(reader(raw))


def cell_text(value) -> str:
    """A cell as text: whole numbers without '.0' (Excel stores 13800138000 as a float), dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = value.strip()
        return value[1:] if value[:2] in ("'=", "'@") else value  # exporting.py's guard against formulas
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()
