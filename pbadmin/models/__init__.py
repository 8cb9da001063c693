"""Every table of pbadmin. Importing this package registers them all on ``db.metadata``."""

from pbadmin.models.activities import (  # noqa: F401
    Activity,
    ActivityAttachment,
    ActivityType,
    Attendance,
    Brand,
    Venue,
    VolunteerTeam,
    volunteer_team_member,
)
from pbadmin.models.audit import AuditEntry  # noqa: F401
from pbadmin.models.auth import LoginAttempt, Role, User, user_org_grant, user_region_grant  # noqa: F401
from pbadmin.models.collisions import IdNumberCollision  # noqa: F401
from pbadmin.models.cooperation import Alliance, Pairing, PairingReport  # noqa: F401
from pbadmin.models.geo import Institution, MedicalCommunity, Region, medical_community_member, region_tree  # noqa: F401
from pbadmin.models.governance import Donation, Honor, Rectification  # noqa: F401
from pbadmin.models.importing import ImportJob  # noqa: F401
from pbadmin.models.org import CommitteeSeat, PartyOrganization, org_tree  # noqa: F401
from pbadmin.models.people import Member  # noqa: F401
from pbadmin.models.plugins import DataElement, PluginState  # noqa: F401
from pbadmin.models.reports import (  # noqa: F401
    GatewayCatalogue,
    Report,
    ReportAttempt,
    SchedulerLease,
    ScheduleState,
    apscheduler_jobs,
)
