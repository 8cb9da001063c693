"""Uploading a file on the import page and reading the job page it leads to, as a browser would."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from pbadmin.extensions import db
from pbadmin.models import Member
from tests.helpers import csrf_token

UPLOAD = "/admin/imports/"


def upload(client, data: bytes, org_id: int, kind: str = "members", filename: str = "花名册.xlsx"):
    return client.post(
        UPLOAD,
        data={
            "csrf_token": csrf_token(client, UPLOAD),
            "kind": kind,
            "organisation": str(org_id),
            "file": (io.BytesIO(data), filename),
        },
        content_type="multipart/form-data",
    )


def job_page(client, answer) -> tuple[str, str]:
    """The job page an upload redirected to: its address and its text."""
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    url = answer.headers["Location"]
    return url, client.get(url).get_data(as_text=True)


def member_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Member))
