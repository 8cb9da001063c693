"""The background of a process: the scheduler service and outbox workers, started and stopped together.

``make run`` starts it inside the web process (gunicorn's ``post_worker_init``, see
``pbadmin.gunicorn_conf``); ``flask --app wsgi pbadmin scheduler`` runs it as a process of its
own. Any number of processes may run it: one holds the scheduler lease, all of them push.
"""

from __future__ import annotations

import logging

from flask import Flask

from pbadmin.sync.outbox import OutboxThread, worker_name
from pbadmin.sync.scheduler import SchedulerService

log = logging.getLogger(__name__)


class Background:
    def __init__(self, app: Flask, scheduler: bool = True, workers: int | None = None) -> None:
        self.app = app
        count = int(app.config.get("PBADMIN_OUTBOX_WORKERS", 2)) if workers is None else workers
        self.scheduler = SchedulerService(app) if scheduler else None
        self.workers = [OutboxThread(app, worker_name(f"outbox{i}")) for i in range(count)]

    def start(self) -> Background:
        if self.scheduler is not None:
            self.scheduler.start()
        for worker in self.workers:
            worker.start()
        log.info(
            "pbadmin background: scheduler %s, %d outbox workers", "on" if self.scheduler else "off", len(self.workers)
        )
        return self

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        if self.scheduler is not None:
            self.scheduler.stop()
