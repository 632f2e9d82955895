"""Each diagnostic code fires on its cause and stays quiet on a good configuration."""

import pytest

from idpsync import CoderSettings, Diagnostic, sync_user
from idpsync.diagnose import CODES

ORG = {
    "CODER_OIDC_ISSUER_URL": "https://example.okta.com",
    "CODER_OIDC_CLIENT_ID": "0oa5x4w3v2u1t0s9r8q7",
    "CODER_OIDC_SCOPES": "openid,profile,email,offline_access",
}
# The groups scope also turns group sync on (Coder sets the group field to "groups").
GROUPS = {**ORG, "CODER_OIDC_SCOPES": "openid,profile,email,offline_access,groups"}
CUSTOM = {**ORG, "CODER_OIDC_ISSUER_URL": "https://example.okta.com/oauth2/default"}
USER = {"sub": "00u8f3k2j1h0g9f8e7d6", "email": "sam@example.com"}


def codes(env, id_token=None, userinfo=None, coder_groups=("dev",)):
    result = sync_user(CoderSettings.from_env(env), {**USER, **(id_token or {})}, userinfo, list(coder_groups))
    return result.codes()


def test_good_config_is_quiet():
    env = {**GROUPS, "CODER_OIDC_GROUP_FIELD": "groups", "CODER_OIDC_USER_ROLE_FIELD": "groups",
           "CODER_OIDC_USER_ROLE_MAPPING": '{"dev": ["template-admin"]}'}

    assert codes(env, {"groups": ["dev"]}) == []


def test_offline_access_missing():
    env = {**ORG, "CODER_OIDC_SCOPES": "openid,profile,email"}

    assert codes(env) == ["offline-access-missing"]


def test_groups_scope_missing_on_org_server():
    env = {**ORG, "CODER_OIDC_SCOPES": "openid,profile,email,offline_access", "CODER_OIDC_GROUP_FIELD": "groups"}

    assert "groups-scope-missing" in codes(env, {"groups": ["dev"]})


def test_groups_scope_not_needed_on_custom_server():
    env = {**CUSTOM, "CODER_OIDC_GROUP_FIELD": "groups"}

    assert "groups-scope-missing" not in codes(env, {"groups": ["dev"]})


def test_group_claim_missing():
    found = codes({**GROUPS, "CODER_OIDC_GROUP_FIELD": "groups"}, {})

    assert found == ["group-claim-missing"]


def test_group_claim_missing_on_custom_server_names_server():
    result = sync_user(CoderSettings.from_env({**CUSTOM, "CODER_OIDC_GROUP_FIELD": "groups"}), USER)
    (diagnostic,) = result.diagnostics

    assert diagnostic.code == "group-claim-missing"
    assert "'default'" in diagnostic.fix


def test_role_claim_missing():
    assert codes({**ORG, "CODER_OIDC_USER_ROLE_FIELD": "roles"}) == ["role-claim-missing"]


def test_claim_is_comma_string():
    found = codes({**GROUPS, "CODER_OIDC_GROUP_FIELD": "groups"}, {"groups": "dev,ops"})

    assert found == ["claim-is-comma-string"]


@pytest.mark.parametrize("claim", [7, True, {"a": 1}, ["dev", 2]])
def test_claim_not_a_list(claim):
    assert codes({**GROUPS, "CODER_OIDC_GROUP_FIELD": "groups"}, {"groups": claim}) == ["claim-not-a-list"]


def test_claim_only_in_userinfo_but_ignored():
    env = {**ORG, "CODER_OIDC_GROUP_FIELD": "teams", "CODER_OIDC_IGNORE_USERINFO": "true"}

    assert codes(env, {}, userinfo={"teams": ["dev"]}) == ["claim-only-in-userinfo-but-ignored"]


def test_claim_name_case_mismatch():
    assert codes({**GROUPS, "CODER_OIDC_GROUP_FIELD": "groups"}, {"Groups": ["dev"]}) == ["claim-name-case-mismatch"]


def test_custom_scope_on_org_server():
    env = {**ORG, "CODER_OIDC_SCOPES": "openid,profile,email,offline_access,roles"}

    assert codes(env) == ["custom-scope-on-org-server"]


def test_custom_scope_must_exist_on_custom_server():
    env = {**CUSTOM, "CODER_OIDC_SCOPES": "openid,profile,email,offline_access,groups"}

    assert codes(env, {"groups": ["dev"]}) == ["custom-scope-must-exist"]


def test_unknown_site_role_in_mapping():
    env = {**ORG, "CODER_OIDC_USER_ROLE_FIELD": "roles", "CODER_OIDC_USER_ROLE_MAPPING": '{"x": ["admin"]}'}

    assert codes(env, {"roles": ["x"]}) == ["unknown-site-role"]


def test_unknown_site_role_in_default():
    env = {**ORG, "CODER_OIDC_USER_ROLE_FIELD": "roles", "CODER_OIDC_USER_ROLE_DEFAULT": "organization-admin"}

    assert codes(env, {"roles": []}) == ["unknown-site-role"]


def test_unknown_option():
    result = sync_user(CoderSettings.from_env({**ORG, "CODER_OIDC_GROUPS_FIELD": "groups"}), USER)
    (diagnostic,) = result.diagnostics

    assert diagnostic.code == "unknown-option"
    assert "CODER_OIDC_GROUP_FIELD" in diagnostic.fix


def test_regex_filter_drops_all():
    env = {**GROUPS, "CODER_OIDC_GROUP_FIELD": "groups", "CODER_OIDC_GROUP_REGEX_FILTER": "^coder-"}

    assert codes(env, {"groups": ["dev", "ops"]}) == ["regex-filter-drops-all"]


def test_mapped_group_missing_in_coder():
    env = {**GROUPS, "CODER_OIDC_GROUP_FIELD": "groups", "CODER_OIDC_GROUP_MAPPING": '{"okta-dev": "developers"}'}

    assert codes(env, {"groups": ["okta-dev"]}) == ["mapped-group-missing-in-coder"]


def test_allowed_groups_no_match():
    env = {**GROUPS, "CODER_OIDC_GROUP_FIELD": "groups", "CODER_OIDC_ALLOWED_GROUPS": "coder-users"}

    assert codes(env, {"groups": ["dev"]}) == ["allowed-groups-no-match"]


def test_email_not_verified():
    assert codes(ORG, {"email_verified": False}) == ["email-not-verified"]


def test_email_not_verified_ignored():
    assert codes({**ORG, "CODER_OIDC_IGNORE_EMAIL_VERIFIED": "true"}, {"email_verified": False}) == []


def test_too_many_groups():
    groups = [f"team-{number}" for number in range(101)]

    assert "too-many-groups" in codes({**GROUPS, "CODER_OIDC_GROUP_FIELD": "groups"}, {"groups": groups})


def test_list_item_whitespace():
    env = {**ORG, "CODER_OIDC_SCOPES": "openid, profile, email, offline_access"}

    assert "list-item-whitespace" in codes(env)


def test_errors_come_first():
    env = {**GROUPS, "CODER_OIDC_SCOPES": "openid,profile,email,groups"}
    found = codes(env, {"groups": "a,b"})

    assert found[0] == "claim-is-comma-string"


def test_every_code_has_a_test():
    tested = {name for name in globals() if name.startswith("test_")}
    untested = [code for code in CODES if not any(code.replace("-", "_") in name for name in tested)]

    # login-rejected covers the remaining sign-in errors and is tested in test_sync.py.
    assert untested == ["login-rejected"]


def test_unknown_code_rejected():
    with pytest.raises(ValueError):
        Diagnostic("no-such-code", "error", "message")
