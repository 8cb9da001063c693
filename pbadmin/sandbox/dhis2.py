"""The dhis2 profile played as DHIS2's Web API answers (docs/gateway-contract.md, "dhis2").

- ``POST /api/dataValueSets``: DHIS2's JSON data value set. Identifiers are looked up by the
  ``dataElementIdScheme``, ``orgUnitIdScheme`` and ``dataSetIdScheme`` parameters (or ``idScheme``),
  UID by default; every object has a UID here too (``uid(code)``). Each data value may name its own
  period and org unit, else the set's. Values that can be imported are; every other one is ignored
  with a conflict. No Idempotency-Key: the same push again finds its values unchanged (ignored).
- The answer: a WebMessage wrapping the import summary, HTTP 200, or HTTP 409 when the import had
  conflicts; with ``SandboxConfig.dhis2_web_message`` off, the bare import summary with HTTP 200.
- ``GET /api/dataValueSets?dataSet&period&orgUnit`` reads back (``inputIdScheme`` or
  ``inputDataSetIdScheme``/``inputOrgUnitIdScheme`` say how the three are written; an illegal query
  answers 409 as DHIS2 does); ``GET /api/dataElements`` and ``/api/organisationUnits`` list the
  catalogue with ``fields`` and ``paging`` (50 a page unless ``paging=false``).

Only the monthly, quarterly and yearly period forms are known (``pbadmin.sandbox.periods``).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter

from flask import Blueprint, current_app, jsonify, request

from pbadmin.sandbox import periods
from pbadmin.sandbox.answers import Refusal
from pbadmin.sandbox.imports import Verdict, is_decimal
from pbadmin.sandbox.published_elements import VALUE_TYPE
from pbadmin.sync.profiles import DHIS2_WEB_MESSAGE, PROFILES

dhis2_gateway = Blueprint("sandbox_dhis2", __name__)
DHIS2 = [spec for spec in PROFILES.values() if spec.answers == DHIS2_WEB_MESSAGE]
PAGE_SIZE = 50
REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def uid(code: str) -> str:
    """A stable DHIS2-style UID for a code: 11 letters and digits, the first a letter."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[digest[0] % len(letters)] + base64.b32encode(digest).decode("ascii")[:10]


def web_message(status_code: int, status: str, message: str, response: dict | None = None):
    body = {"httpStatus": REASONS.get(status_code, str(status_code)), "httpStatusCode": status_code}
    body.update({"status": status, "message": message})
    if response is not None:
        body["response"] = response
    answer = jsonify(body)
    answer.status_code = status_code
    return answer


def refusal_as_web_message(refusal: Refusal):
    """A refusal of the gate (401, an injected 503 …) in DHIS2's WebMessage shape."""
    answer = web_message(refusal.status, "ERROR", refusal.message)
    answer.headers.update(refusal.headers)
    return answer


def _sandbox():
    """The app's ``Sandbox`` (config and state), as ``pbadmin.sandbox.app.sandbox()`` gives it."""
    return current_app.extensions["pbadmin_sandbox"]


def _scheme(*names: str) -> str:
    """The first of these query parameters that is given, upper-cased (DHIS2's default: UID)."""
    for name in names:
        value = request.args.get(name)
        if value:
            return value.strip().upper()
    return "UID"


def _resolver(codes, scheme: str):
    """identifier → code for one id scheme ("CODE", or "UID"/"ID")."""
    if scheme == "CODE":
        return {code: code for code in codes}
    return {uid(code): code for code in codes}


def _conflict(problems: dict, obj: str, why: str, prop: str, index: int) -> None:
    """One conflict per object and reason, listing the indexes of the data values it applies to (as DHIS2 does)."""
    entry = problems.setdefault((obj, why), {"object": obj, "value": why, "property": prop, "indexes": []})
    entry["indexes"].append(index)


# --- pushes ------------------------------------------------------------------------------------


@dhis2_gateway.post(f"/<any({', '.join(spec.name for spec in DHIS2)}):profile>/api/dataValueSets")
def push(profile: str):
    if request.mimetype != "application/json":
        return web_message(415, "ERROR", f"Content type '{request.mimetype}' not supported")
    try:
        body = json.loads(request.get_data(cache=True).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return web_message(400, "ERROR", f"JSON parse error: {exc}")
    if not isinstance(body, dict) or not isinstance(body.get("dataValues", []), list):
        return web_message(400, "ERROR", "The body is not a data value set (an object with dataValues)")
    box = _sandbox()
    state = box.state
    elements = _resolver(state.elements(profile), _scheme("dataElementIdScheme", "idScheme"))
    org_units = _resolver(box.org_units(profile), _scheme("orgUnitIdScheme", "idScheme"))
    data_sets = _resolver(periods.DATA_SETS, _scheme("dataSetIdScheme", "idScheme"))
    problems: dict = {}
    data_set = None
    if body.get("dataSet"):
        data_set = data_sets.get(body["dataSet"])
        if data_set is None:
            why = f"Data set not found or not accessible: `{body['dataSet']}`"
            summary = _summary("ERROR", Counter(), [{"object": body["dataSet"], "value": why, "property": "dataSet"}])
            return _answer(summary)
    counts: Counter = Counter()
    cells: dict = {}
    for index, item in enumerate(body.get("dataValues") or []):
        if not isinstance(item, dict):
            counts["ignored"] += 1
            _conflict(problems, str(item), "Data value is not an object", "dataValue", index)
            continue
        cell = _cell(profile, item, body, elements, org_units, problems, index)
        if cell is None:
            counts["ignored"] += 1
        else:
            cells[cell[0]] = cell[1]
    unit, period = org_units.get(body.get("orgUnit")), body.get("period")
    complete = "false"
    complete_dates = {}
    if data_set and unit and isinstance(period, str) and body.get("completeDate") and not problems:
        complete = str(body["completeDate"])
        complete_dates[(data_set, unit, period)] = complete
    if cells:
        verdict = Verdict(
            200,
            cells={("", ou, pe, de): value for (ou, pe, de), value in cells.items()},
            complete_dates=complete_dates,
            reports=((data_set or "", unit or "", period if isinstance(period, str) else ""),),
        )
        counts.update(state.store(profile, verdict)[1])
    conflicts = list(problems.values())
    status = "SUCCESS" if not conflicts else "WARNING" if cells else "ERROR"
    summary = _summary(status, counts, conflicts, complete)
    return _answer(summary)


def _cell(profile, item, body, elements, org_units, problems, index):
    """((orgUnit, period, dataElement), value) of one data value, or None after noting its conflict."""
    given_element = item.get("dataElement")
    given_unit = item.get("orgUnit") or body.get("orgUnit")
    period = item.get("period") or body.get("period")
    element = elements.get(given_element) if isinstance(given_element, str) else None
    unit = org_units.get(given_unit) if isinstance(given_unit, str) else None
    value = item.get("value")
    if element is None:
        problem = (str(given_element), f"Data element not found or not accessible: `{given_element}`", "dataElement")
    elif unit is None:
        problem = (str(given_unit), f"Organisation unit not found or not accessible: `{given_unit}`", "orgUnit")
    elif not _known_period(period):
        problem = (str(period), f"Period not valid: `{period}`", "period")
    elif _sandbox().state.is_locked(profile, period.strip()):
        problem = (period, f"Period `{period}` is closed for data entry", "period")
    elif not is_decimal(value):
        problem = (str(given_element), f"Value must be a number: `{value}` (data element `{given_element}`)", "value")
    else:
        return (unit, period.strip(), element), value.strip()
    _conflict(problems, *problem, index)
    return None


def _known_period(period: object) -> bool:
    try:
        periods.data_set_of(period)
    except periods.BadPeriod:
        return False
    return True


def _summary(status: str, counts: Counter, conflicts: list[dict], complete: str = "false") -> dict:
    return {
        "responseType": "ImportSummary",
        "status": status,
        "description": "Import process completed successfully" if status != "ERROR" else "Import process failed",
        "importCount": {key: counts.get(key, 0) for key in ("imported", "updated", "ignored", "deleted")},
        "conflicts": conflicts,
        "dataSetComplete": complete,
    }


def _answer(summary: dict):
    if not _sandbox().config.dhis2_web_message:
        return jsonify(summary)
    if summary["conflicts"]:
        message = (
            "An error occurred, please check import summary."
            if summary["status"] == "ERROR"
            else "One more conflicts encountered, please check import summary."
        )
        return web_message(409, summary["status"], message, summary)
    return web_message(200, "OK", "Import was successful.", summary)


# --- reading -----------------------------------------------------------------------------------


@dhis2_gateway.get(f"/<any({', '.join(spec.name for spec in DHIS2)}):profile>/api/dataValueSets")
def read_back(profile: str):
    box = _sandbox()
    data_sets = _resolver(periods.DATA_SETS, _scheme("inputDataSetIdScheme", "inputIdScheme"))
    org_units = _resolver(box.org_units(profile), _scheme("inputOrgUnitIdScheme", "inputIdScheme"))
    given = {name: request.args.get(name, "").strip() for name in ("dataSet", "period", "orgUnit")}
    if not given["dataSet"]:
        return web_message(409, "ERROR", "At least one valid data set or data element group must be specified")
    if given["dataSet"] not in data_sets:
        return web_message(409, "ERROR", f"Data set does not exist: `{given['dataSet']}`")
    if not given["period"]:
        return web_message(409, "ERROR", "At least one valid period, start date or end date must be specified")
    if not given["orgUnit"]:
        return web_message(409, "ERROR", "At least one valid organisation unit must be specified")
    if given["orgUnit"] not in org_units:
        return web_message(409, "ERROR", f"Organisation unit does not exist: `{given['orgUnit']}`")
    data_set, unit, period = data_sets[given["dataSet"]], org_units[given["orgUnit"]], given["period"]
    stored = box.state.read_back(profile, data_set, period, unit, cells_under="")
    show_element = _shown(_scheme("dataElementIdScheme", "idScheme"))
    show_unit = _shown(_scheme("orgUnitIdScheme", "idScheme"))
    answer = {"dataSet": _shown(_scheme("dataSetIdScheme", "idScheme"))(data_set), "period": period}
    answer["orgUnit"] = show_unit(unit)
    if "completeDate" in stored:
        answer["completeDate"] = stored["completeDate"]
    answer["dataValues"] = [
        {
            "dataElement": show_element(item["dataElement"]),
            "period": period,
            "orgUnit": show_unit(unit),
            "value": item["value"],
            "storedBy": "pbadmin",
            "followup": False,
        }
        for item in stored["dataValues"]
    ]
    return jsonify(answer)


def _shown(scheme: str):
    return (lambda code: code) if scheme == "CODE" else uid


@dhis2_gateway.get(f"/<any({', '.join(spec.name for spec in DHIS2)}):profile>/api/dataElements")
def data_elements(profile: str):
    elements = _sandbox().state.elements(profile)
    items = [{"code": code, "name": name, "valueType": VALUE_TYPE} for code, name in elements.items()]
    return _listing("dataElements", items)


@dhis2_gateway.get(f"/<any({', '.join(spec.name for spec in DHIS2)}):profile>/api/organisationUnits")
def organisation_units(profile: str):
    units = _sandbox().org_units(profile)
    return _listing("organisationUnits", [units[code] for code in sorted(units)])


def _listing(key: str, items: list[dict]):
    """A DHIS2 metadata list: only the ``fields`` asked for (default id and displayName), paged unless paging=false."""
    fields = [field.strip() for field in request.args.get("fields", "id,displayName").split(",") if field.strip()]
    shaped = [_fields(item, fields) for item in items]
    if request.args.get("paging", "true").lower() == "false":
        return jsonify({key: shaped})
    page = int(request.args["page"]) if request.args.get("page", "").isdigit() else 1
    page = max(1, page)
    pages = max(1, -(-len(shaped) // PAGE_SIZE))
    pager = {"page": page, "pageCount": pages, "total": len(shaped), "pageSize": PAGE_SIZE}
    return jsonify({"pager": pager, key: shaped[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]})


def _fields(item: dict, fields: list[str]) -> dict:
    shaped: dict = {}
    for field in fields:
        name, _, inner = field.partition("[")
        if name == "id":
            shaped["id"] = uid(item["code"])
        elif name == "displayName" and "name" in item:
            shaped["displayName"] = item["name"]
        elif name == "parent":
            if item.get("parent"):
                wanted = inner.rstrip("]") or "id"
                parent = item["parent"]
                shaped["parent"] = {"code": parent} if wanted == "code" else {"id": uid(parent)}
        elif name in item and item[name] is not None:
            shaped[name] = item[name]
    return shaped
