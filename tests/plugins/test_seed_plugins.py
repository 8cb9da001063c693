"""The five seed region plugins: their declarations, and demo data reproducing each article's figures.

Each figure is checked on the records themselves with SQL counts (the metrics engine comes later):
stocks as they stand at the end of the article's period, flows inside the period.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import re
import sys
from pathlib import Path

import pluggy
import pytest
from sqlalchemy import func, select

from pbadmin import hookspecs
from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.models import (
    Activity,
    ActivityType,
    Alliance,
    Brand,
    CommitteeSeat,
    Donation,
    Honor,
    Institution,
    MedicalCommunity,
    Member,
    Pairing,
    PairingReport,
    PartyOrganization,
    Rectification,
    Venue,
    VolunteerTeam,
    medical_community_member,
    org_tree,
)
from pbadmin.models.choices import ACTIVE_MEMBER_STATUSES, BRANCH_KINDS, COMMITTEE_KINDS
from pbadmin.plugins.enablement import apply_core
from pbadmin.toolkit import PROFILES, DemoLoader
from tests import snapshots

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "docs" / "gateway-contract.md"  # the repo's own copy of the contract and the seed regions
PLUGINS = ("luqiao", "xindu", "jingzhou", "linqing", "ningbo")


# --- loading the plugins and their demo data --------------------------------------------------


def plugin(name: str):
    """The plugin package plugins/NAME: as a namespace import, else straight from its folder."""
    try:
        return importlib.import_module(f"plugins.{name}")
    except ImportError:
        module_name = f"pbadmin_seed_plugin_{name}"
        if module_name not in sys.modules:
            package = ROOT / "plugins" / name
            spec = importlib.util.spec_from_file_location(
                module_name, package / "__init__.py", submodule_search_locations=[str(package)]
            )
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
        return sys.modules[module_name]


def define_activity_types(name: str, module) -> None:
    """What enabling the plugin does for its activity types: one ActivityType row per spec."""
    for spec in module.register_activity_types():
        row = db.session.scalar(select(ActivityType).filter_by(code=spec.code))
        if row is None:
            row = ActivityType(code=spec.code)
            db.session.add(row)
        values = {
            "name": spec.name,
            "category": spec.category,
            "shyk_kind": spec.shyk_kind,
            "plugin": name,
            "extra_figures": [
                {"key": figure.key, "label": figure.label, "data_element": figure.data_element}
                for figure in spec.extra_figures
            ]
            or None,
        }
        if hasattr(ActivityType, "counts_towards"):
            values["counts_towards"] = spec.counts_towards
        for key, value in values.items():
            if getattr(row, key) != value:
                setattr(row, key, value)
    db.session.flush()


#: each demo as it stands loaded into an empty database, by (database, plugin): loaded once a run
_LOADED_DEMOS: dict[tuple[str, str], snapshots.Snapshot] = {}


def load_demo(app, name: str) -> None:
    """Load the plugin's demo. Into an empty database the first load is kept (``tests.snapshots``) and
    later ones restore it; into a database holding anything the demo is loaded for real."""
    key = (app.config["SQLALCHEMY_DATABASE_URI"], name)
    with app.app_context():
        into_empty = snapshots.is_empty()
        if into_empty and key in _LOADED_DEMOS:
            snapshots.restore(_LOADED_DEMOS[key])
            return
    module = plugin(name)
    with app.app_context(), acting_as("seed-demo"):
        apply_core()
        define_activity_types(name, module)
        module.load_demo_data(app=app, demo=DemoLoader(name))
        db.session.commit()
        if into_empty:
            _LOADED_DEMOS[key] = snapshots.take()


# --- counting -----------------------------------------------------------------------------------


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def total(column, *where):
    return db.session.scalar(select(func.coalesce(func.sum(column), 0)).where(*where))


def org(code: str) -> PartyOrganization:
    row = db.session.scalar(select(PartyOrganization).filter_by(code=code))
    assert row is not None, f"no organisation {code}"
    return row


def subtree(*codes: str):
    """SELECT of the ids of these organisations and everything below them."""
    return org_tree.subtree_ids([org(code).id for code in codes])


def standing(on: dt.date):
    """Organisations that exist at the end of the day ``on``."""
    return (PartyOrganization.founded_on.is_(None) | (PartyOrganization.founded_on <= on)) & (
        PartyOrganization.dissolved_on.is_(None) | (PartyOrganization.dissolved_on > on)
    )


def within(column, first: dt.date, last: dt.date):
    return (column >= dt.datetime.combine(first, dt.time.min)) & (
        column < dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min)
    )


def of_type(code: str):
    return Activity.activity_type_id == select(ActivityType.id).where(ActivityType.code == code).scalar_subquery()


def active_members(orgs, on: dt.date) -> int:
    """Full and probationary members admitted by ``on`` (a stock at the end of the period)."""
    return count(
        Member,
        Member.organisation_id.in_(orgs),
        Member.status.in_(ACTIVE_MEMBER_STATUSES),
        Member.admitted_on <= on,
    )


def assert_people_fit_the_period(orgs, last: dt.date) -> None:
    """Nobody counted at the end of the period joined after it, and full members were full by then."""
    assert count(Member, Member.organisation_id.in_(orgs), Member.admitted_on > last) == 0
    assert count(Member, Member.organisation_id.in_(orgs), Member.status == "full", Member.full_member_on > last) == 0


def community_members(*where):
    """Distinct member institutions of the communities matching ``where``."""
    return db.session.scalar(
        select(func.count(func.distinct(medical_community_member.c.institution_id)))
        .join(MedicalCommunity, MedicalCommunity.id == medical_community_member.c.community_id)
        .where(*where)
    )


def names(model, *where) -> set[str]:
    return set(db.session.scalars(select(model.name).where(*where)))


def lead(name: str):
    return (
        MedicalCommunity.lead_institution_id == select(Institution.id).where(Institution.name == name).scalar_subquery()
    )


# --- luqiao: 2018-05 ----------------------------------------------------------------------------


def test_luqiao_demo_reproduces_the_red_xinglin_figures(app):
    load_demo(app, "luqiao")
    end = dt.date(2018, 5, 31)
    with app.app_context():
        root = org("LQ")
        assert root.report_code == "331004-PBW" and root.kind == "working_committee"
        everything = subtree("LQ")
        assert_people_fit_the_period(everything, end)
        # LQ_SECOND_COMMITTEES = 6: bureau organ, 3 medical communities, 博爱医院, 1 private hospital
        second = select(PartyOrganization.id).where(
            PartyOrganization.parent_id == root.id, PartyOrganization.kind.in_(COMMITTEE_KINDS), standing(end)
        )
        assert count(PartyOrganization, PartyOrganization.id.in_(second)) == 6
        assert names(PartyOrganization, PartyOrganization.id.in_(second)) >= {
            "局机关直属党委",
            "博爱医院党委",
            "民营医院党委",
        }
        # 3 medical communities led by 区中医院, 区二院, 区三院; 横街 and 新桥 among the members
        communities = db.session.scalars(select(MedicalCommunity).where(MedicalCommunity.kind == "county_community"))
        leads = {c.lead_institution.name: {m.name for m in c.members} for c in communities}
        assert set(leads) == {"路桥区中医院", "路桥区第二人民医院", "路桥区第三人民医院"}
        assert {"横街镇卫生院", "新桥镇卫生院"} <= leads["路桥区第三人民医院"]
        # LQ_XINGLIN_HOMES = 13, LQ_STATIONS = 26
        venues = (Venue.organisation_id.in_(everything), Venue.opened_on <= end)
        assert count(Venue, *venues, Venue.kind == "activity_room", Venue.name.like("「红色杏林之家」%")) == 13
        assert count(Venue, *venues, Venue.kind == "station") == 26
        assert count(Venue, *venues, Venue.kind == "station", Venue.name.like("杏林暖心驿站%")) >= 3
        # LQ_VOLUNTEER_TEAMS = 6 with LQ_VOLUNTEERS = 504
        teams = (VolunteerTeam.organisation_id.in_(everything), VolunteerTeam.name.like("「健康路桥行」%"))
        assert count(VolunteerTeam, *teams) == 6
        assert total(VolunteerTeam.headcount, *teams) == 504
        # 6,280 person-times served by those teams' organisations from 2017-07 to 2018-05
        team_orgs = select(VolunteerTeam.organisation_id).where(*teams)
        service = (of_type("LQ_VOLUNTEER"), Activity.organisation_id.in_(team_orgs))
        assert total(Activity.people_served, *service, within(Activity.starts_at, dt.date(2017, 7, 1), end)) == 6280
        in_may = count(Activity, *service, within(Activity.starts_at, dt.date(2018, 5, 1), end))
        assert in_may == 6
        # the five brands of the project, run by the 党工委
        assert names(Brand, Brand.organisation_id == root.id, Brand.plugin == "luqiao") == {
            "红色杏林",
            "杏林灯塔计划",
            "杏林暖心",
            "杏林清风",
            "杏林共建",
        }
        assert count(Member, Member.organisation_id.in_(everything), Member.is_model_post.is_(True)) >= 1
        # 「爱心十元捐」: ten yuan per member of the branch for May 2018 into the fund
        branch = org("LQ-SY-1")
        gifts = (Donation.organisation_id == branch.id, Donation.month == 201805, Donation.fund == "杏林帮扶爱心基金")
        assert count(Donation, *gifts) == active_members([branch.id], end) > 0
        assert count(Donation, *gifts, Donation.amount != 10) == 0
        # the 区三院 community committee's themed day, attended by its three branches
        day = db.session.scalar(
            select(Activity).where(of_type("THEME_DAY"), Activity.organisation_id == org("LQ-SY").id)
        )
        attending = {row.member.organisation.code for row in day.attendance}
        assert attending == {"LQ-SY-1", "LQ-SY-HJ", "LQ-SY-XQ"}


# --- xindu: 2021 --------------------------------------------------------------------------------


def test_xindu_demo_reproduces_the_comprehensive_committee_figures(app):
    load_demo(app, "xindu")
    first, end = dt.date(2021, 1, 1), dt.date(2021, 12, 31)
    with app.app_context():
        committees = db.session.scalars(
            select(PartyOrganization).where(PartyOrganization.kind == "comprehensive_committee", standing(end))
        ).all()
        # XD_COMPREHENSIVE_COMMITTEES = 3, all formed in 2020
        assert len(committees) == 3
        assert {c.founded_on.year for c in committees} == {2020}
        codes = [c.code for c in committees]
        under = subtree(*codes)
        assert_people_fit_the_period(under, end)
        # XD_MEMBER_UNITS = 27: the distinct member institutions of the three committees' communities
        leads = [c.institution_id for c in committees]
        assert community_members(MedicalCommunity.lead_institution_id.in_(leads)) == 27
        # about 1,000 members: exactly 1,000 full and probationary members under the committees
        assert active_members(under, end) == 1000
        # XD_DEPT_BRANCHES = 49: branches built in departments
        dept_branches = (
            PartyOrganization.id.in_(under),
            PartyOrganization.kind == "branch",
            PartyOrganization.department.is_not(None),
            standing(end),
        )
        assert count(PartyOrganization, *dept_branches) == 49
        # XD_JOINT_MEETINGS = 12: one a quarter per committee
        meetings = (of_type("XD_JOINT_MEETING"), within(Activity.starts_at, first, end))
        assert count(Activity, *meetings) == 12
        for committee in committees:
            assert count(Activity, *meetings, Activity.organisation_id == committee.id) == 4
        # the lead unit's secretary chairs; 1–2 deputies; member-unit heads sit on the committee
        for committee in committees:
            roles = [seat.role for seat in committee.committee]
            assert roles.count("secretary") == 1 and 1 <= roles.count("deputy_secretary") <= 2
            assert roles.count("member") == 9
        # the responsibility letter and twelve monthly reports: 二医院妇产科 → 新繁中心卫生院
        pairing = db.session.scalar(
            select(Pairing).where(Pairing.helper_id == org("XD-EY-FC").id, Pairing.helped_id == org("XD-EY-XF").id)
        )
        assert pairing.letter_signed_on is not None and pairing.letter_signed_on <= first
        assert org("XD-EY-FC").name == "二医院妇产科党支部" and org("XD-EY-XF").name == "新繁中心卫生院党支部"
        months = set(db.session.scalars(select(PairingReport.month).where(PairingReport.pairing_id == pairing.id)))
        assert months == {202100 + m for m in range(1, 13)}
        # free clinics and first-aid trainings held as themed party days
        for code in ("XD_FREE_CLINIC_DAY", "XD_FIRST_AID_DAY"):
            assert db.session.scalar(select(ActivityType.category).filter_by(code=code)) == "theme_day"
            assert count(Activity, of_type(code), within(Activity.starts_at, first, end)) >= 3
        assert count(Activity, of_type("XD_JOINT_STUDY"), within(Activity.starts_at, first, end)) > 0
        # 「所涉事项全部整改到位」: every problem raised at a joint meeting was closed in 2021
        raised = (Rectification.organisation_id.in_(under), Rectification.source == "joint_meeting")
        assert count(Rectification, *raised) > 0
        assert count(Rectification, *raised, Rectification.status != "closed") == 0
        assert count(Rectification, *raised, Rectification.closed_on > end) == 0


# --- jingzhou: 2022 -----------------------------------------------------------------------------


def test_jingzhou_demo_reproduces_the_party_flag_figures(app):
    load_demo(app, "jingzhou")
    first, end = dt.date(2022, 1, 1), dt.date(2022, 12, 31)
    with app.app_context():
        hospital = org("JZ")
        assert hospital.report_code == "421000-JZYY"
        everything = subtree("JZ")
        assert_people_fit_the_period(everything, end)
        # PB_BRANCHES = 33 at the end of 2022, of which JZ_TEMP_BRANCHES = 2 formed in 2022
        branches = (PartyOrganization.id.in_(everything), PartyOrganization.kind.in_(BRANCH_KINDS), standing(end))
        assert count(PartyOrganization, *branches) == 33
        temporary = db.session.scalars(
            select(PartyOrganization).where(*branches, PartyOrganization.kind == "temporary_branch")
        ).all()
        assert len(temporary) == 2 and {t.founded_on.year for t in temporary} == {2022}
        # branches built in departments
        assert (
            count(
                PartyOrganization, *branches, PartyOrganization.kind == "branch", PartyOrganization.department.is_(None)
            )
            == 0
        )
        # JZ_SPECIALTY_ALLIANCES = 19, led by the hospital
        alliances = (MedicalCommunity.kind == "specialty_alliance", lead("荆州市第一人民医院"))
        assert count(MedicalCommunity, *alliances) == 19
        assert community_members(*alliances) >= 3
        # JZ_MDT_TEAMS = 16, each owned by a branch
        teams = db.session.scalars(
            select(Venue).where(
                Venue.organisation_id.in_(everything), Venue.kind == "expert_studio", Venue.name.like("%MDT团队")
            )
        ).all()
        assert len(teams) == 16 and {t.organisation.kind for t in teams} == {"branch"}
        assert "普外科“管道班”MDT团队" in {t.name for t in teams}
        # 双带头人: branch secretaries who are also clinical leads
        double = select(Member.id).where(Member.organisation_id.in_(everything), Member.is_double_leader.is_(True))
        assert count(CommitteeSeat, CommitteeSeat.member_id.in_(double), CommitteeSeat.role == "secretary") >= 20
        # 「五个一」 themed party days of the oncology branch
        five = (
            of_type("JZ_FIVE_ONES"),
            Activity.organisation_id == org("JZ-ZL").id,
            within(Activity.starts_at, first, end),
        )
        assert count(Activity, *five) == 12
        assert db.session.scalar(select(ActivityType.category).filter_by(code="JZ_FIVE_ONES")) == "theme_day"
        # 清廉医院 integrity education, as study
        integrity = (of_type("JZ_INTEGRITY"), within(Activity.starts_at, first, end))
        assert count(Activity, *integrity) >= 1
        assert db.session.scalar(select(ActivityType.category).filter_by(code="JZ_INTEGRITY")) == "study"
        assert (
            count(
                Honor,
                Honor.organisation_id == hospital.id,
                Honor.title == "省抗击新冠肺炎疫情先进基层党组织",
                Honor.level == "provincial",
            )
            == 1
        )
        assert "党旗增辉 一医为民" in names(Brand, Brand.organisation_id == hospital.id)


# --- linqing: 2016 ------------------------------------------------------------------------------


def test_linqing_demo_reproduces_the_two_studies_figures(app):
    load_demo(app, "linqing")
    first, end = dt.date(2016, 1, 1), dt.date(2016, 12, 31)
    with app.app_context():
        everything = subtree("LC")
        assert_people_fit_the_period(everything, end)
        branches = (PartyOrganization.id.in_(everything), PartyOrganization.kind.in_(BRANCH_KINDS), standing(end))
        assert count(PartyOrganization, *branches) == 6
        # PB_MEMBERS = 210
        assert active_members(everything, end) == 210
        # 两学一做 in 2016
        year = within(Activity.starts_at, first, end)
        assert count(Activity, of_type("LC_LEADER_LECTURE"), year) == 12
        assert count(Activity, of_type("LC_STUDY_SESSION"), year) == 62
        assert count(Activity, of_type("LC_MEMBER_LECTURE"), year) == 6
        assert count(Activity, of_type("LC_SEMINAR"), year) == 6
        # the problem list: some rectified in 2016, some still open at its end
        problems = (Rectification.organisation_id.in_(everything), Rectification.found_on <= end)
        closed = count(
            Rectification, *problems, Rectification.status == "closed", Rectification.closed_on.between(first, end)
        )
        still_open = count(Rectification, *problems, Rectification.status != "closed")
        assert closed >= 1 and still_open >= 1
        # LC_PARTNER_CENTRES = 19 township health centres in medical cooperation
        consortium = db.session.scalar(
            select(MedicalCommunity).where(MedicalCommunity.kind == "consortium", lead("临清市人民医院"))
        )
        assert len(consortium.members) == 19
        assert {m.kind for m in consortium.members} == {"township_centre"}
        # the 内科党支部's honour from the 聊城市委 in 2016
        honour = db.session.scalar(select(Honor).where(Honor.organisation_id == org("LC-NK").id))
        assert honour.title == "先进基层党组织" and "聊城市委" in honour.issuer and honour.awarded_on.year == 2016
        # 医德医风: satisfaction surveys recorded with their figures
        surveys = db.session.scalars(select(Activity).where(of_type("LC_SATISFACTION_SURVEY"), year)).all()
        assert surveys and all(s.extra_figures["surveyed"] > 0 for s in surveys)


# --- ningbo: 2019 -------------------------------------------------------------------------------


def test_ningbo_demo_reproduces_the_alliance_figures(app):
    load_demo(app, "ningbo")
    first, end = dt.date(2019, 1, 1), dt.date(2019, 12, 31)
    with app.app_context():
        hospital = org("NB")
        everything = subtree("NB")
        assert_people_fit_the_period(everything, end)
        # NB_ALLIANCES = 1: with 北仑区第三人民医院, signed 2019-11, expert workstations moved there
        alliances = db.session.scalars(
            select(Alliance).where(Alliance.organisation_id.in_(everything), Alliance.signed_on <= end)
        ).all()
        assert len(alliances) == 1
        alliance = alliances[0]
        assert alliance.partner_institution.name == "北仑区第三人民医院"
        assert alliance.scope == "expert_workstation"
        assert alliance.signed_on.strftime("%Y-%m") == "2019-11"
        studios = select(Venue).where(
            Venue.kind == "expert_studio", Venue.institution_id == alliance.partner_institution_id
        )
        assert len(db.session.scalars(studios).all()) == 2
        # NB_TRUSTEESHIP_HOSPITALS = 6, NB_CONSORTIUM_CENTRES = 8
        trusteeship = db.session.scalar(
            select(MedicalCommunity).where(MedicalCommunity.kind == "trusteeship", lead("宁波市医疗中心李惠利医院"))
        )
        trusted = {m.name for m in trusteeship.members}
        assert len(trusted) == 6
        assert {"余姚市中医医院", "余姚市第四人民医院", "宁海县第二医院", "溪口医院", "北仑区第三人民医院"} <= trusted
        consortium = db.session.scalar(
            select(MedicalCommunity).where(MedicalCommunity.kind == "consortium", lead("宁波市医疗中心李惠利医院"))
        )
        centres = {m.name for m in consortium.members}
        assert len(centres) == 8 and {m.kind for m in consortium.members} == {"community_centre"}
        assert {"白鹤街道社区卫生服务中心", "明楼街道社区卫生服务中心", "东柳街道社区卫生服务中心"} <= centres
        # NB_BRANCH_BRANDS = 6: one brand per branch
        branch_ids = select(PartyOrganization.id).where(
            PartyOrganization.id.in_(everything), PartyOrganization.kind.in_(BRANCH_KINDS)
        )
        brands = db.session.scalars(select(Brand).where(Brand.organisation_id.in_(branch_ids))).all()
        assert {b.name for b in brands} == {"护跑家", "心团队", "腹透药互助", "惠利科爱", "心能量", "惠民利民服务队"}
        assert len({b.organisation_id for b in brands}) == 6
        assert next(b for b in brands if b.name == "腹透药互助").organisation.department == "肾内科"
        # 腹透药互助 in 2019: 6 donations that helped 3 patients
        aid = db.session.scalars(
            select(Activity).where(
                of_type("NB_DIALYSIS_AID"),
                Activity.organisation_id == org("NB-N6").id,
                within(Activity.starts_at, first, end),
            )
        ).all()
        assert len(aid) == 6
        assert sum(a.extra_figures["donations"] for a in aid) == 6
        assert sum(a.extra_figures["patients"] for a in aid) == 3
        # 心能量: public first-aid training by the emergency branch
        training = (of_type("NB_FIRST_AID"), Activity.brand_id.in_(select(Brand.id).where(Brand.name == "心能量")))
        assert count(Activity, *training, within(Activity.starts_at, first, end)) >= 1
        assert hospital.report_code == "330200-LHL"


# --- all five -----------------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar()
            for table in db.metadata.sorted_tables
        }


def catalogue() -> tuple[dict[str, set[tuple[str, str, str]]], set[str]]:
    """The contract's region table ({plugin: {(code, name, kind)}}) and its core codes (docs/gateway-contract.md)."""
    path = CONTRACT
    regions: dict[str, set[tuple[str, str, str]]] = {}
    core: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] in PLUGINS:
            regions.setdefault(cells[0], set()).add((cells[1], cells[2], cells[3]))
        elif len(cells) == 3 and re.fullmatch(r"PB_[A-Z_]+", cells[0]):
            core.add(cells[0])
    return regions, core


@pytest.mark.parametrize("name", PLUGINS)
def test_plugin_data_elements_are_exactly_its_rows_of_the_provincial_catalogue(name):
    regions, _ = catalogue()
    declared = {(spec.code, spec.name, spec.kind) for spec in plugin(name).register_data_elements()}
    assert declared == regions[name]


@pytest.mark.parametrize("name", PLUGINS)
def test_activity_types_count_towards_elements_the_plugin_or_core_defines(name):
    _, core = catalogue()
    module = plugin(name)
    known = core | {spec.code for spec in module.register_data_elements()}
    specs = module.register_activity_types()
    prefix = {"luqiao": "LQ_", "xindu": "XD_", "jingzhou": "JZ_", "linqing": "LC_", "ningbo": "NB_"}[name]
    assert specs and all(spec.code.startswith(prefix) for spec in specs)
    for spec in specs:
        assert spec.counts_towards is None or spec.counts_towards in known, spec.code
        assert spec.category in ("shyk", "theme_day", "service", "study", "other")
        assert spec.shyk_kind is None or spec.category == "shyk"


def domain_table() -> dict[str, tuple[str, str]]:
    """The table of seed regions: {plugin: (GB/T 2260 code, province gateway)} (docs/gateway-contract.md)."""
    path = CONTRACT
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*`(\w+)`\s*\|[^|]*?(\d{6})[^|]*\|\s*(\w+)\s*\|", line)
        if match:
            table[match.group(1)] = (match.group(2), match.group(3))
    return table


@pytest.mark.parametrize("name", PLUGINS)
def test_plugin_is_named_for_its_folder_and_uses_its_province_gateway(name):
    module = plugin(name)
    info = module.plugin_info()
    region_code, profile = domain_table()[name]
    assert info.name == name and info.version and info.title
    manager = pluggy.PluginManager("pbadmin")  # hook names and arguments agree with the catalogue
    manager.add_hookspecs(hookspecs)
    manager.register(module, name=name)
    manager.check_pending()
    assert info.region_code == region_code
    assert module.gateway_profile() == profile and profile in PROFILES


@pytest.mark.parametrize("name", PLUGINS)
def test_plugin_hooks_are_the_standard_hookimpls_pluggy_registers(name):
    manager = pluggy.PluginManager("pbadmin")
    manager.add_hookspecs(hookspecs)
    manager.register(plugin(name), name=name)
    assert {caller.name for caller in manager.get_hookcallers(manager.get_plugin(name))} == {
        "plugin_info",
        "gateway_profile",
        "register_data_elements",
        "register_activity_types",
        "register_brands",
        "register_settings",
        "register_schedules",
        "load_demo_data",
    }


@pytest.mark.parametrize("name", PLUGINS)
def test_plugin_declares_its_settings_schedules_and_brands(name):
    module = plugin(name)
    settings = {spec.key: spec for spec in module.register_settings()}
    assert settings["require_approval"].type == "bool" and settings["require_approval"].default is True
    assert settings["monthly_cron"].type == "cron" and settings["monthly_cron"].default == "0 2 1 * *"
    schedules = {spec.name: (spec.cron, spec.job) for spec in module.register_schedules()}
    assert schedules[f"{name}:monthly"] == ("0 2 1 * *", "build_and_push:PB_MONTHLY")
    assert schedules[f"{name}:quarterly"] == ("0 3 1 1,4,7,10 *", "build_and_push:PB_QUARTERLY")
    assert schedules[f"{name}:yearly"] == ("0 4 1 1 *", "build_and_push:PB_YEARLY")
    assert schedules[f"{name}:catalogue"][1] == "pull_catalogue"
    assert module.register_brands()
