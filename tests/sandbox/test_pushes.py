"""Pushing reports to the sandbox gateway over HTTP: the semantics of docs/gateway-contract.md, profile by profile."""

from __future__ import annotations

import json

import pytest

from tests.sandbox.conftest import CONTRACT_PROFILES as PROFILES
from tests.sandbox.conftest import ORG_UNIT, adx_document, report
from tests.test_adx import CONTRACT_EXAMPLE  # the contract's document, written by hand

JSON_PROFILES = ("zhejiang", "sichuan", "shandong")


def summary(answer) -> dict:
    body = answer.json()
    assert set(body) == {"status", "reference", "importCount", "conflicts"}, body
    return body


def counts(answer) -> tuple[int, int, int]:
    count = summary(answer)["importCount"]
    assert count["deleted"] == 0
    return count["imported"], count["updated"], count["ignored"]


# --- the happy path ---------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_every_profile_accepts_a_push_and_reads_it_back(province, profile):
    client = province(profile)
    answer = client.push(report(profile, {"PB_MEMBERS": "1024", "PB_DONATIONS_YUAN": "1500.50"}))
    assert answer.status_code == 200, answer.text
    assert summary(answer)["status"] == "SUCCESS" and summary(answer)["reference"]
    assert counts(answer) == (2, 0, 0)
    stored = client.read_back("PB_MONTHLY", "202401", ORG_UNIT[profile])
    assert stored["dataValues"] == [
        {"dataElement": "PB_DONATIONS_YUAN", "value": "1500.50"},
        {"dataElement": "PB_MEMBERS", "value": "1024"},
    ]
    assert (stored["dataSet"], stored["period"], stored["orgUnit"]) == ("PB_MONTHLY", "202401", ORG_UNIT[profile])


@pytest.mark.parametrize("profile", JSON_PROFILES)
def test_the_read_back_has_the_shape_of_a_push_with_its_complete_date(province, profile):
    client = province(profile)
    client.push(report(profile, {"PB_MEMBERS": "3"}))
    assert client.read_back("PB_MONTHLY", "202401", ORG_UNIT[profile]) == report(profile, {"PB_MEMBERS": "3"})


def test_reading_back_a_report_never_pushed_gives_no_values(province):
    stored = province("zhejiang").read_back("PB_MONTHLY", "209912", ORG_UNIT["zhejiang"])
    assert stored["dataValues"] == [] and "completeDate" not in stored


def test_reading_back_needs_all_three_parameters(province):
    answer = province("zhejiang").request("GET", "/api/dataValueSets", params={"dataSet": "PB_MONTHLY"})
    assert answer.status_code == 400 and "period" in answer.json()["message"]


@pytest.mark.parametrize(("data_set", "period"), [("PB_QUARTERLY", "2024Q1"), ("PB_YEARLY", "2023")])
@pytest.mark.parametrize("profile", ["zhejiang", "hubei"])
def test_quarterly_and_yearly_reports_are_stored_under_their_period(province, profile, data_set, period):
    client = province(profile)
    answer = client.push(report(profile, {"PB_BRANCHES": "9"}, period=period, data_set=data_set))
    assert answer.status_code == 200, answer.text
    assert client.read_back(data_set, period, ORG_UNIT[profile])["dataValues"] == [
        {"dataElement": "PB_BRANCHES", "value": "9"}
    ]


def test_region_elements_are_accepted_only_by_their_province(province):
    assert province("sichuan").push(report("sichuan", {"XD_JOINT_MEETINGS": "2"})).status_code == 200
    refused = province("zhejiang").push(report("zhejiang", {"XD_JOINT_MEETINGS": "2"}))
    assert refused.status_code == 422 and summary(refused)["conflicts"][0]["object"] == "XD_JOINT_MEETINGS"


# --- cells: imported, updated, ignored --------------------------------------------------------


@pytest.mark.parametrize("profile", ["zhejiang", "hubei"])
def test_a_cell_is_imported_then_updated_then_ignored(province, profile):
    client = province(profile)
    assert counts(client.push(report(profile, {"PB_MEMBERS": "10", "PB_BRANCHES": "2"}))) == (2, 0, 0)
    assert counts(client.push(report(profile, {"PB_MEMBERS": "11", "PB_BRANCHES": "2"}))) == (0, 1, 1)
    assert counts(client.push(report(profile, {"PB_MEMBERS": "11", "PB_BRANCHES": "2.0"}))) == (0, 0, 2)
    values = client.read_back("PB_MONTHLY", "202401", ORG_UNIT[profile])["dataValues"]
    assert {v["dataElement"]: v["value"] for v in values} == {"PB_MEMBERS": "11", "PB_BRANCHES": "2"}


def test_cells_of_other_periods_and_org_units_are_separate(province, control):
    client = province("zhejiang")
    client.push(report("zhejiang", {"PB_MEMBERS": "10"}))
    assert counts(client.push(report("zhejiang", {"PB_MEMBERS": "10"}, period="202402"))) == (1, 0, 0)
    assert counts(client.push(report("zhejiang", {"PB_MEMBERS": "10"}, orgUnit="331004-A"))) == (1, 0, 0)
    assert len(control.state()["cells"]) == 3


def test_each_accepted_push_gets_a_fresh_reference_and_a_receipt(province, control):
    client = province("shandong")
    first = summary(client.push(report("shandong")))["reference"]
    second = summary(client.push(report("shandong")))["reference"]
    assert first != second
    assert [receipt["reference"] for receipt in control.state()["receipts"]] == [first, second]


def test_accepted_pushes_are_counted_per_report(province, control):
    client = province("zhejiang")
    client.push(report("zhejiang"))
    client.push(report("zhejiang", {"PB_MEMBERS": "1"}))
    client.push(report("zhejiang", {"PB_MEMBERS": "x"}))  # refused: not counted
    assert control.state()["pushes"] == [
        {"profile": "zhejiang", "dataSet": "PB_MONTHLY", "orgUnit": "331004-PBW", "period": "202401", "count": 2}
    ]


def test_a_data_element_listed_twice_stores_the_last_value_with_a_warning(province):
    client = province("zhejiang")
    body = report("zhejiang", {"PB_MEMBERS": "1"})
    body["dataValues"].append({"dataElement": "PB_MEMBERS", "value": "2"})
    answer = client.push(body)
    assert answer.status_code == 200
    assert summary(answer)["status"] == "WARNING" and counts(answer) == (1, 0, 0)
    assert [c["object"] for c in summary(answer)["conflicts"]] == ["PB_MEMBERS"]
    assert client.read_back("PB_MONTHLY", "202401", "331004-PBW")["dataValues"] == [
        {"dataElement": "PB_MEMBERS", "value": "2"}
    ]


# --- Idempotency-Key ---------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_replaying_a_key_with_the_same_body_returns_the_first_receipt_and_changes_nothing(province, control, profile):
    client = province(profile)
    body = client.encode(report(profile, {"PB_MEMBERS": "10"}))
    first = client.push(body, key="report-1")
    client.push(report(profile, {"PB_MEMBERS": "99"}))  # another key changes the cell in between
    replay = client.push(body, key="report-1")
    assert replay.status_code == 200 and replay.json() == first.json()
    assert client.read_back("PB_MONTHLY", "202401", ORG_UNIT[profile])["dataValues"][0]["value"] == "99"
    assert len(control.state()["receipts"]) == 2


def test_replaying_a_refused_push_answers_the_same_refusal(province):
    client = province("zhejiang")
    body = client.encode(report("zhejiang", {"NO_SUCH": "1"}))
    first = client.push(body, key="k")
    again = client.push(body, key="k")
    assert first.status_code == again.status_code == 422 and first.json() == again.json()


def test_the_same_key_with_another_body_is_refused_with_409(province, control):
    client = province("sichuan")
    assert client.push(report("sichuan", {"PB_MEMBERS": "1"}), key="k").status_code == 200
    refused = client.push(report("sichuan", {"PB_MEMBERS": "2"}), key="k")
    assert refused.status_code == 409 and "Idempotency-Key" in refused.json()["message"]
    assert control.state()["cells"][0]["value"] == "1"


def test_keys_belong_to_one_province(province):
    assert province("zhejiang").push(report("zhejiang"), key="k").status_code == 200
    assert province("shandong").push(report("shandong"), key="k").status_code == 200  # another body, no 409


@pytest.mark.parametrize("profile", PROFILES)
def test_a_push_without_idempotency_key_is_refused_with_400(province, control, profile):
    answer = province(profile).push(report(profile), keyed=False)
    assert answer.status_code == 400 and "Idempotency-Key" in answer.json()["message"]
    assert control.state()["cells"] == []


def test_a_key_longer_than_128_characters_is_refused(province):
    assert province("zhejiang").push(report("zhejiang"), key="k" * 129).status_code == 400
    assert province("zhejiang").push(report("zhejiang"), key="k" * 128).status_code == 200


# --- rejected content: 422, nothing stored -----------------------------------------------------


def assert_rejected(answer, control, *objects: str) -> list[dict]:
    assert answer.status_code == 422, answer.text
    body = summary(answer)
    assert body["status"] == "ERROR" and body["reference"] is None and counts(answer) == (0, 0, 0)
    assert [c["object"] for c in body["conflicts"]] == list(objects)
    assert control.state()["cells"] == [] and control.state()["receipts"] == []
    return body["conflicts"]


@pytest.mark.parametrize("profile", PROFILES)
def test_an_unknown_data_element_is_rejected_and_nothing_is_stored(province, control, profile):
    answer = province(profile).push(report(profile, {"PB_MEMBERS": "5", "PB_UNHEARD_OF": "1"}))
    conflicts = assert_rejected(answer, control, "PB_UNHEARD_OF")
    assert "unknown data element" in conflicts[0]["value"]


@pytest.mark.parametrize("profile", PROFILES)
def test_an_unknown_org_unit_is_rejected_and_nothing_is_stored(province, control, profile):
    answer = province(profile).push(report(profile, orgUnit="999999-NOPE"))
    conflicts = assert_rejected(answer, control, "999999-NOPE")
    assert "unknown org unit" in conflicts[0]["value"]


@pytest.mark.parametrize("period", ["2024-01", "202413", "24Q1", "1899"])
def test_a_malformed_period_is_rejected(province, control, period):
    answer = province("zhejiang").push(report("zhejiang", period=period))
    assert "YYYYMM" in assert_rejected(answer, control, "period")[0]["value"]


@pytest.mark.parametrize(
    ("data_set", "period"), [("PB_QUARTERLY", "202401"), ("PB_MONTHLY", "2024Q1"), ("PB_YEARLY", "202401")]
)
def test_a_period_that_does_not_match_the_data_set_is_rejected(province, control, data_set, period):
    answer = province("shandong").push(report("shandong", data_set=data_set, period=period))
    assert data_set in assert_rejected(answer, control, "period")[0]["value"]


def test_an_unknown_data_set_is_rejected(province, control):
    answer = province("zhejiang").push(report("zhejiang", data_set="PB_WEEKLY"))
    assert_rejected(answer, control, "dataSet")


@pytest.mark.parametrize("value", ["abc", "1e3", "NaN", "", "1,024", 1024, None])
def test_a_non_decimal_value_is_rejected(province, control, value):
    answer = province("sichuan").push(report("sichuan", {"PB_MEMBERS": value}))
    assert "not a decimal" in assert_rejected(answer, control, "PB_MEMBERS")[0]["value"]


def test_a_malformed_complete_date_is_rejected(province, control):
    answer = province("zhejiang").push(report("zhejiang", completeDate="yesterday"))
    assert_rejected(answer, control, "completeDate")


def test_every_problem_gets_its_own_conflict(province, control):
    body = report("zhejiang", {"PB_MEMBERS": "many", "PB_NOPE": "1"}, period="2024Q1", orgUnit="nobody")
    assert_rejected(province("zhejiang").push(body), control, "period", "nobody", "PB_MEMBERS", "PB_NOPE")


# --- malformed requests: 400 -------------------------------------------------------------------


@pytest.mark.parametrize("body", [b"{not json", b"[]", b"\xff\xfe", b""])
def test_malformed_json_is_refused_with_400(province, control, body):
    answer = province("zhejiang").push(body)
    assert answer.status_code == 400 and answer.json()["status"] == "ERROR"
    assert control.state()["cells"] == []


@pytest.mark.parametrize("missing", ["dataSet", "period", "orgUnit", "dataValues"])
def test_a_push_missing_a_required_field_is_refused_with_400(province, missing):
    body = report("shandong")
    del body[missing]
    answer = province("shandong").push(json.dumps(body).encode())
    assert answer.status_code == 400 and missing in answer.json()["message"]


def test_a_data_value_without_its_element_is_refused_with_400(province):
    body = report("zhejiang")
    body["dataValues"].append({"value": "1"})
    assert province("zhejiang").push(body).status_code == 400


def test_a_json_push_must_say_it_is_json(province):
    answer = province("zhejiang").push(report("zhejiang"), content_type="text/plain")
    assert answer.status_code == 400 and "application/json" in answer.json()["message"]


# --- hubei: ADX -------------------------------------------------------------------------------


def test_hubei_takes_several_groups_in_one_document(province, control):
    client = province("hubei")
    document = adx_document(
        [
            report("hubei", {"PB_MEMBERS": "3"}),
            report("hubei", {"JZ_MDT_TEAMS": "4"}, period="2024Q1", data_set="PB_QUARTERLY"),
        ]
    )
    answer = client.push(document)
    assert answer.status_code == 200 and counts(answer) == (2, 0, 0)
    assert client.read_back("PB_QUARTERLY", "2024Q1", "421000-PBW")["dataValues"] == [
        {"dataElement": "JZ_MDT_TEAMS", "value": "4"}
    ]
    assert [r["period"] for r in control.state()["receipts"][0]["reports"]] == ["202401", "2024Q1"]


def test_hubei_reads_the_contracts_example_document_written_by_hand(province, control):
    answer = province("hubei").push(CONTRACT_EXAMPLE)
    assert answer.status_code == 200, answer.text
    assert [(c["period"], c["dataElement"], c["value"]) for c in control.state()["cells"]] == [
        ("202201", "PB_ACTIVITIES", "12.5"),
        ("202201", "PB_MEMBERS", "1024"),
    ]


@pytest.mark.parametrize(
    ("written", "data_set", "period"),
    [("2022-10-01/P3M", "PB_QUARTERLY", "2022Q4"), ("2021-01-01/P1Y", "PB_YEARLY", "2021")],
)
def test_hubei_reads_quarters_and_years_from_their_first_day_and_duration(province, control, written, data_set, period):
    document = (
        '<adx xmlns="urn:ihe:qrph:adx:2015" exported="2022-02-01T08:30:00Z">'
        f'<group dataSet="{data_set}" orgUnit="421000-PBW" period="{written}">'
        '<dataValue dataElement="PB_BRANCHES" value="7"/></group></adx>'
    ).encode()
    assert province("hubei").push(document).status_code == 200
    assert [(c["dataSet"], c["period"]) for c in control.state()["cells"]] == [(data_set, period)]


@pytest.mark.parametrize("written", ["2022-11-01/P3M", "2021-02-01/P1Y", "2022-01/P1M", "2022-01-01/P2M"])
def test_hubei_refuses_a_period_that_does_not_start_its_duration(province, control, written):
    data_set = {"P3M": "PB_QUARTERLY", "P1Y": "PB_YEARLY"}.get(written.rpartition("/")[2], "PB_MONTHLY")
    document = (
        '<adx xmlns="urn:ihe:qrph:adx:2015" exported="2022-02-01T08:30:00Z">'
        f'<group dataSet="{data_set}" orgUnit="421000-PBW" period="{written}">'
        '<dataValue dataElement="PB_BRANCHES" value="7"/></group></adx>'
    ).encode()
    answer = province("hubei").push(document)
    assert answer.status_code in (400, 422) and control.state()["cells"] == []


def test_invalid_adx_is_refused_with_400_and_the_schema_errors(province, control):
    document = adx_document([report("hubei")]).replace(b'value="1024"', b'value="lots"')
    answer = province("hubei").push(document)
    assert answer.status_code == 400
    assert answer.json()["errors"] and "lots" in answer.json()["errors"][0]
    assert control.state()["cells"] == []


def test_an_adx_document_with_a_doctype_is_refused_with_400(province):
    document = adx_document([report("hubei")]).replace(b"?>", b'?><!DOCTYPE adx [<!ENTITY x "1">]>', 1)
    answer = province("hubei").push(document)
    assert answer.status_code == 400 and "DOCTYPE" in json.dumps(answer.json(), ensure_ascii=False)


def test_an_adx_group_without_data_set_is_refused_with_400(province):
    document = adx_document([report("hubei")]).replace(b'dataSet="PB_MONTHLY" ', b"")
    answer = province("hubei").push(document)
    assert answer.status_code == 400 and "dataSet" in answer.json()["message"]


def test_an_adx_period_that_starts_mid_month_is_rejected_with_422(province, control):
    document = adx_document([report("hubei")]).replace(b"2024-01-01/P1M", b"2024-01-15/P1M")
    assert_rejected(province("hubei").push(document), control, "period")


def test_an_adx_period_of_another_data_set_is_rejected_with_422(province, control):
    document = adx_document([report("hubei")]).replace(b"2024-01-01/P1M", b"2024-01-01/P1Y")
    assert_rejected(province("hubei").push(document), control, "period")


def test_hubei_wants_adx_content_type(province):
    answer = province("hubei").push(adx_document([report("hubei")]), content_type="application/xml")
    assert answer.status_code == 400 and "application/adx+xml" in answer.json()["message"]


def test_hubei_takes_no_json_and_the_others_take_no_adx(province):
    assert province("hubei").push(report("hubei"), content_type="application/json").status_code == 400
    hubei_json = province("hubei").request(
        "POST", "/api/dataValueSets", json.dumps(report("hubei")).encode(), {"Content-Type": "application/json"}
    )
    assert hubei_json.status_code == 405
    zhejiang_adx = province("zhejiang").request(
        "POST", "/api/adx", adx_document([report("zhejiang")]), {"Content-Type": "application/adx+xml"}
    )
    assert zhejiang_adx.status_code == 404


def test_the_request_log_records_method_path_key_and_status(province, control):
    client = province("zhejiang")
    client.push(report("zhejiang"), key="k1")
    client.push(report("zhejiang", {"PB_MEMBERS": "x"}), key="k2")
    log = control.state()["requests"]["zhejiang"]
    assert log == [
        {"method": "POST", "path": "/zhejiang/api/dataValueSets", "query": "", "idempotencyKey": "k1", "status": 200},
        {"method": "POST", "path": "/zhejiang/api/dataValueSets", "query": "", "idempotencyKey": "k2", "status": 422},
    ]
    assert control.state()["requests"]["sichuan"] == []
