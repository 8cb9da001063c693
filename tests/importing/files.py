"""Rosters and activity sheets built in memory, as a user's Excel or CSV file would be."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import Workbook, load_workbook

from pbadmin.security.pii import id_check_digit

MEMBER_HEADERS = [
    "姓名",
    "性别",
    "公民身份号码",
    "出生日期",
    "民族",
    "学历",
    "入党时间",
    "转正时间",
    "党员状态",
    "所在党组织",
    "联系电话",
]
ACTIVITY_HEADERS = [
    "活动标题",
    "活动类型",
    "所在党组织",
    "开始时间",
    "结束时间",
    "地点",
    "服务群众人次",
    "参加人员",
    "请假人员",
]


def id_number(birth: dt.date, sequence: int, region: str = "331004") -> str:
    """A valid GB 11643 number for an invented person."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_digit(first17)


def wrong_check_digit(number: str) -> str:
    digits = "0123456789X"
    return number[:17] + digits[(digits.index(number[17]) + 1) % len(digits)]


def member_row(index: int, org: str = "A", **changes) -> dict:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=23 * index)
    row = {
        "姓名": f"导入党员{index}",
        "性别": "男" if index % 2 else "女",
        "公民身份号码": id_number(birth, 100 + index),
        "出生日期": birth.isoformat(),
        "民族": "汉族",
        "学历": "本科",
        "入党时间": "2005-07-01",
        "转正时间": "2006-07-01",
        "党员状态": "正式党员",
        "所在党组织": org,
        "联系电话": f"1380000{index:04d}",
    }
    row.update(changes)
    return row


def as_table(rows: list[dict], headers: list[str]) -> list[list]:
    return [headers] + [[row.get(header, "") for header in headers] for row in rows]


def xlsx_bytes(rows: list[dict], headers: list[str] = MEMBER_HEADERS, title: str | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    for values in as_table(rows, headers):
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict], headers: list[str] = MEMBER_HEADERS, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(as_table(rows, headers))
    return buffer.getvalue().encode(encoding)


def read_xlsx(data: bytes) -> list[list]:
    """Every row of the first sheet, as values."""
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]
