"""Run one sign-in through the model: Coder's checks, then group and site role sync."""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .coder.claims import merge_claims
from .coder.groups import check_allowed_groups, sync_groups
from .coder.login import check_login
from .coder.roles import sync_site_roles
from .coder.settings import CoderSettings
from .coder.trace import LoginError, TraceEntry
from .diagnose import Diagnostic, diagnose

__all__ = ["SyncResult", "sync_user"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncResult:
    """The outcome of one sign-in: verdict, groups, site roles, traces and diagnostics."""

    login_allowed: bool
    login_error: LoginError | None
    groups: list[str] | None  # sorted, without Everyone; None when group sync is off or leaves groups unchanged
    group_sync: str  # "applied", "unchanged" or "off"
    created_groups: list[str]
    site_roles: list[str] | None  # sorted, without the implicit "member"; None when role sync is off
    role_sync: str  # "applied" or "off"
    group_trace: list[TraceEntry] = field(default_factory=list)
    role_trace: list[TraceEntry] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    claims: dict[str, Any] = field(default_factory=dict)  # the merged claims every step read

    def codes(self) -> list[str]:
        """Return the diagnostic codes, in report order."""
        return [item.code for item in self.diagnostics]


def sync_user(
    settings: CoderSettings,
    id_token: Mapping[str, Any],
    userinfo: Mapping[str, Any] | None = None,
    coder_groups: Iterable[str] = (),
) -> SyncResult:
    """Compute the sign-in verdict, groups, site roles and diagnostics for one user.

    ``id_token`` is the decoded ID token claims. ``userinfo`` is the /userinfo
    response, or None when Coder gets none. ``coder_groups`` are the groups
    that exist in Coder's default organization before the sign-in.
    """
    if isinstance(coder_groups, str):
        raise TypeError("coder_groups takes a list of group names, not one string")

    if not isinstance(id_token, Mapping):
        # Coder decodes the ID token payload into a JSON object; anything else fails with HTTP 400.
        return _rejected(settings, LoginError(500, "Failed to extract OIDC claims.", f"the ID token payload is {type(id_token).__name__}, not a JSON object"))
    if userinfo is not None and not isinstance(userinfo, Mapping):
        # A /userinfo response Coder cannot decode fails the sign-in with HTTP 500.
        return _rejected(settings, LoginError(500, "Failed to unmarshal user info claims.", f"the /userinfo response is {type(userinfo).__name__}, not a JSON object"))

    id_token = dict(id_token)
    userinfo = dict(userinfo) if userinfo is not None else None
    if userinfo is not None and not settings.ignore_userinfo:
        problem = _userinfo_decode_problem(userinfo)
        if problem:
            return _rejected(settings, LoginError(
                500, "Failed to obtain user information claims.",
                f"The attempt to fetch claims via the UserInfo endpoint failed: oidc: failed to decode userinfo: {problem}",
            ))
    merged = merge_claims(id_token, userinfo, settings.ignore_userinfo)

    # Coder's order: sign-in checks, then the group parse with the allow-list,
    # then the role parse; each can end the sign-in before any change is made.
    error = check_login(settings, id_token, merged.claims)
    error_code = None
    if error is not None:
        error_code = "login-rejected"
        if error.title.startswith("Verify the"):
            error_code = "email-not-verified"
    else:
        error = check_allowed_groups(settings, merged.claims)
        if error is not None:
            # A 400 here means the claim could not be parsed, not that no group matched.
            error_code = "allowed-groups-no-match" if error.status == 403 else "login-rejected"

    groups = sync_groups(settings, merged, coder_groups)
    roles = sync_site_roles(settings, merged)
    if error is None and roles.login_error is not None:
        error = roles.login_error

    diagnostics = diagnose(settings, id_token, userinfo, merged, groups, roles, error_code, str(error) if error_code else None)

    if error is not None:
        log.debug("sign-in rejected: %s", error)
        return SyncResult(
            login_allowed=False, login_error=error,
            groups=None, group_sync="unchanged" if settings.group_sync_enabled else "off", created_groups=[],
            site_roles=None, role_sync="off" if roles.status == "off" else "applied",
            # A rejected sign-in changes nothing, so no claim value has an outcome.
            group_trace=[], role_trace=[],
            diagnostics=diagnostics, claims=merged.claims,
        )

    return SyncResult(
        login_allowed=True, login_error=None,
        groups=groups.groups, group_sync=groups.status, created_groups=groups.created,
        site_roles=roles.roles, role_sync=roles.status,
        group_trace=groups.trace, role_trace=roles.trace,
        diagnostics=diagnostics, claims=merged.claims,
    )


def _userinfo_decode_problem(userinfo: dict[str, Any]) -> str | None:
    # go-oidc decodes /userinfo into a struct before Coder reads it: sub,
    # profile and email must be strings, and email_verified a boolean or the
    # string "true" or "false". Any other type fails with "oidc: failed to
    # decode userinfo", to which Coder responds with HTTP 500 (userInfoClaims).
    for name in ("sub", "profile", "email"):
        if name in userinfo and userinfo[name] is not None and not isinstance(userinfo[name], str):
            return f"the /userinfo {name!r} is {userinfo[name]!r}, not a string"
    verified = userinfo.get("email_verified")
    if verified is not None and not isinstance(verified, bool) and verified not in ("true", "false"):
        return f"the /userinfo 'email_verified' is {verified!r}, not true or false"
    return None


def _rejected(settings: CoderSettings, error: LoginError) -> SyncResult:
    return SyncResult(
        login_allowed=False, login_error=error,
        groups=None, group_sync="unchanged" if settings.group_sync_enabled else "off", created_groups=[],
        site_roles=None, role_sync="off",
        diagnostics=[Diagnostic("login-rejected", "error", f"Coder rejects the sign-in: {error}", "send the claims as a JSON object")],
    )
