"""A sandbox of the reporting gateways (docs/gateway-contract.md: four provinces and DHIS2), for tests and the demo.

``create_sandbox_app(SandboxConfig(...))`` is the province; ``server.SandboxServer`` serves it on
127.0.0.1; ``server.SandboxControl`` drives its control API.
"""

from pbadmin.sandbox.app import SandboxConfig, create_sandbox_app

__all__ = ["SandboxConfig", "create_sandbox_app"]
