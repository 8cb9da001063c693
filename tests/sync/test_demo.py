"""The demo as ``make run`` sets it up: the sandbox mounted at /sandbox, plugins pointed at it, the
article's reports queued by seed-demo and delivered by the background workers of the same process."""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from werkzeug.serving import make_server

from pbadmin.extensions import db
from pbadmin.models import Report
from pbadmin.sync.runtime import Background
from tests.conftest import make_app
from tests.helpers import wait_until
from tests.sync.conftest import FAST


def test_the_demo_reports_are_accepted_by_the_mounted_sandbox(migrated_url, app):
    demo = make_app(migrated_url, PBADMIN_SANDBOX=True, **FAST)
    server = make_server("127.0.0.1", 0, demo, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/sandbox"
    runner = demo.test_cli_runner()
    background = None
    try:
        assert runner.invoke(args=["pbadmin", "plugins", "enable", "luqiao", "jingzhou"]).exit_code == 0
        configured = runner.invoke(args=["pbadmin", "sync", "use-sandbox", "--url", url])
        assert f"luqiao: reports to the sandbox {url}/zhejiang" in configured.output
        seeded = runner.invoke(args=["pbadmin", "seed-demo"])
        assert seeded.exit_code == 0, seeded.output
        assert "luqiao: demo reports 201805：新生成 7" in seeded.output
        background = Background(demo, scheduler=True, workers=2).start()

        def accepted() -> int:
            with demo.app_context():
                return db.session.scalar(select(func.count(Report.id)).where(Report.status == "accepted"))

        wait_until(lambda: accepted() == 8, 60, "the demo's 8 reports to be accepted")
        with demo.app_context():
            root = db.session.scalar(select(Report).where(Report.org_unit == "331004-PBW"))
            assert root.values_dict["LQ_XINGLIN_HOMES"] == "13" and root.receipt.startswith("zhejiang-")
        # a real gateway configured by an admin is never replaced by the sandbox
        with demo.app_context():
            from pbadmin.plugins import enablement

            enablement.configure("jingzhou", {"base_url": "https://gateway.hubei.example", "password": "the real one"})
            db.session.commit()
        again = runner.invoke(args=["pbadmin", "sync", "use-sandbox", "--url", url])
        assert "jingzhou: keeps its gateway https://gateway.hubei.example" in again.output
    finally:
        if background is not None:
            background.stop()
        server.shutdown()
        server.server_close()


def test_the_mounted_sandbox_has_no_control_api(migrated_url, app):
    demo = make_app(migrated_url, PBADMIN_SANDBOX=True)
    client = demo.test_client()
    assert client.post("/sandbox/_control/reset").status_code == 404
    assert client.get("/sandbox/zhejiang/api/dataElements").status_code == 401  # the province wants its token
