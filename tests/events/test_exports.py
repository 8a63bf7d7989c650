"""The generic CSV and XLSX exports, read back with the csv module and openpyxl."""

import csv
import io
from datetime import UTC, date, datetime
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from app.events.exports import (
    ExportFormat,
    Table,
    content_disposition,
    csv_bytes,
    file_response,
    xlsx_bytes,
)

AGENDA = Table(
    name="议程 Agenda",
    headings=("桌号 Table", "时间 Time", "日期 Day", "企业 Enterprise", "得分 Score", "备注 Note"),
    rows=[
        (
            1,
            datetime(2026, 5, 20, 1, 0, tzinfo=UTC),
            date(2026, 5, 20),
            "嘉善光伏链主有限公司",
            90.5,
            None,
        ),
        (12, datetime(2026, 5, 20, 9, 20), date(2026, 5, 21), "Shanghai J-Box Co.", 0, "=1+1"),
        (3, None, None, "-40℃ 低温电池", -1.25, "@home"),
    ],
)


def test_csv_is_utf8_with_a_bom_and_reads_back_with_chinese_intact():
    data = csv_bytes(AGENDA)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(AGENDA.headings)
    assert rows[1] == ["1", "2026-05-20 09:00", "2026-05-20", "嘉善光伏链主有限公司", "90.5", ""]
    assert rows[2] == ["12", "2026-05-20 09:20", "2026-05-21", "Shanghai J-Box Co.", "0", "'=1+1"]
    # Excel would run a cell starting with =, +, - or @ as a formula: such text is quoted.
    assert rows[3] == ["3", "", "", "'-40℃ 低温电池", "-1.25", "'@home"]
    assert data.count(b"\r\n") == 4


def test_xlsx_has_a_frozen_bold_header_fitted_columns_and_typed_cells():
    book = load_workbook(io.BytesIO(xlsx_bytes([AGENDA])))
    (sheet,) = book.worksheets
    assert sheet.title == "议程 Agenda"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F4"
    assert all(cell.font.bold for cell in sheet[1])
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(AGENDA.headings)
    assert rows[1] == [
        1,
        datetime(2026, 5, 20, 9, 0),  # shown in China Standard Time: spreadsheets have no zones
        datetime(2026, 5, 20),
        "嘉善光伏链主有限公司",
        90.5,
        None,
    ]
    assert rows[2][5] == "=1+1" and sheet["F3"].data_type == "s"  # text, never a formula
    assert rows[3] == [3, None, None, "-40℃ 低温电池", -1.25, "@home"]
    assert sheet["B2"].number_format == "yyyy-mm-dd hh:mm"
    widths = {col: sheet.column_dimensions[col].width for col in "ADE"}
    # Chinese characters count double: the enterprise column is the widest.
    assert widths["D"] > widths["E"] and widths["D"] >= 2 * len("嘉善光伏链主有限公司")


def test_xlsx_takes_several_sheets_with_names_excel_accepts():
    long_name = Table("A/very:long*sheet?name[that] goes on and on", ("x",), [(1,)])
    empty = Table("A/very:long*sheet?name[that] goes on and on", ("only a header",), [])
    book = load_workbook(io.BytesIO(xlsx_bytes([AGENDA, long_name, empty])))
    names = book.sheetnames
    assert names[0] == "议程 Agenda"
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert len(set(names)) == 3
    assert [list(r) for r in book.worksheets[2].iter_rows(values_only=True)] == [["only a header"]]


def test_content_disposition_names_the_file_in_ascii_and_in_full():
    value = content_disposition("event-7-match-list.xlsx", "新能源/对接会: 对接清单")
    ascii_part, full_part = value.split("; filename*=UTF-8''")
    assert ascii_part == 'attachment; filename="event-7-match-list.xlsx"'
    assert unquote(full_part) == "新能源-对接会- 对接清单.xlsx"
    plain = content_disposition('bad "name".csv')
    assert plain.startswith('attachment; filename="bad-name-.csv"')


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        (ExportFormat.csv, "text/csv; charset=utf-8"),
        (ExportFormat.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_file_response_sets_type_length_and_name(fmt, media_type):
    response = file_response(fmt, [AGENDA], "event-7-agenda", "对接会 议程")
    assert response.media_type == media_type
    assert response.headers["content-type"] == media_type
    assert int(response.headers["content-length"]) == len(response.body)
    assert response.headers["content-disposition"].startswith(
        f'attachment; filename="event-7-agenda.{fmt.value}"'
    )
    with pytest.raises(ValueError):
        file_response(ExportFormat.json, [AGENDA], "x")
