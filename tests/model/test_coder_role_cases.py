"""Coder's site role sync test cases, restated through environment settings.

Sources in github.com/coder/coder: enterprise/coderd/enidpsync/role_test.go
and coderd/idpsync/role_test.go. Coder's deployment settings map as follows:
SiteRoleField is CODER_OIDC_USER_ROLE_FIELD, SiteRoleMapping is
CODER_OIDC_USER_ROLE_MAPPING and SiteDefaultRoles is
CODER_OIDC_USER_ROLE_DEFAULT.

Coder checks site roles in two steps. ParseRoleClaims maps the claim and adds
the default roles, and it keeps names that are not Coder roles. SyncRoles
then drops every name that is not a built-in site role. The model reports
the roles after the second step, so the expected lists below leave out names
that SyncRoles drops.
"""

import json

from idpsync import CoderSettings, sync_user


def sync_roles(env, roles_claim=None):
    """Sign in once as a fictional user and return the sync result."""
    id_token = {"sub": "alice-subject", "email": "alice@example.com"}
    if roles_claim is not None:
        id_token["roles"] = roles_claim

    settings = CoderSettings.from_env(env)
    return sync_user(settings, id_token=id_token, userinfo=None, coder_groups=[])


class TestEnterpriseParseRoleClaims:
    """Site role sync in a licensed deployment."""

    def test_no_role_field_turns_sync_off(self):
        """Coder enterprise/coderd/enidpsync/role_test.go TestEnterpriseParseRoleClaims/SiteDisabled."""
        result = sync_roles({})

        assert result.role_sync == "off"
        assert result.site_roles is None

    def test_claim_roles_join_defaults(self):
        """Coder enterprise/coderd/enidpsync/role_test.go TestEnterpriseParseRoleClaims/SiteEnabled."""
        env = {
            "CODER_OIDC_USER_ROLE_FIELD": "roles",
            "CODER_OIDC_USER_ROLE_MAPPING": "{}",
            "CODER_OIDC_USER_ROLE_DEFAULT": "template-admin",
        }
        result = sync_roles(env, ["auditor"])

        assert result.role_sync == "applied"
        assert result.site_roles == ["auditor", "template-admin"]

    def test_mapping_expands_claim_roles(self):
        """Coder enterprise/coderd/enidpsync/role_test.go TestEnterpriseParseRoleClaims/SiteMapping."""
        env = {
            "CODER_OIDC_USER_ROLE_FIELD": "roles",
            "CODER_OIDC_USER_ROLE_MAPPING": json.dumps(
                {"foo": ["auditor", "user-admin"], "bar": ["owner"]}
            ),
            "CODER_OIDC_USER_ROLE_DEFAULT": "template-admin",
        }
        result = sync_roles(env, ["foo", "bar", "random"])

        assert result.role_sync == "applied"
        # Coder's parse step still lists "random". SyncRoles drops it because
        # it is not a built-in site role.
        assert result.site_roles == ["auditor", "owner", "template-admin", "user-admin"]

    def test_duplicate_roles_collapse(self):
        """Coder enterprise/coderd/enidpsync/role_test.go TestEnterpriseParseRoleClaims/DuplicateRoles."""
        env = {
            "CODER_OIDC_USER_ROLE_FIELD": "roles",
            "CODER_OIDC_USER_ROLE_MAPPING": json.dumps(
                {"foo": ["owner", "auditor"], "bar": ["owner"]}
            ),
            "CODER_OIDC_USER_ROLE_DEFAULT": "auditor",
        }
        result = sync_roles(env, ["foo", "bar", "auditor", "owner"])

        assert result.role_sync == "applied"
        assert result.site_roles == ["auditor", "owner"]


class TestRoleSyncTable:
    """The site-wide part of TestRoleSyncTable."""

    def test_repeated_site_role_stored_once(self):
        """Coder coderd/idpsync/role_test.go TestRoleSyncTable/AllTogether."""
        # Coder passes template-admin twice in SiteWideRoles and expects the
        # user to hold it once, next to auditor and the implicit member role.
        # Here the repeated names arrive through the roles claim instead.
        result = sync_roles(
            {"CODER_OIDC_USER_ROLE_FIELD": "roles"},
            ["template-admin", "template-admin", "auditor"],
        )

        assert result.role_sync == "applied"
        assert result.site_roles == ["auditor", "template-admin"]


# Skipped, because this version of the model does not cover them:
# coderd/idpsync/role_test.go
#   TestRoleSyncTable/NoSync, SyncDisabled, RawAudit, CustomRole, RoleMapping,
#   InvalidClaim, NoChange, InvalidOriginalRole, NonExistentClaim, EmptyClaim,
#   and the per-organization half of AllTogether: organization roles and
#   custom roles.
#   TestNoopNoDiff: counts database calls, which the model does not make.
# enterprise/coderd/enidpsync/role_test.go
#   TestEnterpriseParseRoleClaims/NotEntitled,
#   TestEnterpriseParseRoleClaims/NotEntitledButEnabled: licensing.
