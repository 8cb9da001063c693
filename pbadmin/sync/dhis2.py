"""The dhis2 profile: the DHIS2 Web API itself (docs/gateway-contract.md, "dhis2").

Reports go to ``POST /api/dataValueSets?dataElementIdScheme=code&orgUnitIdScheme=code&dataSetIdScheme=code``
as DHIS2's JSON data value set; requests carry ``Authorization: ApiToken <token>`` (a personal access
token) or, without one, HTTP Basic. DHIS2 takes no Idempotency-Key: the outbox reads the report back
before any attempt that follows one whose outcome it does not know (``exactly_once = READ_BACK``).
Its answers (an import summary, bare or inside a WebMessage; 409 when the import had conflicts) are
read by ``pbadmin.sync.outcomes``.
"""

from __future__ import annotations

from pbadmin.sync.gateways import TIMEOUT, Answer, GatewayClient
from pbadmin.sync.profiles import ProfileSpec


class Dhis2Client(GatewayClient):
    """ApiToken when the settings have one, else HTTP Basic (``ProfileSpec.way_in``)."""

    def __init__(self, spec: ProfileSpec, settings: dict, timeout=TIMEOUT) -> None:
        super().__init__(spec, settings, timeout)
        way = spec.way_in(settings)
        self._token = settings["api_token"] if way == ("api_token",) else None
        if way == ("username", "password"):
            self.session.auth = (settings["username"], settings["password"])
        self._missing = way is None

    def auth_headers(self, method, url, body):
        if self._missing:
            return Answer(
                401,
                error="没有 DHIS2 凭据：请设置 api_token，或 username 和 password / no DHIS2 credentials",
                stage="push",
                dialect=self.spec.answers,
            )
        return {"Authorization": f"ApiToken {self._token}"} if self._token else {}
