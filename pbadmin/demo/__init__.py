"""Idempotent demo loader: upserts by natural keys, so running it twice changes nothing."""
from __future__ import annotations

from sqlalchemy import select

from pbadmin.extensions import db
from pbadmin.models import ActivityType, Institution, MedicalCommunity, Member, PartyOrganization, Region
from pbadmin.models.choices import BRANCH_KINDS
from pbadmin.security.crypto import blind_index
from pbadmin.demo.people import synthetic_person
from pbadmin.demo.regions import CORE_ACTIVITY_TYPES, DEMO, MEMBERS_PER_BRANCH, REGIONS
from pbadmin.security.roles import ensure_roles


def upsert(model, key: dict, values: dict):
    """Find the row by ``key`` or create it; set only the values that differ."""
    row = db.session.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key, **values)
        db.session.add(row)
        db.session.flush()
        return row
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
    return row


def load_regions() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for code, name, level, parent in REGIONS:
        regions[code] = upsert(Region, {"code": code}, {"name": name, "level": level, "parent": regions.get(parent)})
    return regions


def load_core_activity_types() -> None:
    for code, name, category, shyk_kind in CORE_ACTIVITY_TYPES:
        upsert(ActivityType, {"code": code}, {"name": name, "category": category, "shyk_kind": shyk_kind})


def load_region(name: str, spec: dict, regions: dict[str, Region]) -> str:
    region = regions[spec["region"]]
    institutions = {
        inst_name: upsert(Institution, {"region_id": region.id, "name": inst_name}, {"kind": kind})
        for inst_name, kind in spec["institutions"]
    }
    for community, kind, lead, members in spec["communities"]:
        row = upsert(
            MedicalCommunity, {"name": community},
            {"kind": kind, "region": region, "lead_institution": institutions[lead]},
        )
        wanted = [institutions[m] for m in members]
        if set(row.members) != set(wanted):
            row.members = wanted
    orgs: dict[str, PartyOrganization] = {}
    for code, org_name, kind, parent, inst, department, report_code in spec["organisations"]:
        orgs[code] = upsert(
            PartyOrganization, {"code": code},
            {
                "name": org_name, "kind": kind, "parent": orgs.get(parent), "region": region,
                "institution": institutions.get(inst), "department": department, "report_code": report_code,
            },
        )
    people = 0
    for code, org in orgs.items():
        if org.kind not in BRANCH_KINDS:
            continue
        for index in range(MEMBERS_PER_BRANCH):
            person = synthetic_person(f"{name}:{code}", spec["region"], index)
            status = "probationary" if index == MEMBERS_PER_BRANCH - 1 else "full"
            values = dict(person)
            values.update(organisation=org, institution=org.institution, department=org.department, status=status)
            if status == "probationary":
                values["full_member_on"] = None
            upsert(Member, {"id_number_index": blind_index(person["id_number"])}, values)
            people += 1
    return f"{name}: {len(institutions)} institutions, {len(orgs)} organisations, {people} members"


def load_demo() -> list[str]:
    ensure_roles()
    regions = load_regions()
    load_core_activity_types()
    return [load_region(name, spec, regions) for name, spec in DEMO.items()]
