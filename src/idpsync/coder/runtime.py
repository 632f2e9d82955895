"""Runtime group sync and organization role sync: per-organization settings stored in Coder's database.

Premium deployments with several organizations configure IdP sync for each
organization at runtime, with the dashboard, ``coder organizations settings
set group-sync`` / ``role-sync`` or
``PATCH /api/v2/organizations/{organization}/settings/idpsync/groups`` and
``.../roles``, instead of through ``CODER_OIDC_*`` variables. This module
evaluates those settings at one sign-in, for every organization the user is
a member of.

Sources in github.com/coder/coder: codersdk/idpsync.go (the JSON documents),
coderd/idpsync/group.go (AGPLIDPSync.GroupSyncSettings, SyncGroups,
GroupSyncSettings.ParseClaims, HandleMissingGroups, ApplyGroupDifference),
coderd/idpsync/role.go (SyncRoles, RolesFromClaim) and
coderd/rbac/rolestore/rolestore.go (Expand).
"""

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .claims import ClaimError, parse_string_list_claim
from .runtime_settings import GroupSyncSettings, RoleSyncSettings, RuntimeSettingsError
from .settings import CoderSettings
from .trace import TraceEntry

__all__ = [
    "EVERYONE",
    "ORGANIZATION_MEMBER",
    "ORGANIZATION_ROLES",
    "Group",
    "GroupSyncSettings",
    "Membership",
    "Organization",
    "OrganizationSyncResult",
    "RoleSyncSettings",
    "RuntimeSettingsError",
    "resolve_group_settings",
    "sync_organizations",
]

# Every organization has a group named Everyone whose ID is the organization's
# ID. Every member is in it, and group sync never removes it.
EVERYONE = "Everyone"

# Every member has this role implicitly. Role sync leaves it out of both the
# expected and the current roles before comparing them (SyncRoles).
ORGANIZATION_MEMBER = "organization-member"

# Built-in organization roles (codersdk/rbacroles.go). Role sync also accepts
# the custom roles of the organization, and drops every other name.
# NOTE: the newest codersdk/rbacroles.go also lists organization-workspace-access;
# the model drops it, as releases without that role do.
ORGANIZATION_ROLES = frozenset({
    "organization-admin",
    ORGANIZATION_MEMBER,
    "organization-auditor",
    "organization-template-admin",
    "organization-user-admin",
    "organization-workspace-creation-ban",
})


@dataclass(frozen=True)
class Group:
    """A Coder group of one organization, e.g. ``Group("5f1c…", "data-engineers")``."""

    id: str
    name: str


@dataclass(frozen=True)
class Organization:
    """A Coder organization with its groups, custom roles and saved runtime settings."""

    id: str
    name: str
    default: bool = False
    groups: tuple[Group, ...] = ()  # without Everyone
    custom_roles: frozenset[str] = frozenset()
    group_sync: GroupSyncSettings | None = None  # None: no runtime settings were saved
    role_sync: RoleSyncSettings | None = None


@dataclass(frozen=True)
class Membership:
    """The user's state in one organization before the sign-in."""

    organization_id: str
    group_ids: frozenset[str] = frozenset()  # without Everyone
    roles: tuple[str, ...] = ()  # without the implicit organization-member


@dataclass(frozen=True)
class OrganizationSyncResult:
    """The outcome of group sync and role sync in one organization."""

    organization: Organization
    group_settings_source: str  # "runtime", "environment" (default organization fallback) or "none"
    group_sync: str  # "applied", "unchanged" (claim malformed) or "off" (no field)
    groups_before: list[str]  # sorted group names, without Everyone
    groups: list[str]  # after the sign-in
    created_groups: list[str]
    group_trace: list[TraceEntry]
    role_sync: str  # "applied", "unchanged" or "off"
    roles_before: list[str]  # sorted, without organization-member
    roles: list[str]
    role_trace: list[TraceEntry]
    parse_errors: list[str] = dataclasses.field(default_factory=list)


def resolve_group_settings(organization: Organization, deployment: CoderSettings | None) -> tuple[GroupSyncSettings, str]:
    """Return the group sync settings Coder uses for an organization, and where they came from.

    Saved runtime settings always win. Without them, the default organization
    takes CODER_OIDC_GROUP_FIELD, _MAPPING, _REGEX_FILTER and _AUTO_CREATE
    from the environment when CODER_OIDC_GROUP_FIELD is set. Every other
    organization gets empty settings, which leave its groups alone.
    """
    if organization.group_sync is not None:
        return organization.group_sync, "runtime"
    if organization.default and deployment is not None and deployment.group_field:
        return GroupSyncSettings.from_deployment(deployment), "environment"
    return GroupSyncSettings(), "none"


def sync_organizations(
    organizations: Iterable[Organization],
    memberships: Iterable[Membership],
    claims: Mapping[str, Any],
    deployment: CoderSettings | None = None,
    entitled: bool = True,
) -> list[OrganizationSyncResult]:
    """Run group sync and organization role sync for every organization the user is a member of.

    ``claims`` are the merged claims (see merge_claims); ``deployment`` the
    environment settings, which the default organization falls back to.
    ``entitled=False`` models a deployment without the license for IdP sync,
    where nothing changes.
    """
    organizations = list(organizations)
    memberships = list(memberships)
    by_id = {organization.id: organization for organization in organizations}
    for membership in memberships:
        if membership.organization_id not in by_id:
            raise ValueError(f"membership names organization {membership.organization_id!r}, which is not among the organizations")

    # Group IDs are unique across the deployment; the Everyone group's ID is its organization's ID.
    groups_by_id: dict[str, tuple[Organization, Group]] = {}
    for organization in organizations:
        for group in (Group(organization.id, EVERYONE), *organization.groups):
            groups_by_id[group.id] = (organization, group)

    for membership in memberships:
        for group_id in membership.group_ids:
            owner = groups_by_id.get(group_id, (None, None))[0]
            if owner is None or owner.id != membership.organization_id:
                raise ValueError(
                    f"membership of organization {by_id[membership.organization_id].name!r} lists group ID {group_id!r}, "
                    "which is not a group of that organization"
                )

    current = {group_id for membership in memberships for group_id in membership.group_ids}
    plans = [_plan_groups(by_id[m.organization_id], m, claims, deployment, groups_by_id, entitled) for m in memberships]

    # ApplyGroupDifference removes first, then adds, for all organizations at once.
    after = set(current)
    for plan in plans:
        after -= plan.remove
    for plan in plans:
        after |= plan.add
    for plan in plans:
        for group in plan.created:
            groups_by_id[group.id] = (plan.organization, group)

    results = []
    for membership, plan in zip(memberships, plans):
        organization = by_id[membership.organization_id]
        roles = _sync_roles(organization, membership, claims, entitled)
        results.append(OrganizationSyncResult(
            organization=organization,
            group_settings_source=plan.source,
            group_sync=plan.status,
            groups_before=_names_in(organization, current, groups_by_id),
            groups=_names_in(organization, after, groups_by_id),
            created_groups=sorted(group.name for group in plan.created),
            group_trace=plan.trace,
            role_sync=roles.status,
            roles_before=sorted(set(membership.roles) - {ORGANIZATION_MEMBER}),
            roles=roles.roles,
            role_trace=roles.trace,
            parse_errors=[error for error in (plan.parse_error, roles.parse_error) if error],
        ))
    return results


@dataclass
class _GroupPlan:
    organization: Organization
    source: str
    status: str
    add: set[str] = dataclasses.field(default_factory=set)
    remove: set[str] = dataclasses.field(default_factory=set)
    created: list[Group] = dataclasses.field(default_factory=list)
    trace: list[TraceEntry] = dataclasses.field(default_factory=list)
    parse_error: str | None = None


def _plan_groups(organization, membership, claims, deployment, groups_by_id, entitled) -> _GroupPlan:
    settings, source = resolve_group_settings(organization, deployment)
    if not entitled:
        return _GroupPlan(organization, source, "off")
    if not settings.field:
        # No field: Coder leaves this organization's groups as they are.
        return _GroupPlan(organization, source, "off")

    # A missing claim means "no groups": every group but Everyone is removed.
    try:
        values = parse_string_list_claim(claims.get(settings.field))
    except ClaimError as error:
        # Coder logs the parse error and skips this organization.
        return _GroupPlan(organization, source, "unchanged", parse_error=str(error))

    plan = _GroupPlan(organization, source, "applied")
    expected_ids: set[str] = {organization.id}
    expected_names: list[str] = []
    for value in values:
        entry, ids, name = _follow_group_value(settings, value, organization, groups_by_id)
        plan.trace.append(entry)
        expected_ids |= ids
        if name is not None:
            expected_names.append(name)

    # The symmetric difference matches an expected ID against the group's ID
    # and an expected name against the group's name (ExpectedGroup.Equal).
    existing = set(membership.group_ids) | {organization.id}
    existing_names = {groups_by_id[group_id][1].name for group_id in existing if group_id in groups_by_id}
    plan.remove = {
        group_id for group_id in existing
        if group_id not in expected_ids and (group_id not in groups_by_id or groups_by_id[group_id][1].name not in expected_names)
    }
    plan.add = {group_id for group_id in expected_ids - existing if group_id in groups_by_id}

    # HandleMissingGroups: with auto-create on, insert the missing names, then
    # look every name up in this organization; names still missing are dropped.
    in_organization = {group.name: group.id for group in organization.groups}
    in_organization[EVERYONE] = organization.id
    for name in dict.fromkeys(expected_names):
        if name in existing_names:
            continue
        if name not in in_organization and settings.auto_create_missing_groups:
            group = Group(f"created:{organization.id}:{name}", name)
            plan.created.append(group)
            in_organization[name] = group.id
        if name in in_organization:
            plan.add.add(in_organization[name])
    return plan


def _follow_group_value(settings, value, organization, groups_by_id) -> tuple[TraceEntry, set[str], str | None]:
    steps: list[str] = []
    name = value

    # The legacy name mapping (only from CODER_OIDC_GROUP_MAPPING) renames before the filter.
    if value in settings.legacy_group_name_mapping:
        name = settings.legacy_group_name_mapping[value]
        steps.append(f"renamed to {name!r} by CODER_OIDC_GROUP_MAPPING")

    # Go's MatchString is an unanchored search, like RE2's search.
    if settings.regex_filter is not None and not settings.regex_filter.search(name):
        steps.append(f"does not match regex_filter {settings.regex_filter.pattern!r}")
        return TraceEntry(value, "filtered-out", None, "; ".join(steps)), set(), None

    if name in settings.mapping:
        ids = settings.mapping[name]
        if not ids:
            steps.append("mapped to an empty list of group IDs, so it adds nothing")
            return TraceEntry(value, "ignored", None, "; ".join(steps)), set(), None
        known = [group_id for group_id in ids if group_id in groups_by_id]
        unknown = [group_id for group_id in ids if group_id not in groups_by_id]
        targets = [_describe(group_id, organization, groups_by_id) for group_id in known]
        if targets:
            steps.append(f"mapped by ID to {', '.join(targets)}")
        if unknown:
            steps.append(f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} no group's ID, so Coder skips {'it' if len(unknown) == 1 else 'them'}")
        outcome = "mapped" if known else "no-such-group"
        return TraceEntry(value, outcome, ", ".join(targets) or None, "; ".join(steps)), set(known), None

    if name == EVERYONE:
        steps.append("is the Everyone group, which every member keeps anyway")
        return TraceEntry(value, "everyone", EVERYONE, "; ".join(steps)), set(), None

    # An unmapped name matches a group of this organization by exact name.
    names = {group.name for group in organization.groups}
    if name in names:
        steps.append(f"joins the group {name!r} of {organization.name} by name")
        return TraceEntry(value, "joined", name, "; ".join(steps)), set(), name
    if settings.auto_create_missing_groups:
        steps.append(f"creates the group {name!r} in {organization.name} (auto_create_missing_groups) and joins it")
        return TraceEntry(value, "created", name, "; ".join(steps)), set(), name
    steps.append(
        f"{organization.name} has no group named {name!r}, so it is dropped; map it to a group ID in mapping, "
        "or turn on auto_create_missing_groups"
    )
    return TraceEntry(value, "no-such-group", None, "; ".join(steps)), set(), name


def _describe(group_id: str, organization: Organization, groups_by_id) -> str:
    owner, group = groups_by_id[group_id]
    if owner.id == organization.id:
        return group.name
    # InsertUserGroupsByID looks groups up by ID alone (coderd/database/queries/groups.sql),
    # so a mapped ID of another organization's group adds the user to that group.
    return f"{group.name} (of {owner.name})"


def _names_in(organization: Organization, group_ids: set[str], groups_by_id) -> list[str]:
    names = []
    for group_id in group_ids:
        if group_id == organization.id or group_id not in groups_by_id:
            continue
        owner, group = groups_by_id[group_id]
        if owner.id == organization.id:
            names.append(group.name)
    return sorted(names)


@dataclass
class _RoleOutcome:
    status: str
    roles: list[str]
    trace: list[TraceEntry] = dataclasses.field(default_factory=list)
    parse_error: str | None = None


def _sync_roles(organization: Organization, membership: Membership, claims: Mapping[str, Any], entitled: bool) -> _RoleOutcome:
    before = sorted(set(membership.roles) - {ORGANIZATION_MEMBER})
    settings = organization.role_sync
    # No saved settings, or an empty field: the organization's roles stay as they are.
    if not entitled or settings is None or not settings.field:
        return _RoleOutcome("off", before)

    # RolesFromClaim reads a missing claim as an empty list, so every role is removed.
    try:
        values = parse_string_list_claim(claims.get(settings.field))
    except ClaimError as error:
        # Coder logs the error and leaves the roles, so a broken claim cannot lock an admin out.
        return _RoleOutcome("unchanged", before, parse_error=str(error))

    valid = ORGANIZATION_ROLES | organization.custom_roles
    granted: set[str] = set()
    trace = []
    for value in values:
        if value in settings.mapping:
            targets = list(settings.mapping[value])
            good = [role for role in targets if role in valid]
            bad = [role for role in targets if role not in valid]
            granted |= set(good)
            detail = f"mapped to {', '.join(targets)}" if targets else "mapped to an empty list, so it adds nothing"
            if bad:
                detail += f"; {', '.join(bad)} {'is' if len(bad) == 1 else 'are'} not a role of {organization.name} and dropped"
            trace.append(TraceEntry(value, "mapped" if good else "dropped", ", ".join(good) or None, detail))
            continue
        if value == ORGANIZATION_MEMBER:
            trace.append(TraceEntry(value, "implicit", value, "organization-member is implicit: every member has it"))
        elif value in valid:
            granted.add(value)
            kind = "custom role" if value in organization.custom_roles else "built-in organization role"
            trace.append(TraceEntry(value, "passed-through", value, f"is the {kind} {value!r} of {organization.name}"))
        else:
            # NOTE: a site role name such as template-admin is taken to be dropped
            # here, as rbac.RoleByName rejects it with an organization ID; not
            # confirmed against a Coder test.
            trace.append(TraceEntry(
                value, "dropped", None,
                f"not a role of {organization.name} and not a key of the role mapping, so Coder drops it",
            ))
    return _RoleOutcome("applied", sorted(granted - {ORGANIZATION_MEMBER}), trace)
