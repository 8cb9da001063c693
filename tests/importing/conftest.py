"""Fixtures of the import tests: jobs run synchronously unless a test asks for the thread."""

from __future__ import annotations

import pytest


@pytest.fixture
def sync_jobs(app):
    """Run import jobs in the request (still in their own app context and session)."""
    app.config["PBADMIN_IMPORT_SYNC"] = True
    return app
