"""``flask --app wsgi pbadmin sync …`` and ``pbadmin scheduler``: reports to the provinces from the command line."""

from __future__ import annotations

import datetime as dt
import faulthandler
import getpass
import signal
import sys
import time
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup

from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.models import Report
from pbadmin.plugins import enablement
from pbadmin.reporting.metrics import MissingMeasureError
from pbadmin.reporting.periods import Period, PeriodError
from pbadmin.sync import payloads, province_catalogue
from pbadmin.sync.jobs import build_all
from pbadmin.sync.lifecycle import reporting_organisations, value_pairs
from pbadmin.sync.outbox import OutboxWorker, worker_name
from pbadmin.sync.status import plugin_sync, scheduler_holder
from pbadmin.sync.target import NotReady, profile_of, target_for

sync_cli = AppGroup("sync", help="Reports to the provincial gateways: run, status, worker.")


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


@sync_cli.command("run")
@click.option("--plugin", "plugin", required=True, help="Region plugin whose reports to build and push.")
@click.option("--period", "period_text", required=True, help="YYYYMM, YYYYQn or YYYY.")
@click.option("--dry-run", is_flag=True, help="Print the payloads; store and send nothing.")
def run(plugin: str, period_text: str, dry_run: bool) -> None:
    """Build the plugin's reports for PERIOD for every reporting organisation and push them.

    Waits until each is accepted or has failed for good; prints one line per report (orgUnit,
    status, receipt) and exits non-zero if any failed. Running it counts as the approval.
    """
    try:
        period = Period.parse(period_text)
        profile = profile_of(plugin)
    except (PeriodError, NotReady) as exc:
        raise click.UsageError(str(exc)) from exc
    organisations = reporting_organisations(plugin, period)
    if not organisations:
        _fail(f"{plugin}: 没有报送单位（带省平台组织机构代码的党组织）/ no reporting organisations in its region")
    if dry_run:
        _dry_run(plugin, profile, period, organisations)
        return
    try:
        target = target_for(plugin)
    except NotReady as exc:
        _fail(str(exc))
    actor = f"cli:{getpass.getuser()}"
    with acting_as(actor):
        try:
            province_catalogue.pull(target)
        except province_catalogue.CatalogueError as exc:
            click.echo(f"{plugin}: {exc}（发送前将再次尝试 / will try again before sending）", err=True)
        results = build_all(plugin, period, actor, approve=True)
        pending = [r.report.id for r in results if r.report is not None and r.report.status in ("queued", "sent")]
        if pending:
            click.echo(
                f"{plugin} {period}: 正在报送 {len(pending)} 份报告 / pushing {len(pending)} report(s)", err=True
            )
        OutboxWorker(worker_name("cli")).drain(pending, progress=lambda line: click.echo(line, err=True))
    failed = False
    for result in results:
        if result.report is None:
            click.echo(f"{result.organisation.report_code}\terror\t-\t{result.message}")
            failed = True
            continue
        report = db.session.get(Report, result.report.id, populate_existing=True)
        already_delivered = result.change == "unchanged" and report.id not in pending
        note = "（数据无变化，未重新发送 / unchanged, nothing sent）" if already_delivered else ""
        line = f"{report.org_unit}\t{report.status}\t{report.receipt or '-'}"
        if report.status != "accepted":
            failed = True
            line += f"\t{report.message or ''}"
        click.echo(line + (f"\t{note}" if note else ""))
    if failed:
        sys.exit(1)


def _dry_run(plugin: str, profile: str, period: Period, organisations) -> None:
    from pbadmin.models.base import utcnow

    now = utcnow().replace(microsecond=0)
    failed = False
    for organisation in organisations:
        click.echo(f"# {organisation.report_code} {organisation.name} {period.data_set} {period.code} ({profile})")
        try:
            values = value_pairs(plugin, organisation.id, period)
            payload = payloads.render(
                profile,
                period.data_set,
                organisation.report_code,
                period.code,
                values,
                now.date(),
                now.replace(tzinfo=dt.UTC),
            )
        except (MissingMeasureError, payloads.PayloadError) as exc:
            click.echo(f"error: {exc}")
            failed = True
            continue
        click.echo(payload.body.decode("utf-8"))
    db.session.rollback()
    if failed:
        sys.exit(1)


@sync_cli.command("status")
def status() -> None:
    """Per enabled plugin: schedules with last and next run, the queue, failures and the last answer."""
    holder, expires = scheduler_holder()
    click.echo(f"scheduler: {holder or '（无 / none）'}" + (f" until {_local(expires)}" if expires else ""))
    for plugin in sorted(enablement.enabled_names()):
        view = plugin_sync(plugin)
        settings = enablement.settings_of(plugin)
        click.echo(
            f"\n{plugin}  profile={enablement.registry().get(plugin).profile}  gateway={settings.get('base_url', '-')}"
        )
        pulled = view.catalogue.pulled_at if view.catalogue else None
        click.echo(f"  catalogue: {_local(pulled)}" if pulled else "  catalogue: never pulled")
        for row in view.schedules:
            click.echo(f"  job {row.plan.job_id}  cron '{row.plan.cron}'  {_schedule_line(row)}")
        counts = "  ".join(f"{status}={count}" for status, count in sorted(view.counts.items())) or "none"
        click.echo(f"  reports: {counts}")
        for report in view.failures[:5]:
            click.echo(f"  ! {report} {report.status}: {report.message}")


def _schedule_line(row) -> str:
    parts = [f"next {_local(row.next_run)}" if row.next_run else "next -"]
    if row.paused:
        parts.append("paused")
    if row.state is not None and row.state.last_finished_at is not None:
        state_ = row.state
        parts.append(f"last {_local(state_.last_finished_at)} {state_.last_outcome}: {state_.last_message}")
    return "  ".join(parts)


def _local(when) -> str:
    """A stored UTC time in the configured time zone (Asia/Shanghai), as the pages show it."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai"))
    return when.replace(tzinfo=dt.UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


@sync_cli.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due now and exit.")
def worker(once: bool) -> None:
    """Run an outbox worker in the foreground (no scheduler): more of them push in parallel."""
    runner = OutboxWorker(worker_name("cli-worker"))
    if once:
        click.echo(f"delivered {runner.run_once(limit=1000)}")
        return
    stop = StopRequest()
    poll = float(current_app.config.get("PBADMIN_OUTBOX_POLL", 2.0))
    click.echo(f"outbox worker {runner.name} started; Ctrl-C stops it", err=True)
    while not stop.requested:
        if not runner.run_once():
            stop.sleep(poll)
    _exit_if_stuck()


@sync_cli.command("pull-catalogue")
@click.option("--plugin", "plugin", required=True)
def pull_catalogue(plugin: str) -> None:
    """Fetch the province's data elements and org units now."""
    try:
        row = province_catalogue.pull(target_for(plugin))
    except (NotReady, province_catalogue.CatalogueError) as exc:
        _fail(f"{plugin}: {exc}")
    click.echo(f"{plugin}: {len(row.elements or [])} data elements, {len(row.org_units or [])} org units")


@sync_cli.command("use-sandbox")
@click.option("--url", "url", required=True, help="Where the sandbox is served, e.g. http://127.0.0.1:5000/sandbox.")
def use_sandbox(url: str) -> None:
    """Point enabled plugins at the sandbox gateway (those already using a real gateway keep it)."""
    from pbadmin.sandbox.mount import sandbox_settings

    with acting_as("cli"):
        for plugin in sorted(enablement.enabled_names()):
            try:
                profile = profile_of(plugin)
            except NotReady as exc:
                click.echo(f"{plugin}: {exc}", err=True)
                continue
            current = enablement.settings_of(plugin).get("base_url")
            if current and "/sandbox/" not in current:
                click.echo(f"{plugin}: keeps its gateway {current}")
                continue
            enablement.configure(plugin, sandbox_settings(url, profile))
            db.session.commit()
            click.echo(f"{plugin}: reports to the sandbox {url.rstrip('/')}/{profile}")


@click.command("scheduler")
@click.option(
    "--workers", default=None, type=int, help="Outbox workers in this process (default PBADMIN_OUTBOX_WORKERS)."
)
def scheduler_command(workers: int | None) -> None:
    """Run the scheduler and outbox workers as a process of their own (production).

    Run one on each of several hosts: they share the database, one holds the scheduler lease,
    all of them push. Stops cleanly on SIGTERM or Ctrl-C, handing the lease over at once.
    """
    from pbadmin.sync.runtime import Background

    stop = StopRequest()
    background = Background(current_app._get_current_object(), scheduler=True, workers=workers).start()
    click.echo(f"scheduler {background.scheduler.holder} started; Ctrl-C stops it", err=True)
    try:
        while not stop.requested:
            stop.sleep(60)
    finally:
        _exit_if_stuck()
        background.stop()


#: seconds a clean stop may take before the process dumps its threads' stacks and exits anyway
STOP_GRACE_SECONDS = 25


class StopRequest:
    """Set by SIGINT or SIGTERM; the main thread polls it.

    The handler only flips a flag. Setting a ``threading.Event`` from it can deadlock: Python runs
    handlers in the main thread, and a signal landing while the main thread is inside ``Event.wait``
    (holding the Event's lock) makes ``set()`` wait for that lock for ever. A scheduler under load
    ignored SIGTERM that way.
    """

    TICK = 0.1

    def __init__(self) -> None:
        self.requested = False
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._request)

    def _request(self, *_: object) -> None:
        self.requested = True

    def sleep(self, seconds: float) -> None:
        """Sleep up to ``seconds``; return within a tick of a stop being requested."""
        deadline = time.monotonic() + seconds
        while not self.requested and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(self.TICK, left))


def _exit_if_stuck() -> None:
    """A stop that hangs (a database lock, a wedged push) must not leave a process behind.

    A supervisor would kill it anyway; this one says where each thread was stuck first, on stderr.
    """
    faulthandler.dump_traceback_later(STOP_GRACE_SECONDS, exit=True)
