"""One admin view per core record. Behaviour lives in PbModelView; these declare columns."""

from __future__ import annotations

import hashlib
import io
import re

from flask import abort, current_app, flash, send_file, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.model.form import InlineFormAdmin
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import case
from wtforms import MultipleFileField, PasswordField, SelectMultipleField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from pbadmin.admin.ajax import loader_for
from pbadmin.admin.base import PbModelView
from pbadmin.admin.filters import activity_type_filter
from pbadmin.extensions import db
from pbadmin.models import (
    Activity,
    ActivityAttachment,
    Attendance,
    CommitteeSeat,
    IdNumberCollision,
    Member,
    Role,
    User,
)
from pbadmin.models import choices as c
from pbadmin.models.org import REPORT_CODE_PATTERN
from pbadmin.models.reports import REPORT_STATUSES
from pbadmin.params import record_ids
from pbadmin.security import roles
from pbadmin.security.id_collisions import IdNumberGate, IdNumberRefused, holder_of
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

    def on_model_change(self, form, model, is_created):
        if model.id_number and db.inspect(model).attrs.id_number.history.has_changes():
            _refuse_taken_id_number(model)
        super().on_model_change(form, model, is_created)


def _refuse_taken_id_number(model: Member) -> None:
    """A number held by a member the user can see is named; one held out of sight is no oracle."""
    with db.session.no_autoflush:  # the new member is pending: flushing it would hit the unique index
        _check_id_number_holder(model)


def _check_id_number_holder(model: Member) -> None:
    holder = holder_of(model.id_number_index, exclude_member_id=model.id)
    if holder is not None and current_scope().contains(holder):
        raise ValidationError(
            _(
                "ID number: already registered as %(name)s in %(organisation)s.",
                name=holder.name,
                organisation=holder.organisation,
            )
        )
    organisation = model.organisation
    try:
        IdNumberGate("form").check(holder, organisation.id if organisation is not None else None, model.name)
    except IdNumberRefused as refused:
        raise ValidationError(_("ID number: %(reason)s.", reason=_(refused.message))) from None


class IdNumberCollisionView(PbModelView):
    """Numbers staff tried to register while a member out of their sight holds them: the administrators
    above either side resolve them here, by moving the member (a transfer) or by closing the case."""

    view_permission = roles.MANAGE_ORGANISATIONS
    edit_permission = roles.MANAGE_ORGANISATIONS
    can_create = False
    can_delete = False
    choices = {"status": c.COLLISION_STATUSES, "source": c.COLLISION_SOURCES}
    column_list = ["last_at", "organisation", "entered_name", "existing_member", "actor", "source", "attempts"]
    column_list += ["status"]
    column_details_list = [*column_list, "first_at", "resolution"]
    column_labels = {
        "organisation": _l("Organisation it was entered for"),
        "entered_name": _l("Name entered"),
        "existing_member": _l("Member holding the number"),
        "actor": _l("Entered by"),
        "attempts": _l("Times entered"),
        "first_at": _l("First attempt"),
        "last_at": _l("Last attempt"),
        "resolution": _l("Resolution"),
    }
    column_filters = ["status", "last_at"]
    column_default_sort = ("last_at", True)
    form_columns = ["status", "resolution"]

    def __init__(self, *args, **kwargs):
        self.column_formatters = {
            "existing_member": _holder_if_in_sight,
            "first_at": _local_minute,
            "last_at": _local_minute,
        }
        super().__init__(*args, **kwargs)

    @action(
        "transfer",
        _l("Transfer the member here"),
        _l("Move each selected member into the organisation the number was entered for?"),
    )
    def action_transfer(self, ids):
        scope = current_scope()
        moved = 0
        keys = record_ids(ids)
        for collision in self.get_query().filter(IdNumberCollision.id.in_(keys), IdNumberCollision.status == "open"):
            member = collision.existing_member
            if not (scope.contains(member, writing=True) and scope.contains_org(collision.organisation_id)):
                continue
            member.organisation = collision.organisation
            if collision.organisation.institution_id is not None:
                member.institution_id = collision.organisation.institution_id
            collision.status = "transferred"
            collision.resolution = _(
                "Transferred to %(organisation)s by %(user)s.",
                organisation=collision.organisation,
                user=current_user.username,
            )
            moved += 1
        db.session.commit()
        flash(_("%(count)s members transferred.", count=moved), "success")
        if moved < len(keys):
            flash(_("Members outside your scope, or cases already closed, were left as they are."), "warning")


def _local_minute(view, context, model, name):
    """A stored UTC time as Beijing time (the configured zone) to the minute."""
    value = getattr(model, name)
    return format_datetime(value, "yyyy-MM-dd HH:mm") if value else ""


def _holder_if_in_sight(view, context, model, name):
    member = model.existing_member
    if member is not None and current_scope().contains(member):
        return f"{member.name}（{member.organisation}）"
    return _("A member outside your scope (ask a system administrator)")


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
    write_denied_message = _l(
        "A pairing belongs to the helping side: the helped organisation may read it, but only the helper "
        "and the organisations above it may change it."
    )


class PairingReportView(PbModelView):
    prefill_fields = ("pairing", "month")
    column_list = ["pairing", "month", "submitted_on"]
    column_default_sort = ("month", True)
    column_filters = ["month", "submitted_on"]
    form_columns = ["pairing", "month", "content", "submitted_on"]
    write_denied_message = _l(
        "Monthly reports are written by the helping side: the helped organisation may read them, but only "
        "the helper and the organisations above it may write or change them."
    )


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


def _grantable_roles():
    """The roles the current user may hand out: all for a superadmin, staff and viewer for anyone else.
    The least powerful come first, so a new user is staff unless someone chooses more."""
    rank = case(
        {name: index for index, name in enumerate(roles.ROLE_ORDER)}, value=Role.name, else_=len(roles.ROLE_ORDER)
    )
    query = db.session.query(Role).order_by(rank, Role.id)
    if current_user.role_name != roles.SUPERADMIN:
        query = query.filter(Role.name.in_(roles.DELEGATED_ROLES))
    return query


class UserView(PbModelView):
    """Users, managed under one rule (security.scoping, ``User.scope_clause``): superadmins manage everyone;
    anyone else with manage_users sees, edits, deactivates and deletes only staff and viewers all of whose
    grants lie inside their own scope, and can grant nothing beyond it."""

    view_permission = roles.MANAGE_USERS
    edit_permission = roles.MANAGE_USERS
    plain_select_relations = ("role",)
    column_list = ["username", "full_name", "role", "active", "last_login_at"]
    column_searchable_list = ["username", "full_name"]
    column_default_sort = "username"
    column_exclude_list = ["password_hash", "session_version"]
    column_details_exclude_list = ["password_hash", "session_version"]
    column_export_exclude_list = ["password_hash", "session_version"]
    form_columns = ["username", "full_name", "role", "active", "organisations", "regions", "password", "password2"]
    form_args = {
        "username": {"validators": [DataRequired(), Length(max=64)]},
        "role": {"query_factory": _grantable_roles, "validators": [DataRequired()]},
    }
    form_extra_fields = {
        "password": PasswordField(
            _l("Password"),
            validators=[Optional(), Length(min=10, max=256)],
            description=_l("At least 10 characters. When editing, leave blank to keep the current password."),
        ),
        "password2": PasswordField(
            _l("Repeat the password"), validators=[EqualTo("password", message=_l("The two passwords differ."))]
        ),
    }

    def on_model_change(self, form, model, is_created):
        if form.password.data:
            model.set_password(form.password.data)
        elif is_created:
            raise ValidationError(_("A new user needs a password of at least 10 characters."))
        if not is_created and model.id == current_user.id:
            _refuse_self_demotion(model)
        if current_user.role_name != roles.SUPERADMIN:
            if model.role is None or model.role.name not in roles.DELEGATED_ROLES:
                raise ValidationError(_("Only a system administrator may grant this role."))
            if not (model.organisations or model.regions):
                raise ValidationError(_("Grant the user at least one party organisation or region of your own."))
        super().on_model_change(form, model, is_created)

    def on_model_delete(self, model):
        if model.id == current_user.id:
            raise ValidationError(_("You cannot delete your own account."))
        super().on_model_delete(model)

    @action(
        "deactivate",
        _l("Deactivate"),
        _l("Deactivate the selected users? They are logged out at once and cannot log in until activated again."),
    )
    def action_deactivate(self, ids):
        keys = record_ids(ids)
        users = self.get_query().filter(User.id.in_(keys), User.active.is_(True), User.id != current_user.id).all()
        for user in users:
            user.active = False
        db.session.commit()
        flash(_("%(count)s users deactivated.", count=len(users)), "success")


def _refuse_self_demotion(model) -> None:
    """Nobody locks themselves out: one's own role and active flag stay as they are."""
    state = db.inspect(model)
    if state.attrs.role.history.has_changes() or not model.active:
        raise ValidationError(_("You cannot change your own role or deactivate your own account."))


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
