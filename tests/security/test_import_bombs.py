"""Point 9: an import bomb is refused fast, before it is read, and a file that cannot be read says so.

A 14 MB .xlsx of three million empty rows, or a 148 KB one holding one 150 MB string, used to keep
an import worker busy and grow it past 1 GB. The bombs are built here, streamed into their ZIP so
the test stays small, and read by a separate process whose own peak memory is measured.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import select

import config
from pbadmin.extensions import db
from pbadmin.importing import jobs, readers
from pbadmin.importing.columns import HEADER_SEARCH_ROWS
from pbadmin.importing.pipeline import DEFAULT_MAX_ROWS, check_file
from pbadmin.importing.problems import Problem
from pbadmin.importing.readers import UnreadableFile, read_tables
from pbadmin.models import ImportJob, PartyOrganization
from pbadmin.security.scoping import UNRESTRICTED
from tests.importing.files import MEMBER_HEADERS, member_row, xlsx_bytes
from tests.importing.uploads import job_page, member_count, upload

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
#: the most the reading process may grow while it refuses a bomb
MAX_GROWTH_MB = 200
#: what the reader keeps of a sheet in a real import (pipeline.locate)
ROWS_READ = DEFAULT_MAX_ROWS + HEADER_SEARCH_ROWS

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
    '<sheets><sheet name="党员花名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
HEADER_ROW = (
    '<row r="1">'
    + "".join(
        f'<c r="{chr(ord("A") + index)}1" t="inlineStr"><is><t>{header}</t></is></c>'
        for index, header in enumerate(MEMBER_HEADERS)
    )
    + "</row>"
)

# the reasons, as a Chinese user reads them
TOO_MANY_ROWS_ZH = (
    "工作簿中有工作表超过 200100 行（含空行），超出可读取的范围；请删除数据下方的空行，或将文件拆分为较小的文件"
)
TOO_LARGE_ZH = re.compile(r"^工作簿解压后为 \d+ MB，超过可读取的 32 MB；请将其拆分为较小的文件，或另存为 CSV$")
DAMAGED_ZH = "工作簿已损坏，无法读取其内容；请用 Excel 或 WPS 打开，重新保存后再上传"


# --- the bombs, streamed into their ZIP ------------------------------------------------------------


NO_STRINGS = (f'<sst xmlns="{MAIN}"/>',)


def write_workbook(target, sheet_chunks, strings_chunks=NO_STRINGS) -> None:
    """A minimal .xlsx whose sheet and shared strings are written chunk by chunk (never whole in memory)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, chunks in (("xl/worksheets/sheet1.xml", sheet_chunks), ("xl/sharedStrings.xml", strings_chunks)):
            with archive.open(name, "w") as part:
                for chunk in chunks:
                    part.write(chunk if isinstance(chunk, bytes) else chunk.encode())


def sheet(rows, dimension: str | None = None, head: str = ""):
    """A sheet's XML in chunks: an optional ``<dimension>``, the roster's header row, then ``rows``."""
    yield f'<worksheet xmlns="{MAIN}">{head}'
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield "<sheetData>" + HEADER_ROW
    yield from rows
    yield "</sheetData></worksheet>"


def empty_rows(first: int, last: int, per_chunk: int = 50_000):
    for start in range(first, last + 1, per_chunk):
        yield "".join(f'<row r="{number}"/>' for number in range(start, min(start + per_chunk, last + 1)))


def empty_rows_bomb(target, rows: int = 3_000_000) -> None:
    """Three million empty rows, declared as such."""
    write_workbook(target, sheet(empty_rows(2, rows), dimension=f"A1:Z{rows}"))


def long_string_bomb(target, size: int = 150 * MB) -> None:
    """One shared string of ``size`` characters, in the second row's first cell."""

    def strings():
        yield f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'
        chunk = b"A" * MB
        for _ in range(size // MB):
            yield chunk
        yield "</t></si></sst>"

    write_workbook(target, sheet(['<row r="2"><c r="A2" t="s"><v>0</v></c></row>'], dimension="A1:K2"), strings())


def declared_only_bomb() -> bytes:
    """A small file whose sheet declares three million rows."""
    buffer = io.BytesIO()
    write_workbook(buffer, sheet([], dimension="A1:Z3000000"))
    return buffer.getvalue()


def chinese(message: str, params: dict, app) -> str:
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        return Problem(None, "", "", message, params).text()


# --- the reading process ---------------------------------------------------------------------------

READER = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, 3 * 1024 ** 3))  # never take the machine down
from pbadmin.importing.readers import UnreadableFile, read_tables
with open(sys.argv[1], "rb") as handle:
    data = handle.read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    outcome = {"tables": [len(table.rows) for table in read_tables(data, int(sys.argv[2]))]}
except UnreadableFile as exc:
    outcome = {"refused": exc.message, "params": exc.params}
except MemoryError:
    outcome = {"out_of_memory": True}
outcome["growth_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps(outcome))
"""


def read_in_a_worker(path: Path) -> dict:
    """Read the file as an import worker does, in a process of its own; its memory growth and outcome."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    answer = subprocess.run(
        [sys.executable, "-c", READER, str(path), str(ROWS_READ)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,  # a guard against a hung worker, not a measure
        check=False,
    )
    assert answer.returncode == 0, answer.stderr[-2000:]
    return json.loads(answer.stdout.strip().splitlines()[-1])


def test_three_million_empty_rows_are_refused_before_they_are_read_and_the_worker_stays_small(app, tmp_path):
    path = tmp_path / "empty-rows.xlsx"
    empty_rows_bomb(path)
    outcome = read_in_a_worker(path)
    assert "refused" in outcome, outcome
    assert chinese(outcome["refused"], outcome["params"], app) == TOO_MANY_ROWS_ZH
    assert outcome["growth_mb"] < MAX_GROWTH_MB


def test_one_150_mb_string_is_refused_before_it_is_read_and_the_worker_stays_small(app, tmp_path):
    path = tmp_path / "long-string.xlsx"
    long_string_bomb(path)
    assert path.stat().st_size < MB, "the bomb is small"
    outcome = read_in_a_worker(path)
    assert "refused" in outcome, outcome
    assert TOO_LARGE_ZH.match(chinese(outcome["refused"], outcome["params"], app))
    assert outcome["growth_mb"] < MAX_GROWTH_MB


# --- the checks one by one -------------------------------------------------------------------------


def test_a_declared_dimension_of_three_million_rows_is_refused_even_in_a_small_file(app):
    with pytest.raises(UnreadableFile) as refused:
        list(read_tables(declared_only_bomb(), ROWS_READ))
    assert chinese(refused.value.message, refused.value.params, app) == TOO_MANY_ROWS_ZH


def test_empty_rows_without_a_dimension_are_counted_while_they_are_read(app):
    buffer = io.BytesIO()
    write_workbook(buffer, sheet([*empty_rows(2, 250_000), '<row r="250001"><c r="A250001"><v>1</v></c></row>']))
    with pytest.raises(UnreadableFile) as refused:
        list(read_tables(buffer.getvalue(), ROWS_READ))
    assert chinese(refused.value.message, refused.value.params, app) == TOO_MANY_ROWS_ZH


def test_a_missing_or_wrong_dimension_is_no_error(app):
    rows = ['<row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c></row>']
    for dimension in (None, "A1", "A1:B1"):
        buffer = io.BytesIO()
        write_workbook(buffer, sheet(rows, dimension=dimension))
        [table] = read_tables(buffer.getvalue(), ROWS_READ)
        assert [number for number, _cells in table.rows] == [1, 2]


def test_a_part_packed_far_more_tightly_than_a_spreadsheet_is_refused(app):
    buffer = io.BytesIO()
    write_workbook(buffer, sheet([" " * (4 * MB)]))
    with pytest.raises(UnreadableFile) as refused:
        list(read_tables(buffer.getvalue(), ROWS_READ))
    assert chinese(refused.value.message, refused.value.params, app).startswith("工作簿的压缩程度远超正常的表格文件")


def test_the_uncompressed_limit_is_a_setting_with_a_documented_default(app, world):
    assert config.DEFAULTS["PBADMIN_IMPORT_MAX_UNCOMPRESSED_BYTES"] == readers.DEFAULT_MAX_UNCOMPRESSED_BYTES
    assert "PBADMIN_IMPORT_MAX_UNCOMPRESSED_BYTES" in (ROOT / "README.md").read_text(encoding="utf-8")
    data = xlsx_bytes([member_row(index) for index in range(50)])
    app.config["PBADMIN_IMPORT_MAX_UNCOMPRESSED_BYTES"] = 10_000
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        target = db.session.get(PartyOrganization, world["org_a"])
        check = check_file("members", data, target, UNRESTRICTED)
        assert check.unreadable and not check.ok
        assert check.problems[0].text().startswith("工作簿解压后为")


def test_a_real_roster_at_the_row_limit_is_still_read():
    data = xlsx_bytes([member_row(index % 500) for index in range(DEFAULT_MAX_ROWS)])
    [table] = read_tables(data, ROWS_READ)
    assert len(table.rows) == DEFAULT_MAX_ROWS + 1 and not table.truncated


# --- through the web -------------------------------------------------------------------------------


def _last_job(app) -> dict:
    """The newest job's outcome, as stored."""
    with app.app_context():
        job = db.session.scalars(select(ImportJob).order_by(ImportJob.id.desc())).first()
        names = ("status", "total_rows", "created_count", "message", "errors")
        return {name: getattr(job, name) for name in names}


@pytest.fixture
def sync_jobs(app):
    app.config["PBADMIN_IMPORT_SYNC"] = True
    return app


@pytest.mark.parametrize("bomb", ["long string", "declared rows"])
def test_a_bomb_uploaded_on_the_web_ends_refused_with_the_reason_and_nothing_is_stored(
    app, sync_jobs, staff_a_client, world, tmp_path, bomb
):
    if bomb == "long string":
        long_string_bomb(tmp_path / "bomb.xlsx")
        data, expected = (tmp_path / "bomb.xlsx").read_bytes(), "工作簿解压后为"
    else:
        data, expected = declared_only_bomb(), TOO_MANY_ROWS_ZH
    members = member_count(app)
    url, page = job_page(staff_a_client, upload(staff_a_client, data, world["org_a"]))
    job = _last_job(app)
    assert (job["status"], job["total_rows"], job["created_count"]) == ("invalid", 0, 0)
    assert "文件无法读取，未导入任何数据：" + expected in page
    assert 'tr data-row="file"' in page and 'id="pb-import-commit"' not in page
    assert "0 行中有 0 行" not in page
    assert member_count(app) == members


def test_a_broken_file_says_it_could_not_be_read_and_why(app, sync_jobs, staff_a_client, world):
    _, page = job_page(staff_a_client, upload(staff_a_client, b"PK\x03\x04broken", world["org_a"]))
    assert "文件无法读取，未导入任何数据：无法作为 Excel 工作簿（.xlsx）打开该文件" in page
    assert "0 行中有 0 行" not in page
    assert "该文件无法按原样导入，未导入任何数据。" in page


@pytest.mark.parametrize(("good_rows", "dimension"), [(0, False), (5000, False), (5000, True)])
def test_a_damaged_sheet_is_reported_in_plain_words_never_by_an_exception_class(
    app, sync_jobs, staff_a_client, world, good_rows, dimension
):
    head = f'<dimension ref="A1:K{good_rows + 2}"/>' if dimension else ""
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>张三{n}</t></is></c></row>' for n in range(2, good_rows)
    )
    buffer = io.BytesIO()
    write_workbook(
        buffer, [f'<worksheet xmlns="{MAIN}">{head}<sheetData>{HEADER_ROW}{rows}<row r="{max(good_rows, 2)}"><c r="A']
    )
    _, page = job_page(staff_a_client, upload(staff_a_client, buffer.getvalue(), world["org_a"]))
    job = _last_job(app)
    assert job["status"] == "invalid"
    assert "文件无法读取，未导入任何数据：" + DAMAGED_ZH in page
    stored = json.dumps([job["message"], job["errors"]], ensure_ascii=False)
    assert not re.search(r"ParseError|SyntaxError|Exception|Error\b", stored + page.split("</nav>")[-1])


def test_an_unexpected_failure_never_names_the_exception_class(app, sync_jobs, staff_a_client, world, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("internal detail")

    monkeypatch.setattr(jobs, "check_file", broken)
    _, page = job_page(staff_a_client, upload(staff_a_client, xlsx_bytes([member_row(0)]), world["org_a"]))
    job = _last_job(app)
    assert job["status"] == "failed"
    assert "导入失败，未保存任何数据（发生意外错误，详情见服务器日志）" in page
    assert "KeyError" not in page and "internal detail" not in page
    assert "KeyError" not in json.dumps(job["message"])
