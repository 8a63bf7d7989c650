"""Tables as files organisers open in Excel: CSV (UTF-8 with a BOM) or XLSX, Chinese text intact.

Generic: a ``Table`` is a sheet name, column headings and rows of plain values; the match lists,
the gap view, agendas and table sheets all go out through ``file_response``.
"""

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import xlsxwriter
from fastapi import Query, Response

from app.config import get_settings

Cell = str | int | float | date | datetime | None

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/csv": {}, XLSX_TYPE: {}},
        "description": "JSON, or with `format=csv|xlsx` the same rows as a file to download.",
    }
}
# Excel reads a cell starting with one of these as a formula, even in a CSV file.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
FILENAME_BAD = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


FormatParam = Annotated[
    ExportFormat,
    Query(
        alias="format",
        description="`json` (default), or `csv` / `xlsx` for a file to open in Excel.",
    ),
]


@dataclass(frozen=True)
class Table:
    name: str  # the sheet's name
    headings: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def _local(moment: datetime) -> datetime:
    """Spreadsheets have no time zones: aware moments are shown in the service's calendar."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(ZoneInfo(get_settings().timezone)).replace(tzinfo=None)


def _csv_cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{_local(value):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens Chinese text as Chinese."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headings)
    writer.writerows([_csv_cell(v) for v in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")


def _display_width(value: Cell) -> int:
    """Roughly how many places the value takes: a Chinese (wide) character takes two. Counted
    from its UTF-8 length (CJK characters are three bytes), which is fast on long sheets."""
    text = (value if isinstance(value, str) else str(value))[:MAX_WIDTH]
    return (len(text) + len(text.encode("utf-8"))) // 2


def _sheet_name(name: str, taken: set[str]) -> str:
    base = SHEET_NAME_BAD.sub(" ", name).strip("' ")[:31] or "Sheet"
    chosen, n = base, 1
    while chosen.lower() in taken:
        n += 1
        chosen = f"{base[: 31 - len(str(n)) - 1]} {n}"
    taken.add(chosen.lower())
    return chosen


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """One sheet per table: a bold header row frozen at the top, an autofilter, fitted widths.
    Text is always written as text (never read as a formula or a link)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    taken: set[str] = set()
    for table in tables:
        sheet = book.add_worksheet(_sheet_name(table.name, taken))
        widths = [_display_width(h) for h in table.headings]
        for col, heading in enumerate(table.headings):
            sheet.write_string(0, col, heading, header)
        for r, row in enumerate(table.rows, start=1):
            for col, value in enumerate(row):
                if value is None or value == "":
                    continue  # an empty cell, not an empty string: Excel's filters and counts agree
                if isinstance(value, int | float):
                    sheet.write_number(r, col, value)
                elif isinstance(value, datetime):
                    sheet.write_datetime(r, col, _local(value), moment)
                elif isinstance(value, date):
                    sheet.write_datetime(r, col, datetime(value.year, value.month, value.day), day)
                else:
                    sheet.write_string(r, col, value)
                widths[col] = max(widths[col], _display_width(value))
        for col, width in enumerate(widths):
            sheet.set_column(col, col, min(width, MAX_WIDTH) + 2)
        sheet.freeze_panes(1, 0)
        if table.headings:
            sheet.autofilter(0, 0, max(len(table.rows), 1), len(table.headings) - 1)
    book.close()
    return out.getvalue()


def content_disposition(filename: str, title: str | None = None) -> str:
    """``attachment`` named ``filename`` (ASCII, for every client) and ``title`` in full (Chinese,
    say) as ``filename*`` for the clients that read it (RFC 6266 / 5987)."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-.") or "export"
    full = FILENAME_BAD.sub("-", title or filename).strip(" .-") or fallback
    suffix = fallback.rpartition(".")[2] if "." in fallback else ""
    if suffix and not full.endswith(f".{suffix}"):
        full = f"{full}.{suffix}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(full)}"


def file_response(
    fmt: ExportFormat, tables: Sequence[Table], filename: str, title: str | None = None
) -> Response:
    """The tables as a CSV (the first table) or an XLSX file (a sheet each), to download as
    ``filename`` (ASCII, without suffix) or, where the client can, as ``title``."""
    if fmt is ExportFormat.csv:
        content, media_type = csv_bytes(tables[0]), CSV_TYPE
    elif fmt is ExportFormat.xlsx:
        content, media_type = xlsx_bytes(tables), XLSX_TYPE
    else:
        raise ValueError(f"{fmt} is not a file format")
    disposition = content_disposition(f"{filename}.{fmt.value}", title)
    return Response(
        content=content, media_type=media_type, headers={"Content-Disposition": disposition}
    )
