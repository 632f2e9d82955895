"""Group sync and the allowed-groups check: the Coder groups a user ends in.

The model covers the default organization configured by environment
variables (CODER_OIDC_GROUP_FIELD, _GROUP_MAPPING, _GROUP_REGEX_FILTER,
_GROUP_AUTO_CREATE, _ALLOWED_GROUPS), which is how Coder applies them when no
runtime group sync settings were saved for that organization
(coderd/idpsync/group.go, AGPLIDPSync.GroupSyncSettings).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .claims import ClaimError, MergedClaims, parse_string_list_claim
from .settings import CoderSettings
from .trace import LoginError, TraceEntry

__all__ = ["EVERYONE", "GroupSyncResult", "sync_groups", "check_allowed_groups"]

# Every organization has a group named Everyone that contains all its members,
# and group sync always keeps the user in it.
EVERYONE = "Everyone"

ALLOW_LIST_TITLE = "Not a member of an allowed group"
ALLOW_LIST_PARSE_TITLE = "Failed read groups from claims for allow list check. Ask an administrator for help."


@dataclass(frozen=True)
class GroupSyncResult:
    """Outcome of group sync for the default organization."""

    status: str  # "applied", "unchanged" (claim malformed) or "off" (no group field)
    groups: list[str] | None  # sorted final groups without Everyone; None unless applied
    created: list[str] = field(default_factory=list)  # groups auto-created at this sign-in
    trace: list[TraceEntry] = field(default_factory=list)
    claim_present: bool = False
    claim_values: list[str] = field(default_factory=list)
    parse_error: str | None = None


def sync_groups(settings: CoderSettings, claims: MergedClaims, coder_groups: Iterable[str]) -> GroupSyncResult:
    """Compute the groups the user belongs to after sign-in."""
    if not settings.group_sync_enabled:
        return GroupSyncResult(status="off", groups=None)

    existing = set(coder_groups)
    present = settings.group_field in claims.claims

    # A missing claim means "no groups": Coder removes every group but Everyone
    # (coderd/idpsync/group.go, ParseClaims returns an empty expected set).
    try:
        values = parse_string_list_claim(claims.claims.get(settings.group_field))
    except ClaimError as error:
        # Coder logs the parse error and leaves this organization's groups as they are.
        return GroupSyncResult(status="unchanged", groups=None, claim_present=True, parse_error=str(error))

    trace: list[TraceEntry] = []
    joined: set[str] = set()
    created: set[str] = set()

    for value in values:
        entry, name = _follow_value(settings, value, existing | created)
        if name is not None and name not in existing and name != EVERYONE:
            created.add(name)
        if name is not None and name != EVERYONE:
            joined.add(name)
        trace.append(entry)

    return GroupSyncResult(
        status="applied",
        groups=sorted(joined),
        created=sorted(created),
        trace=trace,
        claim_present=present,
        claim_values=values,
    )


def _follow_value(settings: CoderSettings, value: str, existing: set[str]) -> tuple[TraceEntry, str | None]:
    steps: list[str] = []
    name = value

    # The legacy name mapping renames a value before the regex filter tests it.
    if value in settings.group_mapping:
        name = settings.group_mapping[value]
        steps.append(f"renamed to {name!r} by CODER_OIDC_GROUP_MAPPING")

    # Coder tests the filter with Go's unanchored MatchString, so it searches
    # anywhere in the name: "coder" keeps "team-coder-dev".
    if not settings.group_regex_filter.search(name):
        steps.append(f"does not match CODER_OIDC_GROUP_REGEX_FILTER {settings.group_regex_filter.pattern!r}")
        return TraceEntry(value, "filtered-out", None, "; ".join(steps)), None

    if name == EVERYONE:
        steps.append("is Coder's Everyone group, which every member keeps anyway")
        return TraceEntry(value, "everyone", EVERYONE, "; ".join(steps)), EVERYONE

    # Names pass through and match an existing Coder group by exact,
    # case-sensitive name (HandleMissingGroups looks groups up by name).
    if name in existing:
        steps.append(f"joined Coder group {name!r}")
        return TraceEntry(value, "joined", name, "; ".join(steps)), name

    if settings.group_auto_create:
        # NOTE: Coder inserts missing names without validating them; whether an
        # empty name ("") really creates a group was not confirmed in Coder's source.
        steps.append(f"created Coder group {name!r} (CODER_OIDC_GROUP_AUTO_CREATE) and joined it")
        return TraceEntry(value, "created", name, "; ".join(steps)), name

    steps.append(
        f"no Coder group is named {name!r}, so it is dropped; create the group in Coder "
        "or set CODER_OIDC_GROUP_AUTO_CREATE=true"
    )
    return TraceEntry(value, "no-such-group", None, "; ".join(steps)), None


def check_allowed_groups(settings: CoderSettings, claims: dict[str, Any]) -> LoginError | None:
    """Apply CODER_OIDC_ALLOWED_GROUPS, as enterprise/coderd/enidpsync/groups.go does.

    The check reads the raw claim values: no name mapping, no regex filter,
    and an exact, case-sensitive comparison. One allowed group is enough.
    """
    if not settings.allowed_groups or not settings.group_field:
        return None

    if settings.group_field not in claims:
        return LoginError(403, ALLOW_LIST_TITLE, "You have no groups in your claims!")

    try:
        values = parse_string_list_claim(claims[settings.group_field])
    except ClaimError as error:
        return LoginError(400, ALLOW_LIST_PARSE_TITLE, str(error))

    if set(values) & set(settings.allowed_groups):
        return None
    return LoginError(403, ALLOW_LIST_TITLE, "Ask an administrator to add one of your groups to the allow list.")
