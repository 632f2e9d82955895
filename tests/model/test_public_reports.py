"""Situations administrators reported in public issue trackers, reduced to minimal inputs.

Okta-side parts that our model of Okta does not cover yet (which groups a
filter sends) are given as the token Okta sends in that situation.
"""

from idpsync import CoderSettings, sync_user

CLIENT = {
    "CODER_OIDC_CLIENT_ID": "0oa5x4w3v2u1t0s9r8q7",
    "CODER_OIDC_SCOPES": "openid,profile,email,offline_access,groups",
    "CODER_OIDC_GROUP_FIELD": "groups",
}
ORG = {**CLIENT, "CODER_OIDC_ISSUER_URL": "https://example.okta.com"}
DEFAULT_SERVER = {**CLIENT, "CODER_OIDC_ISSUER_URL": "https://example.okta.com/oauth2/default"}
USER = {"sub": "00u6h8j0k2m4n6q8s0u2", "email": "dana@example.com"}


def test_filter_matching_nothing_empties_groups():
    # Sign On filter "Starts with" Group-, user in Everyone and grp-dev:
    # Okta sends no groups claim at all.
    result = sync_user(CoderSettings.from_env(ORG), USER, coder_groups=["grp-dev"])

    assert result.groups == []
    assert result.codes() == ["group-claim-missing"]
    assert "filter" in result.diagnostics[0].fix


def test_no_groups_means_no_groups():
    result = sync_user(CoderSettings.from_env(ORG), USER, coder_groups=["coder-users"])

    assert result.group_sync == "applied"
    assert result.groups == []


def test_groups_claim_on_wrong_server():
    # Groups claim set on the Sign On tab only; the issuer is the default server.
    result = sync_user(CoderSettings.from_env(DEFAULT_SERVER), USER, coder_groups=["coder-users"])

    assert result.groups == []
    assert "group-claim-missing" in result.codes()
    (missing,) = [item for item in result.diagnostics if item.code == "group-claim-missing"]
    assert "authorization server 'default'" in missing.fix


def test_groups_scope_unknown_to_custom_server():
    # Okta returns invalid_scope unless the default server defines a groups scope.
    result = sync_user(CoderSettings.from_env(DEFAULT_SERVER), {**USER, "groups": ["coder-users"]}, coder_groups=["coder-users"])
    (notice,) = [item for item in result.diagnostics if item.code == "custom-scope-must-exist"]

    assert "groups" in notice.message
    assert "invalid_scope" in notice.message


def test_claim_name_case():
    result = sync_user(CoderSettings.from_env(ORG), {**USER, "Groups": ["coder-users"]}, coder_groups=["coder-users"])

    assert result.groups == []
    assert result.codes() == ["claim-name-case-mismatch"]


def test_email_verified_absent_from_id_token():
    result = sync_user(
        CoderSettings.from_env(ORG),
        {**USER, "groups": ["coder-users"]},
        userinfo={"email_verified": True},
        coder_groups=["coder-users"],
    )

    assert result.login_allowed is True


def test_email_verified_absent_everywhere():
    result = sync_user(CoderSettings.from_env(ORG), {**USER, "groups": ["coder-users"]}, coder_groups=["coder-users"])

    assert result.login_allowed is True


def test_string_false_does_not_reject():
    result = sync_user(CoderSettings.from_env(ORG), {**USER, "email_verified": "false", "groups": []})

    assert result.login_allowed is True


def test_more_than_100_groups():
    groups = [f"team-{number:03}" for number in range(101)]
    result = sync_user(CoderSettings.from_env(ORG), {**USER, "groups": groups})

    assert "too-many-groups" in result.codes()
