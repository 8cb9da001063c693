"""The admin home page: the user's scope at a glance (issue 5 grows it into a dashboard)."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from pbadmin.extensions import db
from pbadmin.models import Activity, Member, PartyOrganization, Rectification
from pbadmin.models.choices import ACTIVE_MEMBER_STATUSES, BRANCH_KINDS
from pbadmin.security.scoping import current_scope

FIGURES = (
    (_l("Party organisations"), PartyOrganization, None),
    (_l("Branches"), PartyOrganization, PartyOrganization.kind.in_(BRANCH_KINDS)),
    (_l("Members"), Member, Member.status.in_(ACTIVE_MEMBER_STATUSES)),
    (_l("Activities"), Activity, None),
    (_l("Open rectifications"), Rectification, Rectification.status != "closed"),
)


class HomeView(AdminIndexView):
    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login", next=request.full_path))

    @expose("/")
    def index(self):
        scope = current_scope()
        figures = []
        for label, model, condition in FIGURES:
            query = select(func.count(model.id)).where(scope.clause(model))
            if condition is not None:
                query = query.where(condition)
            figures.append((label, db.session.scalar(query)))
        return self.render("pbadmin/home.html", figures=figures)
