"""Claim merge, group sync, site role sync and the per-value trace."""

import pytest

from idpsync import CoderSettings, merge_claims, sync_user

USER = {"sub": "00u8f3k2j1h0g9f8e7d6", "email": "sam@example.com"}


def run(env, id_token=None, userinfo=None, coder_groups=()):
    settings = CoderSettings.from_env(env)
    return sync_user(settings, {**USER, **(id_token or {})}, userinfo, list(coder_groups))


def trace_of(entries):
    return {entry.value: entry.outcome for entry in entries}


class TestMerge:
    def test_userinfo_replaces_whole_value(self):
        merged = merge_claims({"groups": ["a", "b"], "name": "x"}, {"groups": ["c"]}, ignore_userinfo=False)

        assert merged.claims == {"groups": ["c"], "name": "x"}
        assert merged.source == {"groups": "userinfo", "name": "id_token"}

    def test_ignore_userinfo_uses_id_token_only(self):
        merged = merge_claims({"groups": ["a"]}, {"groups": ["c"], "roles": ["r"]}, ignore_userinfo=True)

        assert merged.claims == {"groups": ["a"]}
        assert merged.userinfo_used is False

    def test_no_userinfo_response(self):
        merged = merge_claims({"groups": ["a"]}, None, ignore_userinfo=False)

        assert merged.claims == {"groups": ["a"]}


class TestGroups:
    env = {"CODER_OIDC_GROUP_FIELD": "groups"}

    def test_pass_through_to_existing_groups(self):
        result = run(self.env, {"groups": ["dev", "ops"]}, coder_groups=["dev"])

        assert result.groups == ["dev"]
        assert trace_of(result.group_trace) == {"dev": "joined", "ops": "no-such-group"}

    def test_names_are_case_sensitive(self):
        result = run(self.env, {"groups": ["Dev"]}, coder_groups=["dev"])

        assert result.groups == []

    def test_filter_is_unanchored(self):
        env = {**self.env, "CODER_OIDC_GROUP_REGEX_FILTER": "coder"}
        result = run(env, {"groups": ["team-coder-dev", "finance"]}, coder_groups=["team-coder-dev", "finance"])

        assert result.groups == ["team-coder-dev"]
        assert trace_of(result.group_trace)["finance"] == "filtered-out"

    def test_legacy_mapping_runs_before_filter(self):
        env = {
            **self.env,
            "CODER_OIDC_GROUP_MAPPING": '{"okta-devs": "coder-devs"}',
            "CODER_OIDC_GROUP_REGEX_FILTER": "^coder-",
        }
        result = run(env, {"groups": ["okta-devs"]}, coder_groups=["coder-devs"])

        assert result.groups == ["coder-devs"]
        assert "renamed to 'coder-devs'" in result.group_trace[0].detail

    def test_auto_create(self):
        env = {**self.env, "CODER_OIDC_GROUP_AUTO_CREATE": "true"}
        result = run(env, {"groups": ["new-team", "dev"]}, coder_groups=["dev"])

        assert result.groups == ["dev", "new-team"]
        assert result.created_groups == ["new-team"]

    def test_everyone_not_listed(self):
        result = run(self.env, {"groups": ["Everyone", "dev"]}, coder_groups=["dev"])

        assert result.groups == ["dev"]
        assert trace_of(result.group_trace)["Everyone"] == "everyone"

    def test_everyone_not_auto_created(self):
        env = {**self.env, "CODER_OIDC_GROUP_AUTO_CREATE": "true"}
        result = run(env, {"groups": ["Everyone"]}, coder_groups=[])

        assert result.created_groups == []

    def test_missing_claim_removes_groups(self):
        result = run(self.env, {}, coder_groups=["dev"])

        assert result.group_sync == "applied"
        assert result.groups == []

    @pytest.mark.parametrize("claim", ["dev,ops", 7, {"dev": True}, ["dev", 1]])
    def test_malformed_claim_leaves_groups(self, claim):
        result = run(self.env, {"groups": claim}, coder_groups=["dev"])

        assert result.login_allowed is True
        assert result.group_sync == "unchanged"
        assert result.groups is None

    def test_single_string_claim(self):
        result = run(self.env, {"groups": "dev"}, coder_groups=["dev"])

        assert result.groups == ["dev"]

    def test_off_without_field(self):
        result = run({}, {"groups": ["dev"]}, coder_groups=["dev"])

        assert result.group_sync == "off"
        assert result.groups is None

    def test_userinfo_claim_used(self):
        result = run(self.env, {}, userinfo={"groups": ["dev"]}, coder_groups=["dev"])

        assert result.groups == ["dev"]


class TestAllowList:
    env = {"CODER_OIDC_GROUP_FIELD": "groups", "CODER_OIDC_ALLOWED_GROUPS": "coder-users"}

    def test_raw_value_checked_before_mapping(self):
        # The allow-list reads the claim as sent, so mapping and filter do not apply.
        env = {**self.env, "CODER_OIDC_GROUP_MAPPING": '{"okta-users": "coder-users"}'}
        result = run(env, {"groups": ["okta-users"]}, coder_groups=["coder-users"])

        assert result.login_allowed is False
        assert result.login_error.status == 403
        assert result.login_error.title == "Not a member of an allowed group"

    def test_filtered_value_still_allows(self):
        env = {**self.env, "CODER_OIDC_GROUP_REGEX_FILTER": "^nothing$"}
        result = run(env, {"groups": ["coder-users"]}, coder_groups=["coder-users"])

        assert result.login_allowed is True
        assert result.groups == []

    def test_malformed_claim_is_400(self):
        result = run(self.env, {"groups": "a,b"})

        assert result.login_error.status == 400
        assert result.login_error.detail.startswith("invalid claim type. Got a csv string")

    def test_missing_claim_detail(self):
        result = run(self.env, {})

        assert result.login_error.detail == "You have no groups in your claims!"

    def test_rejection_changes_nothing(self):
        result = run(self.env, {"groups": ["other"]}, coder_groups=["other"])

        assert result.groups is None
        assert result.site_roles is None


class TestRoles:
    env = {
        "CODER_OIDC_USER_ROLE_FIELD": "roles",
        "CODER_OIDC_USER_ROLE_MAPPING": '{"okta-admin": ["template-admin", "user-admin"], "okta-none": []}',
    }

    def test_mapping_adds_only_targets(self):
        result = run(self.env, {"roles": ["okta-admin"]})

        assert result.site_roles == ["template-admin", "user-admin"]

    def test_pass_through_and_unknown_dropped(self):
        result = run(self.env, {"roles": ["auditor", "superuser", "organization-admin"]})

        assert result.site_roles == ["auditor"]
        assert trace_of(result.role_trace) == {"auditor": "passed-through", "superuser": "dropped", "organization-admin": "dropped"}

    def test_empty_mapping_adds_nothing(self):
        result = run(self.env, {"roles": ["okta-none"]})

        assert result.site_roles == []
        assert trace_of(result.role_trace) == {"okta-none": "ignored"}

    def test_member_is_implicit(self):
        result = run(self.env, {"roles": ["member"]})

        assert result.site_roles == []

    def test_owner_can_be_granted(self):
        result = run(self.env, {"roles": ["owner"]})

        assert result.site_roles == ["owner"]

    def test_defaults_always_apply(self):
        env = {**self.env, "CODER_OIDC_USER_ROLE_DEFAULT": "auditor"}
        result = run(env, {})

        assert result.site_roles == ["auditor"]

    def test_missing_claim_leaves_defaults_only(self):
        result = run(self.env, {})

        assert result.role_sync == "applied"
        assert result.site_roles == []

    @pytest.mark.parametrize(("claim", "go_type"), [("a,b", "string"), (3, "float64"), (["a", None], "[]interface {}")])
    def test_malformed_claim_blocks_sign_in(self, claim, go_type):
        result = run(self.env, {"roles": claim})

        assert result.login_allowed is False
        assert result.login_error.status == 500
        assert result.login_error.title == "Login disabled until site wide OIDC config is fixed"
        assert f"type found: {go_type}." in result.login_error.detail

    def test_off_without_field(self):
        result = run({}, {"roles": ["auditor"]})

        assert result.role_sync == "off"
        assert result.site_roles is None


class TestBadInput:
    @pytest.mark.parametrize("id_token", [["not", "an", "object"], "text", None, 5])
    def test_id_token_not_an_object(self, id_token):
        result = sync_user(CoderSettings.from_env({}), id_token)

        assert result.login_allowed is False
        assert result.login_error.status == 500
        assert result.codes() == ["login-rejected"]

    def test_userinfo_not_an_object(self):
        result = sync_user(CoderSettings.from_env({}), USER, userinfo=["x"])

        assert result.login_allowed is False
        assert result.login_error.status == 500

    def test_coder_groups_as_string_rejected(self):
        with pytest.raises(TypeError):
            sync_user(CoderSettings.from_env({}), USER, coder_groups="dev")


class TestEmailVerified:
    @pytest.mark.parametrize("value", [None, 0, "", "false", "False"])
    def test_only_boolean_false_rejects(self, value):
        result = run({}, {"email_verified": value})

        assert result.login_allowed is True

    def test_boolean_false_rejects(self):
        result = run({}, {"email_verified": False})

        assert result.login_error.status == 403
        assert result.login_error.title == 'Verify the "sam@example.com" email address on your OIDC provider to authenticate!'

    def test_userinfo_true_overrides_id_token_false(self):
        result = run({}, {"email_verified": False}, userinfo={"email_verified": True})

        assert result.login_allowed is True
