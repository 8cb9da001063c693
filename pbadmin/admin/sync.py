"""The sync pages: per plugin, what was sent, what the province answered, what is waiting; report previews.

Region administrators (``approve_reports``) see the plugins of their region and the reports
of organisations in their scope; they approve, send now, retry, build a period on demand, pull
the catalogue and pause or resume schedules. Every action is a POST with a CSRF token.
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired

from pbadmin.admin.base import PbView
from pbadmin.admin.plugins import may_manage
from pbadmin.extensions import db
from pbadmin.models import Report
from pbadmin.models.base import utcnow
from pbadmin.models.reports import ATTEMPT_OUTCOMES, REPORT_STATUSES
from pbadmin.plugins import enablement
from pbadmin.plugins.registry import PluginError
from pbadmin.reporting.metrics import element_definitions
from pbadmin.reporting.periods import Period, PeriodError
from pbadmin.security import roles
from pbadmin.security.scoping import current_scope
from pbadmin.sync import jobs, lifecycle, province_catalogue
from pbadmin.sync.outbox import OutboxWorker, worker_name
from pbadmin.sync.status import plugin_sync, scheduler_holder
from pbadmin.sync.target import NotReady, approval_required, target_for


class ActionForm(FlaskForm):
    """A button: a POST carrying only its CSRF token."""


class PeriodForm(FlaskForm):
    period = StringField(validators=[DataRequired()])


class SyncView(PbView):
    view_permission = roles.APPROVE_REPORTS

    # --- look-ups, each refusing what the user may not touch ------------------------------
    def _plugin_or_404(self, name: str):
        try:
            record = enablement.registry().get(name)
        except PluginError:
            abort(404)
        if name == enablement.CORE or not enablement.is_enabled(name):
            abort(404)
        if not may_manage(record.info.region_code if record.info else None):
            abort(403)
        return record

    def _report_or_404(self, report_id: int) -> Report:
        report = db.session.scalar(select(Report).where(Report.id == report_id, current_scope().clause(Report)))
        if report is None:
            abort(404)
        self._plugin_or_404(report.plugin)
        return report

    def _checked(self) -> None:
        if not ActionForm().validate_on_submit():
            abort(400)

    def _actor(self) -> str:
        return f"web:{current_user.username}"

    # --- pages -----------------------------------------------------------------------------
    @expose("/")
    def index(self):
        registry = enablement.registry()
        names = [
            name
            for name in sorted(enablement.enabled_names())
            if name in registry.records
            and registry.records[name].healthy
            and may_manage(registry.records[name].info.region_code)
        ]
        scope = current_scope().clause(Report)
        overviews = [(registry.records[name], plugin_sync(name, scope)) for name in names]
        holder, expires = scheduler_holder()
        return self.render(
            "pbadmin/sync_index.html", overviews=overviews, holder=holder, expires=expires, statuses=REPORT_STATUSES
        )

    @expose("/<plugin>/")
    def plugin(self, plugin: str):
        record = self._plugin_or_404(plugin)
        overview = plugin_sync(plugin, current_scope().clause(Report))
        holder, expires = scheduler_holder()
        return self.render(
            "pbadmin/sync_plugin.html",
            record=record,
            overview=overview,
            holder=holder,
            expires=expires,
            statuses=REPORT_STATUSES,
            action_form=ActionForm(),
            period_form=PeriodForm(),
            approval_required=approval_required(plugin),
            settings=enablement.settings_of(plugin),
        )

    @expose("/report/<int:report_id>")
    def report(self, report_id: int):
        report = self._report_or_404(report_id)
        definitions = {d.code: d for d in element_definitions(report.plugin)}
        revisions = db.session.scalars(
            select(Report)
            .where(
                Report.data_set == report.data_set,
                Report.org_unit == report.org_unit,
                Report.period == report.period,
                current_scope().clause(Report),
            )
            .order_by(Report.revision)
        ).all()
        payload = report.payload.decode("utf-8", errors="replace") if report.payload else None
        return self.render(
            "pbadmin/sync_report.html",
            report=report,
            definitions=definitions,
            revisions=revisions,
            payload=payload,
            statuses=REPORT_STATUSES,
            outcomes=ATTEMPT_OUTCOMES,
            action_form=ActionForm(),
        )

    # --- report actions ----------------------------------------------------------------------
    def _move(self, report_id: int, step) -> Report | None:
        """Apply a lifecycle step (queue, requeue) to a report the user may touch; None, said why, if refused."""
        self._checked()
        report = self._report_or_404(report_id)
        try:
            step(report, self._actor())
            db.session.commit()
        except lifecycle.ReportError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return None
        return report

    @expose("/report/<int:report_id>/approve", methods=["POST"])
    def approve(self, report_id: int):
        report = self._move(report_id, lifecycle.queue)
        if report is not None and report.status == "held":
            flash(_("The report was held back: %(reason)s", reason=report.message), "error")
        elif report is not None:
            flash(_("Approved: the report is queued and will be sent shortly."), "success")
        return redirect(url_for(".report", report_id=report_id))

    @expose("/report/<int:report_id>/send", methods=["POST"])
    def send_now(self, report_id: int):
        """Deliver at once, in this request, through the same claim as every worker (never twice)."""
        self._checked()
        report = self._report_or_404(report_id)
        if report.status != "queued":
            flash(_("Only a queued report can be sent now."), "error")
            return redirect(url_for(".report", report_id=report_id))
        lifecycle.send_now(report)
        db.session.commit()
        worker = OutboxWorker(worker_name(f"web-{current_user.username}"))
        if not worker.claim(limit=1, only=[report_id]):
            flash(_("Another worker is sending this report right now."), "info")
        else:
            worker.deliver(report_id)
            report = db.session.get(Report, report_id, populate_existing=True)
            self._flash_outcome(report)
        return redirect(url_for(".report", report_id=report_id))

    @expose("/report/<int:report_id>/retry", methods=["POST"])
    def retry(self, report_id: int):
        if self._move(report_id, lifecycle.requeue) is not None:
            flash(_("The report is queued again and will be sent shortly."), "success")
        return redirect(url_for(".report", report_id=report_id))

    def _flash_outcome(self, report: Report) -> None:
        status = REPORT_STATUSES.label(report.status)
        if report.status == "accepted":
            flash(_("Accepted by the province; receipt %(receipt)s.", receipt=report.receipt or "-"), "success")
        else:
            flash(f"{status}: {report.message or ''}", "error" if report.status != "queued" else "warning")

    # --- plugin actions ----------------------------------------------------------------------
    @expose("/<plugin>/build", methods=["POST"])
    def build(self, plugin: str):
        self._plugin_or_404(plugin)
        form = PeriodForm()
        if not form.validate_on_submit():
            flash(_("Enter a period such as 201805, 2018Q2 or 2018."), "error")
            return redirect(url_for(".plugin", plugin=plugin))
        try:
            period = Period.parse(form.period.data)
        except PeriodError as exc:
            flash(str(exc), "error")
            return redirect(url_for(".plugin", plugin=plugin))
        scope = current_scope()
        organisations = [org for org in lifecycle.reporting_organisations(plugin, period) if scope.contains_org(org.id)]
        approve = not approval_required(plugin)
        results = [lifecycle.build_report(plugin, org, period, self._actor(), approve) for org in organisations]
        db.session.commit()
        flash(_("Built %(period)s: %(summary)s", period=period.code, summary=jobs.summarise(period, results)), "info")
        return redirect(url_for(".plugin", plugin=plugin))

    @expose("/<plugin>/catalogue", methods=["POST"])
    def pull_catalogue(self, plugin: str):
        self._checked()
        self._plugin_or_404(plugin)
        try:
            row = province_catalogue.pull(target_for(plugin))
        except (NotReady, province_catalogue.CatalogueError) as exc:
            flash(str(exc), "error")
        else:
            flash(
                _(
                    "Catalogue pulled: %(elements)d data elements, %(units)d org units.",
                    elements=len(row.elements or []),
                    units=len(row.org_units or []),
                ),
                "success",
            )
        return redirect(url_for(".plugin", plugin=plugin))

    @expose("/<plugin>/schedule/<path:job_id>/<action>", methods=["POST"])
    def schedule(self, plugin: str, job_id: str, action: str):
        self._checked()
        self._plugin_or_404(plugin)
        if action not in ("pause", "resume") or job_id not in {
            j.job_id for j in jobs.planned_jobs() if j.plugin == plugin
        }:
            abort(404)
        row = jobs.schedule_state(job_id, plugin)
        row.paused = action == "pause"
        row.changed_by, row.changed_at = current_user.username, utcnow()
        db.session.commit()
        message = (
            _("Schedule %(job)s paused.", job=job_id) if row.paused else _("Schedule %(job)s resumed.", job=job_id)
        )
        flash(message, "success")
        return redirect(url_for(".plugin", plugin=plugin))
