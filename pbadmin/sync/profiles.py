"""The gateway profiles: one ``ProfileSpec`` per profile, the one place a profile is described.

Every layer reads these specs: the plugin registry checks ``gateway_profile()`` against their names,
the settings schema takes each profile's credentials from them, ``payloads`` renders the body in
their format, ``gateways`` builds their client, the outbox keeps their exactly-once rule, and the
sandbox plays the province from them (docs/gateway-contract.md says what each profile is).

This module imports nothing of pbadmin, so anything may import it without a cycle; a profile's
client class is named as ``"module:Class"`` and imported the first time it is needed.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

JSON_TYPE = "application/json"
ADX_TYPE = "application/adx+xml"

# how a profile makes sure a report is stored once, whatever happens to a request on the way
IDEMPOTENCY_KEY = "idempotency-key"  # every attempt carries the same Idempotency-Key; the gateway replays
READ_BACK = "read-back"  # no key: after an attempt whose outcome is unknown, read back before sending again

# how a profile's gateway answers a push
IMPORT_SUMMARY = "import-summary"  # the contract's import summary; 422 rejected content, 409 idempotency conflict
DHIS2_WEB_MESSAGE = "dhis2"  # DHIS2: an import summary, bare or inside a WebMessage; 409 = import conflicts


@dataclass(frozen=True)
class Credential:
    """One setting a plugin of the profile configures to be let in (besides ``base_url``)."""

    key: str
    description: str
    secret: bool = False
    #: False when the profile takes one of several ways in (``ProfileSpec.ways_in``)
    required: bool = True


@dataclass(frozen=True)
class ProfileSpec:
    name: str
    #: the client class, ``"module:Class"``, imported on first use
    client: str
    credentials: tuple[Credential, ...]
    #: how requests are let in: "bearer", "signed" (sichuan), "basic", "oauth2" or "api-token-or-basic"
    auth: str
    #: the body of a push: "json" (the contract's data value set), "adx" or "dhis2-json" (DHIS2's)
    payload_format: str
    push_path: str
    #: query parameters sent with every push
    push_params: tuple[tuple[str, str], ...] = ()
    exactly_once: str = IDEMPOTENCY_KEY
    answers: str = IMPORT_SUMMARY
    data_elements_params: tuple[tuple[str, str], ...] = ()
    org_units_params: tuple[tuple[str, str], ...] = ()
    #: query parameters of a read-back besides dataSet, period and orgUnit
    read_back_params: tuple[tuple[str, str], ...] = ()
    #: oauth2: where the client-credentials grant is asked for
    token_path: str | None = None
    #: the credential keys of each complete way in; the first complete one is used (empty: all required)
    ways_in: tuple[tuple[str, ...], ...] = ()
    #: GB/T 2260 prefix of the regions whose report codes the province issued ("" every region);
    #: the sandbox knows those regions' org units and publishes their region data elements
    province_prefix: str = ""

    @property
    def content_type(self) -> str:
        return ADX_TYPE if self.payload_format == "adx" else JSON_TYPE

    @property
    def credential_keys(self) -> tuple[str, ...]:
        return tuple(credential.key for credential in self.credentials)

    def client_class(self) -> type:
        module, _, name = self.client.partition(":")
        return getattr(importlib.import_module(module), name)

    def way_in(self, settings: dict) -> tuple[str, ...] | None:
        """The first way in whose every credential is set (the required ones when there are no choices)."""
        ways = self.ways_in or (tuple(c.key for c in self.credentials if c.required),)
        return next((way for way in ways if all(settings.get(key) not in (None, "") for key in way)), None)

    def missing_credentials(self, settings: dict) -> list[str]:
        """What is missing before a request can be let in: keys, or "a or b+c" when there is a choice."""
        if self.way_in(settings) is not None:
            return []
        if not self.ways_in:
            return [c.key for c in self.credentials if c.required and settings.get(c.key) in (None, "")]
        return [" 或 / or ".join("+".join(way) for way in self.ways_in)]

    def period_code(self, period_code: str) -> str:
        """The gateway's code for one of pbadmin's periods (YYYYMM, YYYYQn, YYYY).

        Every profile uses the ISO forms pbadmin uses: the contract's, and DHIS2's monthly
        (``201805``), quarterly (``2018Q2``) and yearly (``2018``) period identifiers alike.
        """
        return period_code


PROFILES: dict[str, ProfileSpec] = {
    spec.name: spec
    for spec in (
        ProfileSpec(
            name="zhejiang",
            client="pbadmin.sync.gateways:GatewayClient",
            credentials=(Credential("token", "省平台签发的 Bearer 令牌", secret=True),),
            auth="bearer",
            payload_format="json",
            push_path="/api/dataValueSets",
            province_prefix="33",
        ),
        ProfileSpec(
            name="sichuan",
            client="pbadmin.sync.gateways:SichuanClient",
            credentials=(
                Credential("app_id", "省平台分配的 AppId"),
                Credential("app_secret", "请求签名密钥", secret=True),
            ),
            auth="signed",
            payload_format="json",
            push_path="/api/dataValueSets",
            province_prefix="51",
        ),
        ProfileSpec(
            name="hubei",
            client="pbadmin.sync.gateways:HubeiClient",
            credentials=(
                Credential("username", "HTTP Basic 用户名"),
                Credential("password", "HTTP Basic 密码", secret=True),
            ),
            auth="basic",
            payload_format="adx",
            push_path="/api/adx",
            province_prefix="42",
        ),
        ProfileSpec(
            name="shandong",
            client="pbadmin.sync.gateways:ShandongClient",
            credentials=(
                Credential("client_id", "OAuth2 client_id"),
                Credential("client_secret", "OAuth2 client_secret", secret=True),
            ),
            auth="oauth2",
            payload_format="json",
            push_path="/api/dataValueSets",
            token_path="/oauth/token",  # noqa: S106 (a path, not a password)
            province_prefix="37",
        ),
        ProfileSpec(
            name="dhis2",
            client="pbadmin.sync.dhis2:Dhis2Client",
            credentials=(
                Credential("api_token", "DHIS2 个人访问令牌（ApiToken，d2pat_…）", secret=True, required=False),
                Credential("username", "DHIS2 用户名（HTTP Basic，无令牌时使用）", required=False),
                Credential("password", "DHIS2 密码（HTTP Basic）", secret=True, required=False),
            ),
            auth="api-token-or-basic",
            payload_format="dhis2-json",
            push_path="/api/dataValueSets",
            push_params=(("dataElementIdScheme", "code"), ("orgUnitIdScheme", "code"), ("dataSetIdScheme", "code")),
            exactly_once=READ_BACK,
            answers=DHIS2_WEB_MESSAGE,
            data_elements_params=(("fields", "code,name"), ("paging", "false")),
            org_units_params=(("fields", "code,name,parent[code]"), ("paging", "false")),
            read_back_params=(
                ("inputIdScheme", "code"),
                ("dataElementIdScheme", "code"),
                ("orgUnitIdScheme", "code"),
                ("dataSetIdScheme", "code"),
            ),
            ways_in=(("api_token",), ("username", "password")),
            province_prefix="",
        ),
    )
}
PROFILE_NAMES: tuple[str, ...] = tuple(PROFILES)


def profile_spec(name: str) -> ProfileSpec:
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"未知的网关类型 / unknown gateway profile {name!r} (known: {', '.join(PROFILES)})") from None
