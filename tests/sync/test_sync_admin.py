"""The sync pages: what the region admin sees and does, scoped and CSRF-protected."""

from __future__ import annotations

import re

from sqlalchemy import select

from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.models import Report, ScheduleState
from pbadmin.plugins import enablement
from pbadmin.reporting.periods import Period
from pbadmin.sync.jobs import build_all
from tests.helpers import csrf_token, login
from tests.sync.conftest import ORG_UNIT


def client_of(gw, username: str = "region_admin"):
    client = gw.app.test_client()
    login(client, username)
    return client


def built_report(gw, approve: bool = False) -> int:
    with gw.app.app_context(), acting_as("test"):
        enablement.configure(gw.plugin, {"require_approval": "true"})
        [result] = build_all(gw.plugin, Period.parse("202403"), "scheduler", approve=approve)
        db.session.commit()
        return result.report.id


def post(client, url: str, page: str, data: dict | None = None):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **(data or {})}, follow_redirects=True)


def test_the_region_admin_previews_every_value_with_its_definition(gateway):
    gw = gateway()
    report_id = built_report(gw)
    page = client_of(gw).get(f"/admin/sync/report/{report_id}").get_data(as_text=True)
    assert "PB_MEMBERS" in page and "党员数" in page and "待审核" in page
    rows = re.findall(r'data-element="(\w+)"', page)
    assert rows[:3] == ["PB_BRANCHES", "PB_COMMITTEES", "PB_MEMBERS"] and len(rows) == 22
    assert 'id="pb-approve"' in page


def test_approving_queues_the_report_and_send_now_delivers_it(gateway):
    gw = gateway()
    report_id = built_report(gw)
    client = client_of(gw)
    page = f"/admin/sync/report/{report_id}"
    answer = post(client, f"{page}/approve", page).get_data(as_text=True)
    assert "已审核" in answer or "排队" in answer
    with gw.app.app_context():
        report = db.session.get(Report, report_id)
        assert report.status == "queued" and report.approved_by == "web:region_admin"
    answer = post(client, f"{page}/send", page).get_data(as_text=True)
    with gw.app.app_context():
        report = db.session.get(Report, report_id)
        assert report.status == "accepted"
    assert report.receipt in answer


def test_retry_queues_a_failed_report_again_with_the_same_key(gateway):
    gw = gateway()
    with gw.app.app_context():
        enablement.configure(gw.plugin, {"token": "wrong"})
        db.session.commit()
    gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    [failed] = gw.reports()
    assert failed.status == "failed"
    with gw.app.app_context():
        from pbadmin.sandbox.credentials import sandbox_credentials
        from tests.sync.conftest import SEED

        enablement.configure(gw.plugin, {"token": sandbox_credentials(SEED)["zhejiang"]["token"]})
        db.session.commit()
    client = client_of(gw)
    page = f"/admin/sync/report/{failed.id}"
    post(client, f"{page}/retry", page)
    post(client, f"{page}/send", page)
    [report] = gw.reports()
    assert report.status == "accepted" and report.idempotency_key == failed.idempotency_key


def test_the_plugin_page_shows_queue_failures_schedules_and_the_last_answer(gateway):
    gw = gateway()
    gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    page = client_of(gw).get(f"/admin/sync/{gw.plugin}/").get_data(as_text=True)
    assert f'data-job="{gw.plugin}:monthly"' in page and "0 2 1 * *" in page
    assert re.search(r'data-count="accepted">1<', page)
    assert ORG_UNIT in page and '"status": "SUCCESS"' in page


def test_pausing_a_schedule_is_kept_for_the_active_scheduler(gateway):
    gw = gateway()
    client = client_of(gw)
    page = f"/admin/sync/{gw.plugin}/"
    post(client, f"/admin/sync/{gw.plugin}/schedule/{gw.plugin}:monthly/pause", page)
    with gw.app.app_context():
        row = db.session.get(ScheduleState, f"{gw.plugin}:monthly")
        assert row.paused and row.changed_by == "region_admin"
    assert "已暂停" in client.get(page).get_data(as_text=True)
    post(client, f"/admin/sync/{gw.plugin}/schedule/{gw.plugin}:monthly/resume", page)
    with gw.app.app_context():
        assert not db.session.get(ScheduleState, f"{gw.plugin}:monthly").paused


def test_building_a_period_from_the_page_leaves_it_for_approval(gateway):
    gw = gateway()
    with gw.app.app_context():
        enablement.configure(gw.plugin, {"require_approval": "true"})
        db.session.commit()
    client = client_of(gw)
    page = f"/admin/sync/{gw.plugin}/"
    answer = post(client, f"/admin/sync/{gw.plugin}/build", page, {"period": "2024Q1"}).get_data(as_text=True)
    assert "2024Q1" in answer
    [report] = gw.reports()
    assert (report.period, report.status) == ("2024Q1", "built")
    bad = post(client, f"/admin/sync/{gw.plugin}/build", page, {"period": "2024-13"}).get_data(as_text=True)
    assert "格式不对" in bad and len(gw.reports()) == 1


def test_actions_without_a_csrf_token_are_refused(gateway):
    gw = gateway()
    report_id = built_report(gw)
    answer = client_of(gw).post(f"/admin/sync/report/{report_id}/approve", data={})
    assert answer.status_code == 400
    with gw.app.app_context():
        assert db.session.get(Report, report_id).status == "built"


def test_staff_cannot_open_the_sync_pages(gateway):
    gw = gateway()
    report_id = built_report(gw)
    client = client_of(gw, "staff_a")
    assert client.get(f"/admin/sync/{gw.plugin}/").status_code == 403
    assert client.get(f"/admin/sync/report/{report_id}").status_code == 403


def test_a_region_admin_of_another_region_does_not_see_the_report(gateway):
    gw = gateway()
    report_id = built_report(gw)
    with gw.app.app_context(), acting_as("test"):
        from pbadmin.models import Region, User

        far = db.session.scalar(select(Region).filter_by(code="510114"))
        db.session.scalar(select(User).filter_by(username="region_admin")).regions = [far]
        db.session.commit()
    client = client_of(gw)
    assert client.get(f"/admin/sync/report/{report_id}").status_code in (403, 404)
    assert client.get(f"/admin/sync/{gw.plugin}/").status_code == 403


def test_the_index_lists_the_regions_plugins_and_skips_broken_ones(gateway, plugins_dir):
    from pbadmin.models import PluginState
    from tests.plugin_system.conftest import write_plugin

    write_plugin(plugins_dir, "brokenp", "raise RuntimeError('插件导入失败')\n")
    gw = gateway()
    gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    with gw.app.app_context():
        db.session.add(PluginState(name="brokenp", enabled=True, settings={}))  # enabled before it broke
        db.session.commit()
    page = client_of(gw).get("/admin/sync/")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert f'data-plugin="{gw.plugin}"' in body and "brokenp" not in body
