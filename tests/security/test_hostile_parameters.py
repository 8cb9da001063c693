"""Point 8: no 500 on hostile parameters.

Every GET page of the app, enumerated from ``app.url_map`` (a route added tomorrow, or by a plugin, is
covered without anyone listing it), gets random and hostile values in its query string and its path
(huge and negative numbers, floats, NUL bytes, CR/LF, very long text, unicode, SQL-ish text, nothing),
as each role; every POST route gets hostile form values with a valid CSRF token. No answer may be a
500, an error page is in Chinese, a redirect stays on the site, and nothing changes in the database
when the answer is a rejection (every GET is one). The plain tests at the top pin the URLs the issue
names, one of each kind.
"""

from __future__ import annotations

import io
import logging
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import BigInteger, Integer, Numeric, SmallInteger, func, select
from werkzeug.datastructures import MultiDict

from pbadmin.admin.base import PbModelView
from pbadmin.extensions import db
from pbadmin.models import Activity, ActivityAttachment, AuditEntry
from tests import snapshots
from tests.conftest import make_app
from tests.helpers import build_world, login

HUGE = str(10**30)
CHINESE = re.compile(r"[\u4e00-\u9fff]")
CSRF_MESSAGE = "安全令牌"  # the heart of the CSRF message's translation: a bad parameter must not say it
ROLES = {
    "anonymous": None,
    "superadmin": "root",
    "region_admin": "region_admin",
    "staff_a": "staff_a",
    "viewer_a": "viewer_a",
}
#: tables a request may write to without changing any record: the login throttle and the scheduler's lease
BOOKKEEPING = {"login_attempt", "scheduler_lease", "apscheduler_jobs"}
HOSTILE = (
    HUGE,
    "-" + HUGE,
    str(2**63),
    str(2**63 - 1),
    str(2**31),
    str(-(2**63) - 1),
    "-1",
    "0",
    "00",
    "+1",
    " 7 ",
    "1.5",
    "1e308",
    "-1e400",
    "nan",
    "inf",
    "0x10",
    "²",  # a digit to str.isdigit(), not to int()
    "١٢٣",  # Arabic-Indic digits: int() reads them
    "",
    " ",
    "\x00",
    "a\x00b",
    "%00",
    "\r\nSet-Cookie: pwned=1",
    "/admin/\r\nSet-Cookie:x",
    "//evil.example/",
    "/\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "' OR '1'='1",
    "1; DROP TABLE member; --",
    "1 UNION SELECT password_hash FROM user_account",
    "%",
    "_",
    "\\",
    "9" * 4000,
    "长" * 2000,
    "党员💥\u202e",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "9999-12-31",
    "0000-00-00",
    "2024-02-30",
    "10000-01-01",
    "202413",
    "2024Q5",
    HUGE + "Q1",
    "__None",
    "null",
)


@dataclass(frozen=True)
class Valid:
    """Stands for a sensible value of the parameter (an existing id, a real plugin...), picked at run time."""

    index: int


#: a key of a drawn parameter dict meaning "every parameter of the route"
EVERY = -1
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers(min_value=-(2**100), max_value=2**100).map(str),
    st.floats().map(repr),
    st.text(max_size=30),
    st.text(st.characters(max_codepoint=0x1F), max_size=4),
)
value = st.one_of(hostile_text, st.integers(0, 7).map(Valid))
role = st.sampled_from(sorted(ROLES))
parameters = st.dictionaries(st.integers(0, 63), value, max_size=4)
path_values = st.lists(value, min_size=3, max_size=3)
FUZZ = settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _rules():
    """The app's routes, read from a throwaway app: the parametrized tests need them at collection."""
    app = make_app("sqlite://")
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: (rule.endpoint, rule.rule))
    return [(rule.endpoint, rule.rule, frozenset(rule.methods)) for rule in rules]


RULES = _rules()
GET_ENDPOINTS = [endpoint for endpoint, _rule, methods in RULES if "GET" in methods]
POST_ENDPOINTS = [endpoint for endpoint, _rule, methods in RULES if "POST" in methods]
CREATE_ENDPOINTS = [endpoint for endpoint in POST_ENDPOINTS if endpoint.endswith(".create_view")]
RULE_OF = {endpoint: rule for endpoint, rule, _methods in RULES}


# --- the world: one app for the module -------------------------------------------------------------
class FormFields(HTMLParser):
    """The fields a browser would submit from a page's forms (the navbar's logout form aside)."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self.types: dict[str, str] = {}
        self.files: list[str] = []
        self._in_form = False
        self._select: dict | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {key: (val or "") for key, val in attrs}
        name = attributes.get("name", "")
        if tag == "form":
            self._in_form = not attributes.get("action", "").endswith("/logout")
        elif not self._in_form:
            return
        elif tag == "input" and name and "__prefix__" not in name:
            kind = attributes.get("type", "text").lower()
            self.types.setdefault(name, kind)
            if kind == "file":
                self.files.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.pairs.append((name, attributes.get("value", "on")))
            elif kind not in ("submit", "button", "image", "reset"):
                self.pairs.append((name, attributes.get("value", "")))
        elif tag == "select" and name:
            self.types.setdefault(name, "select")
            self._select = {"name": name, "first": None, "chosen": [], "multiple": "multiple" in attributes}
        elif tag == "option" and self._select is not None:
            option = attributes.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = option
            if "selected" in attributes:
                self._select["chosen"].append(option)
        elif tag == "textarea" and name:
            self.types.setdefault(name, "textarea")
            self._textarea = (name, [])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"]
            if not chosen and not self._select["multiple"] and self._select["first"] is not None:
                chosen = [self._select["first"]]
            self.pairs.extend((self._select["name"], option) for option in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.pairs.append((self._textarea[0], "".join(self._textarea[1])))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)


def page_tokens(body: str) -> list[str]:
    return re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', body) or re.findall(
        r'value="([^"]+)"[^>]*name="csrf_token"', body
    )


class Hostile:
    """The module's app, world, logged-in clients and what the fuzzers need to know about the routes."""

    def __init__(self, app, world, clients: dict, model_views: dict, pools: dict, fingerprint_query) -> None:
        self.app, self.world, self.clients = app, world, clients
        self.model_views, self.pools, self.fingerprint_query = model_views, pools, fingerprint_query
        self._tokens: dict = {}
        self._last: tuple | None = None
        self._connection = None
        self._forms: dict = {}

    def __repr__(self) -> str:  # hypothesis prints the arguments of a failing example
        return "Hostile(...)"

    def fingerprint(self):
        """On a connection of its own: PostgreSQL then plans the query once (prepared), not per example."""
        if self._connection is None:
            with self.app.app_context():
                self._connection = db.engine.connect()
        try:
            return tuple(self._connection.execute(self.fingerprint_query).one())
        finally:
            self._connection.rollback()  # no transaction left open between examples

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()

    def before(self):
        """The database as the previous example of the same test left it (examples run one after
        another, and nothing else writes in between); measured afresh when a test starts."""
        test = os.environ.get("PYTEST_CURRENT_TEST")
        if self._last is None or self._last[0] != test:
            self._last = (test, self.fingerprint())
        return self._last[1]

    def after(self):
        value = self.fingerprint()
        self._last = (os.environ.get("PYTEST_CURRENT_TEST"), value)
        return value

    def view_of(self, endpoint: str) -> PbModelView | None:
        return self.model_views.get(endpoint.split(".", 1)[0])

    def resolve(self, name: str, drawn) -> str:
        if isinstance(drawn, Valid):
            pool = self.pools.get(name) or self.pools.get(re.sub(r"^flt\d+_.*", "flt", name)) or ["1"]
            return pool[drawn.index % len(pool)]
        return drawn

    def token(self, role: str, kind: str) -> str:
        """A CSRF token of the role's session: ``admin`` for Flask-Admin's forms, ``wtf`` for pbadmin's own."""
        key = (role, kind)
        if key not in self._tokens:
            client = self.clients[role]
            urls = ["/admin/members/new/", "/admin/brands/new/"] if kind == "admin" else ["/admin/", "/login"]
            found = ""
            for url in urls:
                tokens = page_tokens(client.get(url).get_data(as_text=True))
                take_flashes(client)
                if tokens:
                    found = tokens[-1] if kind == "admin" else tokens[0]
                    break
            self._tokens[key] = found
        return self._tokens[key]

    def form_of(self, url: str) -> FormFields:
        """The fields of the form at ``url`` as the superadmin sees it, filled in as stored."""
        if url not in self._forms:
            client = self.clients["superadmin"]
            parser = FormFields()
            parser.feed(client.get(url).get_data(as_text=True))
            take_flashes(client)
            self._forms[url] = parser
        return self._forms[url]


def _fingerprint_query():
    """Row counts per table, the newest ``updated_at`` of each and the audit trail's last id: one query."""
    parts = []
    for table in db.metadata.sorted_tables:
        if table.name in BOOKKEEPING:
            continue
        parts.append(select(func.count()).select_from(table).scalar_subquery())
        if "updated_at" in table.c:
            parts.append(select(func.max(table.c.updated_at)).scalar_subquery())
    parts.append(select(func.max(AuditEntry.id)).scalar_subquery())
    return select(*parts)


def _pools(app, world, model_views) -> dict:
    """Sensible values per parameter name, for ``Valid`` draws: they lead past the first checks."""
    from pbadmin.importing.kinds import KINDS
    from pbadmin.plugins import enablement

    with app.app_context():
        plugins = sorted(enablement.registry().records)
        attachments = [str(i) for i in db.session.scalars(select(ActivityAttachment.id))]
    orgs = [str(world[key]) for key in ("org_a", "org_b", "org_x", "committee")]
    ajax_names = sorted({name for view in model_views.values() for name in (view._form_ajax_refs or {})})
    return {
        "id": [str(world[key]) for key in ("member_a", "activity_a", "org_a", "brand_x")],
        "page": ["0", "1", "2"],
        "page_size": ["20", "50", "100"],
        "sort": ["0", "1", "3"],
        "desc": ["1", "0"],
        "search": ["党", "A", "内科"],
        "flt": ["1", "A", "2024-03-05", "2024-01-01 to 2024-12-31", *orgs],
        "name": ajax_names,
        "query": ["党", "A", ""],
        "offset": ["0", "10"],
        "limit": ["10", "20"],
        "org": orgs,
        "organisation": orgs,
        "year": ["2024", "2023"],
        "period": ["202403", "2024Q1", "2024"],
        "until": ["202403", "2024-03"],
        "missed": ["1"],
        "next": ["/admin/members/", "/admin/"],
        "url": ["/admin/members/"],
        "attachment_id": attachments or ["1"],
        "job_id": ["1"],
        "report_id": ["1"],
        "export_type": ["csv", "xlsx"],
        "kind": sorted(KINDS),
        "plugin": plugins,
        "action": ["pause", "resume", "delete"],
        "code": ["zh_Hans_CN", "zh"],  # never English: the error pages must stay Chinese
        "filename": ["admin/css/bootstrap4/admin.css", "pbadmin/app.css"],
        "username": ["staff_b"],
        "period_form": ["202403"],
    }


@pytest.fixture(scope="module")
def hostile(migrated_url):
    app = make_app(migrated_url, PBADMIN_IMPORT_SYNC=True)
    with app.app_context():
        snapshots.empty()
        world = build_world()
        activity = db.session.get(Activity, world["activity_a"])
        activity.attachments.append(
            ActivityAttachment(filename="纪要.txt", content_type="text/plain", size=4, sha256="0" * 64, data=b"note")
        )
        db.session.commit()
        query = _fingerprint_query()
    clients = {}
    for name, username in ROLES.items():
        client = app.test_client()
        if username:
            assert login(client, username).status_code == 302
        clients[name] = client
    admin = app.extensions["pbadmin_admin"]
    model_views = {view.endpoint: view for view in admin._views if isinstance(view, PbModelView)}
    net = logging.getLogger("pbadmin.web")
    net.disabled = False  # the migrations' fileConfig disabled the loggers it found
    net.addHandler(SAFETY_NET)
    hostile = Hostile(app, world, clients, model_views, _pools(app, world, model_views), query)
    yield hostile
    hostile.close()
    net.removeHandler(SAFETY_NET)
    with app.app_context():
        db.session.remove()
        snapshots.empty()
        db.engine.dispose()


def take_flashes(client) -> list:
    """The messages flashed but not yet shown, taken out of the session (so they never pile up)."""
    with client.session_transaction() as session:
        return session.pop("_flashes", [])


class SafetyNetWatch(logging.Handler):
    """Counts the times pbadmin's last resort (a 400 for a value the database refused) was needed:
    a specific check should have caught the value first, so every time is a failure here."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record) -> None:
        self.records.append(record)


SAFETY_NET = SafetyNetWatch()


def check_answer(answer) -> str:
    """No 500; an HTML error page in Chinese; a redirect that stays on the site; the safety net
    not needed. Returns the body."""
    data = answer.get_data()
    assert answer.status_code < 500, answer.status_code
    caught, SAFETY_NET.records[:] = [r.getMessage() for r in SAFETY_NET.records], []
    assert not caught, f"only the safety net stopped it: {caught}"
    body = data.decode("utf-8", errors="replace") if answer.mimetype in ("text/html", "application/json") else ""
    if answer.status_code >= 400 and answer.mimetype == "text/html":
        assert CHINESE.search(body), f"{answer.status_code} page is not in Chinese"
    location = answer.headers.get("Location")
    if location is not None:
        assert not any(ch in location for ch in "\r\n\\"), location
        assert urlsplit(location).netloc in ("", "localhost"), location
    return body


def fill_path(rule: str, values: dict) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: quote(values[m.group(1)], safe=""), rule)


def path_names(rule: str) -> list[str]:
    return re.findall(r"<(?:[^:<>]+:)?([^<>]+)>", rule)


def assign(names: list[str], drawn: dict) -> dict:
    """Spread drawn values over the route's own parameter names (``EVERY``: all of them)."""
    if EVERY in drawn:
        return dict.fromkeys(names, drawn[EVERY])
    return {names[index % len(names)]: val for index, val in drawn.items()} if names else {}


PAGE_PARAMETERS = ["year", "org", "period", "until", "missed", "next", "id", "page", "search", "kind", "status"]


def query_names(hostile: Hostile, endpoint: str) -> list[str]:
    view = hostile.view_of(endpoint)
    if view is None:
        return PAGE_PARAMETERS
    names = ["page", "page_size", "sort", "desc", "search", "id", "url", "modal", "name", "query", "offset", "limit"]
    names += [f"flt0_{key}" for key in (view._filter_args or {})]
    return names + list(view.prefill_fields)


# --- the URLs the issue names, one of each kind -----------------------------------------------------
def get(hostile: Hostile, role: str, url: str, **kwargs):
    answer = hostile.clients[role].get(url, **kwargs)
    check_answer(answer)
    return answer, take_flashes(hostile.clients[role])


def test_a_huge_id_on_a_details_page_answers_404_in_chinese(hostile):
    answer, _flashes = get(hostile, "superadmin", f"/admin/members/details/?id={HUGE}")
    assert answer.status_code == 404
    assert "不存在" in answer.get_data(as_text=True)


def test_a_huge_or_negative_id_on_an_edit_form_answers_404(hostile):
    for bad in (HUGE, "-1", "0", str(2**31), "²"):
        answer, _flashes = get(hostile, "staff_a", "/admin/members/edit/", query_string={"id": bad})
        assert answer.status_code == 404, bad


def test_a_huge_page_number_on_a_list_shows_the_first_page(hostile):
    for bad in (HUGE, "-3", str(2**40)):
        answer, _flashes = get(hostile, "superadmin", "/admin/members/", query_string={"page": bad})
        assert answer.status_code == 200, bad
        assert "党员A0" in answer.get_data(as_text=True)


def test_a_huge_number_in_a_list_filter_is_refused_with_a_message(hostile):
    from flask_admin.model.filters import BaseIntFilter

    view = hostile.model_views["activities"]
    int_filters = [key for key, (_idx, flt) in view._filter_args.items() if isinstance(flt, BaseIntFilter)]
    assert len(int_filters) >= 4, "the activity list filters on people served"
    for key in int_filters:
        for bad in (HUGE, str(2**31), f"1,{HUGE}"):
            answer, _flashes = get(hostile, "superadmin", "/admin/activities/", query_string={f"flt0_{key}": bad})
            assert answer.status_code == 200
            body = answer.get_data(as_text=True)
            # the filter is dropped, with a message naming the value
            assert HUGE[:12] in body or str(2**31) in body, (key, bad)
            assert "主题党日A" in body, (key, bad)


def test_a_nul_byte_in_a_search_answers_400_with_its_own_chinese_message(hostile):
    answer, _flashes = get(hostile, "superadmin", "/admin/members/?search=%00")
    assert answer.status_code == 400
    body = answer.get_data(as_text=True)
    assert CHINESE.search(body) and CSRF_MESSAGE not in body


def test_a_huge_attachment_id_answers_404_in_chinese(hostile):
    for bad in (HUGE, str(2**31), "0"):
        answer, _flashes = get(hostile, "staff_a", f"/admin/activities/attachment/{bad}")
        assert answer.status_code == 404, bad
        assert "不存在" in answer.get_data(as_text=True)


def test_a_huge_import_job_id_answers_404_on_every_job_page(hostile):
    for suffix in ("/", "/progress", "/errors.xlsx"):
        answer, _flashes = get(hostile, "staff_a", f"/admin/imports/job/{HUGE}{suffix}")
        assert answer.status_code == 404, suffix
    token = hostile.token("staff_a", "wtf")
    answer = hostile.clients["staff_a"].post(f"/admin/imports/job/{HUGE}/commit", data={"csrf_token": token})
    check_answer(answer)
    assert answer.status_code == 404


def test_a_huge_sync_report_id_answers_404(hostile):
    answer, _flashes = get(hostile, "superadmin", f"/admin/sync/report/{HUGE}")
    assert answer.status_code == 404
    token = hostile.token("superadmin", "wtf")
    for action in ("approve", "send", "retry"):
        answer = hostile.clients["superadmin"].post(f"/admin/sync/report/{HUGE}/{action}", data={"csrf_token": token})
        check_answer(answer)
        assert answer.status_code == 404, action


def test_huge_ledger_compliance_and_dashboard_parameters_fall_back_to_a_default(hostile):
    for url in (
        f"/admin/ledger/?year={HUGE}",
        f"/admin/compliance/?period={HUGE}",
        f"/admin/compliance/?period={HUGE}Q1",
        f"/admin/?until={HUGE}",
        f"/admin/?until=-{HUGE}",
    ):
        answer, flashes = get(hostile, "superadmin", url)
        assert answer.status_code == 200, url
    for url in (f"/admin/ledger/?org={HUGE}", f"/admin/ledger/export.xlsx?org={HUGE}&year=2024"):
        answer, _flashes = get(hostile, "superadmin", url)
        assert answer.status_code == 404, url


def test_a_huge_limit_or_offset_on_an_ajax_lookup_is_clamped(hostile):
    for bad in (HUGE, "-1", str(2**31)):
        answer, _flashes = get(
            hostile,
            "staff_a",
            "/admin/activities/ajax/lookup/",
            query_string={"name": "organisation", "query": "", "offset": bad, "limit": bad},
        )
        assert answer.status_code == 200, bad
        assert len(answer.get_json()) <= 20
    answer, _flashes = get(
        hostile, "staff_a", "/admin/activities/ajax/lookup/", query_string={"name": "organisation", "query": "内\x00"}
    )
    assert answer.status_code == 200 and answer.get_json() == []


def test_a_next_with_cr_lf_on_the_login_page_is_refused(hostile):
    evil = "/admin/%0d%0aSet-Cookie:x"
    page = hostile.app.test_client().get(f"/login?next={evil}")
    check_answer(page)
    assert page.status_code == 200
    client = hostile.app.test_client()
    token = page_tokens(client.get(f"/login?next={evil}").get_data(as_text=True))[0]
    answer = client.post(
        "/login",
        data={"username": "viewer_a", "password": "correct horse battery", "csrf_token": token},
        query_string={"next": "/admin/\r\nSet-Cookie:x"},
    )
    check_answer(answer)
    assert answer.status_code == 302 and answer.headers["Location"] == "/admin/"
    client = hostile.app.test_client()
    token = page_tokens(client.get("/login").get_data(as_text=True))[0]
    for bad in ("/admin/\r\nSet-Cookie:x", "/\\evil.example", "/admin/\x00"):
        answer = client.post(
            "/login",
            data={"username": "viewer_a", "password": "correct horse battery", "next": bad, "csrf_token": token},
        )
        check_answer(answer)
        assert answer.status_code in (302, 400), bad
        if answer.status_code == 302:
            assert answer.headers["Location"] == "/admin/", bad
            client = hostile.app.test_client()
            token = page_tokens(client.get("/login").get_data(as_text=True))[0]


def test_the_csrf_message_is_kept_for_a_missing_token(hostile):
    answer = hostile.clients["superadmin"].post(f"/admin/sync/report/{hostile.world['member_a']}/approve")
    check_answer(answer)
    assert answer.status_code == 400 and CSRF_MESSAGE in answer.get_data(as_text=True)


def test_a_database_error_that_escapes_the_checks_answers_400_in_chinese_and_is_logged(migrated_url, caplog):
    import sqlalchemy.exc

    app = make_app(migrated_url)

    @app.route("/overflow")
    def overflow():
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    @app.route("/data-error")
    def data_error():
        raise sqlalchemy.exc.DataError("SELECT 1", {}, Exception("integer out of range"))

    client = app.test_client()
    logging.getLogger("pbadmin.web").disabled = False  # the migrations' fileConfig disabled the loggers it found
    with caplog.at_level(logging.ERROR):
        for url in ("/overflow", "/data-error"):
            answer = client.get(url)
            assert answer.status_code == 400, url
            body = answer.get_data(as_text=True)
            assert CHINESE.search(body) and CSRF_MESSAGE not in body
    assert "Python int too large" in caplog.text and "integer out of range" in caplog.text
    SAFETY_NET.records.clear()  # these two were meant to reach it


def test_every_integer_route_argument_is_a_record_id(hostile):
    """The ``int`` converter is pbadmin's: 1 to 2**31 - 1, the keys of INTEGER columns, or the route is a 404."""
    from pbadmin.params import RecordIdConverter

    converters = [
        (rule.rule, converter)
        for rule in hostile.app.url_map.iter_rules()
        for converter in rule._converters.values()
        if "int" in type(converter).__name__.lower() or isinstance(converter, RecordIdConverter)
    ]
    assert converters
    assert all(isinstance(converter, RecordIdConverter) for _rule, converter in converters), converters


def test_every_primary_key_is_an_integer_the_id_helper_covers(hostile):
    from pbadmin.params import MAX_ID

    for table in db.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if isinstance(column.type, Integer):
                assert not isinstance(column.type, (BigInteger, SmallInteger)), (table.name, column.name)
    assert MAX_ID == 2**31 - 1


# --- every GET page -----------------------------------------------------------------------------------
@pytest.mark.parametrize("endpoint", GET_ENDPOINTS)
@FUZZ
@given(role=role, query=parameters, path=path_values)
@example(role="superadmin", query={EVERY: HUGE}, path=[HUGE] * 3)
@example(role="staff_a", query={EVERY: "\x00"}, path=["-1"] * 3)
@example(role="viewer_a", query={EVERY: "/admin/\r\nSet-Cookie: pwned=1"}, path=["²"] * 3)
@example(role="region_admin", query={EVERY: Valid(0)}, path=[Valid(0)] * 3)
def test_no_page_answers_500_to_hostile_query_or_path_values(hostile, endpoint, role, query, path):
    rule = RULE_OF[endpoint]
    names = path_names(rule)
    url = fill_path(rule, {name: hostile.resolve(name, drawn) for name, drawn in zip(names, path, strict=False)})
    arguments = {
        name: hostile.resolve(name, drawn) for name, drawn in assign(query_names(hostile, endpoint), query).items()
    }
    client = hostile.clients[role]
    before = hostile.before()
    answer = client.get(url, query_string=arguments)
    check_answer(answer)
    take_flashes(client)
    if endpoint == "auth.set_language":
        with client.session_transaction() as session:
            session.pop("lang", None)
    assert hostile.after() == before, "a GET changed the database"


# --- every POST route ---------------------------------------------------------------------------------
@dataclass
class Post:
    url: str
    data: MultiDict
    names: list[str]  # what the drawn values may replace
    client_role: str
    multipart: bool = False


NO_SUCH_ID = "999999"  # a well-formed id of nothing: a POST must never delete or change the world's records


def build_post(hostile: Hostile, endpoint: str, role: str, path: list) -> Post:
    """The request a browser would send to ``endpoint``, before the hostile values go in."""
    rule = RULE_OF[endpoint]
    names = path_names(rule)
    resolved = {}
    for name, drawn in zip(names, path, strict=False):
        text = hostile.resolve(name, drawn)
        resolved[name] = NO_SUCH_ID if name in ("job_id", "report_id") and isinstance(drawn, Valid) else text
    url = fill_path(rule, resolved)
    view = hostile.view_of(endpoint)
    method = endpoint.rsplit(".", 1)[-1]
    if view is not None:
        token = hostile.token(role, "admin")
        base = f"/admin/{view.endpoint}/"
        if method in ("create_view", "edit_view"):
            first = _first_id(hostile, view)
            form = hostile.form_of(f"{base}edit/?id={first}" if first else f"{base}new/")
            data = MultiDict(form.pairs)
            names = sorted({name for name, _ in form.pairs} - {"csrf_token"}) or ["name"]
            target = f"{base}new/" if method == "create_view" else f"{base}edit/?id={HUGE}"
            data.setlist("csrf_token", [token])
            return Post(target, data, [*names, "url"], role)
        if method == "delete_view":
            return Post(url, MultiDict({"csrf_token": token, "id": NO_SUCH_ID}), ["id", "url"], role)
        if method == "action_view":
            data = MultiDict([("csrf_token", token), ("action", "delete"), ("rowid", NO_SUCH_ID)])
            return Post(url, data, ["action", "rowid", "rowid", "url"], role)
        return Post(url, MultiDict({"csrf_token": token, "list_form_pk": NO_SUCH_ID}), ["list_form_pk", "name"], role)
    if endpoint in ("auth.login", "auth.logout"):
        return Post(url, MultiDict({"username": "nobody", "password": "wrong"}), ["username", "password", "next"], role)
    token = hostile.token(role, "wtf")
    if endpoint == "imports.index":
        data = MultiDict({"csrf_token": token, "kind": "members", "organisation": str(hostile.world["org_a"])})
        return Post(url, data, ["kind", "organisation", "file", "filename"], role, multipart=True)
    if endpoint == "plugins.settings":
        form = hostile.form_of(url) if resolved.get("plugin") in hostile.pools["plugin"] else FormFields()
        data = MultiDict(form.pairs)
        data.setlist("csrf_token", [token])
        return Post(url, data, sorted({name for name, _ in form.pairs} - {"csrf_token"}) or ["base_url"], role)
    if endpoint == "sync.build":
        return Post(url, MultiDict({"csrf_token": token, "period": "202403"}), ["period"], role)
    return Post(url, MultiDict({"csrf_token": token}), ["csrf"], role)


def _first_id(hostile: Hostile, view) -> int | None:
    with hostile.app.app_context():
        return db.session.scalar(select(func.min(view.model.id)))


def send(hostile: Hostile, endpoint: str, post: Post, values: dict):
    """POST ``post`` with ``values`` put in; anonymous forms (login, logout) from a client of their own."""
    data = MultiDict(post.data)
    filename, content = "members.xlsx", b"PK\x03\x04 not really a workbook"
    for name, val in values.items():
        if name == "file":
            content = val.encode("utf-8", errors="replace")
        elif name == "filename":
            filename = val
        else:
            data.setlist(name, [val])
    if endpoint in ("auth.login", "auth.logout"):
        # a client of its own, from an address of its own: the login throttle must not lock the roles out
        client = hostile.app.test_client()
        client.environ_base["REMOTE_ADDR"] = "10.8.8.8"
        token = page_tokens(client.get("/login").get_data(as_text=True))[0]
        data.setdefault("csrf_token", token)
        query = {"next": values["next"]} if "next" in values else None
        return client, client.post(post.url, data=data, query_string=query)
    client = hostile.clients[post.client_role]
    if post.multipart:
        data.setlist("file", [(io.BytesIO(content), filename)])
        return client, client.post(post.url, data=data, content_type="multipart/form-data")
    return client, client.post(post.url, data=data)


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
@FUZZ
@given(role=role, fields=st.dictionaries(st.integers(0, 63), value, min_size=1, max_size=3), path=path_values)
@example(role="superadmin", fields={EVERY: HUGE}, path=[HUGE] * 3)
@example(role="staff_a", fields={EVERY: "\x00"}, path=["-1"] * 3)
@example(role="staff_a", fields={EVERY: "/admin/\r\nSet-Cookie: pwned=1"}, path=[Valid(1)] * 3)
@example(role="superadmin", fields={0: "-" + HUGE}, path=[Valid(0)] * 3)
def test_no_form_answers_500_to_hostile_values_and_a_refusal_changes_nothing(hostile, endpoint, role, fields, path):
    post = build_post(hostile, endpoint, role, path)
    values = {name: hostile.resolve(name, drawn) for name, drawn in assign(post.names, fields).items()}
    before = hostile.before()
    client, answer = send(hostile, endpoint, post, values)
    check_answer(answer)
    flashes = take_flashes(client)
    refused = answer.status_code not in (301, 302, 303) or any(
        category in ("error", "danger") for category, _ in flashes
    )
    after = hostile.after()
    if refused:
        assert after == before, f"a refused POST ({answer.status_code}, {flashes}) changed the database"


@pytest.mark.parametrize("endpoint", CREATE_ENDPOINTS)
def test_every_number_field_of_every_form_refuses_numbers_its_column_cannot_hold(hostile, endpoint):
    """Each numeric field in turn, on an otherwise complete form: refused on the form, nothing saved."""
    view = hostile.view_of(endpoint)
    first = _first_id(hostile, view)
    base = f"/admin/{view.endpoint}/"
    form = hostile.form_of(f"{base}edit/?id={first}" if first else f"{base}new/")
    numeric = sorted(
        {
            name
            for name, val in form.pairs
            if name != "csrf_token"
            and not re.search(r"-\d+-id$", name)  # an inline row's own key: looked up among the record's rows only
            and (form.types.get(name) == "number" or re.fullmatch(r"-?\d+(\.\d+)?", val))
        }
    )
    client = hostile.clients["superadmin"]
    token = hostile.token("superadmin", "admin")
    for name in numeric:
        column = view.model.__table__.c.get(name)
        numbers = [HUGE, "-" + HUGE]
        if column is not None and isinstance(column.type, Integer):
            numbers += [str(2**31), str(-(2**31) - 1)]  # past INTEGER, which PostgreSQL refuses
        elif column is not None and isinstance(column.type, Numeric):
            numbers += ["1e400", "NaN", "-Infinity", "9" * (column.type.precision or 10)]
        for number in numbers:
            data = MultiDict(form.pairs)
            data.setlist("csrf_token", [token])
            data.setlist(name, [number])
            before = hostile.fingerprint()
            answer = client.post(f"{base}new/", data=data)
            body = check_answer(answer)
            flashes = take_flashes(client)
            assert answer.status_code == 200, (name, number, answer.status_code, flashes)
            assert "is-invalid" in body, (name, number)  # the field says what is wrong
            assert "SQL" not in body and "Failed to create record" not in body, (name, number)
            assert hostile.fingerprint() == before, (name, number)
