"""Every route that accepts POST refuses a request without a valid CSRF token, and changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from pbadmin.extensions import db
from pbadmin.models import AuditEntry


def _post_rules(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and "static" not in rule.endpoint:
            yield rule


def test_every_post_route_refuses_a_missing_token(app, superadmin_client, world):
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    checked = []
    for rule in _post_rules(app):
        if rule.arguments:
            continue
        url = rule.rule
        answer = superadmin_client.post(
            url + ("?id=1" if "edit" in url else ""),
            data={"id": "1", "rowid": "1", "action": "delete", "name": "x", "code": "x", "title": "x"},
        )
        assert answer.status_code in (200, 302, 400, 403, 404, 405), (url, answer.status_code)
        checked.append(url)
    assert "/login" in checked and "/logout" in checked and "/admin/members/new/" in checked
    with app.app_context():
        after = db.session.scalar(select(func.count()).select_from(AuditEntry))
    assert after == before, "a POST without a token changed something"
    # and the user is still logged in: logout without a token did nothing
    assert superadmin_client.get("/admin/members/").status_code == 200


def test_a_wrong_token_is_as_bad_as_none(app, staff_a_client, world):
    answer = staff_a_client.post("/admin/members/delete/", data={"id": world["member_a"], "csrf_token": "forged"})
    assert answer.status_code in (200, 302)
    with app.app_context():
        from pbadmin.models import Member

        assert db.session.get(Member, world["member_a"]) is not None
