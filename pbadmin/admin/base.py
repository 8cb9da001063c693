"""``PbModelView``: the one base view that owns access, scoping, CSRF, PII, export and errors.

Every admin view (plugin views too) subclasses it. Scoping is applied in ``get_query``,
``get_count_query`` and ``get_one`` together (Flask-Admin uses each in different
places), in every ajax look-up, and once more after the form is applied: the saved
record and everything it points to must lie inside the user's scope, or nothing is kept.
"""

from __future__ import annotations

import io

from flask import abort, current_app, flash, g, has_app_context, has_request_context, redirect, request, url_for
from flask_admin import BaseView
from flask_admin.actions import action
from flask_admin.babel import gettext as admin_gettext
from flask_admin.babel import lazy_gettext as admin_lazy_gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.form import SecureForm
from flask_admin.model.fields import AjaxSelectField, AjaxSelectMultipleField
from flask_admin.model.template import BaseListRowAction, DeleteRowAction, EditPopupRowAction, EditRowAction
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import RelationshipDirection
from wtforms import DecimalField, FloatField, IntegerField, StringField
from wtforms.validators import ValidationError

from pbadmin.admin.ajax import loader_for
from pbadmin.admin.downloads import xlsx_download
from pbadmin.admin.filters import OrgSubtreeFilter
from pbadmin.extensions import db
from pbadmin.models.base import Scoped
from pbadmin.models.choices import Choices
from pbadmin.models.errors import describe_integrity_error
from pbadmin.models.labels import LABELS
from pbadmin.models.tree import TreeCycleError
from pbadmin.params import MAX_ID, BadParameter, FitsColumn, contains_nul, fits_column, record_id, record_ids
from pbadmin.security import roles
from pbadmin.security.pii import mask_id_number, mask_phone
from pbadmin.security.scoping import current_scope
from pbadmin.security.spreadsheets import csv_download, xlsx_cell

PII_MASKS = {"id": mask_id_number, "phone": mask_phone}
OUT_OF_SCOPE = "The selected record does not exist or is outside your scope."


def user_can(permission: str) -> bool:
    return has_request_context() and current_user.is_authenticated and current_user.can(permission)


class GuardedView:
    """Access for every admin page: logged in and holding ``view_permission``; strangers go to the login page."""

    view_permission = roles.VIEW

    def is_accessible(self) -> bool:
        return user_can(self.view_permission)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        abort(403)


class PbView(GuardedView, BaseView):
    """The base of every admin page that is not a record list (plugin pages too)."""


class PbModelView(GuardedView, ModelView):
    form_base_class = SecureForm
    can_set_page_size = True
    page_size_options = (20, 50, 100)
    can_view_details = True
    export_types = ["csv", "xlsx"]
    column_display_pk = False
    details_modal = False
    #: permission needed to change its records (``view_permission`` to see them)
    edit_permission = roles.EDIT
    #: fields a link may fill in on an empty create form (``?organisation=12``), as the compliance lists do
    prefill_fields: tuple[str, ...] = ()
    #: column -> Choices: labels in lists and exports, select boxes in forms
    choices: dict[str, Choices] = {}
    #: many-to-one / many-to-many relationships that keep a plain select (small tables)
    plain_select_relations: tuple[str, ...] = ()
    #: the column holding the owning organisation: adds the "organisation subtree" filter
    org_filter_column: str | None = "organisation_id"
    #: why a record the user can read is not theirs to change (models with a ``write_scope_clause``)
    write_denied_message = _l("This record belongs to another organisation: you may read it but not change it.")

    @property
    def page_size(self) -> int:
        """Rows on a list page unless ``?page_size=`` picks an option: the app's ``PBADMIN_PAGE_SIZE``,
        read per request (a view may still set its own ``page_size``)."""
        return current_app.config["PBADMIN_PAGE_SIZE"] if has_app_context() else 20

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
    def _writing(self) -> bool:
        """Whether this request changes records (edit, delete, a bulk action) rather than reads them."""
        endpoint = (request.endpoint or "") if has_request_context() else ""
        view, _dot, method = endpoint.rpartition(".")
        return view == self.endpoint and method in WRITING_METHODS

    def scope_filter(self, writing: bool | None = None):
        """The records this user may read, or change when the request writes. Every query goes through it."""
        scope = current_scope()
        if writing is None:
            writing = self._writing()
        return scope.write_clause(self.model) if writing else scope.clause(self.model)

    def get_query(self):
        return super().get_query().filter(self.scope_filter())

    def get_count_query(self):
        return db.session.query(func.count(self.model.id)).filter(self.scope_filter())

    def get_list(self, *args, **kwargs):
        """Also note which rows of the page the user may change, so the others show no edit or delete."""
        result = super().get_list(*args, **kwargs)
        if kwargs.get("execute", True) and _has_write_rule(self.model):
            ids = [row.id for row in result[1]]
            writable = select(self.model.id).where(self.model.id.in_(ids), self.scope_filter(writing=True))
            g.pb_writable_rows = set(db.session.scalars(writable)) if ids else set()
        return result

    def get_list_row_actions(self):
        actions = super().get_list_row_actions()
        if not _has_write_rule(self.model):
            return actions
        return [WritableRowsOnly(a) if isinstance(a, WRITING_ROW_ACTIONS) else a for a in actions]

    def get_one(self, id):
        """The record, scoped; None if there is none. An id no record can have (``abc``, ``-1``, 10**30)
        is a 404 at once: the database never sees it."""
        key = record_id(id)
        if key is None:
            abort(404)
        return self.get_query().filter(self.model.id == key).one_or_none()

    def _get_list_extra_args(self):
        """A page number whose offset no query can take (negative, 10**30) shows the first page;
        a search for NUL, which no text column can hold, is a bad request."""
        view_args = super()._get_list_extra_args()
        if contains_nul(view_args.search):
            raise BadParameter()
        if not 0 <= (view_args.page or 0) <= MAX_ID // max(self.page_size_options or (self.page_size,)):
            view_args.page = 0
        return view_args

    def _get_list_filter_args(self):
        """Filter values the column cannot hold (an integer beyond its type) are refused like malformed ones."""
        kept = []
        for index, name, value in super()._get_list_filter_args() or ():
            flt = self._filters[index]
            try:
                fits = fits_column(flt.clean(value), getattr(flt, "column", None))
            except (TypeError, ValueError):
                fits = False
            if fits:
                kept.append((index, name, value))
            else:
                flash(self.get_invalid_value_msg(value, flt), "error")
        return kept if self._filters else None

    def _newly_pointed_at(self, model, is_created: bool) -> list[tuple[str, object]]:
        """Before flush: (relationship, record) for every record the change makes this one point to.
        Links set earlier by someone allowed to set them may stay when a user edits other fields."""
        state = db.inspect(model)
        targets = []
        for rel in state.mapper.relationships:
            if rel.direction is RelationshipDirection.ONETOMANY:
                continue
            if is_created:
                value = getattr(model, rel.key)
                added = value if rel.uselist else [value]
            else:
                added = state.attrs[rel.key].history.added or ()
            targets.extend((rel.key, target) for target in added if target is not None)
        return targets

    def _assert_in_scope(self, model, targets: list[tuple[str, object]]) -> None:
        """After flush: the record must be the user's to change, and every record it newly points to visible."""
        scope = current_scope()
        if scope.unrestricted:
            return
        if not scope.contains(model, writing=True):
            if scope.contains(model):
                raise ValidationError(str(self.write_denied_message))
            raise ValidationError(_("The record would fall outside your scope; nothing was saved."))
        for key, target in targets:
            if not scope.contains(target):
                raise ValidationError(f"{self.column_labels.get(key, key)}: {_(OUT_OF_SCOPE)}")

    def on_model_change(self, form, model, is_created) -> None:
        self._refuse_newly_chosen_inactive(model, is_created)
        targets = self._newly_pointed_at(model, is_created)
        db.session.flush()
        self._assert_in_scope(model, targets)

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
        return super().action_delete(record_ids(ids))

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
            elif isinstance(field, (IntegerField, DecimalField, FloatField)):
                # a number its column cannot hold is the field's error, not a refused INSERT
                column = self.model.__table__.c.get(field.name) if field.name == field.short_name else None
                field.validators = [*field.validators, FitsColumn(column)]
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
        sheet.append([_cell(sheet, str(label)) for _, label in self._export_columns])
        _, rows = self._export_data()
        for row in rows:
            sheet.append([_cell(sheet, self.get_export_value(row, column)) for column, _ in self._export_columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return xlsx_download(buffer.getvalue(), self.get_export_name(export_type="xlsx"))

    def _export_csv(self, return_url):
        """Flask-Admin's streamed CSV, with every cell formula-safe (``pbadmin.security.spreadsheets``)."""
        columns = self._export_columns
        _, rows = self._export_data()
        lines = ([self.get_export_value(row, column) for column, _ in columns] for row in rows)

        def with_titles():
            yield [str(label) for _, label in columns]
            yield from lines

        return csv_download(with_titles(), self.get_export_name(export_type="csv"))


#: Flask-Admin view methods that change records: their look-ups use the write scope
WRITING_METHODS = frozenset({"edit_view", "delete_view", "action_view"})
WRITING_ROW_ACTIONS = (EditRowAction, EditPopupRowAction, DeleteRowAction)


def _has_write_rule(model) -> bool:
    """The model writes under a stricter rule than it reads (see ``Scoped.write_scope_clause``)."""
    return getattr(model, "write_scope_clause", None) is not None and (
        model.write_scope_clause.__func__ is not Scoped.write_scope_clause.__func__
    )


class WritableRowsOnly(BaseListRowAction):
    """A list row's edit or delete button, shown only on rows the user may change."""

    def __init__(self, action: BaseListRowAction) -> None:
        super().__init__(title=action.title)
        self.action = action

    def render(self, context, row_id, row):
        if row.id not in g.get("pb_writable_rows", ()):
            return ""
        return self.action.render(context, row_id, row)


def _cell(sheet, value):
    """An export value as an xlsx cell: numbers stay numbers, the rest is text (never a formula)."""
    if value is not None and not isinstance(value, (int, float, str)):
        value = str(value)
    return xlsx_cell(sheet, value)


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
