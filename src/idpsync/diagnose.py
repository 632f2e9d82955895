"""Turn settings and claims into diagnostics: a stable code, a severity, what is wrong and the fix.

Severity "error" means Coder rejects the sign-in, or the configuration does
something the administrator cannot have meant. "warning" means Coder goes on,
but the result is probably not what was intended. "info" explains a result.
"""

from dataclasses import dataclass
from typing import Any

from .coder.claims import MergedClaims
from .coder.groups import GroupSyncResult
from .coder.roles import IMPLICIT_ROLE, SITE_ROLES, RoleSyncResult
from .coder.settings import CoderSettings
from .okta import OIDC_SCOPES, classify_issuer

__all__ = ["Diagnostic", "CODES", "FIXES", "MEANINGS", "diagnose"]

# Every diagnostic code, with what it means; the reference page renders this table.
MEANINGS = {
    "offline-access-missing": (
        "`CODER_OIDC_SCOPES` lacks `offline_access`, so Okta issues no refresh token and users are signed out when the access token expires, about every hour."
    ),
    "groups-scope-missing": (
        "Coder reads a claim named `groups` from Okta's org authorization server, but `CODER_OIDC_SCOPES` does not request the `groups` scope, without which that server leaves the claim out."
    ),
    "group-claim-missing": (
        "`CODER_OIDC_GROUP_FIELD` names a claim that neither the ID token nor /userinfo has, so Coder removes the user from every group except `Everyone`."
    ),
    "role-claim-missing": (
        "`CODER_OIDC_USER_ROLE_FIELD` names a claim that neither the ID token nor /userinfo has, so only `CODER_OIDC_USER_ROLE_DEFAULT` applies."
    ),
    "claim-not-a-list": (
        "The group or role claim is neither an array of strings nor a single string, for example a number, an object or an array with a number in it."
    ),
    "claim-is-comma-string": (
        "The group or role claim is one string with commas in it, which Coder rejects instead of splitting."
    ),
    "claim-only-in-userinfo-but-ignored": (
        "The claim is only in the /userinfo response, but `CODER_OIDC_IGNORE_USERINFO=true` stops Coder from reading /userinfo."
    ),
    "claim-name-case-mismatch": (
        "The token has the claim under a name that differs from the setting only in case; claim names are case-sensitive."
    ),
    "custom-scope-on-org-server": (
        "`CODER_OIDC_SCOPES` requests a scope that is not a standard one, but the issuer is Okta's org authorization server, which has no custom scopes."
    ),
    "unknown-site-role": (
        "`CODER_OIDC_USER_ROLE_MAPPING` or `CODER_OIDC_USER_ROLE_DEFAULT` names a role that is not a Coder site role, so Coder drops it."
    ),
    "unknown-option": (
        "A `CODER_OIDC_*` variable is not a Coder option, often a misspelling; Coder ignores it."
    ),
    "regex-filter-drops-all": (
        "`CODER_OIDC_GROUP_REGEX_FILTER` rejects every value of the group claim, so the user ends in no group."
    ),
    "mapped-group-missing-in-coder": (
        "A group value passed the filter, but no Coder group has that name and auto-create is off, so Coder drops it."
    ),
    "allowed-groups-no-match": (
        "None of the user's group claim values is in `CODER_OIDC_ALLOWED_GROUPS`, so Coder rejects the sign-in."
    ),
    "email-not-verified": (
        "The merged `email_verified` claim is the boolean `false`, so Coder rejects the sign-in."
    ),
    "too-many-groups": (
        "The group claim holds 100 groups or more; Okta fails the sign-in when more than 100 groups match its filter."
    ),
    "list-item-whitespace": (
        "A list option has items with spaces around them; Coder keeps the spaces, so those items match nothing."
    ),
    "login-rejected": (
        "Coder rejects the sign-in for another reason, such as a missing `sub` or email claim, an email domain not in `CODER_OIDC_EMAIL_DOMAIN`, or a group claim that the allow-list check cannot read."
    ),
    "custom-scope-must-exist": (
        "The issuer is a custom authorization server, and each scope that is not a standard one, `groups` included, must exist on it, or Okta answers `invalid_scope`."
    ),
}
CODES = frozenset(MEANINGS)

# The usual fix for each code; a diagnostic's own fix names the values involved.
FIXES = {
    "offline-access-missing": "Add offline_access to CODER_OIDC_SCOPES, allow the Refresh Token grant type on the Okta app, restart Coder, and have every user sign out and in once.",
    "groups-scope-missing": "Add groups to CODER_OIDC_SCOPES.",
    "group-claim-missing": "Check the groups claim filter and the user's groups in Okta, the authorization server the claim is set up on, and the claim name.",
    "role-claim-missing": "Check that Okta sends the claim CODER_OIDC_USER_ROLE_FIELD names for this user, in the ID token or /userinfo.",
    "claim-not-a-list": "Make Okta send the claim as a JSON array of strings: a Groups claim, a string array attribute, or an expression that returns a list.",
    "claim-is-comma-string": "Send a JSON array instead of a joined string, for example by dropping Arrays.toCsvString from the claim expression.",
    "claim-only-in-userinfo-but-ignored": "Set CODER_OIDC_IGNORE_USERINFO=false, or have Okta put the claim in the ID token.",
    "claim-name-case-mismatch": "Rename the claim in Okta, or set the Coder option to the claim name exactly as Okta sends it.",
    "custom-scope-on-org-server": "Create the scope on a custom authorization server and set CODER_OIDC_ISSUER_URL to its issuer, or remove the scope.",
    "unknown-site-role": "Map to owner, template-admin, user-admin or auditor; organization roles need runtime organization sync settings.",
    "unknown-option": "Rename the variable to the Coder option it was meant to be, or remove it.",
    "regex-filter-drops-all": "Loosen CODER_OIDC_GROUP_REGEX_FILTER; it is an unanchored RE2 search.",
    "mapped-group-missing-in-coder": "Create the group in Coder, set CODER_OIDC_GROUP_AUTO_CREATE=true, or stop Okta from sending the value.",
    "allowed-groups-no-match": "Add one of the user's groups to CODER_OIDC_ALLOWED_GROUPS, or assign the user to an allowed group in Okta.",
    "email-not-verified": "Verify the user's primary email address in Okta, or set CODER_OIDC_IGNORE_EMAIL_VERIFIED=true.",
    "too-many-groups": "Narrow the groups claim filter in Okta, for example to a prefix such as coder-.",
    "list-item-whitespace": "Remove the spaces after the commas.",
    "login-rejected": "Correct the claim or setting the message names.",
    "custom-scope-must-exist": "Check Scopes on the authorization server and add any scope Coder requests that is missing.",
}

# Okta returns at most 100 groups in a groups claim and fails the request above that.
OKTA_GROUP_LIMIT = 100


@dataclass(frozen=True)
class Diagnostic:
    """One finding, e.g. ``Diagnostic("offline-access-missing", "warning", "...", "...")``."""

    code: str
    severity: str  # "error", "warning" or "info"
    message: str
    fix: str = ""

    def __post_init__(self):
        if self.code not in CODES:
            raise ValueError(f"unknown diagnostic code {self.code!r}")


def diagnose(
    settings: CoderSettings,
    id_token: dict[str, Any],
    userinfo: dict[str, Any] | None,
    merged: MergedClaims,
    groups: GroupSyncResult,
    roles: RoleSyncResult,
    login_error_code: str | None,
    login_error_text: str | None,
) -> list[Diagnostic]:
    """Run every check and return the findings, errors first."""
    found: list[Diagnostic] = []
    found += _check_options(settings)
    found += _check_scopes(settings)
    found += _check_roles_config(settings)
    if settings.group_sync_enabled:
        found += _check_claim(settings, "CODER_OIDC_GROUP_FIELD", settings.group_field, id_token, userinfo, merged, groups.parse_error, "group")
        found += _check_group_result(settings, groups)
    if settings.role_sync_enabled:
        found += _check_claim(settings, "CODER_OIDC_USER_ROLE_FIELD", settings.user_role_field, id_token, userinfo, merged, roles.parse_error, "role")
    if login_error_code:
        found.append(Diagnostic(login_error_code, "error", f"Coder rejects the sign-in: {login_error_text}", _LOGIN_FIXES.get(login_error_code, "")))

    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(found, key=lambda item: order[item.severity])


_LOGIN_FIXES = {
    "email-not-verified": "verify the user's primary email in Okta, or set CODER_OIDC_IGNORE_EMAIL_VERIFIED=true",
    "allowed-groups-no-match": "add one of the user's groups to CODER_OIDC_ALLOWED_GROUPS, or assign the user to an allowed group in Okta",
    "login-rejected": "correct the claim or setting the message names",
}


def _check_options(settings: CoderSettings) -> list[Diagnostic]:
    found = []
    for unknown in settings.unknown_options:
        hint = f"rename it to {unknown.suggestion}" if unknown.suggestion else "remove it; see the list of CODER_OIDC_* options"
        found.append(Diagnostic(
            "unknown-option", "error",
            f"{unknown.name} is not a Coder option, so Coder ignores it",
            hint,
        ))
    lists = {
        "CODER_OIDC_SCOPES": settings.scopes,
        "CODER_OIDC_ALLOWED_GROUPS": settings.allowed_groups,
        "CODER_OIDC_USER_ROLE_DEFAULT": settings.user_role_default,
        "CODER_OIDC_EMAIL_DOMAIN": settings.email_domain,
    }
    for name, items in lists.items():
        padded = [item for item in items if item != item.strip()]
        if padded:
            found.append(Diagnostic(
                "list-item-whitespace", "warning",
                f"{name} has items with spaces around them ({', '.join(repr(item) for item in padded)}); "
                "Coder keeps the spaces, so these items match nothing",
                f"remove the spaces after the commas in {name}",
            ))
    return found


def _check_scopes(settings: CoderSettings) -> list[Diagnostic]:
    found = []
    scopes = set(settings.scopes)
    server = classify_issuer(settings.issuer_url) if settings.issuer_url else None

    # Since Coder v2.23.0 a session ends when Okta's access token expires
    # (one hour by default) unless Coder has a refresh token, and Okta
    # issues one only when offline_access is requested.
    if "offline_access" not in scopes:
        found.append(Diagnostic(
            "offline-access-missing", "warning",
            "CODER_OIDC_SCOPES lacks offline_access, so Okta issues no refresh token and users are signed out "
            "about every hour",
            "add offline_access to CODER_OIDC_SCOPES, allow the Refresh Token grant type on the Okta app, "
            "restart Coder, and have users sign out and in once",
        ))

    # The org server puts the Sign On tab's groups claim in tokens only when
    # the groups scope is requested.
    reads_groups = "groups" in (settings.group_field, settings.user_role_field)
    if reads_groups and "groups" not in scopes and (server is None or server.is_org):
        found.append(Diagnostic(
            "groups-scope-missing", "warning",
            "Coder reads the groups claim, but CODER_OIDC_SCOPES does not request the groups scope, "
            "so Okta's org authorization server leaves the claim out",
            "add groups to CODER_OIDC_SCOPES",
        ))

    # A custom authorization server accepts only the scopes created on it, and
    # Okta's servers do not create a groups scope by themselves.
    if server is not None and server.is_custom:
        needed = sorted(scope for scope in scopes if scope not in OIDC_SCOPES or scope == "groups")
        if needed:
            found.append(Diagnostic(
                "custom-scope-must-exist", "info",
                f"the authorization server {server.server_id!r} must have the scope{'s' if len(needed) > 1 else ''} "
                f"{', '.join(needed)} under Scopes, or Okta answers invalid_scope "
                "(\"One or more scopes are not configured for the authorization server resource.\")",
                "check Security → API → Authorization Servers → the server → Scopes",
            ))

    if server is not None and server.is_org:
        custom = sorted(scopes - OIDC_SCOPES)
        if custom:
            found.append(Diagnostic(
                "custom-scope-on-org-server", "error",
                f"CODER_OIDC_SCOPES asks for {', '.join(custom)}, but the issuer {settings.issuer_url} is Okta's "
                "org authorization server, which has no custom scopes; Okta answers invalid_scope",
                "create the scope on a custom authorization server and set CODER_OIDC_ISSUER_URL to that "
                "server's issuer, or remove the scope",
            ))
    return found


def _check_roles_config(settings: CoderSettings) -> list[Diagnostic]:
    found = []
    for key, targets in settings.user_role_mapping.items():
        for target in targets:
            if target not in SITE_ROLES:
                found.append(Diagnostic(
                    "unknown-site-role", "error",
                    f"CODER_OIDC_USER_ROLE_MAPPING maps {key!r} to {target!r}, which is not a Coder site role, "
                    "so Coder drops it",
                    f"use one of {', '.join(sorted(SITE_ROLES - {IMPLICIT_ROLE}))}",
                ))
    for role in settings.user_role_default:
        if role not in SITE_ROLES:
            found.append(Diagnostic(
                "unknown-site-role", "error",
                f"CODER_OIDC_USER_ROLE_DEFAULT lists {role!r}, which is not a Coder site role, so Coder drops it",
                f"use one of {', '.join(sorted(SITE_ROLES - {IMPLICIT_ROLE}))}",
            ))
    return found


def _check_claim(settings, option, claim, id_token, userinfo, merged: MergedClaims, parse_error, kind) -> list[Diagnostic]:
    found = []
    claims = merged.claims

    if parse_error is not None:
        value = claims.get(claim)
        consequence = (
            "group sync skips the claim and leaves the user's groups unchanged" if kind == "group"
            else "Coder rejects every sign-in with HTTP 500 until it is fixed"
        )
        if isinstance(value, str) and "," in value:
            found.append(Diagnostic(
                "claim-is-comma-string", "error",
                f"the {claim!r} claim is the comma-separated string {value!r}; {consequence}",
                "make Okta send a JSON array of strings (a string array attribute or a Groups claim), not a joined string",
            ))
        else:
            found.append(Diagnostic(
                "claim-not-a-list", "error",
                f"the {claim!r} claim cannot be read as a list of strings ({parse_error}); {consequence}",
                "make Okta send a JSON array of strings",
            ))
        return found

    if claim in claims:
        return found

    # The claim is missing: find out why before saying what Coder does.
    consequence = (
        "the user is removed from every group except Everyone" if kind == "group"
        else "only CODER_OIDC_USER_ROLE_DEFAULT applies"
    )
    code = "group-claim-missing" if kind == "group" else "role-claim-missing"

    if settings.ignore_userinfo and userinfo is not None and claim in userinfo:
        found.append(Diagnostic(
            "claim-only-in-userinfo-but-ignored", "error",
            f"the {claim!r} claim is only in the /userinfo response, but CODER_OIDC_IGNORE_USERINFO=true "
            f"stops Coder from reading it; {consequence}",
            "set CODER_OIDC_IGNORE_USERINFO=false (the default), or have Okta put the claim in the ID token",
        ))
        return found

    near = sorted(name for name in claims if name.lower() == claim.lower())
    if near:
        found.append(Diagnostic(
            "claim-name-case-mismatch", "error",
            f"{option}={claim!r}, but the token has {', '.join(repr(name) for name in near)}; claim names are "
            f"case-sensitive, so Coder finds no {claim!r} claim and {consequence}",
            f"rename the claim in Okta to {claim!r}, or set {option}={near[0]}",
        ))
        return found

    found.append(Diagnostic(
        code, "warning",
        f"no {claim!r} claim in the ID token{'' if settings.ignore_userinfo or userinfo is None else ' or /userinfo'}, "
        f"so {consequence}",
        _missing_claim_fix(settings, claim, kind),
    ))
    return found


def _missing_claim_fix(settings: CoderSettings, claim: str, kind: str) -> str:
    server = classify_issuer(settings.issuer_url) if settings.issuer_url else None
    if server is not None and server.is_custom:
        return (
            f"add a {claim!r} claim on the authorization server {server.server_id!r} (a Sign On tab groups claim "
            "does not reach custom authorization servers), include it in the ID token Always, and request its scope"
        )
    if kind == "group":
        return (
            "Okta leaves the groups claim out when the user is in no group that the claim's filter matches: "
            "check the filter on the app's Sign On tab and the user's groups"
        )
    return f"check that Okta sends a {claim!r} claim for this user"


def _check_group_result(settings: CoderSettings, groups: GroupSyncResult) -> list[Diagnostic]:
    found = []
    if groups.status != "applied":
        return found

    if len(groups.claim_values) >= OKTA_GROUP_LIMIT:
        found.append(Diagnostic(
            "too-many-groups", "warning",
            f"the group claim holds {len(groups.claim_values)} groups; Okta fails the sign-in "
            f"(server_error) when more than {OKTA_GROUP_LIMIT} groups match",
            "narrow the groups claim filter in Okta, for example to a prefix such as coder-",
        ))

    filtered = [entry for entry in groups.trace if entry.outcome == "filtered-out"]
    if groups.trace and len(filtered) == len(groups.trace):
        found.append(Diagnostic(
            "regex-filter-drops-all", "warning",
            f"CODER_OIDC_GROUP_REGEX_FILTER {settings.group_regex_filter.pattern!r} removes every group in the claim, "
            "so the user ends in no group",
            "loosen the filter; it is an unanchored RE2 search, so ^ and $ are needed to match whole names",
        ))

    missing = [entry for entry in groups.trace if entry.outcome == "no-such-group"]
    for entry in missing:
        renamed = entry.value in settings.group_mapping
        name = settings.group_mapping.get(entry.value, entry.value)
        what = f"{entry.value!r} (renamed to {name!r})" if renamed else repr(name)
        found.append(Diagnostic(
            "mapped-group-missing-in-coder", "info" if not renamed else "warning",
            f"group {what} passed the filter, but Coder has no group named {name!r}, so it is dropped",
            f"create the group {name!r} in Coder, set CODER_OIDC_GROUP_AUTO_CREATE=true, "
            "or tighten the filter so the value is not sent",
        ))
    return found
