"""The columns of each import (Chinese header, field, required, parser) and finding them in a file.

Headers are matched after NFKC and without spaces, "*" marks or a note in brackets, so
"姓 名", "公民身份号码＊" and "志愿服务时长（小时）" all count; common synonyms from the
rosters people keep (身份证号, 入党日期, 手机号码 …) are accepted too. The header row is the
first of the file's first rows that names at least two known columns; rows above it (a
title such as "内科党支部党员花名册") are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pbadmin.importing import values as v
from pbadmin.importing.choices import chinese_labels, parse_choice
from pbadmin.importing.problems import N_, Problem
from pbadmin.importing.readers import Table

HEADER_SEARCH_ROWS = 10
#: columns people add to their own sheets that carry nothing to import
IGNORED_HEADERS = ("序号", "编号", "备注", "错误原因", "原行号")
ERROR_HEADER = "错误原因"
SOURCE_ROW_HEADER = "原行号"
_NOTE = re.compile(r"\(.*\)$")


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = False
    #: turns a non-empty cell into its value or raises Invalid; None when the importer needs context
    parser: Callable[[object], object] | None = None
    #: what to write, for the template's explanation sheet (msgid)
    help: str = ""
    aliases: tuple[str, ...] = ()
    #: the values that may be written, for the explanation sheet and a drop-down in the template
    allowed: Callable[[], list[str]] | None = None
    #: how a bad value is shown: "id" and "phone" are masked
    mask: str | None = None
    #: the template formats the column as text (ID numbers, phones) or as a date
    cell_format: str | None = None

    def parse(self, value: object) -> object:
        return self.parser(value) if self.parser else value


def _choice(name: str) -> Callable[[object], str]:
    return lambda value: parse_choice(name, value)


def _text(max_length: int) -> Callable[[object], str]:
    return lambda value: v.limited(value, max_length)


def _yes_no() -> list[str]:
    return ["是", "否"]


MEMBER_COLUMNS: tuple[Column, ...] = (
    Column("姓名", "name", True, _text(50), N_("Full name, as on the ID card."), ("名字",)),
    Column(
        "性别", "gender", True, _choice("gender"), N_("男 or 女."), ("性別",), allowed=lambda: chinese_labels("gender")
    ),
    Column(
        "公民身份号码",
        "id_number",
        True,
        None,
        N_("18 characters, checked with GB 11643; identifies the member when the roster is imported again."),
        ("身份证号", "身份证号码", "身份证", "公民身份证号码", "居民身份证号码", "身份号码", "证件号码"),
        mask="id",
        cell_format="@",
    ),
    Column(
        "出生日期",
        "birth_date",
        False,
        v.parse_date,
        N_("e.g. 1985-06-01; must agree with the ID number; taken from it when empty."),
        ("出生年月日", "生日"),
        cell_format="yyyy-mm-dd",
    ),
    Column("民族", "ethnicity", False, _text(20), N_("e.g. 汉族."), ()),
    Column(
        "学历",
        "education",
        False,
        _choice("education"),
        N_("Highest education."),
        ("文化程度", "最高学历"),
        allowed=lambda: chinese_labels("education"),
    ),
    Column(
        "入党时间",
        "admitted_on",
        False,
        v.parse_date,
        N_("Date of admission, e.g. 2010-07-01."),
        ("入党日期", "入党年月日"),
        cell_format="yyyy-mm-dd",
    ),
    Column(
        "转正时间",
        "full_member_on",
        False,
        v.parse_date,
        N_("Date of becoming a full member; not before the admission date; empty for a probationary member."),
        ("转正日期",),
        cell_format="yyyy-mm-dd",
    ),
    Column(
        "党员状态",
        "status",
        True,
        _choice("status"),
        N_("The member's status."),
        ("党员类别", "人员类别", "党员类型"),
        allowed=lambda: chinese_labels("status"),
    ),
    Column(
        "所在党组织",
        "organisation",
        True,
        None,
        N_("Code or exact name of the party organisation; it must be the chosen organisation or under it."),
        ("所在支部", "所在党支部", "党支部", "党组织", "党组织代码", "所属党组织"),
    ),
    Column(
        "联系电话",
        "phone",
        False,
        None,
        N_("Mobile or landline number."),
        ("手机", "手机号", "手机号码", "电话", "电话号码", "联系方式"),
        mask="phone",
        cell_format="@",
    ),
    Column("科室", "department", False, _text(60), N_("Department (科室) the member works in."), ("部门", "所在科室")),
    Column(
        "双带头人",
        "is_double_leader",
        False,
        v.parse_yes_no,
        N_("是 if the member is a branch secretary who is also a clinical lead."),
        ("是否双带头人",),
        allowed=_yes_no,
    ),
    Column(
        "党员示范岗",
        "is_model_post",
        False,
        v.parse_yes_no,
        N_("是 if the member holds a model post (党员示范岗)."),
        ("是否党员示范岗",),
        allowed=_yes_no,
    ),
)

ACTIVITY_COLUMNS: tuple[Column, ...] = (
    Column(
        "活动标题",
        "title",
        True,
        _text(120),
        N_("Title of the meeting or activity."),
        ("标题", "活动名称", "会议名称", "活动主题", "主题"),
    ),
    Column(
        "活动类型",
        "activity_type",
        True,
        None,
        N_("Name or code of an active activity type, e.g. 支部党员大会, 支委会, 主题党日."),
        ("类型", "会议类型", "活动类别"),
    ),
    Column(
        "所在党组织",
        "organisation",
        True,
        None,
        N_("Code or exact name of the organisation that held it; the chosen organisation or one under it."),
        ("党组织", "组织单位", "党支部", "所在支部", "所在党支部", "党组织代码", "主办党组织"),
    ),
    Column(
        "开始时间",
        "starts_at",
        True,
        v.parse_datetime,
        N_("Date, or date and time, e.g. 2024-03-05 09:30."),
        ("活动时间", "会议时间", "时间", "日期", "活动日期", "会议日期"),
        cell_format="yyyy-mm-dd hh:mm",
    ),
    Column(
        "结束时间",
        "ends_at",
        False,
        None,
        N_("Date and time, or a time on the start's day, e.g. 11:00; not before the start."),
        (),
        cell_format="yyyy-mm-dd hh:mm",
    ),
    Column("地点", "place", False, _text(120), N_("Where it took place."), ("活动地点", "会议地点")),
    Column("内容", "content", False, v.text, N_("What was done."), ("活动内容", "会议内容", "主要内容", "内容摘要")),
    Column("服务群众人次", "people_served", False, v.parse_count, N_("Whole number, 0 or more."), ("服务人次",)),
    Column(
        "志愿服务时长",
        "volunteer_hours",
        False,
        v.parse_hours,
        N_("Hours, 0 or more, one decimal place."),
        ("服务时长",),
    ),
    Column(
        "党建品牌", "brand", False, None, N_("Name of a party-building brand within your scope (optional)."), ("品牌",)
    ),
    Column(
        "参加人员",
        "present",
        False,
        None,
        N_("Names or ID numbers of the members who attended, separated by 、 or commas."),
        ("参会人员", "出席人员", "参加党员", "参会党员", "出席党员"),
    ),
    Column(
        "请假人员",
        "leave",
        False,
        None,
        N_("Names or ID numbers of the members on leave, separated by 、 or commas."),
        ("请假党员",),
    ),
)


def normalise_header(value: object) -> str:
    """What a header says once spaces, "*" marks and a note in brackets are taken away."""
    header = v.compact(value).replace("*", "")
    return _NOTE.sub("", header)


@dataclass
class Header:
    """Where the header is and which column holds which field."""

    row: int
    #: field -> index of its column in each row
    positions: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _lookup(columns: tuple[Column, ...]) -> dict[str, Column]:
    known: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            known[normalise_header(name)] = column
    return known


def find_header(table: Table, columns: tuple[Column, ...]) -> Header | None:
    """The header among the first rows, or None when no row names two known columns."""
    known = _lookup(columns)
    best: tuple[int, int, list] | None = None
    for number, cells in table.rows[:HEADER_SEARCH_ROWS]:
        hits = sum(1 for cell in cells if normalise_header(cell) in known)
        if hits >= 2 and (best is None or hits > best[0]):
            best = (hits, number, cells)
    if best is None:
        return None
    _, number, cells = best
    header = Header(row=number)
    ignored = {normalise_header(name) for name in IGNORED_HEADERS}
    for position, cell in enumerate(cells):
        name = normalise_header(cell)
        if not name or name in ignored:
            continue
        column = known.get(name)
        shown = v.text(cell) or ""
        if column is None:
            header.problems.append(
                Problem(None, shown, "", N_("unknown column; rename it to a header of the template or delete it"))
            )
        elif column.field in header.positions:
            header.problems.append(Problem(None, shown, "", N_("this column appears twice")))
        else:
            header.positions[column.field] = position
    for column in columns:
        if column.required and column.field not in header.positions:
            header.problems.append(Problem(None, column.header, "", N_("the required column is missing")))
    return header
