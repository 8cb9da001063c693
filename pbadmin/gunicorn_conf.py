"""gunicorn settings for ``make run``: after a worker loads the app, start its scheduler and outbox.

Used as ``gunicorn -c python:pbadmin.gunicorn_conf wsgi:app``. With ``PBADMIN_SCHEDULER=off`` the
web process only serves pages, and ``flask --app wsgi pbadmin scheduler`` does the background work.
"""

from __future__ import annotations

_background = {}


def post_worker_init(worker) -> None:
    app = worker.wsgi
    if app.config.get("PBADMIN_SCHEDULER"):
        from pbadmin.sync.runtime import Background

        _background[worker.pid] = Background(app).start()


def worker_exit(server, worker) -> None:
    background = _background.pop(worker.pid, None)
    if background is not None:
        background.stop()
