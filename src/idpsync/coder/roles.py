"""Site role sync: the site roles a user gets at sign-in.

Site role sync is on when CODER_OIDC_USER_ROLE_FIELD is set
(enterprise/coderd/enidpsync/role.go, SiteRoleSyncEnabled). The result
replaces the user's site roles at every sign-in (coderd/idpsync/role.go).
"""

from dataclasses import dataclass, field

from .claims import ClaimError, MergedClaims, go_type, parse_string_list_claim
from .settings import CoderSettings
from .trace import LoginError, TraceEntry

__all__ = ["SITE_ROLES", "IMPLICIT_ROLE", "RoleSyncResult", "sync_site_roles"]

# Built-in site roles (codersdk/rbacroles.go). Any other name, including the
# organization roles such as "organization-admin", is dropped by site role sync.
SITE_ROLES = frozenset({"owner", "member", "template-admin", "user-admin", "auditor"})

# Every user has "member"; it is never stored as a synced role.
IMPLICIT_ROLE = "member"

ROLE_CLAIM_ERROR = LoginError(500, "Login disabled until site wide OIDC config is fixed", "")


@dataclass(frozen=True)
class RoleSyncResult:
    """Outcome of site role sync."""

    status: str  # "applied" or "off"
    roles: list[str] | None  # sorted site roles without "member"; None when off
    trace: list[TraceEntry] = field(default_factory=list)
    claim_present: bool = False
    claim_values: list[str] = field(default_factory=list)
    login_error: LoginError | None = None  # set when the role claim is malformed
    parse_error: str | None = None


def sync_site_roles(settings: CoderSettings, claims: MergedClaims) -> RoleSyncResult:
    """Compute the site roles the user has after sign-in."""
    if not settings.role_sync_enabled:
        return RoleSyncResult(status="off", roles=None)

    present = settings.user_role_field in claims.claims

    # A missing claim counts as no roles, so only the defaults apply.
    try:
        values = parse_string_list_claim(claims.claims.get(settings.user_role_field))
    except ClaimError as error:
        # A malformed role claim blocks the sign-in (ParseRoleClaims returns HTTP 500).
        detail = (
            f"Roles claim must be an array of strings, type found: {go_type(claims.claims.get(settings.user_role_field))}. "
            "Disabling role sync will allow login to proceed."
        )
        return RoleSyncResult(
            status="off", roles=None, claim_present=True,
            login_error=LoginError(ROLE_CLAIM_ERROR.status, ROLE_CLAIM_ERROR.title, detail),
            parse_error=str(error),
        )

    trace: list[TraceEntry] = []
    wanted: list[tuple[str, str]] = [(role, "CODER_OIDC_USER_ROLE_DEFAULT") for role in settings.user_role_default]

    for value in values:
        # A mapped value adds only its targets; the value itself is not added.
        if value in settings.user_role_mapping:
            targets = settings.user_role_mapping[value]
            if not targets:
                trace.append(TraceEntry(value, "ignored", None, "mapped to an empty list by CODER_OIDC_USER_ROLE_MAPPING, so it adds nothing"))
                continue
            for target in targets:
                wanted.append((target, f"claim value {value!r} via CODER_OIDC_USER_ROLE_MAPPING"))
            trace.append(_mapped_entry(value, targets))
            continue

        # An unmapped value passes through as a role name.
        wanted.append((value, f"claim value {value!r}"))
        trace.append(_passthrough_entry(value))

    roles = set()
    for role, _origin in wanted:
        # Coder validates each name with rbac.RoleByName and silently drops
        # unknown names and organization roles.
        if role in SITE_ROLES and role != IMPLICIT_ROLE:
            roles.add(role)

    return RoleSyncResult(status="applied", roles=sorted(roles), trace=trace, claim_present=present, claim_values=values)


def _mapped_entry(value: str, targets: list[str]) -> TraceEntry:
    kept = [role for role in targets if role in SITE_ROLES]
    dropped = [role for role in targets if role not in SITE_ROLES]
    detail = f"mapped by CODER_OIDC_USER_ROLE_MAPPING to {', '.join(targets)}"
    if dropped:
        detail += f"; {', '.join(dropped)} {'is' if len(dropped) == 1 else 'are'} not a site role and dropped"
    outcome = "mapped" if kept else "dropped"
    return TraceEntry(value, outcome, ", ".join(kept) or None, detail)


def _passthrough_entry(value: str) -> TraceEntry:
    if value == IMPLICIT_ROLE:
        return TraceEntry(value, "implicit", IMPLICIT_ROLE, "'member' is implicit: every user has it")
    if value in SITE_ROLES:
        return TraceEntry(value, "passed-through", value, f"is the site role {value!r}")
    return TraceEntry(
        value, "dropped", None,
        "not a site role and not a key of CODER_OIDC_USER_ROLE_MAPPING, so Coder drops it",
    )
