"""Read an okta.yaml file: the Okta settings a guide describes, the example user and one sign-in.

```yaml
org: {url: https://example.okta.com, id: 00o1a2b3c4d5e6f7g8h9}
authorization_server: org          # the server CODER_OIDC_ISSUER_URL names: org or custom
app:                                # the app integration Coder signs in with
  name: Coder
  client_id: 0oa5x4w3v2u1t0s9r8q7
  groups_claim: {type: Filter, name: groups, filter: Starts with, value: coder-}   # Sign On tab
  profile_attributes:              # attributes of the app user profile
    - {display_name: Coder roles, variable_name: coder_roles, data_type: string array}
server:                             # a custom authorization server, when one is set up
  name: default
  issuer: https://example.okta.com/oauth2/default
  audience: api://default
  scope: {name: roles, description: Coder site roles}
  claim: {name: roles, include_in_token_type: ID Token, include: Always,
          value_type: Expression, value: 'Groups.startsWith("OKTA", "coder-", 100)', include_in: roles}
  access_policy: {name: Coder, assigned_to: Coder, rule: Authorization Code with any assigned user}
user:                               # the example user
  id: 00u8f3k2j1h0g9f8e7d6
  name: Sam Sample
  login: sam@example.com
  email: sam@example.com
  email_verified: true
  groups: [Everyone, coder-admins]
  app_profile: {coder_roles: [coder-admins]}
sign_in:                            # the values one sign-in fixes in the tokens
  flow: authorization_code          # or implicit (response_type=id_token)
  scopes: [openid, profile]         # optional: defaults to the scopes Coder requests
  iat: 1717000000
  auth_time: 1716999980
  amr: [pwd, mfa]
  id_token_jti: ID.q4p3o2n1m0l9k8j7i6h5g4f3e2d1c0b9a8z7y6x5w4v
  access_token_jti: AT.b7c8d9e0f1g2h3i4j5k6l7m8n9o0p1q2r3s4t5u6v7w
  nonce: n-0S6_WzA2Mj               # optional
```

Every problem raises OktaSettingsError naming the file, the key and the fix.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml

from .errors import OktaSettingsError
from .groups_claim import FILTER_TYPES
from .servers import classify_issuer

__all__ = [
    "AMR_VALUES",
    "FLOWS",
    "AccessPolicy",
    "App",
    "CustomServer",
    "GroupsClaim",
    "OktaSetup",
    "OktaUser",
    "ProfileAttribute",
    "ServerClaim",
    "SignIn",
    "load_okta_setup",
    "parse_okta_setup",
]

# Okta IDs: users start with 00u, app client IDs with 0oa and orgs with 00o, each 20 characters.
_USER_ID = re.compile(r"^00u[0-9A-Za-z]{17}$")
_CLIENT_ID = re.compile(r"^0oa[0-9A-Za-z]{17}$")
_ORG_ID = re.compile(r"^00o[0-9A-Za-z]{17}$")
_VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Values Okta writes in the amr claim (Okta's OIDC reference, ID token claims).
AMR_VALUES = frozenset({"pwd", "mfa", "otp", "kba", "sms", "swk", "hwk"})

# authorization_code is the flow Coder uses; implicit here means response_type=id_token,
# an ID token returned alone, which Okta fills with every claim of the granted scopes.
FLOWS = ("authorization_code", "implicit")

DATA_TYPES = ("string", "string array")
TOKEN_TYPES = ("ID Token", "Access Token")
ID_TOKEN_INCLUDE = ("Always", "Userinfo / id_token request")
VALUE_TYPES = ("Expression", "Groups")
ANY_SCOPE = "Any scope"


@dataclass(frozen=True)
class GroupsClaim:
    """The groups claim on the app's Sign On tab, which only the org authorization server sends."""

    type: str  # "Filter" or "Expression"
    name: str
    value: str  # the filter value, or the expression
    filter: str | None = None  # one of FILTER_TYPES when type is "Filter"


@dataclass(frozen=True)
class ProfileAttribute:
    """An attribute of the app user profile, which /userinfo returns under its variable name."""

    variable_name: str
    data_type: str  # "string" or "string array"
    display_name: str = ""
    mapped_from: str | None = None


@dataclass(frozen=True)
class App:
    """The OIDC app integration Coder signs in with."""

    name: str
    client_id: str
    groups_claim: GroupsClaim | None = None
    profile_attributes: tuple[ProfileAttribute, ...] = ()


@dataclass(frozen=True)
class ServerClaim:
    """A claim on a custom authorization server's Claims tab."""

    name: str
    token_type: str  # "ID Token" or "Access Token"
    include: str | None  # "Always" or "Userinfo / id_token request"; None for access token claims
    value_type: str  # "Expression" or "Groups"
    value: str
    filter: str | None = None  # one of FILTER_TYPES when value_type is "Groups"
    scopes: tuple[str, ...] | None = None  # the scopes that release it; None for any scope


@dataclass(frozen=True)
class AccessPolicy:
    """An access policy of a custom authorization server, with the rule a guide tells you to add."""

    name: str
    assigned_to: str  # an app name, or "All clients"
    rule: str


@dataclass(frozen=True)
class CustomServer:
    """A custom authorization server: its issuer, audience, scopes, claims and access policy."""

    name: str
    issuer: str
    server_id: str
    audience: str
    scopes: tuple[str, ...] = ()  # scopes added on the Scopes tab
    claims: tuple[ServerClaim, ...] = ()
    access_policy: AccessPolicy | None = None


@dataclass(frozen=True)
class OktaUser:
    """An Okta user: standard profile values, group names, the app user profile and other profile attributes."""

    id: str
    name: str
    login: str
    email: str
    groups: tuple[str, ...]  # always starts with Everyone, the group every Okta user is in
    email_verified: bool | None = None
    given_name: str | None = None
    middle_name: str | None = None
    family_name: str | None = None
    nickname: str | None = None
    locale: str | None = None
    zoneinfo: str | None = None
    updated_at: int | None = None
    app_profile: Mapping[str, Any] = field(default_factory=dict)
    profile: Mapping[str, Any] = field(default_factory=dict)  # Okta user profile attributes read as user.<name>


@dataclass(frozen=True)
class SignIn:
    """The values one sign-in fixes: flow, scopes, times, token IDs and authentication methods."""

    flow: str
    scopes: tuple[str, ...] | None  # None: the scopes Coder requests
    iat: int
    auth_time: int
    amr: tuple[str, ...]
    id_token_jti: str
    access_token_jti: str | None
    nonce: str | None = None


@dataclass(frozen=True)
class OktaSetup:
    """Everything one okta.yaml describes."""

    source: str
    org_url: str
    org_id: str
    authorization_server: str  # "org" or "custom": the server CODER_OIDC_ISSUER_URL names
    app: App
    server: CustomServer | None
    user: OktaUser
    sign_in: SignIn

    @property
    def issuer(self) -> str:
        """Return the issuer of the server that signs the user in."""
        if self.authorization_server == "custom":
            return self.server.issuer
        return self.org_url


def load_okta_setup(path: str | Path, name: str | None = None) -> OktaSetup:
    """Read and check an okta.yaml file; messages call it ``name``, by default the path as given."""
    name = name or str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise OktaSettingsError(f"{name}: cannot be read ({error.strerror}); check the path") from None
    except yaml.YAMLError as error:
        raise OktaSettingsError(f"{name}: invalid YAML ({error})") from None
    return parse_okta_setup(data, name)


def parse_okta_setup(data: Any, source: str = "okta.yaml") -> OktaSetup:
    """Check the parsed content of an okta.yaml file and turn it into an OktaSetup."""
    reader = _Reader(source)
    data = reader.mapping(data, "the file")

    org = reader.mapping(reader.require(data, "org"), "org")
    org_url = reader.string(org, "url", "org")
    if not classify_issuer(org_url).is_org:
        reader.fail("org.url", f"is {org_url!r}, which is not an Okta org URL such as https://example.okta.com")
    org_id = reader.pattern(org, "id", "org", _ORG_ID, "an Okta org ID (00o and 17 more letters or digits)")

    kind = reader.choice(data, "authorization_server", "", ("org", "custom"))
    app = _parse_app(reader, reader.mapping(reader.require(data, "app"), "app"))
    server = None
    if data.get("server") is not None:
        server = _parse_server(reader, reader.mapping(data["server"], "server"))
    if kind == "custom" and server is None:
        reader.fail("server", "is missing, but authorization_server is custom; describe the custom authorization server under server")

    user = _parse_user(reader, reader.mapping(reader.require(data, "user"), "user"), app)
    sign_in = _parse_sign_in(reader, reader.mapping(reader.require(data, "sign_in"), "sign_in"))
    return OktaSetup(source, org_url, org_id, kind, app, server, user, sign_in)


class _Reader:
    """Typed access to okta.yaml keys, raising OktaSettingsError with the file and the key path."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, key: str, problem: str) -> NoReturn:
        raise OktaSettingsError(f"{self.source}: {key} {problem}")

    @staticmethod
    def _key(prefix: str, name: str) -> str:
        return f"{prefix}.{name}" if prefix else name

    def mapping(self, value: Any, key: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.fail(key, f"must be a mapping of keys to values, not {type(value).__name__}")
        return value

    def require(self, data: Mapping[str, Any], name: str, prefix: str = "") -> Any:
        if data.get(name) is None:
            self.fail(self._key(prefix, name), "is missing")
        return data[name]

    def string(self, data: Mapping[str, Any], name: str, prefix: str = "", required: bool = True) -> str | None:
        if not required and data.get(name) is None:
            return None
        value = self.require(data, name, prefix)
        if not isinstance(value, str) or not value:
            self.fail(self._key(prefix, name), f"must be a non-empty string, not {value!r}")
        return value

    def integer(self, data: Mapping[str, Any], name: str, prefix: str = "", required: bool = True) -> int | None:
        if not required and data.get(name) is None:
            return None
        value = self.require(data, name, prefix)
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(self._key(prefix, name), f"must be a whole number of seconds since 1970, not {value!r}")
        return value

    def boolean(self, data: Mapping[str, Any], name: str, prefix: str = "") -> bool | None:
        value = data.get(name)
        if value is not None and not isinstance(value, bool):
            self.fail(self._key(prefix, name), f"must be true or false, not {value!r}")
        return value

    def strings(self, data: Mapping[str, Any], name: str, prefix: str = "", required: bool = True) -> tuple[str, ...] | None:
        if not required and data.get(name) is None:
            return None
        value = self.require(data, name, prefix)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(self._key(prefix, name), f"must be a list of strings, not {value!r}")
        return tuple(value)

    def choice(self, data: Mapping[str, Any], name: str, prefix: str, choices: tuple[str, ...], default: str | None = None) -> str:
        if default is not None and data.get(name) is None:
            return default
        value = self.string(data, name, prefix)
        if value not in choices:
            self.fail(self._key(prefix, name), f"is {value!r}; use one of {', '.join(choices)}")
        return value

    def pattern(self, data: Mapping[str, Any], name: str, prefix: str, regex: re.Pattern, what: str) -> str:
        value = self.string(data, name, prefix)
        if not regex.match(value):
            self.fail(self._key(prefix, name), f"is {value!r}, which is not {what}")
        return value


def _parse_app(reader: _Reader, app: Mapping[str, Any]) -> App:
    name = reader.string(app, "name", "app")
    client_id = reader.pattern(app, "client_id", "app", _CLIENT_ID, "an Okta client ID (0oa and 17 more letters or digits)")

    groups_claim = None
    if app.get("groups_claim") is not None:
        claim = reader.mapping(app["groups_claim"], "app.groups_claim")
        claim_type = reader.choice(claim, "type", "app.groups_claim", ("Filter", "Expression"))
        claim_filter = reader.choice(claim, "filter", "app.groups_claim", FILTER_TYPES) if claim_type == "Filter" else None
        groups_claim = GroupsClaim(
            type=claim_type,
            name=reader.string(claim, "name", "app.groups_claim"),
            value=reader.string(claim, "value", "app.groups_claim"),
            filter=claim_filter,
        )

    attributes = []
    for index, item in enumerate(app.get("profile_attributes") or []):
        prefix = f"app.profile_attributes[{index}]"
        item = reader.mapping(item, prefix)
        variable_name = reader.pattern(item, "variable_name", prefix, _VARIABLE_NAME, "a valid Okta variable name (letters, digits, _)")
        attributes.append(ProfileAttribute(
            variable_name=variable_name,
            data_type=reader.choice(item, "data_type", prefix, DATA_TYPES),
            display_name=reader.string(item, "display_name", prefix, required=False) or "",
            mapped_from=reader.string(item, "mapped_from", prefix, required=False),
        ))
    return App(name, client_id, groups_claim, tuple(attributes))


def _parse_server(reader: _Reader, server: Mapping[str, Any]) -> CustomServer:
    name = reader.string(server, "name", "server")
    issuer = reader.string(server, "issuer", "server")
    kind = classify_issuer(issuer)
    if not kind.is_custom:
        reader.fail("server.issuer", f"is {issuer!r}, which is not a custom authorization server issuer (https://{{domain}}/oauth2/{{id}})")

    # The default server's audience is api://default (Okta's guide "Protect your API endpoints").
    audience = reader.string(server, "audience", "server", required=kind.server_id != "default") or "api://default"

    scopes = []
    if server.get("scope") is not None:
        scope = reader.mapping(server["scope"], "server.scope")
        scopes.append(reader.string(scope, "name", "server.scope"))

    claims = []
    if server.get("claim") is not None:
        claims.append(_parse_server_claim(reader, reader.mapping(server["claim"], "server.claim")))

    policy = None
    if server.get("access_policy") is not None:
        item = reader.mapping(server["access_policy"], "server.access_policy")
        policy = AccessPolicy(
            name=reader.string(item, "name", "server.access_policy"),
            assigned_to=reader.string(item, "assigned_to", "server.access_policy"),
            rule=reader.string(item, "rule", "server.access_policy"),
        )
    return CustomServer(name, issuer, kind.server_id, audience, tuple(scopes), tuple(claims), policy)


def _parse_server_claim(reader: _Reader, claim: Mapping[str, Any]) -> ServerClaim:
    prefix = "server.claim"
    token_type = reader.choice(claim, "include_in_token_type", prefix, TOKEN_TYPES)
    # Okta's default for an ID token claim is "Userinfo / id_token request" (Okta help, Create API access claims).
    include = reader.choice(claim, "include", prefix, ID_TOKEN_INCLUDE, default="Userinfo / id_token request") if token_type == "ID Token" else None
    value_type = reader.choice(claim, "value_type", prefix, VALUE_TYPES)
    claim_filter = reader.choice(claim, "filter", prefix, FILTER_TYPES) if value_type == "Groups" else None

    include_in = claim.get("include_in", ANY_SCOPE)
    if include_in == ANY_SCOPE:
        scopes = None
    elif isinstance(include_in, str) and include_in:
        scopes = (include_in,)
    elif isinstance(include_in, list) and include_in and all(isinstance(item, str) for item in include_in):
        scopes = tuple(include_in)
    else:
        reader.fail(f"{prefix}.include_in", f"is {include_in!r}; use {ANY_SCOPE!r}, a scope name or a list of scope names")

    return ServerClaim(
        name=reader.string(claim, "name", prefix),
        token_type=token_type,
        include=include,
        value_type=value_type,
        value=reader.string(claim, "value", prefix),
        filter=claim_filter,
        scopes=scopes,
    )


def _parse_user(reader: _Reader, user: Mapping[str, Any], app: App) -> OktaUser:
    groups = list(reader.strings(user, "groups", "user", required=False) or ())
    # Every Okta user is in the built-in Everyone group (Okta's groups claim guide).
    if "Everyone" not in groups:
        groups.insert(0, "Everyone")

    app_profile = reader.mapping(user.get("app_profile") or {}, "user.app_profile")
    declared = {attribute.variable_name: attribute for attribute in app.profile_attributes}
    for name, value in app_profile.items():
        if name not in declared:
            reader.fail(f"user.app_profile.{name}", "is set, but app.profile_attributes declares no attribute of that variable name")
        if value is None:
            continue
        if declared[name].data_type == "string" and not isinstance(value, str):
            reader.fail(f"user.app_profile.{name}", f"is {value!r}, but the attribute's data type is string")
        if declared[name].data_type == "string array" and not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
            reader.fail(f"user.app_profile.{name}", f"is {value!r}, but the attribute's data type is string array")

    return OktaUser(
        id=reader.pattern(user, "id", "user", _USER_ID, "an Okta user ID (00u and 17 more letters or digits)"),
        name=reader.string(user, "name", "user"),
        login=reader.string(user, "login", "user"),
        email=reader.string(user, "email", "user"),
        groups=tuple(groups),
        email_verified=reader.boolean(user, "email_verified", "user"),
        given_name=reader.string(user, "given_name", "user", required=False),
        middle_name=reader.string(user, "middle_name", "user", required=False),
        family_name=reader.string(user, "family_name", "user", required=False),
        nickname=reader.string(user, "nickname", "user", required=False),
        locale=reader.string(user, "locale", "user", required=False),
        zoneinfo=reader.string(user, "zoneinfo", "user", required=False),
        updated_at=reader.integer(user, "updated_at", "user", required=False),
        app_profile=dict(app_profile),
        profile=dict(reader.mapping(user.get("profile") or {}, "user.profile")),
    )


def _parse_sign_in(reader: _Reader, sign_in: Mapping[str, Any]) -> SignIn:
    flow = reader.choice(sign_in, "flow", "sign_in", FLOWS, default="authorization_code")
    iat = reader.integer(sign_in, "iat", "sign_in")
    auth_time = reader.integer(sign_in, "auth_time", "sign_in")
    if auth_time > iat:
        reader.fail("sign_in.auth_time", f"is {auth_time}, after iat {iat}; the user signs in before Okta issues the token")

    amr = reader.strings(sign_in, "amr", "sign_in")
    unknown = sorted(set(amr) - AMR_VALUES)
    if not amr or unknown:
        reader.fail("sign_in.amr", f"is {list(amr)!r}; use one or more of {', '.join(sorted(AMR_VALUES))}")

    id_jti = reader.string(sign_in, "id_token_jti", "sign_in")
    if not id_jti.startswith("ID."):
        reader.fail("sign_in.id_token_jti", f"is {id_jti!r}; the jti of an Okta ID token starts with 'ID.'")
    access_jti = reader.string(sign_in, "access_token_jti", "sign_in", required=flow == "authorization_code")
    if access_jti is not None and not access_jti.startswith("AT."):
        reader.fail("sign_in.access_token_jti", f"is {access_jti!r}; the jti of an Okta access token starts with 'AT.'")

    return SignIn(
        flow=flow,
        scopes=reader.strings(sign_in, "scopes", "sign_in", required=False),
        iat=iat,
        auth_time=auth_time,
        amr=amr,
        id_token_jti=id_jti,
        access_token_jti=access_jti,
        nonce=reader.string(sign_in, "nonce", "sign_in", required=False),
    )
