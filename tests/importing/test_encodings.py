"""CSV files as Excel writes them on a Chinese Windows (GBK) and elsewhere (UTF-8, with or without BOM)."""

from __future__ import annotations

import codecs

import pytest
from sqlalchemy import select

from pbadmin.extensions import db
from pbadmin.importing.pipeline import check_file, write
from pbadmin.models import Member, PartyOrganization
from pbadmin.security.scoping import UNRESTRICTED
from tests.importing.files import csv_bytes, member_row


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("gbk"),
        lambda text: text.encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    ],
    ids=["gbk", "utf-8", "utf-8-bom"],
)
def test_a_csv_roster_is_read_in_gbk_and_utf8(app, world, encode):
    rows = [member_row(0), member_row(1, 姓名="欧阳娜", 民族="维吾尔族")]
    data = encode(csv_bytes(rows).decode("utf-8"))
    with app.app_context():
        check = check_file("members", data, db.session.get(PartyOrganization, world["org_a"]), UNRESTRICTED)
        assert check.ok, [problem.line() for problem in check.problems]
        write(check)
        db.session.commit()
        member = db.session.scalar(select(Member).where(Member.name == "欧阳娜"))
        assert member.ethnicity == "维吾尔族" and member.gender == "male"


def test_gbk_and_utf8_files_of_the_same_roster_are_the_same_import(app, world):
    rows = [member_row(index) for index in range(2)]
    with app.app_context():
        target = db.session.get(PartyOrganization, world["org_a"])
        first = check_file("members", csv_bytes(rows, encoding="gbk"), target, UNRESTRICTED)
        write(first)
        db.session.commit()
        second = check_file("members", csv_bytes(rows, encoding="utf-8"), target, UNRESTRICTED)
        assert second.ok and second.counts == (0, 0, 2)


def test_a_semicolon_separated_csv_is_read(app, world):
    data = csv_bytes([member_row(0)]).decode("utf-8").replace(",", ";").encode("gbk")
    with app.app_context():
        check = check_file("members", data, db.session.get(PartyOrganization, world["org_a"]), UNRESTRICTED)
        assert check.ok and check.counts == (1, 0, 0)
