"""ADX documents: what pbadmin builds validates against IHE's loose schema and reads back the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pbadmin.reporting.periods import Period
from pbadmin.sync.adx import NAMESPACE, AdxError, AdxGroup, build_adx, parse_adx, validate_adx

SAMPLE = Path(__file__).resolve().parent / "sandbox" / "data" / "adx_data_sample1.xml"
EXPORTED = dt.datetime(2022, 2, 1, 8, 30, tzinfo=dt.UTC)


def monthly(org_unit: str = "421000-PBW", period: str = "202201") -> AdxGroup:
    return AdxGroup("PB_MONTHLY", org_unit, Period.parse(period), [("PB_MEMBERS", "1024"), ("PB_ACTIVITIES", "12.5")])


def document(body: str, root: str = f'<adx xmlns="{NAMESPACE}" exported="2022-02-01T08:30:00Z">') -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>{root}{body}</adx>'.encode()


GROUP = (
    '<group dataSet="PB_MONTHLY" orgUnit="X" period="2022-01-01/P1M"><dataValue dataElement="A" value="{}"/></group>'
)


def test_a_built_document_validates_against_the_loose_schema():
    built = build_adx([monthly(), monthly("421000-A")], EXPORTED)
    assert built.startswith(b"<?xml") and f'xmlns="{NAMESPACE}"'.encode() in built
    assert validate_adx(built) == []


def test_the_document_carries_the_contract_attributes():
    built = build_adx([monthly()], EXPORTED)
    assert b'exported="2022-02-01T08:30:00+00:00"' in built
    assert b'<group dataSet="PB_MONTHLY" orgUnit="421000-PBW" period="2022-01-01/P1M">' in built
    assert b'<dataValue dataElement="PB_MEMBERS" value="1024" />' in built


def test_ihe_sample_message_validates():
    assert validate_adx(SAMPLE.read_bytes()) == []


def test_a_document_without_exported_is_invalid():
    errors = validate_adx(document(GROUP.format("1"), root=f'<adx xmlns="{NAMESPACE}">'))
    assert len(errors) == 1 and "exported" in errors[0]


def test_a_non_decimal_value_is_invalid():
    errors = validate_adx(document(GROUP.format("twelve")))
    assert len(errors) == 1 and "twelve" in errors[0] and errors[0].startswith("/adx/group/dataValue")


def test_a_document_in_another_namespace_is_invalid():
    errors = validate_adx(document(GROUP.format("1"), root='<adx xmlns="urn:example" exported="2022-02-01T08:30:00Z">'))
    assert errors and "urn:example" in errors[0]


def test_malformed_xml_is_an_error_not_an_exception():
    errors = validate_adx(b"<adx><group></adx>")
    assert len(errors) == 1 and "not well-formed" in errors[0]


def test_a_doctype_is_refused_by_validation_and_parsing():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE adx [<!ENTITY a "1">]>'
        + f'<adx xmlns="{NAMESPACE}" exported="2022-02-01T08:30:00Z">{GROUP.format("&a;")}</adx>'.encode()
    )
    assert "DOCTYPE" in validate_adx(bomb)[0]
    with pytest.raises(AdxError, match="DOCTYPE"):
        parse_adx(bomb)


def test_build_then_parse_round_trips():
    groups = [monthly(), monthly("421000-A", "202112")]
    assert parse_adx(build_adx(groups, EXPORTED)) == groups


@pytest.mark.parametrize(
    ("data_set", "period", "adx"),
    [("PB_QUARTERLY", "2022Q2", "2022-04-01/P3M"), ("PB_YEARLY", "2021", "2021-01-01/P1Y")],
)
def test_quarter_and_year_periods_round_trip(data_set, period, adx):
    group = AdxGroup(data_set, "421000-PBW", Period.parse(period), [("PB_BRANCHES", "7")])
    built = build_adx([group], EXPORTED)
    assert f'period="{adx}"'.encode() in built
    assert validate_adx(built) == []
    assert parse_adx(built) == [group]


def test_special_characters_in_codes_are_escaped_and_survive():
    group = AdxGroup("PB_MONTHLY", 'a&b<"c>', Period.parse("202201"), [("PB_MEMBERS", "1")])
    built = build_adx([group], EXPORTED)
    assert validate_adx(built) == []
    assert parse_adx(built)[0].org_unit == 'a&b<"c>'


def test_parsing_a_group_without_data_set_says_which_attribute_is_missing():
    with pytest.raises(AdxError, match="dataSet"):
        parse_adx(SAMPLE.read_bytes())  # IHE's sample names no dataSet: valid ADX, but not a pbadmin report


def test_parsing_a_period_that_is_not_a_whole_month_names_the_period_field():
    with pytest.raises(AdxError) as caught:
        parse_adx(document(GROUP.format("1").replace("2022-01-01/P1M", "2022-01-15/P1M")))
    assert caught.value.field == "period"


def test_parsing_refuses_another_root_and_foreign_children():
    with pytest.raises(AdxError, match="root"):
        parse_adx(b'<report xmlns="urn:ihe:qrph:adx:2015"/>')
    with pytest.raises(AdxError, match="unexpected element"):
        parse_adx(document(GROUP.format("1") + "<note/>"))


def test_parsing_refuses_a_non_decimal_value_even_without_validation():
    with pytest.raises(AdxError, match="not a decimal"):
        parse_adx(document(GROUP.format("NaN")))


def test_adx_error_is_a_value_error_with_chinese_and_english():
    with pytest.raises(ValueError) as caught:
        parse_adx(b"not xml")
    assert "不是格式正确的 XML" in str(caught.value) and "not well-formed XML" in str(caught.value)


# The contract's example (docs/gateway-contract.md, "hubei: ADX"), written by hand, not built.
CONTRACT_EXAMPLE = b"""<?xml version="1.0" encoding="UTF-8"?>
<adx xmlns="urn:ihe:qrph:adx:2015" exported="2022-02-01T08:30:00+00:00">
  <group dataSet="PB_MONTHLY" orgUnit="421000-PBW" period="2022-01-01/P1M">
    <dataValue dataElement="PB_MEMBERS" value="1024"/>
    <dataValue dataElement="PB_ACTIVITIES" value="12.5"/>
  </group>
</adx>"""


def _canonical(document: bytes) -> str:
    """The document in canonical XML (C14N 2.0), whitespace between elements dropped: what it says, not how."""
    import xml.etree.ElementTree as ET

    return ET.canonicalize(document.decode("utf-8"), strip_text=True)


def test_the_client_builds_exactly_the_contracts_example_document():
    assert _canonical(build_adx([monthly()], EXPORTED)) == _canonical(CONTRACT_EXAMPLE)


@pytest.mark.parametrize(
    ("data_set", "period", "written"),
    [
        ("PB_MONTHLY", "202112", "2021-12-01/P1M"),
        ("PB_QUARTERLY", "2022Q4", "2022-10-01/P3M"),
        ("PB_YEARLY", "2021", "2021-01-01/P1Y"),
    ],
)
def test_the_client_writes_each_period_as_the_contract_does(data_set, period, written):
    built = build_adx([AdxGroup(data_set, "421000-PBW", Period.parse(period), [("PB_BRANCHES", "7")])], EXPORTED)
    expected = (
        '<adx xmlns="urn:ihe:qrph:adx:2015" exported="2022-02-01T08:30:00+00:00">'
        f'<group dataSet="{data_set}" orgUnit="421000-PBW" period="{written}">'
        '<dataValue dataElement="PB_BRANCHES" value="7"/></group></adx>'
    ).encode()
    assert _canonical(built) == _canonical(expected)


def test_the_contracts_example_validates_against_the_loose_schema():
    assert validate_adx(CONTRACT_EXAMPLE) == []
