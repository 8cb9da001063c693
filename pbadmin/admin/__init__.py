"""The Flask-Admin site: a fresh ``Admin`` per app, every core view, grouped by area."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, redirect, request, url_for
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from pbadmin import models as m
from pbadmin.admin import views as v
from pbadmin.admin.home import HomeView
from pbadmin.admin.tree import OrgTreeView

ORGANISATION = _l("Organisation")
ACTIVITIES = _l("Activities")
COOPERATION = _l("Cooperation")
SUPERVISION = _l("Supervision")
REPORTS = _l("Reports")
SYSTEM = _l("System")

CORE_VIEWS = (
    (v.PartyOrganizationView, m.PartyOrganization, _l("Party organisations"), ORGANISATION, "organisations"),
    (v.MemberView, m.Member, _l("Members"), ORGANISATION, "members"),
    (v.InstitutionView, m.Institution, _l("Institutions"), ORGANISATION, "institutions"),
    (v.MedicalCommunityView, m.MedicalCommunity, _l("Medical communities"), ORGANISATION, "communities"),
    (v.RegionView, m.Region, _l("Regions"), ORGANISATION, "regions"),
    (v.IdNumberCollisionView, m.IdNumberCollision, _l("ID number collisions"), ORGANISATION, "id_collisions"),
    (v.ActivityView, m.Activity, _l("Activities"), ACTIVITIES, "activities"),
    (v.ActivityTypeView, m.ActivityType, _l("Activity types"), ACTIVITIES, "activity_types"),
    (v.BrandView, m.Brand, _l("Brands"), ACTIVITIES, "brands"),
    (v.VenueView, m.Venue, _l("Venues"), ACTIVITIES, "venues"),
    (v.VolunteerTeamView, m.VolunteerTeam, _l("Volunteer teams"), ACTIVITIES, "volunteer_teams"),
    (v.PairingView, m.Pairing, _l("Pairings"), COOPERATION, "pairings"),
    (v.PairingReportView, m.PairingReport, _l("Pairing monthly reports"), COOPERATION, "pairing_reports"),
    (v.AllianceView, m.Alliance, _l("Alliances"), COOPERATION, "alliances"),
    (v.RectificationView, m.Rectification, _l("Rectifications"), SUPERVISION, "rectifications"),
    (v.DonationView, m.Donation, _l("Donations"), SUPERVISION, "donations"),
    (v.HonorView, m.Honor, _l("Honours"), SUPERVISION, "honors"),
    (v.ReportView, m.Report, _l("All reports"), REPORTS, "reports"),
    (v.UserView, m.User, _l("Users"), SYSTEM, "users"),
    (v.RoleView, m.Role, _l("Roles"), SYSTEM, "roles"),
    (v.AuditEntryView, m.AuditEntry, _l("Audit log"), SYSTEM, "audit"),
)


ADMIN_URL = "/admin"


def _login_required():
    """Every /admin page needs a logged-in user, whatever its view checks: a view that forgot its
    guard (a plugin's bare Flask-Admin view) is still closed to strangers. Static files stay open
    for the login page's styles."""
    if request.path != ADMIN_URL and not request.path.startswith(ADMIN_URL + "/"):
        return None
    if (request.endpoint or "").endswith(".static") or current_user.is_authenticated:
        return None
    return redirect(url_for("auth.login", next=request.full_path))


def init_admin(app: Flask) -> Admin:
    app.before_request(_login_required)
    admin = Admin(
        app,
        name=_l("Party-building administration"),
        theme=Bootstrap4Theme(base_template="admin/pb_base.html", swatch="default", fluid=True),
        index_view=HomeView(name=_l("Home"), url=ADMIN_URL),
        translations_path=str(Path(__file__).resolve().parents[1] / "translations"),
    )
    admin.add_view(OrgTreeView(name=_l("Organisation tree"), category=ORGANISATION, endpoint="org_tree"))
    for view_class, model, name, category, endpoint in CORE_VIEWS:
        admin.add_view(view_class(model, name=name, category=category, endpoint=endpoint))
    from pbadmin.admin.compliance import ComplianceView
    from pbadmin.admin.importing import ImportView
    from pbadmin.admin.ledger import LedgerView
    from pbadmin.admin.plugins import PluginAdminView
    from pbadmin.admin.sync import SyncView
    from pbadmin.plugin_setup import add_plugin_views

    admin.add_view(SyncView(name=_l("Sync to the province"), category=REPORTS, endpoint="sync"))
    admin.add_view(ComplianceView(name=_l("Compliance"), category=SUPERVISION, endpoint="compliance"))
    admin.add_view(ImportView(name=_l("Import from Excel"), category=ORGANISATION, endpoint="imports"))
    admin.add_view(LedgerView(name=_l("Ledger"), category=SUPERVISION, endpoint="ledger"))

    admin.add_view(PluginAdminView(name=_l("Plugins"), category=SYSTEM, endpoint="plugins"))
    add_plugin_views(app, admin)
    app.extensions["pbadmin_admin"] = admin
    return admin
