"""How the roster check grows with the file: reading alone is the baseline, measured in the same run.

For rosters of SMALL and LARGE rows it times (best of REPEATS) reading the workbook alone and the
whole check (read, parse, batched look-ups, duplicate checks), and counts the SQL statements
of the check. It prints ratios, not verdicts:

- check / read: what the checks cost on top of parsing the file;
- per-row time LARGE / SMALL: about 1 when the check is linear (no per-row query, no quadratic
  duplicate search);
- statements LARGE / SMALL: grows with the chunks (one batch of look-ups per CHUNK_ROWS rows),
  not with the rows.

Run: ``make bench`` (or ``.venv/bin/python -m bench.import_roster [SMALL LARGE]``).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PBADMIN_INSTANCE_DIR", tempfile.mkdtemp(prefix="pbadmin-bench-"))

from sqlalchemy import event  # noqa: E402

from pbadmin import create_app  # noqa: E402
from pbadmin.extensions import db  # noqa: E402
from pbadmin.importing.pipeline import HEADER_SEARCH_ROWS, check_file  # noqa: E402
from pbadmin.importing.readers import read_tables  # noqa: E402
from pbadmin.models import PartyOrganization  # noqa: E402
from pbadmin.security.scoping import UNRESTRICTED  # noqa: E402
from tests.helpers import build_world  # noqa: E402
from tests.importing.files import id_number, member_row, xlsx_bytes  # noqa: E402

REPEATS = 3
DATA_KEY = "tL2yYhR2C8q3kV3m0d5bq7l2n8ZJc3G0k4W9l1x6Qe8="  # a throwaway key for the throwaway database


def roster(rows: int) -> bytes:
    """A clean roster of ``rows`` distinct invented members of branch A."""
    members = []
    for index in range(rows):
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=index // 500)
        members.append(
            member_row(
                index % 800,
                姓名=f"基准党员{index}",
                出生日期=birth.isoformat(),
                公民身份号码=id_number(birth, 100 + index % 500),
                联系电话=f"139{index:08d}",
            )
        )
    return xlsx_bytes(members)


def best_time(action) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(data: bytes, rows: int, target, scope) -> dict[str, float]:
    read_seconds = best_time(lambda: [table.rows for table in read_tables(data, rows + HEADER_SEARCH_ROWS)])
    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        check = check_file("members", data, target, scope)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert check.ok, [problem.message for problem in check.problems[:3]]
    check_seconds = best_time(lambda: check_file("members", data, target, scope))
    db.session.rollback()
    return {"read": read_seconds, "check": check_seconds, "statements": len(statements)}


def main(small: int = 500, large: int = 5000) -> None:
    folder = tempfile.mkdtemp(prefix="pbadmin-bench-db-")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
            "SECRET_KEY": "bench",
            "PBADMIN_DATA_KEY": DATA_KEY,
            "PBADMIN_SCHEDULER": False,
            "PBADMIN_IMPORT_MAX_ROWS": large,
        }
    )
    with app.app_context():
        db.create_all()
        world = build_world()
        target = db.session.get(PartyOrganization, world["org_a"])
        scope = UNRESTRICTED  # the CLI's scope: the look-ups, not the grants, are measured
        results = {rows: measure(roster(rows), rows, target, scope) for rows in (small, large)}
    print(f"roster check, best of {REPEATS} (SQLite, this machine)")
    print(f"{'rows':>8} {'read s':>9} {'check s':>9} {'check/read':>11} {'statements':>11}")
    for rows, result in results.items():
        ratio = result["check"] / result["read"]
        print(f"{rows:>8} {result['read']:>9.3f} {result['check']:>9.3f} {ratio:>11.2f} {result['statements']:>11}")
    per_row = (results[large]["check"] / large) / (results[small]["check"] / small)
    print(f"per-row check time {large}/{small} rows: {per_row:.2f} (about 1 = linear)")
    grows = results[large]["statements"] / results[small]["statements"]
    print(f"statements {large}/{small} rows: {grows:.2f} (rows grew {large / small:.0f}×)")


if __name__ == "__main__":
    main(*(int(value) for value in sys.argv[1:3]))
