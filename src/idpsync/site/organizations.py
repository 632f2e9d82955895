"""Load a multi-organization example: organizations, their runtime settings files, one sign-in and the promised outcome.

A folder such as ``snippets/multi-organization`` contains ``organizations.yaml``
and the settings documents it names:

```yaml
environment: ../okta-groups/coder.env      # the deployment's CODER_OIDC_* settings
id_token: ../okta-groups/id-token.json
userinfo: null
organizations:
  - name: coder
    id: c12151e9-04e3-4b25-a2e0-6e56af148975
    default: true
    groups: {coder-admins: 698ce54a-6124-4978-b1a3-bf72f433f709}
    custom_roles: []
    group_sync: null                       # no runtime settings saved
    role_sync: null                        # or role-sync.json
    member: {groups: [coder-admins], roles: []}   # before the sign-in
expect:                                    # after the sign-in, per organization
  coder: {groups: [coder-admins], roles: []}
```
"""

import dataclasses
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..coder.claims import merge_claims
from ..coder.runtime import (
    Group,
    GroupSyncSettings,
    Membership,
    Organization,
    OrganizationSyncResult,
    RoleSyncSettings,
    RuntimeSettingsError,
    sync_organizations,
)
from ..coder.settings import CoderSettings
from ..coder.trace import LoginError
from ..errors import ConfigError
from ..sync import sync_user
from .scenarios import Scenario, ScenarioError

__all__ = [
    "DefaultOrganizationOutcome",
    "OrganizationsOutcome",
    "OrganizationsScenario",
    "SPEC_NAME",
    "load_organizations",
    "run_with_saved_group_settings",
]

SPEC_NAME = "organizations.yaml"
_KEYS = {"environment", "id_token", "userinfo", "organizations", "expect"}
_ORGANIZATION_KEYS = {"name", "id", "default", "groups", "custom_roles", "group_sync", "role_sync", "member"}


@dataclass(frozen=True)
class OrganizationsOutcome:
    """The sign-in verdict and, when it is allowed, what sync did in each organization."""

    login_allowed: bool
    login_error: LoginError | None
    organizations: list[OrganizationSyncResult]


@dataclass(frozen=True)
class OrganizationsScenario:
    """One sign-in into a deployment with several organizations, with every file it was built from."""

    folder: Path
    environment_path: Path
    settings: CoderSettings
    id_token_path: Path
    id_token: dict[str, Any]
    userinfo_path: Path | None
    userinfo: dict[str, Any] | None
    organizations: tuple[Organization, ...]
    memberships: tuple[Membership, ...]
    settings_files: dict[Path, tuple[str, str]]  # settings document -> (organization name, "group_sync" or "role_sync")
    expect: dict[str, dict[str, list[str]]]

    def run(self) -> OrganizationsOutcome:
        """Sign in once: Coder's sign-in checks and site role sync first, then each organization's group and role sync."""
        default = next(organization for organization in self.organizations if organization.default)
        default_groups = [group.name for group in default.groups]
        verdict = sync_user(self.settings, self.id_token, self.userinfo, default_groups)
        if not verdict.login_allowed:
            return OrganizationsOutcome(False, verdict.login_error, [])
        claims = merge_claims(self.id_token, self.userinfo, self.settings.ignore_userinfo).claims
        results = sync_organizations(self.organizations, self.memberships, claims, deployment=self.settings)
        return OrganizationsOutcome(True, None, results)

    def with_settings(self, organization: str, group_sync: Any = dataclasses.MISSING, role_sync: Any = dataclasses.MISSING) -> "OrganizationsScenario":
        """Return a copy in which one organization has other saved settings (None: none saved)."""
        names = [item.name for item in self.organizations]
        if organization not in names:
            raise ValueError(f"no organization named {organization!r}; the organizations are {', '.join(names)}")
        changed = []
        for item in self.organizations:
            if item.name == organization:
                if group_sync is not dataclasses.MISSING:
                    item = dataclasses.replace(item, group_sync=group_sync)
                if role_sync is not dataclasses.MISSING:
                    item = dataclasses.replace(item, role_sync=role_sync)
            changed.append(item)
        return dataclasses.replace(self, organizations=tuple(changed))

    @property
    def files(self) -> list[Path]:
        """Return every file the scenario reads."""
        paths = [self.folder / SPEC_NAME, self.environment_path, self.id_token_path, *self.settings_files]
        if self.userinfo_path:
            paths.append(self.userinfo_path)
        return paths


@dataclass(frozen=True)
class DefaultOrganizationOutcome:
    """A single-organization sign-in after group sync settings were saved for the default organization."""

    login_allowed: bool
    groups: list[str] | None  # None when group sync leaves the groups alone or the sign-in is rejected
    site_roles: list[str] | None
    group_sync: str  # "applied", "unchanged", "off", or "rejected" when Coder rejects the sign-in


def run_with_saved_group_settings(scenario: Scenario, settings: GroupSyncSettings) -> DefaultOrganizationOutcome:
    """Run a single-organization scenario as if ``settings`` were saved for its default organization.

    The sign-in checks, the allow-list and site role sync still come from the
    environment; only group sync takes the saved settings.
    """
    verdict = scenario.run()
    if not verdict.login_allowed:
        return DefaultOrganizationOutcome(False, None, None, "rejected")

    # The scenario names its groups only, so each gets a stable made-up ID.
    organization = Organization(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, "idpsync:default-organization")),
        name="default",
        default=True,
        groups=tuple(Group(str(uuid.uuid5(uuid.NAMESPACE_URL, f"idpsync:group:{name}")), name) for name in scenario.coder_groups),
        group_sync=settings,
    )
    claims = merge_claims(scenario.id_token, scenario.userinfo, scenario.settings.ignore_userinfo).claims
    result = sync_organizations([organization], [Membership(organization.id)], claims, deployment=scenario.settings)[0]
    groups = result.groups if result.group_sync == "applied" else None
    return DefaultOrganizationOutcome(True, groups, verdict.site_roles, result.group_sync)


def load_organizations(folder: str | Path) -> OrganizationsScenario:
    """Load ``organizations.yaml`` in ``folder``; raise ScenarioError naming the file and the value at fault."""
    folder = Path(folder)
    spec_path = folder / SPEC_NAME
    spec = _read(spec_path, yaml.safe_load)
    if not isinstance(spec, dict) or set(spec) != _KEYS:
        raise ScenarioError(f"{spec_path}: expected exactly the keys {sorted(_KEYS)}")

    environment_path = (folder / spec["environment"]).resolve()
    try:
        settings = CoderSettings.from_env_file(environment_path)
    except ConfigError as error:
        raise ScenarioError(f"{environment_path}: {error}") from None

    id_token_path = (folder / spec["id_token"]).resolve()
    userinfo_path = (folder / spec["userinfo"]).resolve() if spec["userinfo"] else None

    organizations: list[Organization] = []
    memberships: list[Membership] = []
    settings_files: dict[Path, tuple[str, str]] = {}
    for entry in spec["organizations"] or []:
        organization, membership, files = _organization(entry, folder, spec_path)
        organizations.append(organization)
        if membership is not None:
            memberships.append(membership)
        settings_files.update(files)

    if sum(organization.default for organization in organizations) != 1:
        raise ScenarioError(f"{spec_path}: exactly one organization must have default: true")
    names = [organization.name for organization in organizations]
    expect = spec["expect"]
    if not isinstance(expect, dict) or set(expect) != set(_member_names(memberships, organizations)):
        raise ScenarioError(f"{spec_path}: expect must name each organization the user is a member of, among {names}")
    for name, promised in expect.items():
        if not isinstance(promised, dict) or set(promised) != {"groups", "roles"}:
            raise ScenarioError(f"{spec_path}: expect.{name} must have exactly the keys groups and roles")

    return OrganizationsScenario(
        folder=folder,
        environment_path=environment_path,
        settings=settings,
        id_token_path=id_token_path,
        id_token=_read(id_token_path, json.loads),
        userinfo_path=userinfo_path,
        userinfo=_read(userinfo_path, json.loads) if userinfo_path else None,
        organizations=tuple(organizations),
        memberships=tuple(memberships),
        settings_files=settings_files,
        expect=expect,
    )


def _member_names(memberships: list[Membership], organizations: list[Organization]) -> list[str]:
    by_id = {organization.id: organization.name for organization in organizations}
    return [by_id[membership.organization_id] for membership in memberships]


def _organization(entry: Any, folder: Path, spec_path: Path):
    if not isinstance(entry, dict) or not {"name", "id"} <= set(entry) or set(entry) - _ORGANIZATION_KEYS:
        raise ScenarioError(f"{spec_path}: each organization needs name and id, and may have only {sorted(_ORGANIZATION_KEYS)}")
    name = entry["name"]
    where = f"{spec_path}: organization {name!r}"
    groups = tuple(Group(str(group_id).lower(), group_name) for group_name, group_id in (entry.get("groups") or {}).items())

    files: dict[Path, tuple[str, str]] = {}
    group_sync = role_sync = None
    if entry.get("group_sync"):
        path = (folder / entry["group_sync"]).resolve()
        group_sync = _settings(path, GroupSyncSettings.from_json)
        files[path] = (name, "group_sync")
    if entry.get("role_sync"):
        path = (folder / entry["role_sync"]).resolve()
        role_sync = _settings(path, RoleSyncSettings.from_json)
        files[path] = (name, "role_sync")

    organization = Organization(
        id=str(entry["id"]).lower(),
        name=name,
        default=bool(entry.get("default", False)),
        groups=groups,
        custom_roles=frozenset(entry.get("custom_roles") or []),
        group_sync=group_sync,
        role_sync=role_sync,
    )

    member = entry.get("member")
    if member is None:
        return organization, None, files
    by_name = {group.name: group.id for group in groups}
    missing = [group for group in member.get("groups") or [] if group not in by_name]
    if missing:
        raise ScenarioError(f"{where}: member.groups names {missing}, which are not groups of the organization")
    membership = Membership(
        organization_id=organization.id,
        group_ids=frozenset(by_name[group] for group in member.get("groups") or []),
        roles=tuple(member.get("roles") or []),
    )
    return organization, membership, files


def _settings(path: Path, parse):
    document = _read(path, json.loads)
    try:
        return parse(document, str(path))
    except RuntimeSettingsError as error:
        raise ScenarioError(str(error)) from None


def _read(path: Path, parse):
    try:
        return parse(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ScenarioError(f"{path}: cannot be read ({error.strerror})") from None
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise ScenarioError(f"{path}: invalid {'JSON' if path.suffix == '.json' else 'YAML'} ({str(error).splitlines()[0]})") from None
