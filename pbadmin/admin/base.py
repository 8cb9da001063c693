"""``PbModelView``: the one base view that owns access, scoping, CSRF, PII, export and errors.

Every admin view (plugin views too) subclasses it. Scoping is applied in ``get_query``,
``get_count_query`` and ``get_one`` together (Flask-Admin uses each in different
places), in every ajax look-up, and once more after the form is applied: the saved
record and everything it points to must lie inside the user's scope, or nothing is kept.
"""

from __future__ import annotations

import io

from flask import abort, flash, has_request_context, redirect, request, url_for
from flask_admin.actions import action
from flask_admin.babel import gettext as admin_gettext
from flask_admin.babel import lazy_gettext as admin_lazy_gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.form import SecureForm
from flask_admin.model.fields import AjaxSelectField, AjaxSelectMultipleField
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from openpyxl import Workbook
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import RelationshipDirection
from wtforms import StringField
from wtforms.validators import ValidationError

from pbadmin.admin.ajax import loader_for
from pbadmin.admin.downloads import xlsx_download
from pbadmin.admin.errors import describe_integrity_error
from pbadmin.admin.filters import OrgSubtreeFilter
from pbadmin.admin.labels import LABELS
from pbadmin.extensions import db
from pbadmin.models.choices import Choices
from pbadmin.models.tree import TreeCycleError
from pbadmin.security import roles
from pbadmin.security.pii import mask_id_number, mask_phone
from pbadmin.security.scoping import current_scope

PII_MASKS = {"id": mask_id_number, "phone": mask_phone}
OUT_OF_SCOPE = "The selected record does not exist or is outside your scope."


def user_can(permission: str) -> bool:
    return has_request_context() and current_user.is_authenticated and current_user.can(permission)


class PbModelView(ModelView):
    form_base_class = SecureForm
    page_size = 20
    can_set_page_size = True
    page_size_options = (20, 50, 100)
    can_view_details = True
    export_types = ["csv", "xlsx"]
    column_display_pk = False
    details_modal = False
    #: permission needed to see this view, and to change its records
    view_permission = roles.VIEW
    edit_permission = roles.EDIT
    #: fields a link may fill in on an empty create form (``?organisation=12``), as the compliance lists do
    prefill_fields: tuple[str, ...] = ()
    #: column -> Choices: labels in lists and exports, select boxes in forms
    choices: dict[str, Choices] = {}
    #: many-to-one / many-to-many relationships that keep a plain select (small tables)
    plain_select_relations: tuple[str, ...] = ()
    #: the column holding the owning organisation: adds the "organisation subtree" filter
    org_filter_column: str | None = "organisation_id"

    def __init__(self, model, name=None, category=None, endpoint=None, **kwargs) -> None:
        self._prepare_declarations(model)
        super().__init__(model, db, name=name, category=category, endpoint=endpoint, **kwargs)

    # --- declarations derived from the model -----------------------------------------
    def _prepare_declarations(self, model) -> None:
        mapper = db.inspect(model)
        if self.org_filter_column and hasattr(model, self.org_filter_column):
            subtree = OrgSubtreeFilter(
                getattr(model, self.org_filter_column), _l("Party organisation (with sub-organisations)")
            )
            self.column_filters = [*(self.column_filters or ()), subtree]
        labels = dict(LABELS)
        labels.update(self.column_labels or {})
        self.column_labels = labels

        ajax = dict(self.form_ajax_refs or {})
        related = []
        for rel in mapper.relationships:
            if rel.direction is RelationshipDirection.ONETOMANY or rel.key in self.plain_select_relations:
                continue
            if rel.key not in ajax:
                # the loader's name is the field's name: Flask-Admin looks loaders up by it
                ajax[rel.key] = loader_for(rel.key, rel.mapper.class_)
            if rel.direction is RelationshipDirection.MANYTOONE:
                related.append(rel.key)
        self.form_ajax_refs = ajax
        if self.column_select_related_list is None and self.column_list:
            self.column_select_related_list = [getattr(model, key) for key in related if key in self.column_list]

        self.column_choices = {key: list(choice.pairs) for key, choice in self.choices.items()} | dict(
            self.column_choices or {}
        )
        self.form_choices = {key: list(choice.pairs) for key, choice in self.choices.items()} | dict(
            self.form_choices or {}
        )

        # Flask-Admin has no converter for EncryptedText: PII columns are plain text inputs
        overrides = dict(self.form_overrides or {})
        for column in getattr(model, "PII_COLUMNS", {}):
            overrides.setdefault(column, StringField)
        self.form_overrides = overrides

        formatters = dict(self.column_formatters or {})
        for column, kind in getattr(model, "PII_COLUMNS", {}).items():
            formatters[column] = _pii_formatter(PII_MASKS[kind])
        self.column_formatters = formatters
        self.column_formatters_export = {
            k: v for k, v in formatters.items() if k in getattr(model, "PII_COLUMNS", {})
        } | dict(self.column_formatters_export or {})

    # --- access ----------------------------------------------------------------------
    def is_accessible(self) -> bool:
        return user_can(self.view_permission)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        abort(403)

    @property
    def can_create(self) -> bool:
        return user_can(self.edit_permission)

    @property
    def can_edit(self) -> bool:
        return user_can(self.edit_permission)

    @property
    def can_delete(self) -> bool:
        return user_can(self.edit_permission)

    @property
    def can_export(self) -> bool:
        return user_can(roles.EXPORT)

    # --- scoping ---------------------------------------------------------------------
    def get_query(self):
        return super().get_query().filter(current_scope().clause(self.model))

    def get_count_query(self):
        return db.session.query(func.count(self.model.id)).filter(current_scope().clause(self.model))

    def get_one(self, id):
        try:
            key = int(id)
        except (TypeError, ValueError):
            return None
        return self.get_query().filter(self.model.id == key).one_or_none()

    def _assert_in_scope(self, model) -> None:
        """After flush: the record and every record it points to must be in scope."""
        scope = current_scope()
        if scope.unrestricted:
            return
        if not scope.contains(model):
            raise ValidationError(_("The record would fall outside your scope; nothing was saved."))
        for rel in db.inspect(type(model)).relationships:
            if rel.direction is RelationshipDirection.ONETOMANY:
                continue
            value = getattr(model, rel.key)
            targets = value if rel.uselist else [value]
            for target in targets:
                if target is not None and not scope.contains(target):
                    raise ValidationError(f"{self.column_labels.get(rel.key, rel.key)}: {_(OUT_OF_SCOPE)}")

    def on_model_change(self, form, model, is_created) -> None:
        self._refuse_newly_chosen_inactive(model, is_created)
        db.session.flush()
        self._assert_in_scope(model)

    def _refuse_newly_chosen_inactive(self, model, is_created: bool) -> None:
        """A disabled plugin's types and brands stay on old records but cannot be chosen anew."""
        state = db.inspect(model)
        for rel in state.mapper.relationships:
            if rel.direction is not RelationshipDirection.MANYTOONE:
                continue
            target = getattr(model, rel.key)
            if target is None or getattr(target, "active", True):
                continue
            if is_created or state.attrs[rel.key].history.has_changes():
                raise ValidationError(
                    _(
                        "%(field)s: %(value)s is disabled and cannot be used for new records.",
                        field=self.column_labels.get(rel.key, rel.key),
                        value=target,
                    )
                )

    @action(
        "delete",
        admin_lazy_gettext("Delete"),
        admin_lazy_gettext("Are you sure you want to delete selected records?"),
    )
    def action_delete(self, ids):
        """Row ids arrive as text; PostgreSQL will not compare them with integer keys."""
        return super().action_delete([int(i) for i in ids if str(i).isdigit()])

    def handle_view_exception(self, exc: Exception) -> bool:
        if isinstance(exc, IntegrityError):
            flash(describe_integrity_error(exc), "error")
            return True
        if isinstance(exc, TreeCycleError):
            flash(_("An organisation cannot be moved under itself or one of its own sub-organisations."), "error")
            return True
        return super().handle_view_exception(exc)

    # --- forms -----------------------------------------------------------------------
    def validate_form(self, form) -> bool:
        valid = super().validate_form(form)
        if not valid and "csrf_token" in getattr(form, "errors", {}):
            flash(_("The form's security token is missing or expired. Reload the page and try again."), "error")
        return valid

    def create_form(self, obj=None):
        form = self._guard_form(super().create_form(obj), editing=False)
        if request.method == "GET":
            _prefill(form, self.prefill_fields)
        return form

    def edit_form(self, obj=None):
        return self._guard_form(super().edit_form(obj), editing=True)

    def _guard_form(self, form, editing: bool):
        for field in _walk_fields(form):
            if isinstance(field, (AjaxSelectField, AjaxSelectMultipleField)):
                _refuse_unresolved_ids(field)
        if not user_can(roles.VIEW_PII):
            for column in getattr(self.model, "PII_COLUMNS", {}):
                if column in form:
                    _make_write_only(form, column, editing)
        return form

    def _get_filter_groups(self):
        groups = super()._get_filter_groups()
        for items in (groups or {}).values():
            for item in items:
                current_options = getattr(self._filters[item["index"]], "current_options", None)
                if current_options:
                    item["options"] = current_options()
        return groups

    # --- export ----------------------------------------------------------------------
    def _export_data(self):
        """Stream the scoped, filtered, sorted query instead of loading every row."""
        view_args = self._get_list_extra_args()
        sort = self._get_column_by_idx(view_args.sort)
        count, query = self.get_list(
            0,
            sort[0] if sort else None,
            view_args.sort_desc,
            view_args.search,
            view_args.filters,
            execute=False,
            page_size=0,
        )
        return count, query.yield_per(500)

    def _export_tablib(self, export_type, return_url):
        if export_type != "xlsx":
            flash(admin_gettext("Permission denied."), "error")
            return redirect(return_url)
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(self.name)[:31])
        sheet.append([str(label) for _, label in self._export_columns])
        _, rows = self._export_data()
        for row in rows:
            sheet.append([_cell(self.get_export_value(row, column)) for column, _ in self._export_columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return xlsx_download(buffer.getvalue(), self.get_export_name(export_type="xlsx"))


def _cell(value):
    if value is None or isinstance(value, (int, float, str)):
        return value
    return str(value)


def _pii_formatter(mask):
    def format_pii(view, context, model, name):
        value = getattr(model, name)
        if user_can(roles.VIEW_PII):
            return value or ""
        return Markup('<span class="pb-masked">{}</span>').format(mask(value)) if context else mask(value)

    # exports call with context=None and must get plain text (Flask-Admin rejects macro-named functions)
    format_pii.__name__ = f"format_pii_{mask.__name__}"
    return format_pii


def _prefill(form, names: tuple[str, ...]) -> None:
    """Fill fields of a new record from the query string; what does not parse, or lies outside the
    user's scope (the scoped loader resolves nothing), is left blank rather than refused."""
    for name in names:
        raw = request.args.get(name)
        if raw is None or name not in form:
            continue
        field = form[name]
        if isinstance(field, AjaxSelectField):
            field.data = field.loader.get_one(raw)
            continue
        try:
            field.process_formdata([raw])
        except ValueError:
            field.data = None


def _walk_fields(form):
    """Every field of the form, including those of inline sub-forms (attendance rows)."""
    for field in form:
        entries = getattr(field, "entries", None)
        if entries is not None:
            for entry in entries:
                sub_form = getattr(entry, "form", None)
                if sub_form is not None:
                    yield from _walk_fields(sub_form)
        else:
            yield field


def _refuse_unresolved_ids(field) -> None:
    """An id that the scoped loader cannot resolve is an error, not a silent blank."""
    original = field.pre_validate

    def pre_validate(form):
        submitted = getattr(field, "_formdata", None)
        if submitted not in (None, "", "__None"):
            data = field.data
            wanted = len(submitted) if isinstance(submitted, (list, set, tuple)) else 1
            found = len(data) if isinstance(data, (list, set, tuple)) else (0 if data is None else 1)
            if found < wanted:
                raise ValidationError(_(OUT_OF_SCOPE))
        original(form)

    field.pre_validate = pre_validate


def _make_write_only(form, column: str, editing: bool) -> None:
    """Users without view_pii may enter a value but never read the stored one back."""
    field = form[column]
    if request.method == "POST":
        if editing and not (field.data or "").strip():
            del form[column]  # left blank: keep what is stored
        return
    field.data = ""
    if editing:
        field.description = _("Stored and hidden. Leave blank to keep it, or type a new value.")
