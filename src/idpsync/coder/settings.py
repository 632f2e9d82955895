"""Read Coder's ``CODER_OIDC_*`` options from environment variables or an env file.

Coder reads options with coder/serpent. The rules modelled here:

- an empty value counts as unset, so the default applies (serpent v0.13.0,
  the version Coder's go.mod pins; serpent v0.15.0 changed this);
- booleans take Go's strconv.ParseBool words only;
- lists are one CSV record, split on commas and never trimmed;
- mappings are decoded as YAML, so a JSON object works too;
- the group regex filter is compiled as Go RE2.

A bad value raises ``ConfigError`` because Coder refuses to start with it.
An unknown ``CODER_OIDC_*`` name does not stop Coder (it ignores it), so it is
recorded in ``unknown_options`` with the closest known name and reported as a
diagnostic instead.
"""

import difflib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from os import PathLike
from typing import Any

from dotenv import dotenv_values

from ..errors import ConfigError
from . import options

__all__ = ["CoderSettings", "OPTIONS", "UnknownOption"]

log = logging.getLogger(__name__)

_BOOL_FIX = "use true or false (Go also accepts 1, t, T, TRUE, True, 0, f, F, FALSE, False)"


@dataclass(frozen=True)
class _Option:
    attribute: str
    kind: str  # string, bool, list, map, list-map, regex
    default: str
    fix: str = ""


# Every CODER_OIDC_* option of Coder's deployment options (codersdk/deployment.go),
# with the default Coder applies when the variable is unset or empty.
OPTIONS: dict[str, _Option] = {
    "CODER_OIDC_ISSUER_URL": _Option("issuer_url", "string", ""),
    "CODER_OIDC_CLIENT_ID": _Option("client_id", "string", ""),
    "CODER_OIDC_CLIENT_SECRET": _Option("client_secret", "string", ""),
    "CODER_OIDC_CLIENT_KEY_FILE": _Option("client_key_file", "string", ""),
    "CODER_OIDC_CLIENT_CERT_FILE": _Option("client_cert_file", "string", ""),
    "CODER_OIDC_SCOPES": _Option("scopes", "list", "openid,profile,email"),
    "CODER_OIDC_AUTH_URL_PARAMS": _Option(
        "auth_url_params", "map", '{"access_type": "offline"}',
        'write a JSON object of strings, such as {"access_type":"offline"}',
    ),
    "CODER_OIDC_ALLOW_SIGNUPS": _Option("allow_signups", "bool", "true", _BOOL_FIX),
    "CODER_OIDC_EMAIL_DOMAIN": _Option("email_domain", "list", ""),
    "CODER_OIDC_IGNORE_EMAIL_VERIFIED": _Option("ignore_email_verified", "bool", "false", _BOOL_FIX),
    "CODER_OIDC_USERNAME_FIELD": _Option("username_field", "string", "preferred_username"),
    "CODER_OIDC_EMAIL_FIELD": _Option("email_field", "string", "email"),
    "CODER_OIDC_NAME_FIELD": _Option("name_field", "string", "name"),
    "CODER_OIDC_IGNORE_USERINFO": _Option("ignore_userinfo", "bool", "false", _BOOL_FIX),
    "CODER_OIDC_ACCESS_TOKEN_CLAIMS": _Option("access_token_claims", "bool", "false", _BOOL_FIX),
    "CODER_OIDC_GROUP_FIELD": _Option("group_field", "string", ""),
    "CODER_OIDC_GROUP_MAPPING": _Option(
        "group_mapping", "map", "{}",
        'write a JSON object from an Okta group name to a Coder group name, such as {"okta-devs":"developers"}',
    ),
    "CODER_OIDC_GROUP_AUTO_CREATE": _Option("group_auto_create", "bool", "false", _BOOL_FIX),
    "CODER_OIDC_GROUP_REGEX_FILTER": _Option(
        "group_regex_filter", "regex", ".*",
        "write an RE2 regular expression, such as ^coder- (RE2 has no lookaround or backreferences)",
    ),
    "CODER_OIDC_ALLOWED_GROUPS": _Option("allowed_groups", "list", ""),
    "CODER_OIDC_USER_ROLE_FIELD": _Option("user_role_field", "string", ""),
    "CODER_OIDC_USER_ROLE_MAPPING": _Option(
        "user_role_mapping", "list-map", "{}",
        'write a JSON object from a claim value to a list of Coder roles, such as {"coder-admins":["template-admin","user-admin"]}',
    ),
    "CODER_OIDC_USER_ROLE_DEFAULT": _Option("user_role_default", "list", ""),
    "CODER_OIDC_ORGANIZATION_FIELD": _Option("organization_field", "string", ""),
    "CODER_OIDC_ORGANIZATION_MAPPING": _Option(
        "organization_mapping", "list-map", "{}",
        "write a JSON object from a claim value to a list of organization IDs",
    ),
    "CODER_OIDC_ORGANIZATION_ASSIGN_DEFAULT": _Option("organization_assign_default", "bool", "true", _BOOL_FIX),
    "CODER_OIDC_SIGN_IN_TEXT": _Option("sign_in_text", "string", "OpenID Connect"),
    "CODER_OIDC_ICON_URL": _Option("icon_url", "string", ""),
    "CODER_OIDC_SIGNUPS_DISABLED_TEXT": _Option("signups_disabled_text", "string", ""),
    # NOTE: newer Coder releases read this host allow-list for redirects; it was
    # seen in coderd/httpmw/oauth2.go but its declaration (and so its type) was not.
    "CODER_OIDC_REDIRECT_ALLOWED_HOSTS": _Option("redirect_allowed_hosts", "list", ""),
}

_PARSERS = {
    "string": lambda text: text,
    "bool": options.parse_bool,
    "list": options.parse_string_array,
    "map": options.parse_string_map,
    "list-map": options.parse_string_list_map,
    "regex": options.compile_regex,
}


@dataclass(frozen=True)
class UnknownOption:
    """A ``CODER_OIDC_*`` name Coder does not know, e.g. ``CODER_OIDC_GROUPS_FIELD``."""

    name: str
    suggestion: str | None  # closest known name, e.g. "CODER_OIDC_GROUP_FIELD"


@dataclass(frozen=True)
class CoderSettings:
    """Coder's OIDC options after parsing, with Coder's defaults filled in."""

    issuer_url: str = ""  # e.g. "https://example.okta.com/oauth2/default"
    client_id: str = ""  # e.g. "0oa5x4w3v2u1t0s9r8q7"
    client_secret: str = field(default="", repr=False)
    client_key_file: str = ""
    client_cert_file: str = ""
    scopes: tuple[str, ...] = ("openid", "profile", "email")
    auth_url_params: Mapping[str, str] = field(default_factory=lambda: {"access_type": "offline"})
    allow_signups: bool = True
    email_domain: tuple[str, ...] = ()  # e.g. ("example.com",)
    ignore_email_verified: bool = False
    username_field: str = "preferred_username"
    email_field: str = "email"
    name_field: str = "name"
    ignore_userinfo: bool = False
    access_token_claims: bool = False
    group_field: str = ""  # "" turns group sync off, e.g. "groups"
    group_mapping: Mapping[str, str] = field(default_factory=dict)  # {"okta-devs": "developers"}
    group_auto_create: bool = False
    group_regex_filter: Any = field(default_factory=lambda: options.compile_regex(".*"))  # compiled RE2
    allowed_groups: tuple[str, ...] = ()
    user_role_field: str = ""  # "" turns site role sync off, e.g. "groups" or "roles"
    user_role_mapping: Mapping[str, list[str]] = field(default_factory=dict)  # {"coder-admins": ["template-admin"]}
    user_role_default: tuple[str, ...] = ()
    organization_field: str = ""
    organization_mapping: Mapping[str, list[str]] = field(default_factory=dict)
    organization_assign_default: bool = True
    sign_in_text: str = "OpenID Connect"
    icon_url: str = ""
    signups_disabled_text: str = ""
    redirect_allowed_hosts: tuple[str, ...] = ()
    # Options that were set explicitly (not left to their default), by env name.
    explicit: frozenset[str] = frozenset()
    unknown_options: tuple[UnknownOption, ...] = ()
    # True when the group field was empty and Coder took "groups" from the scopes.
    group_field_from_scopes: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "CoderSettings":
        """Parse options from a mapping of environment variable names to values.

        Names that do not start with ``CODER_OIDC_`` are ignored, as Coder
        ignores other programs' variables. Raises ``ConfigError`` on a value
        Coder would reject at startup.
        """
        if not isinstance(env, Mapping):
            raise TypeError(f"from_env takes a mapping of names to strings, not {type(env).__name__}")

        values: dict[str, Any] = {}
        explicit: set[str] = set()
        unknown: list[UnknownOption] = []

        for name, raw in env.items():
            if not name.startswith("CODER_OIDC_"):
                continue
            if name not in OPTIONS:
                suggestion = _closest_option(name)
                log.warning("unknown option %s (did you mean %s?)", name, suggestion)
                unknown.append(UnknownOption(name, suggestion))
                continue
            if raw is None:
                raw = ""
            if not isinstance(raw, str):
                raise ConfigError(name, repr(raw), "the value is not text", "quote the value so it is a string")
            if raw == "":
                # serpent treats an empty variable as unset.
                continue
            values[name] = raw
            explicit.add(name)

        parsed: dict[str, Any] = {}
        for name, option in OPTIONS.items():
            text = values.get(name, option.default)
            parsed[option.attribute] = _parse(name, option, text)

        for name, option in OPTIONS.items():
            if option.kind == "list":
                parsed[option.attribute] = tuple(parsed[option.attribute])

        # cli/server.go, createOIDCConfig, which runs only when a client ID is
        # set: when the scopes include "groups" and no group field is set, the
        # group field becomes "groups", before the allow-list check below.
        from_scopes = False
        if parsed["client_id"] and not parsed["group_field"] and "groups" in parsed["scopes"]:
            parsed["group_field"] = "groups"
            from_scopes = True

        if parsed["client_id"]:
            _check_combinations(parsed)

        return cls(
            **parsed,
            explicit=frozenset(explicit),
            unknown_options=tuple(unknown),
            group_field_from_scopes=from_scopes,
        )

    @classmethod
    def from_env_file(cls, path: str | PathLike) -> "CoderSettings":
        """Parse options from an env file such as ``/etc/coder.d/coder.env``."""
        try:
            with open(path, encoding="utf-8") as stream:
                env = dotenv_values(stream=stream, interpolate=False)
        except OSError as error:
            raise ConfigError("env file", str(path), f"cannot be read ({error.strerror})", "check the path") from None
        return cls.from_env(env)

    @property
    def group_sync_enabled(self) -> bool:
        return bool(self.group_field)

    @property
    def role_sync_enabled(self) -> bool:
        return bool(self.user_role_field)


def _parse(name: str, option: _Option, text: str) -> Any:
    try:
        return _PARSERS[option.kind](text)
    except ValueError as error:
        raise ConfigError(name, text, str(error), option.fix or "correct the value") from None


def _check_combinations(parsed: dict[str, Any]) -> None:
    # cli/server.go refuses to start with an allow-list but no group field,
    # because the allow-list is checked against the group claim.
    if parsed["allowed_groups"] and not parsed["group_field"]:
        raise ConfigError(
            "CODER_OIDC_ALLOWED_GROUPS",
            ",".join(parsed["allowed_groups"]),
            "an allow-list needs a group claim to check",
            "set CODER_OIDC_GROUP_FIELD to the claim that holds the groups",
        )
    # Coder's error text asks for 'false', but the check needs ignore-userinfo set to true.
    if parsed["access_token_claims"] and not parsed["ignore_userinfo"]:
        raise ConfigError(
            "CODER_OIDC_ACCESS_TOKEN_CLAIMS",
            "true",
            "reading claims from the access token needs CODER_OIDC_IGNORE_USERINFO=true",
            "set CODER_OIDC_IGNORE_USERINFO=true, or remove CODER_OIDC_ACCESS_TOKEN_CLAIMS",
        )
    if parsed["client_secret"] and parsed["client_key_file"]:
        raise ConfigError(
            "CODER_OIDC_CLIENT_KEY_FILE",
            parsed["client_key_file"],
            "a client secret and a client key file are both set",
            "set only one of CODER_OIDC_CLIENT_SECRET and CODER_OIDC_CLIENT_KEY_FILE",
        )


def _closest_option(name: str) -> str | None:
    matches = difflib.get_close_matches(name, OPTIONS, n=1, cutoff=0.6)
    return matches[0] if matches else None
