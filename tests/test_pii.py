"""Personal data: the GB 11643 ID-number rules, encryption at rest, and masking for users
without ``view_pii`` on every page and export, with write-only PII fields on their forms."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.models import Member
from pbadmin.security import crypto
from pbadmin.security.pii import (
    InvalidIdNumber,
    id_check_digit,
    mask_id_number,
    mask_phone,
    validate_id_number,
    validate_phone,
)
from tests.helpers import submit

MASKED_ID = re.compile(r"^\d{4}\*{10}[\dX]{4}$")
MASKED_PHONE = re.compile(r"^\d{3}\*{4}\d{4}$")


# ID numbers are literals, never built with the function under test. The first two are GB 11643-1999's
# own worked examples; the check characters of the others were computed by hand from the standard's
# weights (2^(17-i) mod 11) and remainder table (1 0 X 9 8 7 6 5 4 3 2).
PUBLISHED_X = "11010519491231002X"  # GB 11643-1999, born 1949-12-31, check character X
PUBLISHED = "440524188001010014"  # GB 11643-1999, born 1880-01-01
BORN_1990_03_07 = "331004199003071239"
BORN_1985_05_12 = "331004198505121238"
BORN_1999_02_30 = "331004199902301237"  # a right check character on an impossible birth date


def valid_id() -> str:
    return BORN_1990_03_07


def id_ending_in_x() -> str:
    return PUBLISHED_X


def wrong_check_digit(number: str) -> str:
    wrong = "0" if number[17] != "0" else "1"
    return number[:17] + wrong


def pii_of(app, member_id: int) -> tuple[str, str]:
    with app.app_context():
        member = db.session.get(Member, member_id)
        return member.id_number, member.phone


def branch_a_pii(app, world) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(Member.id_number, Member.phone).where(Member.organisation_id == world["org_a"])
        ).all()
    assert len(rows) == 3 and all(number and phone for number, phone in rows)
    return [tuple(row) for row in rows]


def member_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Member))


def member_form(app, member_id: int, **changes) -> dict:
    """Every field of the member form with the record's current values; PII left blank."""

    def day(value):
        return value.isoformat() if value else ""

    with app.app_context():
        member = db.session.get(Member, member_id)
        data = {
            "name": member.name,
            "gender": member.gender,
            "birth_date": day(member.birth_date),
            "ethnicity": member.ethnicity or "",
            "education": member.education or "",
            "id_number": "",
            "phone": "",
            "organisation": member.organisation_id,
            "institution": member.institution_id or "",
            "department": member.department or "",
            "status": member.status,
            "admitted_on": day(member.admitted_on),
            "full_member_on": day(member.full_member_on),
        }
        if member.is_double_leader:
            data["is_double_leader"] = "y"
        if member.is_model_post:
            data["is_model_post"] = "y"
    data.update(changes)
    return data


def new_member_form(world, **changes) -> dict:
    data = {
        "name": "新党员",
        "gender": "female",
        "organisation": world["org_a"],
        "status": "full",
        "id_number": "",
        "phone": "",
    }
    data.update(changes)
    return data


# --- GB 11643 and the masks -----------------------------------------------------------


def test_a_valid_id_number_passes_validation():
    number = valid_id()
    assert validate_id_number(number) == number


def test_surrounding_spaces_are_stripped_from_an_id_number():
    number = valid_id()
    assert validate_id_number(f"  {number} ") == number


def test_a_wrong_check_digit_is_rejected():
    with pytest.raises(InvalidIdNumber, match="check digit"):
        validate_id_number(wrong_check_digit(valid_id()))


def test_an_impossible_birth_date_is_rejected():
    number = BORN_1999_02_30
    with pytest.raises(InvalidIdNumber, match="birth date"):
        validate_id_number(number)


@pytest.mark.parametrize(
    "value",
    [valid_id()[:17], valid_id() + "1", "3310041990030712", "", "33100419900307123Y", "33100419900307A234"],
    ids=["17-chars", "19-chars", "16-chars", "empty", "letter-at-end", "letter-inside"],
)
def test_a_wrong_length_or_character_is_rejected(value):
    with pytest.raises(InvalidIdNumber, match="18 characters"):
        validate_id_number(value)


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_full_width_digits_are_rejected_or_normalised_to_ascii():
    number = id_ending_in_x()
    full_width = number[:17].translate(FULL_WIDTH) + "X"
    try:
        result = validate_id_number(full_width)
    except InvalidIdNumber:
        return
    assert result == number


def test_a_lower_case_x_is_normalised_to_upper_case():
    number = id_ending_in_x()
    assert validate_id_number(number.lower()) == number
    assert validate_id_number(number.lower()).endswith("X")


@pytest.mark.parametrize("number", [PUBLISHED_X, PUBLISHED, BORN_1990_03_07, BORN_1985_05_12])
def test_id_check_digit_follows_gb_11643(number):
    assert id_check_digit(number[:17]) == number[17]
    assert validate_id_number(number.lower()) == number


@pytest.mark.parametrize("number", [PUBLISHED_X, PUBLISHED, BORN_1990_03_07])
def test_every_other_check_character_is_refused(number):
    for other in "0123456789X".replace(number[17], ""):
        with pytest.raises(InvalidIdNumber, match="check digit"):
            validate_id_number(number[:17] + other)


def test_mask_id_number_keeps_first_four_and_last_four():
    number = id_ending_in_x()
    masked = mask_id_number(number)
    assert masked == number[:4] + "*" * 10 + number[-4:]
    assert MASKED_ID.match(masked)
    assert mask_id_number(None) == "" and mask_id_number("") == ""


def test_mask_phone_keeps_first_three_and_last_four():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0576-84012345") == "057******2345"
    assert mask_phone("123456") == "******"
    assert mask_phone(None) == ""


def test_phone_validation_accepts_mobiles_and_landlines_only():
    assert validate_phone("138 1234 5678") == "13812345678"
    assert validate_phone("0576-84012345") == "0576-84012345"
    for bad in ("12345", "2381234567a", "138123456789"):
        with pytest.raises(ValueError):
            validate_phone(bad)


# --- encryption at rest and the blind index -----------------------------------------


def test_id_numbers_and_phones_are_encrypted_at_rest(app, world):
    number, phone = pii_of(app, world["member_a"])
    assert validate_id_number(number) == number, "the ORM returns the plaintext"
    with app.app_context():
        raw_number, raw_phone = db.session.execute(
            text("SELECT id_number, phone FROM member WHERE id = :id"), {"id": world["member_a"]}
        ).one()
        assert number not in raw_number and phone not in raw_phone
        assert number[-6:] not in raw_number and phone[-6:] not in raw_phone
        assert raw_number.startswith("gAAAA") and raw_phone.startswith("gAAAA"), "Fernet tokens"
        assert crypto.decrypt(raw_number) == number and crypto.decrypt(raw_phone) == phone


def test_the_same_id_number_encrypts_differently_each_time(app, world):
    number, _ = pii_of(app, world["member_a"])
    with app.app_context():
        assert crypto.encrypt(number) != crypto.encrypt(number)


def test_id_number_index_is_a_keyed_64_hex_digest(app, world):
    number, _ = pii_of(app, world["member_a"])
    with app.app_context():
        index = db.session.get(Member, world["member_a"]).id_number_index
        assert re.fullmatch(r"[0-9a-f]{64}", index)
        assert index == crypto.blind_index(number)
        assert number not in index
        raw = db.session.execute(
            text("SELECT id_number_index FROM member WHERE id = :id"), {"id": world["member_a"]}
        ).scalar_one()
        assert raw == index


def test_two_members_cannot_share_an_id_number_in_the_database(app, world):
    number, _ = pii_of(app, world["member_a"])
    with app.app_context():
        with acting_as("test"):
            db.session.add(Member(name="冒名党员", gender="male", organisation_id=world["org_b"], id_number=number))
            with pytest.raises(IntegrityError):
                db.session.commit()
            db.session.rollback()
    assert member_count(app) == 9


def test_two_members_cannot_share_an_id_number_written_in_lower_case(app, world):
    with app.app_context():
        with acting_as("test"):
            number = id_ending_in_x()
            db.session.add(Member(name="甲", gender="male", organisation_id=world["org_a"], id_number=number))
            db.session.commit()
            db.session.add(Member(name="乙", gender="male", organisation_id=world["org_a"], id_number=number.lower()))
            with pytest.raises(IntegrityError):
                db.session.commit()
            db.session.rollback()


def test_the_member_form_refuses_a_duplicate_id_number_with_a_clear_message(app, region_admin_client, world):
    number, _ = pii_of(app, world["member_a"])
    before = member_count(app)
    answer = submit(
        region_admin_client, "/admin/members/new/", new_member_form(world, name="重复党员", id_number=number)
    )
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "已登记为内科党支部的 党员A0" in page  # the region admin sees that member: naming them tells nothing new
    assert member_count(app) == before
    with app.app_context():
        assert db.session.scalar(select(Member).where(Member.name == "重复党员")) is None


# --- masking on pages and exports ---------------------------------------------------

MASKED_CLIENTS = ["staff_a_client", "viewer_a_client"]


@pytest.mark.parametrize("who", MASKED_CLIENTS)
def test_member_list_shows_masked_pii_without_view_pii(request, app, world, who):
    client = request.getfixturevalue(who)
    body = client.get("/admin/members/").get_data(as_text=True)
    for number, phone in branch_a_pii(app, world):
        assert number not in body and phone not in body
        assert mask_id_number(number) in body and mask_phone(phone) in body


def test_member_list_shows_full_pii_to_region_admin(app, region_admin_client, world):
    body = region_admin_client.get("/admin/members/").get_data(as_text=True)
    for number, phone in branch_a_pii(app, world):
        assert number in body and phone in body


@pytest.mark.parametrize("who", MASKED_CLIENTS)
def test_member_detail_page_shows_masked_pii_without_view_pii(request, app, world, who):
    client = request.getfixturevalue(who)
    number, phone = pii_of(app, world["member_a"])
    answer = client.get(f"/admin/members/details/?id={world['member_a']}")
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert number not in body and phone not in body
    assert mask_id_number(number) in body and mask_phone(phone) in body


def test_member_detail_page_shows_full_pii_to_region_admin(app, region_admin_client, world):
    number, phone = pii_of(app, world["member_a"])
    body = region_admin_client.get(f"/admin/members/details/?id={world['member_a']}").get_data(as_text=True)
    assert number in body and phone in body


def csv_cells(client) -> set[str]:
    answer = client.get("/admin/members/export/csv/")
    assert answer.status_code == 200
    return {cell for row in csv.reader(io.StringIO(answer.get_data(as_text=True))) for cell in row}


def xlsx_cells(client) -> set[str]:
    answer = client.get("/admin/members/export/xlsx/")
    assert answer.status_code == 200
    assert answer.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(answer.data), read_only=True)
    return {
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    }


@pytest.mark.parametrize("export", [csv_cells, xlsx_cells], ids=["csv", "xlsx"])
@pytest.mark.parametrize("who", MASKED_CLIENTS)
def test_member_exports_are_masked_without_view_pii(request, app, world, who, export):
    cells = export(request.getfixturevalue(who))
    joined = "\n".join(cells)
    for number, phone in branch_a_pii(app, world):
        assert number not in joined and phone not in joined
        assert mask_id_number(number) in cells and mask_phone(phone) in cells


@pytest.mark.parametrize("export", [csv_cells, xlsx_cells], ids=["csv", "xlsx"])
def test_member_exports_show_full_pii_to_region_admin(app, region_admin_client, world, export):
    cells = export(region_admin_client)
    for number, phone in branch_a_pii(app, world):
        assert number in cells and phone in cells


def test_member_exports_never_include_the_blind_index(app, region_admin_client, world):
    with app.app_context():
        index = db.session.get(Member, world["member_a"]).id_number_index
    assert index not in "\n".join(csv_cells(region_admin_client))
    assert index not in "\n".join(xlsx_cells(region_admin_client))


# --- write-only PII fields on the form ----------------------------------------------


def test_edit_form_never_shows_the_stored_id_number_to_staff(app, staff_a_client, world):
    number, phone = pii_of(app, world["member_a"])
    answer = staff_a_client.get(f"/admin/members/edit/?id={world['member_a']}")
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert number not in body and phone not in body
    assert mask_id_number(number) not in body, "not even masked: the field is write-only"


def _input_value(body: str, name: str) -> str | None:
    tag = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', body)
    if tag is None:
        return None
    value = re.search(r'value="([^"]*)"', tag.group(0))
    if tag.group(0).startswith("<textarea"):
        after = body[tag.end() :]
        return after[: after.index("</textarea>")].strip()
    return value.group(1) if value else ""


def test_edit_form_offers_blank_pii_fields_to_staff(app, staff_a_client, world):
    body = staff_a_client.get(f"/admin/members/edit/?id={world['member_a']}").get_data(as_text=True)
    assert _input_value(body, "id_number") == ""
    assert _input_value(body, "phone") == ""


def test_edit_form_shows_the_stored_pii_to_region_admin(app, region_admin_client, world):
    number, phone = pii_of(app, world["member_a"])
    body = region_admin_client.get(f"/admin/members/edit/?id={world['member_a']}").get_data(as_text=True)
    assert _input_value(body, "id_number") == number
    assert _input_value(body, "phone") == phone


def test_saving_the_edit_form_with_the_id_field_blank_keeps_the_stored_value(app, staff_a_client, world):
    number, phone = pii_of(app, world["member_a"])
    data = member_form(app, world["member_a"], department="心内科", id_number="", phone="")
    answer = submit(staff_a_client, f"/admin/members/edit/?id={world['member_a']}", data)
    assert answer.status_code == 302
    with app.app_context():
        member = db.session.get(Member, world["member_a"])
        assert member.department == "心内科", "the form was saved"
        assert (member.id_number, member.phone) == (number, phone)


def test_saving_the_edit_form_with_a_new_id_number_replaces_the_stored_value(app, staff_a_client, world):
    new_number = BORN_1985_05_12
    data = member_form(app, world["member_a"], id_number=new_number, phone="13912345678")
    answer = submit(staff_a_client, f"/admin/members/edit/?id={world['member_a']}", data)
    assert answer.status_code == 302
    with app.app_context():
        member = db.session.get(Member, world["member_a"])
        assert member.id_number == new_number
        assert member.phone == "13912345678"
        assert member.id_number_index == crypto.blind_index(new_number)


def test_a_malformed_id_number_on_the_member_form_is_refused_with_a_message(app, staff_a_client, world):
    before = member_count(app)
    bad = wrong_check_digit(BORN_1985_05_12)
    answer = submit(staff_a_client, "/admin/members/new/", new_member_form(world, name="号码错误党员", id_number=bad))
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "公民身份号码无效" in page or "Invalid ID number" in page
    assert member_count(app) == before
    with app.app_context():
        assert db.session.scalar(select(Member).where(Member.name == "号码错误党员")) is None


def test_birth_date_from_a_valid_id_number_is_a_real_date():
    from pbadmin.security.pii import birth_date_from_id

    assert birth_date_from_id(valid_id()) == dt.date(1990, 3, 7)
