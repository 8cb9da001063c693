"""Judging a push before it touches the store: is it well-formed (else 400), is its content acceptable
(else 422 with one conflict per problem), and which cells would it write.

Pure functions of the body and the catalogue, so the gateway can judge outside its lock and then
settle (replay, refuse or store) in one locked step. Periods and ADX are read with the sandbox's own
code (``periods``, ``adx``), never with pbadmin's client.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from pbadmin.sandbox import adx, periods
from pbadmin.sandbox.answers import conflict, import_summary

# A cell: (dataSet, orgUnit, period code, dataElement). A report: (dataSet, orgUnit, period code).
Cell = tuple[str, str, str, str]
ReportKey = tuple[str, str, str]
# a decimal as xs:decimal writes it: optional sign, digits with at most one point, no exponent
DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def is_decimal(value: object) -> bool:
    return isinstance(value, str) and bool(DECIMAL.match(value.strip()))


@dataclass(frozen=True)
class Report:
    """One (dataSet, orgUnit, period) as the body gave it; values are raw, not yet checked."""

    data_set: str
    org_unit: str
    period: str
    values: list[tuple[str, object]]
    complete_date: object = None


@dataclass(frozen=True)
class Verdict:
    """200 with the cells to store, or 400/422 with the answer to give (and remember for replays)."""

    status: int
    answer: dict = field(default_factory=dict)
    cells: dict[Cell, str] = field(default_factory=dict)
    complete_dates: dict[ReportKey, str] = field(default_factory=dict)
    warnings: list[dict] = field(default_factory=list)
    #: the reports the push was for, when the cells do not say (dhis2 stores cells under no data set)
    reports: tuple[ReportKey, ...] = ()


class Malformed(ValueError):
    """The body cannot be read as a push at all (HTTP 400)."""

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


def malformed_verdict(exc: Malformed) -> Verdict:
    answer = {"status": "ERROR", "message": str(exc)}
    if exc.errors:
        answer["errors"] = exc.errors
    return Verdict(400, answer)


# --- reading bodies -----------------------------------------------------------------------------


def reports_from_json(body: bytes) -> list[Report]:
    """The one report of a JSON data value set; ``Malformed`` when it is not JSON or lacks a field."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise Malformed(f"请求体不是 UTF-8 JSON / the body is not UTF-8 JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise Malformed("请求体应为 JSON 对象 / the body must be a JSON object")
    missing = [name for name in ("dataSet", "period", "orgUnit") if not _text(data.get(name))]
    if not isinstance(data.get("dataValues"), list):
        missing.append("dataValues")
    if missing:
        raise Malformed(f"缺少必填字段 / missing required fields: {', '.join(missing)}")
    values = []
    for index, item in enumerate(data["dataValues"]):
        if not isinstance(item, dict) or not _text(item.get("dataElement")) or "value" not in item:
            raise Malformed(f"dataValues[{index}] 应含 dataElement 和 value / needs dataElement and value")
        values.append((item["dataElement"], item["value"]))
    return [Report(data["dataSet"], data["orgUnit"], data["period"], values, data.get("completeDate"))]


def reports_from_adx(document: bytes) -> list[Report]:
    """The groups of an ADX document; ``Malformed`` when it fails the schema or cannot be read."""
    try:
        groups = adx.read_document(document)
    except adx.NotAdx as exc:
        raise Malformed(str(exc), exc.errors) from exc
    reports = []
    for group in groups:
        try:
            data_set, period = periods.from_adx(group.period)
        except periods.BadPeriod as exc:
            raise _BadPeriod(str(exc)) from exc
        if data_set != group.data_set:
            raise _BadPeriod(f"ADX 报告期 {group.period} 不属于数据集 {group.data_set} / not a {group.data_set} period")
        reports.append(Report(group.data_set, group.org_unit, period, list(group.values)))
    return reports


class _BadPeriod(ValueError):
    """A well-formed ADX document whose period the province cannot use: content, not form (422)."""


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


# --- judging content ----------------------------------------------------------------------------


def judge(read, body: bytes, elements: Collection[str], org_units: Collection[str]) -> Verdict:
    """Read ``body`` with ``read`` (reports_from_json or reports_from_adx) and check it against the catalogue."""
    try:
        reports = read(body)
    except Malformed as exc:
        return malformed_verdict(exc)
    except _BadPeriod as exc:
        return Verdict(422, import_summary("ERROR", None, conflicts=[conflict("period", str(exc))]))
    return check_reports(reports, elements, org_units)


def check_reports(reports: list[Report], elements: Collection[str], org_units: Collection[str]) -> Verdict:
    problems: list[dict] = []
    warnings: list[dict] = []
    cells: dict[Cell, str] = {}
    complete_dates: dict[ReportKey, str] = {}
    for report in reports:
        period = _check_report(report, org_units, problems)
        if report.complete_date is not None:
            if _is_date(report.complete_date):
                complete_dates[(report.data_set, report.org_unit, period)] = report.complete_date
            else:
                problems.append(
                    conflict("completeDate", f"完成日期应为 YYYY-MM-DD / {report.complete_date!r} is not a date")
                )
        for code, value in report.values:
            if code not in elements:
                problems.append(conflict(code, "省平台目录中没有该数据元 / unknown data element"))
            elif not is_decimal(value):
                problems.append(conflict(code, f"值 {value!r} 不是数字 / the value {value!r} is not a decimal number"))
            else:
                cell = (report.data_set, report.org_unit, period, code)
                if cell in cells:
                    warnings.append(
                        conflict(
                            code,
                            "本次上报中该数据元出现多次，已保存最后一个值 / listed twice; the last value is stored",
                        )
                    )
                cells[cell] = value.strip()
    if problems:
        return Verdict(422, import_summary("ERROR", None, conflicts=problems + warnings))
    return Verdict(200, cells=cells, complete_dates=complete_dates, warnings=warnings)


def _check_report(report: Report, org_units: Collection[str], problems: list[dict]) -> str:
    """The report's period code, after noting what is wrong with its data set, period and org unit."""
    period_code = report.period
    if report.data_set not in periods.DATA_SETS:
        problems.append(conflict("dataSet", f"未知数据集 {report.data_set} / unknown data set"))
    try:
        if report.data_set in periods.DATA_SETS:
            period_code = periods.check_period(report.data_set, report.period)
        else:
            periods.data_set_of(report.period)
    except periods.BadPeriod as exc:
        problems.append(conflict("period", str(exc)))
    if report.org_unit not in org_units:
        problems.append(conflict(report.org_unit, "省平台不认识该组织单元 / unknown org unit"))
    return period_code


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True
