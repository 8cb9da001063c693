"""One admin view per core record. Behaviour lives in PbModelView; these declare columns."""

from __future__ import annotations

import hashlib
import io
import re

from flask import abort, current_app, send_file, url_for
from flask_admin import expose
from flask_admin.model.form import InlineFormAdmin
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from wtforms import MultipleFileField, PasswordField, SelectMultipleField
from wtforms.validators import Length, Optional, ValidationError

from pbadmin.admin.ajax import loader_for
from pbadmin.admin.base import PbModelView
from pbadmin.admin.filters import activity_type_filter
from pbadmin.extensions import db
from pbadmin.models import (
    Activity,
    ActivityAttachment,
    Attendance,
    CommitteeSeat,
    Member,
)
from pbadmin.models import choices as c
from pbadmin.models.org import REPORT_CODE_PATTERN
from pbadmin.models.reports import REPORT_STATUSES
from pbadmin.security import roles
from pbadmin.security.pii import InvalidIdNumber, validate_id_number, validate_phone
from pbadmin.security.scoping import current_scope


class RegionView(PbModelView):
    edit_permission = roles.MANAGE_SYSTEM
    choices = {"level": c.REGION_LEVELS}
    column_list = ["code", "name", "level", "parent"]
    column_searchable_list = ["code", "name"]
    column_filters = ["level"]
    column_default_sort = "code"
    form_columns = ["code", "name", "level", "parent"]


class InstitutionView(PbModelView):
    edit_permission = roles.MANAGE_REFERENCE
    choices = {"kind": c.INSTITUTION_KINDS}
    column_list = ["name", "kind", "region"]
    column_searchable_list = ["name"]
    column_filters = ["kind"]
    column_default_sort = "name"
    form_columns = ["name", "kind", "region"]


class MedicalCommunityView(PbModelView):
    edit_permission = roles.MANAGE_REFERENCE
    choices = {"kind": c.COMMUNITY_KINDS}
    column_list = ["name", "kind", "lead_institution", "region", "founded_on"]
    column_labels = {"members": _l("Member institutions")}
    column_searchable_list = ["name"]
    column_filters = ["kind", "founded_on"]
    column_default_sort = "name"
    form_columns = ["name", "kind", "region", "lead_institution", "members", "founded_on"]


class CommitteeInline(InlineFormAdmin):
    form_columns = ["id", "member", "role"]
    form_choices = {"role": list(c.COMMITTEE_ROLES.pairs)}
    form_label = _l("Committee")
    column_labels = {"member": _l("Member"), "role": _l("Role")}

    def __init__(self):
        super().__init__(CommitteeSeat)
        self.form_ajax_refs = {"member": loader_for("member", Member)}


class PartyOrganizationView(PbModelView):
    edit_permission = roles.MANAGE_ORGANISATIONS
    choices = {"kind": c.ORG_KINDS}
    column_list = ["code", "name", "kind", "parent", "institution", "department", "secretary_name", "report_code"]
    column_searchable_list = ["name", "code", "report_code"]
    column_default_sort = "code"
    form_columns = [
        "code",
        "name",
        "kind",
        "parent",
        "region",
        "institution",
        "department",
        "founded_on",
        "dissolved_on",
        "report_code",
    ]
    form_args = {
        "report_code": {"validators": [Optional(), Length(max=64)]},
    }
    inline_models = [CommitteeInline()]

    column_filters = ["kind", "founded_on"]
    org_filter_column = "id"

    def on_model_change(self, form, model, is_created):
        if model.report_code and not re.match(REPORT_CODE_PATTERN, model.report_code):
            raise ValidationError(_("Province report code: letters, digits, '.', '_' and '-' only, at most 64."))
        parent_changed = is_created or db.inspect(model).attrs.parent.history.has_changes()
        if model.parent is None and parent_changed and not current_user.can(roles.MANAGE_SYSTEM):
            raise ValidationError(_("Only a system administrator may create a top-level organisation."))
        super().on_model_change(form, model, is_created)


def _check_id_number(form, field):
    if field.data:
        try:
            field.data = validate_id_number(field.data)
        except InvalidIdNumber as exc:
            raise ValidationError(_("Invalid ID number: %(reason)s.", reason=exc.args[0])) from exc


def _check_phone(form, field):
    if field.data:
        try:
            field.data = validate_phone(field.data)
        except ValueError as exc:
            raise ValidationError(_("Invalid phone number.")) from exc


class MemberView(PbModelView):
    choices = {"gender": c.GENDERS, "status": c.MEMBER_STATUSES, "education": c.EDUCATION_LEVELS}
    column_list = [
        "name",
        "gender",
        "organisation",
        "department",
        "status",
        "admitted_on",
        "id_number",
        "phone",
        "is_double_leader",
    ]
    column_labels = {"name": _l("Full name")}
    column_details_exclude_list = ["id_number_index"]
    column_export_exclude_list = ["id_number_index"]
    column_searchable_list = ["name", "department"]
    column_default_sort = "name"
    form_columns = [
        "name",
        "gender",
        "birth_date",
        "ethnicity",
        "education",
        "id_number",
        "phone",
        "organisation",
        "institution",
        "department",
        "status",
        "admitted_on",
        "full_member_on",
        "is_double_leader",
        "is_model_post",
    ]
    form_args = {
        "id_number": {"validators": [Optional(), _check_id_number]},
        "phone": {"validators": [Optional(), Length(max=20), _check_phone]},
    }

    column_filters = ["status", "gender", "admitted_on", "is_double_leader"]


class ActivityTypeView(PbModelView):
    edit_permission = roles.MANAGE_SYSTEM
    choices = {"category": c.ACTIVITY_CATEGORIES, "shyk_kind": c.SHYK_KINDS}
    column_list = ["code", "name", "category", "shyk_kind", "plugin", "active"]
    column_searchable_list = ["code", "name"]
    column_filters = ["category", "plugin", "active"]
    column_default_sort = "code"
    form_columns = ["code", "name", "category", "shyk_kind", "plugin", "active"]


class AttendanceInline(InlineFormAdmin):
    form_columns = ["id", "member", "status"]
    form_choices = {"status": list(c.ATTENDANCE_STATUSES.pairs)}
    form_label = _l("Attendance")
    column_labels = {"member": _l("Member"), "status": _l("Status")}

    def __init__(self):
        super().__init__(Attendance)
        self.form_ajax_refs = {"member": loader_for("member", Member)}


class ActivityView(PbModelView):
    plain_select_relations = ("activity_type",)
    prefill_fields = ("organisation", "activity_type")
    column_list = ["starts_at", "title", "activity_type", "organisation", "brand", "people_served", "volunteer_hours"]
    column_searchable_list = ["title", "place"]
    column_default_sort = ("starts_at", True)
    form_columns = [
        "title",
        "activity_type",
        "organisation",
        "brand",
        "venue",
        "starts_at",
        "ends_at",
        "place",
        "content",
        "people_served",
        "volunteer_hours",
        "new_attachments",
    ]
    form_extra_fields = {"new_attachments": MultipleFileField(_l("Add attachments"))}
    column_details_list = [*form_columns[:-1], "attendance", "attachments"]
    inline_models = [AttendanceInline()]
    details_template = "pbadmin/activity_details.html"

    column_filters = [activity_type_filter(Activity.activity_type_id), "starts_at", "people_served"]

    def __init__(self, *args, **kwargs):
        self.column_formatters_detail = {"attendance": _attendance_list}
        super().__init__(*args, **kwargs)

    def on_model_change(self, form, model, is_created):
        limit = current_app.config["PBADMIN_MAX_ATTACHMENT_BYTES"]
        for upload in form.new_attachments.data or []:
            if not getattr(upload, "filename", ""):
                continue
            data = upload.read()
            if len(data) > limit:
                raise ValidationError(
                    _("Attachment %(name)s is larger than %(limit)s MB.", name=upload.filename, limit=limit // 2**20)
                )
            model.attachments.append(
                ActivityAttachment(
                    filename=upload.filename[:200],
                    content_type=(upload.mimetype or "application/octet-stream")[:100],
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    data=data,
                )
            )
        super().on_model_change(form, model, is_created)

    @expose("/attachment/<int:attachment_id>")
    def attachment(self, attachment_id: int):
        item = (
            db.session.query(ActivityAttachment)
            .filter(ActivityAttachment.id == attachment_id, current_scope().clause(ActivityAttachment))
            .one_or_none()
        )
        if item is None:
            abort(404)
        return send_file(
            io.BytesIO(item.data), mimetype=item.content_type, as_attachment=True, download_name=item.filename
        )


def _attendance_list(view, context, model, name):
    return ", ".join(f"{row.member}（{c.ATTENDANCE_STATUSES.label(row.status)}）" for row in model.attendance)


class BrandView(PbModelView):
    edit_permission = roles.MANAGE_ORGANISATIONS
    column_list = ["name", "organisation", "plugin", "launched_on", "active"]
    column_searchable_list = ["name"]
    column_default_sort = "name"
    form_columns = ["name", "organisation", "description", "launched_on", "active"]

    column_filters = ["active", "plugin", "launched_on"]


class VenueView(PbModelView):
    choices = {"kind": c.VENUE_KINDS}
    column_list = ["name", "kind", "organisation", "institution", "opened_on"]
    column_searchable_list = ["name"]
    column_default_sort = "name"
    form_columns = ["name", "kind", "organisation", "institution", "opened_on"]

    column_filters = ["kind", "opened_on"]


class VolunteerTeamView(PbModelView):
    column_list = ["name", "organisation", "brand", "headcount", "founded_on"]
    column_labels = {"members": _l("Party members in the team"), "headcount": _l("Volunteers (all)")}
    column_searchable_list = ["name"]
    column_default_sort = "name"
    form_columns = ["name", "organisation", "brand", "headcount", "founded_on", "members"]

    column_filters = ["founded_on"]


class PairingView(PbModelView):
    choices = {"status": c.PAIRING_STATUSES}
    column_list = ["helper", "helped", "status", "letter_signed_on", "started_on", "ended_on"]
    column_default_sort = ("started_on", True)
    form_columns = ["helper", "helped", "letter_signed_on", "started_on", "ended_on", "goals", "status"]

    column_filters = ["status", "started_on"]
    org_filter_column = "helper_id"


class PairingReportView(PbModelView):
    prefill_fields = ("pairing", "month")
    column_list = ["pairing", "month", "submitted_on"]
    column_default_sort = ("month", True)
    column_filters = ["month", "submitted_on"]
    form_columns = ["pairing", "month", "content", "submitted_on"]


class AllianceView(PbModelView):
    edit_permission = roles.MANAGE_ORGANISATIONS
    choices = {"scope": c.ALLIANCE_SCOPES}
    column_list = ["name", "institution", "partner_institution", "scope", "signed_on", "organisation"]
    column_searchable_list = ["name"]
    column_default_sort = ("signed_on", True)
    form_columns = ["name", "organisation", "institution", "partner_institution", "scope", "signed_on", "description"]

    column_filters = ["scope", "signed_on"]


class RectificationView(PbModelView):
    choices = {"source": c.RECTIFICATION_SOURCES, "status": c.RECTIFICATION_STATUSES}
    column_list = ["problem", "organisation", "source", "responsible", "deadline", "status", "closed_on"]
    column_searchable_list = ["problem"]
    column_default_sort = "deadline"
    form_columns = [
        "organisation",
        "problem",
        "source",
        "responsible",
        "found_on",
        "deadline",
        "status",
        "closed_on",
        "measures",
    ]

    column_filters = ["status", "source", "deadline"]


class DonationView(PbModelView):
    column_list = ["month", "member", "organisation", "amount", "fund"]
    column_searchable_list = ["fund"]
    column_default_sort = ("month", True)
    form_columns = ["organisation", "member", "month", "amount", "fund", "note"]

    column_filters = ["month", "fund"]


class HonorView(PbModelView):
    choices = {"level": c.HONOR_LEVELS}
    column_list = ["title", "organisation", "member", "level", "issuer", "awarded_on"]
    column_searchable_list = ["title", "issuer"]
    column_default_sort = ("awarded_on", True)
    form_columns = ["title", "organisation", "member", "level", "issuer", "awarded_on"]

    column_filters = ["level", "awarded_on"]


class UserView(PbModelView):
    view_permission = roles.MANAGE_USERS
    edit_permission = roles.MANAGE_USERS
    plain_select_relations = ("role",)
    column_list = ["username", "full_name", "role", "active", "last_login_at"]
    column_searchable_list = ["username", "full_name"]
    column_default_sort = "username"
    column_exclude_list = ["password_hash"]
    column_details_exclude_list = ["password_hash"]
    column_export_exclude_list = ["password_hash"]
    form_columns = ["username", "full_name", "role", "active", "organisations", "regions"]
    form_extra_fields = {"password": PasswordField(_l("Password"), validators=[Optional(), Length(min=10, max=256)])}

    def on_model_change(self, form, model, is_created):
        if form.password.data:
            model.set_password(form.password.data)
        elif is_created:
            raise ValidationError(_("A new user needs a password of at least 10 characters."))
        if not current_user.can(roles.MANAGE_SYSTEM) and model.role.name in (roles.SUPERADMIN, roles.REGION_ADMIN):
            raise ValidationError(_("Only a system administrator may grant this role."))
        super().on_model_change(form, model, is_created)


class RoleView(PbModelView):
    view_permission = roles.MANAGE_SYSTEM
    edit_permission = roles.MANAGE_SYSTEM
    can_delete = False
    column_list = ["name", "title", "permissions"]
    form_columns = ["name", "title", "permissions"]
    form_overrides = {"permissions": SelectMultipleField}
    form_args = {"permissions": {"choices": [(p, p) for p in roles.ALL_PERMISSIONS]}}


class AuditEntryView(PbModelView):
    view_permission = roles.VIEW_AUDIT
    can_create = False
    can_edit = False
    can_delete = False
    column_list = ["at", "actor", "source", "action", "table_name", "record_id", "record_label"]
    column_details_list = ["at", "actor", "source", "action", "table_name", "record_id", "record_label", "changes"]
    column_searchable_list = ["actor", "record_label"]
    column_filters = ["at", "actor", "action", "table_name", "source", "record_id"]
    column_default_sort = ("at", True)
    column_formatters_detail = {"changes": lambda v, ctx, m, n: _changes_table(m.changes)}


def _changes_table(changes: dict):
    row = Markup("<tr><th>{}</th><td>{}</td><td>{}</td></tr>")
    rows = Markup("").join(row.format(field, before, after) for field, (before, after) in (changes or {}).items())
    head = row.format("", _("Before"), _("After"))
    return Markup('<table class="table table-sm">{}{}</table>').format(head, rows)


class ReportView(PbModelView):
    """Every report revision, searchable; the sync page's preview shows one in full."""

    view_permission = roles.APPROVE_REPORTS
    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = False
    choices = {"status": REPORT_STATUSES}
    column_list = ["org_unit", "organisation", "plugin", "data_set", "period", "revision", "status", "attempt_count"]
    column_list += ["receipt", "finished_at"]
    column_searchable_list = ["org_unit", "receipt"]
    column_filters = ["status", "plugin", "data_set", "period"]
    column_default_sort = ("id", True)
    column_formatters = {
        "org_unit": lambda view, context, model, name: Markup('<a href="{}">{}</a>').format(
            url_for("sync.report", report_id=model.id), model.org_unit
        )
    }
