"""The dhis2 profile answers as DHIS2's Web API does: data value sets by code, ApiToken or Basic,
WebMessages (409 with conflicts), read-back and the catalogue with fields and paging."""

from __future__ import annotations

import json

import pytest
import requests

from pbadmin.sandbox.dhis2 import uid
from tests.sandbox.conftest import CREDENTIALS, TIMEOUT

BY_CODE = {"dataElementIdScheme": "code", "orgUnitIdScheme": "code", "dataSetIdScheme": "code"}
READ_BY_CODE = {"inputIdScheme": "code", **BY_CODE}
TOKEN = {"Authorization": f"ApiToken {CREDENTIALS['dhis2']['api_token']}"}


def value_set(values: dict[str, str] | None = None, **fields) -> dict:
    values = values if values is not None else {"PB_MEMBERS": "1024", "PB_BRANCHES": "7"}
    body = {"dataSet": "PB_MONTHLY", "period": "202401", "orgUnit": "420000-DHIS", "completeDate": "2024-02-01"}
    body["dataValues"] = [
        {"dataElement": code, "period": "202401", "orgUnit": "420000-DHIS", "value": value}
        for code, value in values.items()
    ]
    body.update(fields)
    return body


class Dhis2:
    def __init__(self, server, headers: dict | None = None, auth: tuple | None = None) -> None:
        self.base = server.base_url("dhis2")
        self.headers = TOKEN if headers is None and auth is None else headers or {}
        self.auth = auth

    def push(self, body: dict | bytes, params: dict | None = None, **headers) -> requests.Response:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return requests.post(
            f"{self.base}/api/dataValueSets",
            params=BY_CODE if params is None else params,
            data=data,
            headers={"Content-Type": "application/json", **self.headers, **headers},
            auth=self.auth,
            timeout=TIMEOUT,
        )

    def get(self, path: str, params: dict | None = None) -> requests.Response:
        return requests.get(f"{self.base}{path}", params=params, headers=self.headers, auth=self.auth, timeout=TIMEOUT)

    def read_back(self, period: str = "202401", org_unit: str = "420000-DHIS", **params) -> requests.Response:
        query = {"dataSet": "PB_MONTHLY", "period": period, "orgUnit": org_unit, **READ_BY_CODE, **params}
        return self.get("/api/dataValueSets", {k: v for k, v in query.items() if v is not None})


@pytest.fixture
def dhis2(gateway) -> Dhis2:
    return Dhis2(gateway)


def counts(summary: dict) -> tuple[int, int, int]:
    count = summary["importCount"]
    return count["imported"], count["updated"], count["ignored"]


# --- pushes ------------------------------------------------------------------------------------


def test_a_push_by_code_is_imported_and_answered_with_a_web_message(dhis2):
    answer = dhis2.push(value_set())
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["httpStatus"], body["httpStatusCode"], body["status"]) == ("OK", 200, "OK")
    summary = body["response"]
    assert summary["responseType"] == "ImportSummary" and summary["status"] == "SUCCESS"
    assert counts(summary) == (2, 0, 0) and summary["conflicts"] == []
    assert summary["dataSetComplete"] == "2024-02-01"


def test_the_read_back_gives_the_stored_values_by_code(dhis2):
    dhis2.push(value_set({"PB_MEMBERS": "1024", "PB_DONATIONS_YUAN": "1500.50"}))
    stored = dhis2.read_back().json()
    assert (stored["dataSet"], stored["period"], stored["orgUnit"]) == ("PB_MONTHLY", "202401", "420000-DHIS")
    assert stored["completeDate"] == "2024-02-01"
    assert [(v["dataElement"], v["period"], v["orgUnit"], v["value"]) for v in stored["dataValues"]] == [
        ("PB_DONATIONS_YUAN", "202401", "420000-DHIS", "1500.50"),
        ("PB_MEMBERS", "202401", "420000-DHIS", "1024"),
    ]


def test_the_same_push_again_changes_nothing_and_no_idempotency_key_is_needed(dhis2, control):
    assert counts(dhis2.push(value_set()).json()["response"]) == (2, 0, 0)
    again = dhis2.push(value_set(), **{"Idempotency-Key": "k"})
    changed = dhis2.push(value_set({"PB_MEMBERS": "1025", "PB_BRANCHES": "7"}), **{"Idempotency-Key": "k"})
    assert counts(again.json()["response"]) == (0, 0, 2)
    assert changed.status_code == 200 and counts(changed.json()["response"]) == (0, 1, 1)  # a key means nothing
    assert len(control.state()["cells"]) == 2


def test_values_may_name_their_own_period_and_org_unit(dhis2, control):
    body = {"dataValues": [{"dataElement": "PB_MEMBERS", "period": "2024Q1", "orgUnit": "420100-A", "value": "3"}]}
    assert counts(dhis2.push(body).json()["response"]) == (1, 0, 0)
    [cell] = control.state()["cells"]
    assert (cell["orgUnit"], cell["period"], cell["value"]) == ("420100-A", "2024Q1", "3")


def test_an_import_with_conflicts_answers_409_imports_what_it_can_and_names_each_conflict(dhis2, control):
    answer = dhis2.push(value_set({"PB_MEMBERS": "5", "PB_UNHEARD_OF": "1", "PB_BRANCHES": "many"}))
    assert answer.status_code == 409
    body = answer.json()
    assert (body["httpStatus"], body["httpStatusCode"], body["status"]) == ("Conflict", 409, "WARNING")
    summary = body["response"]
    assert summary["status"] == "WARNING" and counts(summary) == (1, 0, 2)
    assert [(c["object"], c["property"], c["indexes"]) for c in summary["conflicts"]] == [
        ("PB_UNHEARD_OF", "dataElement", [1]),
        ("PB_BRANCHES", "value", [2]),
    ]
    assert "not found" in summary["conflicts"][0]["value"]
    assert summary["dataSetComplete"] == "false"
    assert [cell["dataElement"] for cell in control.state()["cells"]] == ["PB_MEMBERS"]


def test_an_unknown_org_unit_imports_nothing_and_answers_409_error(dhis2, control):
    answer = dhis2.push(value_set(orgUnit="999999-NOPE", dataValues=[{"dataElement": "PB_MEMBERS", "value": "1"}]))
    assert answer.status_code == 409 and answer.json()["status"] == "ERROR"
    summary = answer.json()["response"]
    assert summary["status"] == "ERROR" and counts(summary) == (0, 0, 1)
    assert summary["conflicts"][0]["object"] == "999999-NOPE"
    assert control.state()["cells"] == [] and control.state()["receipts"] == []


def test_an_unknown_data_set_refuses_the_whole_push(dhis2, control):
    answer = dhis2.push(value_set(dataSet="PB_WEEKLY"))
    assert answer.status_code == 409
    assert answer.json()["response"]["conflicts"][0]["property"] == "dataSet"
    assert control.state()["cells"] == []


@pytest.mark.parametrize("period", ["2024-01", "202413", "2024W1"])
def test_a_period_dhis2_does_not_know_is_a_conflict(dhis2, period):
    answer = dhis2.push(
        value_set({"PB_MEMBERS": "1"}, period=period, dataValues=[{"dataElement": "PB_MEMBERS", "value": "1"}])
    )
    assert answer.status_code == 409
    assert [c["property"] for c in answer.json()["response"]["conflicts"]] == ["period"]


def test_a_locked_period_is_a_conflict_for_every_value(dhis2, control):
    control.lock_periods("dhis2", "202401")
    answer = dhis2.push(value_set())
    assert answer.status_code == 409 and answer.json()["response"]["status"] == "ERROR"
    assert [c["indexes"] for c in answer.json()["response"]["conflicts"]] == [[0, 1]]
    assert control.state()["cells"] == []


def test_without_id_schemes_identifiers_are_uids(dhis2, control):
    by_code = dhis2.push(value_set(), params={})
    assert by_code.status_code == 409 and by_code.json()["response"]["importCount"]["imported"] == 0
    body = {
        "dataSet": uid("PB_MONTHLY"),
        "period": "202401",
        "orgUnit": uid("420000-DHIS"),
        "dataValues": [{"dataElement": uid("PB_MEMBERS"), "value": "4"}],
    }
    assert dhis2.push(body, params={}).status_code == 200
    assert control.state()["cells"][0]["dataElement"] == "PB_MEMBERS"


def test_older_dhis2_answers_a_bare_import_summary_with_200_even_with_conflicts(start_gateway):
    from tests.sandbox.conftest import ORG_UNITS

    server = start_gateway(dhis2_web_message=False, org_units=lambda profile: ORG_UNITS.get(profile, []))
    client = Dhis2(server)
    ok = client.push(value_set())
    assert ok.status_code == 200 and ok.json()["responseType"] == "ImportSummary" and "httpStatus" not in ok.json()
    conflicted = client.push(value_set({"PB_UNHEARD_OF": "1"}))
    assert conflicted.status_code == 200 and conflicted.json()["status"] == "ERROR"
    assert conflicted.json()["conflicts"][0]["object"] == "PB_UNHEARD_OF"


@pytest.mark.parametrize("body", [b"{not json", b"[]"])
def test_a_body_that_is_no_data_value_set_is_a_bad_request(dhis2, body):
    answer = dhis2.push(body)
    assert answer.status_code == 400 and answer.json()["httpStatusCode"] == 400


def test_only_json_is_taken(dhis2):
    assert dhis2.push(b"<dataValueSet/>", **{"Content-Type": "application/xml"}).status_code == 415


# --- auth --------------------------------------------------------------------------------------


def test_http_basic_opens_the_api_too(gateway):
    dhis2 = CREDENTIALS["dhis2"]
    client = Dhis2(gateway, auth=(dhis2["username"], dhis2["password"]))
    assert client.push(value_set()).status_code == 200


@pytest.mark.parametrize(
    ("headers", "auth", "words"),
    [
        ({"Authorization": "ApiToken d2pat_not-the-token"}, None, "API token"),
        ({}, None, "ApiToken"),
        ({}, (CREDENTIALS["dhis2"]["username"], "wrong"), "password"),
        ({"Authorization": f"Bearer {CREDENTIALS['dhis2']['api_token']}"}, None, "ApiToken"),
    ],
)
def test_wrong_credentials_get_401_in_a_web_message(gateway, control, headers, auth, words):
    answer = Dhis2(gateway, headers=headers, auth=auth).push(value_set())
    assert answer.status_code == 401
    body = answer.json()
    assert (body["httpStatus"], body["httpStatusCode"], body["status"]) == ("Unauthorized", 401, "ERROR")
    assert words in body["message"]
    assert control.state()["cells"] == []


def test_an_injected_failure_is_answered_as_a_web_message(dhis2, control):
    control.inject_failures([{"status": 503}], profile="dhis2")
    answer = dhis2.push(value_set())
    assert answer.status_code == 503 and answer.json()["httpStatusCode"] == 503


# --- reading -----------------------------------------------------------------------------------


def test_reading_back_a_set_never_pushed_gives_no_values(dhis2):
    assert dhis2.read_back(period="209912").json()["dataValues"] == []


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"dataSet": None}, "data set"),
        ({"period": None}, "period"),
        ({"orgUnit": None}, "organisation unit"),
        ({"inputIdScheme": None}, "Data set does not exist"),
        ({"orgUnit": "999999-NOPE"}, "Organisation unit does not exist"),
    ],
)
def test_an_illegal_read_back_query_answers_409(dhis2, params, words):
    query = {"dataSet": "PB_MONTHLY", "period": "202401", "orgUnit": "420000-DHIS", **READ_BY_CODE, **params}
    answer = dhis2.get("/api/dataValueSets", {name: value for name, value in query.items() if value is not None})
    assert answer.status_code == 409 and words in answer.json()["message"]


def test_the_catalogue_gives_the_fields_asked_for_without_paging(dhis2):
    elements = dhis2.get("/api/dataElements", {"fields": "code,name", "paging": "false"}).json()
    assert set(elements) == {"dataElements"}
    assert {"code": "PB_MEMBERS", "name": "党员数 (正式 + 预备)"} in elements["dataElements"]
    assert {"code": "LQ_XINGLIN_HOMES", "name": "「红色杏林之家」党员活动室数"} in elements[
        "dataElements"
    ]  # every region
    units = dhis2.get("/api/organisationUnits", {"fields": "code,name,parent[code]", "paging": "false"}).json()
    assert units["organisationUnits"] == [
        {"code": "420000-DHIS", "name": "省卫健委党组"},
        {"code": "420100-A", "name": "武汉市卫健委党委", "parent": {"code": "420000-DHIS"}},
    ]


def test_the_catalogue_pages_by_default_with_ids_and_display_names(dhis2):
    first = dhis2.get("/api/dataElements").json()
    assert first["pager"] == {"page": 1, "pageCount": 1, "total": 42, "pageSize": 50}
    assert first["dataElements"][0] == {"id": uid("PB_BRANCHES"), "displayName": "党支部数 (incl. temporary)"}
    units = dhis2.get("/api/organisationUnits", {"fields": "id,code,parent"}).json()["organisationUnits"]
    assert units[1]["parent"] == {"id": uid("420000-DHIS")}


def test_uids_look_like_dhis2_uids():
    assert len(uid("PB_MEMBERS")) == 11 and uid("PB_MEMBERS")[0].isalpha() and uid("PB_MEMBERS").isalnum()
    assert uid("PB_MEMBERS") == uid("PB_MEMBERS") != uid("PB_BRANCHES")
