"""The import pages: upload a roster or activity file, watch it being checked, fix, commit.

Uploading returns at once: the check runs in a background thread (``importing.jobs``) and
the job page polls a small JSON endpoint for its progress (``static/import.js``), then shows
the preview: every problem, or the counts of what would change and a commit button. A job is
only ever seen and committed by the user who uploaded it, and only inside their scope; the
target organisation is one of the user's. Every POST carries a CSRF token.
"""

from __future__ import annotations

from pathlib import PurePath

from flask import abort, flash, jsonify, redirect, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from pbadmin.admin.base import PbView
from pbadmin.admin.downloads import xlsx_download
from pbadmin.extensions import db
from pbadmin.importing import jobs
from pbadmin.importing.errors_workbook import errors_workbook
from pbadmin.importing.kinds import KINDS
from pbadmin.importing.problems import Problem, problems_from_json
from pbadmin.importing.templates import template_workbook
from pbadmin.models import ImportJob, PartyOrganization
from pbadmin.models.importing import IMPORT_KINDS, IMPORT_STATUSES, RUNNING_STATUSES
from pbadmin.security import roles
from pbadmin.security.scoping import current_scope

#: problems listed on the page; the rest are in the downloadable file
SHOWN_PROBLEMS = 1000
RECENT_JOBS = 20


class UploadForm(FlaskForm):
    kind = SelectField(_l("What to import"), choices=[SelectChoice(code, label) for code, label in IMPORT_KINDS.pairs])
    organisation = SelectField(_l("Into organisation"), coerce=int)
    file = FileField(_l("File (.xlsx or .csv)"), validators=[FileRequired(_l("Choose a file to upload."))])


class ActionForm(FlaskForm):
    """A button: a POST carrying only its CSRF token."""


class ImportView(PbView):
    view_permission = roles.EDIT

    # --- look-ups, each refusing what the user may not touch ------------------------------
    def _organisations(self) -> list[PartyOrganization]:
        query = (
            select(PartyOrganization)
            .where(current_scope().clause(PartyOrganization), PartyOrganization.dissolved_on.is_(None))
            .order_by(PartyOrganization.code)
        )
        return list(db.session.scalars(query))

    def _job_or_404(self, job_id: int) -> ImportJob:
        job = db.session.scalar(
            select(ImportJob).where(
                ImportJob.id == job_id, ImportJob.user_id == current_user.id, current_scope().clause(ImportJob)
            )
        )
        if job is None:
            abort(404)
        return job

    # --- pages -----------------------------------------------------------------------------
    @expose("/", methods=["GET", "POST"])
    def index(self):
        form = UploadForm()
        organisations = self._organisations()
        form.organisation.choices = [SelectChoice(org.id, f"{org.name}（{org.code}）") for org in organisations]
        if form.validate_on_submit():
            target = next(org for org in organisations if org.id == form.organisation.data)
            data = form.file.data.read()
            filename = PurePath(form.file.data.filename or "").name
            job = jobs.create(form.kind.data, target, current_user, filename, data)
            return redirect(url_for(".job", job_id=job.id))
        jobs.forget_old_uploads()
        recent = db.session.scalars(
            select(ImportJob)
            .where(ImportJob.user_id == current_user.id, current_scope().clause(ImportJob))
            .order_by(ImportJob.created_at.desc(), ImportJob.id.desc())
            .limit(RECENT_JOBS)
        ).all()
        return self.render(
            "pbadmin/import_index.html", form=form, recent=recent, kinds=IMPORT_KINDS, statuses=IMPORT_STATUSES
        )

    @expose("/template/<kind>.xlsx")
    def template(self, kind: str):
        if kind not in KINDS:
            abort(404)
        return xlsx_download(template_workbook(kind), KINDS[kind].template_filename)

    @expose("/job/<int:job_id>/")
    def job(self, job_id: int):
        job = self._job_or_404(job_id)
        jobs.resume_if_stale(job)
        kept = job.data is not None
        problems = problems_from_json(job.errors) if job.status == "invalid" else []
        message = Problem.from_json(job.message) if job.message else None
        return self.render(
            "pbadmin/import_job.html",
            job=job,
            running=job.status in RUNNING_STATUSES,
            progress_text=progress_text(job),
            problems=problems[:SHOWN_PROBLEMS],
            hidden_problems=max(0, len(problems) - SHOWN_PROBLEMS),
            can_download=kept and job.status == "invalid" and any(p.row is not None for p in problems),
            file_gone=not kept and job.status in ("invalid", "valid"),
            message=message,
            kinds=IMPORT_KINDS,
            statuses=IMPORT_STATUSES,
            action_form=ActionForm(),
        )

    @expose("/job/<int:job_id>/progress")
    def progress(self, job_id: int):
        job = self._job_or_404(job_id)
        jobs.resume_if_stale(job)
        return jsonify(
            status=job.status,
            label=IMPORT_STATUSES.label(job.status),
            running=job.status in RUNNING_STATUSES,
            rows_processed=job.rows_processed,
            total_rows=job.total_rows,
            text=progress_text(job),
        )

    @expose("/job/<int:job_id>/errors.xlsx")
    def errors(self, job_id: int):
        """The bad rows to fix; ID numbers and phones as written only for users with view_pii."""
        job = self._job_or_404(job_id)
        data = jobs.file_data(job) if job.status == "invalid" else None
        if data is None:
            abort(404)
        content = errors_workbook(
            job.kind, data, problems_from_json(job.errors), reveal=current_user.can(roles.VIEW_PII)
        )
        stem = PurePath(job.filename).stem or "import"
        return xlsx_download(content, f"{stem}_错误行.xlsx")

    @expose("/job/<int:job_id>/commit", methods=["POST"])
    def commit(self, job_id: int):
        if not ActionForm().validate_on_submit():
            abort(400)
        job = self._job_or_404(job_id)
        if not jobs.start_commit(job):
            flash(_("Only a checked file without problems can be imported."), "error")
        return redirect(url_for(".job", job_id=job_id))


def progress_text(job: ImportJob) -> str:
    if job.status == "committing" and job.rows_processed >= job.total_rows > 0:
        return _("Writing %(total)s rows…", total=job.total_rows)
    if job.status in RUNNING_STATUSES:
        return _(
            "%(status)s: %(done)s of %(total)s rows checked",
            status=IMPORT_STATUSES.label(job.status),
            done=job.rows_processed,
            total=job.total_rows or "?",
        )
    return _(
        "%(status)s: %(total)s rows checked",
        status=IMPORT_STATUSES.label(job.status),
        total=job.total_rows,
    )
