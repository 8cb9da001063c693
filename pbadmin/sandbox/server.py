"""Serving the sandbox on 127.0.0.1 from a daemon thread, and a small client for its control API.

``stop()`` then ``start()`` brings the same gateway (same app, same memory) back on the same port,
so a test can take the province down and watch pbadmin retry. werkzeug's server closes every
connection after its answer, so no client's pooled connection outlives a stop (a test checks it).
"""

from __future__ import annotations

import threading

import requests
from werkzeug.serving import BaseWSGIServer, make_server

from pbadmin.sandbox.app import SandboxConfig, create_sandbox_app

LOOPBACK = "127.0.0.1"
TIMEOUT = (5, 30)
POLL_SECONDS = 0.05  # how soon stop() is noticed


class SandboxServer:
    def __init__(self, config: SandboxConfig, port: int = 0, host: str = LOOPBACK) -> None:
        self.app = create_sandbox_app(config)
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def base_url(self, profile: str) -> str:
        return f"{self.url}/{profile}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _bind(self) -> BaseWSGIServer:
        server = make_server(self.host, self.port, self.app, threaded=True)
        self.port = server.server_port  # an ephemeral port is kept for every later start()
        return server

    def start(self) -> SandboxServer:
        if self.running:
            return self
        self._server = self._bind()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": POLL_SECONDS},
            name="pbadmin-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def wait(self) -> None:
        """Block until the server stops; Ctrl-C interrupts it (the command line's foreground mode)."""
        thread = self._thread
        while thread is not None and thread.is_alive():
            thread.join(0.5)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


class SandboxControl:
    """The control API from a test: one method per endpoint, raising on anything but success."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def _post(self, path: str, payload: dict | None = None) -> dict:
        answer = requests.post(f"{self.url}/_control/{path}", json=payload or {}, timeout=TIMEOUT)
        answer.raise_for_status()
        return answer.json()

    def reset(self) -> None:
        self._post("reset")

    def state(self) -> dict:
        answer = requests.get(f"{self.url}/_control/state", timeout=TIMEOUT)
        answer.raise_for_status()
        return answer.json()

    def set_latency(self, seconds: float, profile: str | None = None) -> None:
        self._post("latency", {"seconds": seconds, "profile": profile})

    def inject_failures(self, failures: list[dict], profile: str | None = None) -> None:
        """e.g. ``[{"status": 503, "times": 3}]``, ``[{"status": 429, "retry_after": 7}]``; with ``"after": True``
        the request is handled (a push stored) and the failure answered instead."""
        self._post("failures", {"failures": failures, "profile": profile})

    def set_clock_offset(self, seconds: float) -> None:
        self._post("clock", {"offset": seconds})

    def set_token_ttl(self, seconds: int) -> None:
        self._post("token-ttl", {"seconds": seconds})

    def expire_tokens(self) -> int:
        return self._post("expire-tokens")["expired"]

    def add_data_element(self, profile: str, code: str, name: str) -> None:
        self._post("data-elements", {"profile": profile, "add": [{"code": code, "name": name}]})

    def remove_data_element(self, profile: str, code: str) -> None:
        self._post("data-elements", {"profile": profile, "remove": [code]})

    def add_org_unit(self, profile: str, code: str, name: str, parent: str | None = None) -> None:
        self._post("org-units", {"profile": profile, "add": [{"code": code, "name": name, "parent": parent}]})

    def remove_org_unit(self, profile: str, code: str) -> None:
        self._post("org-units", {"profile": profile, "remove": [code]})

    def lock_periods(self, profile: str, *periods: str) -> None:
        self._post("locked-periods", {"profile": profile, "lock": list(periods)})

    def unlock_periods(self, profile: str, *periods: str) -> None:
        self._post("locked-periods", {"profile": profile, "unlock": list(periods)})
