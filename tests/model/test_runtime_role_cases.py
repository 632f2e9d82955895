"""Coder's organization role sync cases, run through the runtime model.

Source: coderd/idpsync/role_test.go in github.com/coder/coder. Every
TestRoleSyncTable case signs in with the same claims. The roles claim
contains seven values, one of them organization-auditor, bad-claim is the
number 100, and empty is an empty list. Each case runs in an organization of
its own.
"""

import uuid

import pytest

from idpsync.coder.runtime import Membership, Organization, RoleSyncSettings, sync_organizations

CLAIMS = {
    "roles": ["foo", "bar", "baz", "create-bar", "create-baz", "legacy-bar", "organization-auditor"],
    "bad-claim": 100,
    "empty": [],
}


def organization(name, settings=None, custom_roles=()):
    org_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"idpsync-test:org:{name}"))
    return Organization(id=org_id, name=name, custom_roles=frozenset(custom_roles), role_sync=settings)


# Name: (role sync settings, custom roles, roles before, roles after).
CASES = {
    "NoSync": (None, (), [], []),
    "SyncDisabled": (RoleSyncSettings(), (), ["organization-admin"], ["organization-admin"]),
    "RawAudit": (RoleSyncSettings(field="roles", mapping={}), (), ["organization-admin"], ["organization-auditor"]),
    "CustomRole": (RoleSyncSettings(field="roles", mapping={}), ("foo",), ["organization-admin"], ["foo", "organization-auditor"]),
    "RoleMapping": (
        RoleSyncSettings(field="roles", mapping={"foo": ("custom", "organization-template-admin")}),
        ("custom",),
        ["organization-admin", "invalid"],
        ["custom", "organization-auditor", "organization-template-admin"],
    ),
    "InvalidClaim": (RoleSyncSettings(field="bad-claim"), (), ["organization-admin"], ["organization-admin"]),
    "NoChange": (
        RoleSyncSettings(field="roles", mapping={
            "foo": ("organization-auditor", "organization-template-admin"),
            "bar": ("organization-admin",),
        }),
        (),
        ["organization-admin", "organization-template-admin", "organization-auditor"],
        ["organization-admin", "organization-auditor", "organization-template-admin"],
    ),
    "InvalidOriginalRole": (RoleSyncSettings(field="roles", mapping={}), (), ["something-bad"], ["organization-auditor"]),
    "NonExistentClaim": (RoleSyncSettings(field="not-exists", mapping={}), (), ["organization-auditor"], []),
    "EmptyClaim": (RoleSyncSettings(field="empty", mapping={}), (), ["organization-auditor"], []),
}


def run(name, claims=CLAIMS):
    settings, custom_roles, before, _after = CASES[name]
    org = organization(name, settings, custom_roles)
    return sync_organizations([org], [Membership(org.id, roles=tuple(before))], claims)[0]


class TestRoleSyncTable:
    """Cases of TestRoleSyncTable."""

    def test_no_settings_saved(self):
        """Coder coderd/idpsync/role_test.go TestRoleSyncTable/NoSync."""
        result = run("NoSync")

        assert result.role_sync == "off"
        assert result.roles == []

    def test_empty_field_leaves_roles(self):
        """Coder coderd/idpsync/role_test.go TestRoleSyncTable/SyncDisabled."""
        result = run("SyncDisabled")

        assert result.role_sync == "off"
        assert result.roles == ["organization-admin"]

    def test_claim_value_is_role(self):
        """Coder coderd/idpsync/role_test.go TestRoleSyncTable/RawAudit."""
        result = run("RawAudit")

        assert result.roles == ["organization-auditor"]
        assert {entry.value: entry.outcome for entry in result.role_trace}["foo"] == "dropped"

    def test_custom_role_kept(self):
        """Coder coderd/idpsync/role_test.go TestRoleSyncTable/CustomRole."""
        result = run("CustomRole")

        assert result.roles == ["foo", "organization-auditor"]

    def test_mapping_replaces_value(self):
        """Coder coderd/idpsync/role_test.go TestRoleSyncTable/RoleMapping."""
        result = run("RoleMapping")

        assert result.roles_before == ["invalid", "organization-admin"]
        assert result.roles == ["custom", "organization-auditor", "organization-template-admin"]

    def test_malformed_claim_leaves_roles(self):
        """Coder coderd/idpsync/role_test.go TestRoleSyncTable/InvalidClaim."""
        result = run("InvalidClaim")

        assert result.role_sync == "unchanged"
        assert result.roles == ["organization-admin"]
        assert "float64" in result.parse_errors[0]

    def test_same_roles_no_change(self):
        """Coder coderd/idpsync/role_test.go TestRoleSyncTable/NoChange."""
        result = run("NoChange")

        assert result.roles == result.roles_before

    def test_invalid_current_role_replaced(self):
        """Coder coderd/idpsync/role_test.go TestRoleSyncTable/InvalidOriginalRole."""
        result = run("InvalidOriginalRole")

        assert result.roles == ["organization-auditor"]

    def test_missing_claim_removes_roles(self):
        """Coder coderd/idpsync/role_test.go TestRoleSyncTable/NonExistentClaim."""
        result = run("NonExistentClaim")

        assert result.role_sync == "applied"
        assert result.roles == []

    def test_empty_claim_removes_roles(self):
        """Coder coderd/idpsync/role_test.go TestRoleSyncTable/EmptyClaim."""
        result = run("EmptyClaim")

        assert result.roles == []

    def test_all_organizations_together(self):
        """Coder coderd/idpsync/role_test.go TestRoleSyncTable/AllTogether."""
        orgs = [organization(name, settings, custom) for name, (settings, custom, _before, _after) in CASES.items()]
        memberships = [Membership(org.id, roles=tuple(CASES[org.name][2])) for org in orgs]

        results = sync_organizations(orgs, memberships, CLAIMS)

        assert {result.organization.name: result.roles for result in results} == {name: case[3] for name, case in CASES.items()}


class TestOrganizationMember:
    """organization-member is implicit: SyncRoles drops it from both sides before comparing."""

    def test_claimed_member_role_not_stored(self):
        org = organization("member", RoleSyncSettings(field="roles"))

        result = sync_organizations([org], [Membership(org.id)], {"roles": ["organization-member"]})[0]

        assert result.roles == []
        assert result.role_trace[0].outcome == "implicit"

    def test_current_member_role_ignored(self):
        org = organization("member", RoleSyncSettings(field="roles"))

        result = sync_organizations([org], [Membership(org.id, roles=("organization-member",))], {"roles": []})[0]

        assert result.roles_before == []


@pytest.mark.parametrize(
    "role",
    ["organization-admin", "organization-auditor", "organization-template-admin", "organization-user-admin", "organization-workspace-creation-ban"],
)
def test_built_in_role_kept(role):
    org = organization("built-in", RoleSyncSettings(field="roles"))

    result = sync_organizations([org], [Membership(org.id)], {"roles": [role]})[0]

    assert result.roles == [role]


def test_site_role_name_dropped():
    org = organization("site", RoleSyncSettings(field="roles", mapping={"admins": ("template-admin", "organization-admin")}))

    result = sync_organizations([org], [Membership(org.id)], {"roles": ["admins"]})[0]

    assert result.roles == ["organization-admin"]
    assert "template-admin is not a role of site" in result.role_trace[0].detail


def test_settings_document_rejects_non_list():
    with pytest.raises(ValueError, match="must be a list of strings"):
        RoleSyncSettings.from_json({"field": "roles", "mapping": {"a": "organization-admin"}})
