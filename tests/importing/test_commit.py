"""Writing an import: all or nothing, and the same file twice changes nothing the second time."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from pbadmin.extensions import db
from pbadmin.importing import jobs
from pbadmin.importing.members import MemberImporter
from pbadmin.importing.pipeline import check_file, write
from pbadmin.models import Activity, AuditEntry, ImportJob, Member, PartyOrganization, User
from pbadmin.security.crypto import blind_index
from pbadmin.security.scoping import UNRESTRICTED
from tests.importing.files import ACTIVITY_HEADERS, csv_bytes, member_row, xlsx_bytes


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _import(app, world, data: bytes, kind: str = "members"):
    """Check and write in one transaction, as the CLI does; returns the check."""
    with app.app_context():
        check = check_file(kind, data, db.session.get(PartyOrganization, world["org_a"]), UNRESTRICTED)
        assert check.ok, [problem.line() for problem in check.problems]
        write(check)
        db.session.commit()
        return check


def _job(app, world, data: bytes, kind: str = "members") -> int:
    """A job uploaded by staff_a and checked (synchronously)."""
    app.config["PBADMIN_IMPORT_SYNC"] = True
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "staff_a"))
        target = db.session.get(PartyOrganization, world["org_a"])
        return jobs.create(kind, target, user, "roster.xlsx", data).id


def _job_row(app, job_id: int) -> ImportJob:
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        job.errors  # noqa: B018 - load the deferred column before leaving the session
        db.session.expunge(job)
        return job


# --- idempotence ------------------------------------------------------------------------------------
def test_importing_the_same_roster_twice_updates_instead_of_duplicating(app, world):
    rows = [member_row(index) for index in range(3)]
    assert _import(app, world, xlsx_bytes(rows)).counts == (3, 0, 0)
    with app.app_context():
        members, audits = _count(Member), _count(AuditEntry)
    assert _import(app, world, xlsx_bytes(rows)).counts == (0, 0, 3)
    with app.app_context():
        assert _count(Member) == members
        assert _count(AuditEntry) == audits, "an unchanged row writes nothing, not even an audit entry"


def test_a_changed_row_updates_the_member_found_by_id_number(app, world):
    rows = [member_row(index) for index in range(3)]
    _import(app, world, xlsx_bytes(rows))
    rows[1].update(学历="研究生", 联系电话="13900009999", 所在党组织="A")
    check = _import(app, world, csv_bytes(rows))
    assert check.counts == (0, 1, 2)
    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.id_number_index == blind_index(rows[1]["公民身份号码"])))
        assert (member.education, member.phone, member.name) == ("postgraduate", "13900009999", "导入党员1")
        assert _count(Member) == 9 + 3


def test_an_existing_member_is_matched_by_id_number_even_with_spaces_in_the_name(app, world):
    with app.app_context():
        stored = db.session.get(Member, world["member_a"])
        row = member_row(
            0,
            姓名=" ".join(stored.name),
            公民身份号码=stored.id_number.lower(),
            出生日期=stored.birth_date.isoformat(),
            入党时间="",
            转正时间="",
        )
    check = _import(app, world, xlsx_bytes([row]))
    assert check.counts[0] == 0, "no second member with the same ID number"


def test_reimporting_activities_updates_them_and_replaces_their_attendance(app, world):
    row = {
        "活动标题": "四月主题党日",
        "活动类型": "主题党日",
        "所在党组织": "内科党支部",
        "开始时间": "2024-04-02 09:00",
        "结束时间": "11:00",
        "服务群众人次": 20,
        "参加人员": "党员A0、党员A1",
        "请假人员": "党员A2",
    }
    assert _import(app, world, xlsx_bytes([row], ACTIVITY_HEADERS), "activities").counts == (1, 0, 0)
    assert _import(app, world, xlsx_bytes([row], ACTIVITY_HEADERS), "activities").counts == (0, 0, 1)
    row.update(参加人员="党员A0", 请假人员="党员A1、党员A2", 服务群众人次=25)
    assert _import(app, world, xlsx_bytes([row], ACTIVITY_HEADERS), "activities").counts == (0, 1, 0)
    with app.app_context():
        activity = db.session.scalar(select(Activity).where(Activity.title == "四月主题党日"))
        assert activity.people_served == 25 and activity.ends_at == dt.datetime(2024, 4, 2, 11, 0)
        assert {(a.member.name, a.status) for a in activity.attendance} == {
            ("党员A0", "present"),
            ("党员A1", "leave"),
            ("党员A2", "leave"),
        }
        assert _count(Activity) == 4


# --- all or nothing ---------------------------------------------------------------------------------
def test_a_file_with_one_bad_row_writes_nothing_at_all(app, world):
    rows = [member_row(0), member_row(1, 性别="未知"), member_row(2)]
    job_id = _job(app, world, xlsx_bytes(rows))
    job = _job_row(app, job_id)
    assert (job.status, job.bad_rows, job.total_rows) == ("invalid", 1, 3)
    with app.app_context():
        assert _count(Member) == 9
        assert not jobs.start_commit(db.session.get(ImportJob, job_id)), "a file with problems cannot be committed"
        assert _count(Member) == 9


def test_a_commit_that_fails_midway_rolls_back_every_row(app, world, monkeypatch):
    job_id = _job(app, world, xlsx_bytes([member_row(index) for index in range(3)]))
    assert _job_row(app, job_id).status == "valid"
    real_apply = MemberImporter.apply

    def apply_then_fail(self):
        real_apply(self)  # every member is flushed into the transaction
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(MemberImporter, "apply", apply_then_fail)
    with app.app_context():
        audits = _count(AuditEntry)
        assert jobs.start_commit(db.session.get(ImportJob, job_id))
    job = _job_row(app, job_id)
    assert job.status == "failed" and job.message[3].startswith("the import failed and nothing was saved")
    with app.app_context():
        assert _count(Member) == 9 and _count(AuditEntry) == audits


def test_a_commit_checks_again_and_stops_when_the_database_changed_since_the_preview(app, world):
    rows = [member_row(index) for index in range(3)]
    job_id = _job(app, world, xlsx_bytes(rows))
    with app.app_context():
        stored = db.session.get(Member, world["member_b"])
        stored.id_number = rows[2]["公民身份号码"]  # meanwhile, branch B got this ID number
        db.session.commit()
        assert jobs.start_commit(db.session.get(ImportJob, job_id))
    job = _job_row(app, job_id)
    assert job.status == "invalid" and job.message[3] == "the data changed since the check; nothing was imported"
    assert [problem[0] for problem in job.errors] == [4]
    with app.app_context():
        assert _count(Member) == 9


def test_a_committed_job_writes_every_row_and_forgets_the_file(app, world):
    job_id = _job(app, world, xlsx_bytes([member_row(index) for index in range(3)]))
    with app.app_context():
        assert jobs.start_commit(db.session.get(ImportJob, job_id))
    job = _job_row(app, job_id)
    assert (job.status, job.created_count, job.worker) == ("done", 3, None)
    with app.app_context():
        assert db.session.get(ImportJob, job_id).data is None
        assert _count(Member) == 12
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.table_name == "member").order_by(AuditEntry.id.desc()).limit(1)
        )
        assert entry.actor == "staff_a", "what an import writes is audited as its user's"
        assert not jobs.start_commit(db.session.get(ImportJob, job_id)), "a job is committed once"


def test_the_uploaded_file_is_stored_encrypted(app, world):
    rows = [member_row(0)]
    job_id = _job(app, world, xlsx_bytes(rows))
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        assert rows[0]["公民身份号码"].encode() not in job.data
        assert jobs.file_data(job).startswith(b"PK"), "and decrypted when read"


# --- the background thread --------------------------------------------------------------------------
def test_a_job_runs_in_a_background_thread_and_reports_progress(app, world):
    app.config["PBADMIN_IMPORT_SYNC"] = False
    app.config["PBADMIN_IMPORT_MAX_ROWS"] = 5000
    rows = [member_row(index) for index in range(450)]  # three chunks
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "staff_a"))
        job_id = jobs.create(
            "members", db.session.get(PartyOrganization, world["org_a"]), user, "big.csv", csv_bytes(rows)
        ).id
    assert jobs.wait(job_id, timeout=120)
    job = _job_row(app, job_id)
    assert (job.status, job.total_rows, job.rows_processed, job.created_count) == ("valid", 450, 450, 450)
    with app.app_context():
        assert jobs.start_commit(db.session.get(ImportJob, job_id))
    assert jobs.wait(job_id, timeout=120)
    assert _job_row(app, job_id).status == "done"
    with app.app_context():
        assert _count(Member) == 9 + 450


def test_a_stale_job_is_taken_over_and_the_old_worker_stops(app, world):
    app.config["PBADMIN_IMPORT_SYNC"] = True
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "staff_a"))
        job = ImportJob(
            kind="members",
            organisation_id=world["org_a"],
            user_id=user.id,
            filename="lost.xlsx",
            data=jobs.encrypt_bytes(xlsx_bytes([member_row(0)])),
            status="validating",
            worker="dead-host:1:import:abc",
            heartbeat_at=dt.datetime(2000, 1, 1),
        )
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        assert jobs.resume_if_stale(job)
        job = db.session.get(ImportJob, job_id, populate_existing=True)
        assert job.status == "valid" and job.worker is None
        # the dead worker wakes up: it no longer owns the job and writes nothing
        with pytest.raises(jobs.TakenOver):
            jobs.Worker(job_id, "dead-host:1:import:abc").beat(1, 1)
        assert not jobs.resume_if_stale(job), "a finished job is not taken over"


def test_a_job_with_a_fresh_heartbeat_is_not_taken_over(app, world):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "staff_a"))
        job = ImportJob(
            kind="members",
            organisation_id=world["org_a"],
            user_id=user.id,
            filename="busy.xlsx",
            data=b"",
            status="validating",
            worker="busy-host:1:import:abc",
            heartbeat_at=jobs.database_now(),
        )
        db.session.add(job)
        db.session.commit()
        assert not jobs.resume_if_stale(job)
        assert db.session.get(ImportJob, job.id, populate_existing=True).worker == "busy-host:1:import:abc"
