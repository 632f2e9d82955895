"""What the Okta model sends for one sign-in: thin and full ID tokens, /userinfo, access tokens and error responses."""

import pytest

from idpsync.okta import OktaError, TooManyGroups, issue_tokens, public_jwk
from idpsync.okta.signing import at_hash
from idpsync.tokens import load_claims
from tests.okta.setups import CUSTOM, CUSTOM_SCOPES, CUSTOM_SERVER, ORG_KEY, ORG_SCOPES, issue, setup
from tests.tokens.samples import NOW

# Org authorization server: the Sign On tab groups claim.


def test_groups_claim_in_id_token_and_userinfo():
    response = issue()

    assert response.id_token["groups"] == ["coder-admins"]
    assert response.userinfo["groups"] == ["coder-admins"]
    assert "groups" not in response.access_token, "the org server never puts the groups claim in the access token"


def test_groups_claim_needs_groups_scope():
    response = issue(scopes=["openid", "profile", "email"])

    assert "groups" not in response.id_token
    assert "groups" not in response.userinfo


def test_groups_claim_left_out_when_nothing_matches():
    response = issue(replace={"app.groups_claim.value": "nobody-"})

    assert "groups" not in response.id_token
    assert "groups" not in response.userinfo


def test_everyone_group_always_present():
    response = issue(replace={"app.groups_claim": {"type": "Filter", "name": "groups", "filter": "Matches regex", "value": ".*"}})

    assert response.id_token["groups"] == ["Everyone", "coder-admins", "finance"]


def test_more_than_100_groups_fail_sign_in():
    groups = [f"coder-{number:03d}" for number in range(101)]

    with pytest.raises(TooManyGroups) as caught:
        issue(replace={"user.groups": groups})
    assert caught.value.error == "server_error"


def test_claim_name_keeps_its_case():
    response = issue(replace={"app.groups_claim.name": "Groups"})

    assert response.id_token["Groups"] == ["coder-admins"]
    assert "groups" not in response.id_token


def test_expression_groups_claim_as_csv_string():
    claim = {"type": "Expression", "name": "groups", "value": 'Arrays.toCsvString(Groups.startsWith("OKTA", "", 100))'}
    response = issue(replace={"app.groups_claim": claim})

    assert response.id_token["groups"] == "Everyone,coder-admins,finance"


# Org authorization server: app profile attributes.


def test_app_attributes_only_in_userinfo():
    response = issue()

    assert response.userinfo["coder_roles"] == ["template-admin"]
    assert response.userinfo["coder_team"] == "platform", "a string attribute stays a JSON string"
    assert "coder_roles" not in response.id_token
    assert "coder_roles" not in response.access_token


def test_app_attributes_need_profile_scope():
    response = issue(scopes=["openid", "email", "groups"])

    assert "coder_roles" not in response.userinfo
    assert "name" not in response.userinfo


def test_app_attribute_without_value_left_out():
    response = issue(replace={"user.app_profile": {"coder_roles": ["template-admin"]}})

    assert "coder_team" not in response.userinfo


def test_custom_server_ignores_app_attributes():
    response = issue(CUSTOM)

    assert "coder_roles" not in response.userinfo


# Thin and full ID tokens, and /userinfo.


def test_code_flow_id_token_is_thin():
    response = issue()

    for claim in ("name", "preferred_username", "email"):
        assert claim in response.id_token
    for claim in ("given_name", "family_name", "locale", "zoneinfo", "updated_at", "email_verified"):
        assert claim not in response.id_token, f"{claim} belongs to full ID tokens and /userinfo"


def test_implicit_id_token_is_full():
    response = issue(flow="implicit")

    for claim in ("given_name", "family_name", "locale", "zoneinfo", "updated_at", "email_verified", "groups"):
        assert claim in response.id_token
    assert "at_hash" not in response.id_token, "no access token, so no at_hash"
    assert response.access_token is None
    assert response.userinfo is None


def test_email_verified_only_in_userinfo():
    response = issue(replace={"user.email_verified": False})

    assert "email_verified" not in response.id_token
    assert response.userinfo["email_verified"] is False


def test_userinfo_claim_order():
    response = issue()

    assert list(response.userinfo) == [
        "sub", "name", "locale", "email", "preferred_username", "given_name", "family_name", "zoneinfo",
        "updated_at", "email_verified", "groups", "coder_roles", "coder_team",
    ]


def test_userinfo_needs_a_userinfo_scope():
    response = issue(scopes=["openid", "groups"])

    assert response.userinfo is None
    assert response.userinfo_error.error == "insufficient_scope"
    assert response.userinfo_error.status == 403


def test_base_claims_without_scopes():
    response = issue(scopes=["openid"])

    assert list(response.id_token) == ["sub", "ver", "iss", "aud", "iat", "exp", "jti", "amr", "idp", "auth_time", "at_hash"]


def test_nonce_echoed():
    response = issue(replace={"sign_in.nonce": "n-123"})

    assert response.id_token["nonce"] == "n-123"


def test_code_flow_needs_access_token_id():
    with pytest.raises(ValueError, match="sign_in.access_token_jti is missing"):
        issue_tokens(setup(replace={"sign_in.flow": "implicit", "sign_in.access_token_jti": None}), ORG_KEY, ORG_SCOPES, "authorization_code")


def test_openid_required():
    with pytest.raises(ValueError, match="lack openid"):
        issue(scopes=["profile", "email"])


# Custom authorization server.


def test_custom_claim_always_in_code_flow_id_token():
    response = issue(CUSTOM)

    assert response.id_token["roles"] == ["coder-admins"]
    assert response.userinfo["roles"] == ["coder-admins"]


def test_userinfo_only_claim_not_in_id_token():
    response = issue(CUSTOM, replace={"server.claim.include": "Userinfo / id_token request"})

    assert "roles" not in response.id_token
    assert response.userinfo["roles"] == ["coder-admins"]


def test_userinfo_only_claim_in_implicit_id_token():
    response = issue(CUSTOM, flow="implicit", replace={"server.claim.include": "Userinfo / id_token request"})

    assert response.id_token["roles"] == ["coder-admins"]


def test_include_defaults_to_userinfo_only():
    # Okta's default for an ID token claim is "Userinfo / id_token request".
    response = issue(CUSTOM, replace={"server.claim.include": None})

    assert "roles" not in response.id_token


def test_claim_limited_to_its_scope():
    response = issue(CUSTOM, scopes=["openid", "profile", "email", "offline_access"])

    assert "roles" not in response.id_token
    assert "roles" not in response.userinfo


def test_claim_for_any_scope():
    response = issue(CUSTOM, scopes=["openid", "profile"], replace={"server.claim.include_in": "Any scope"})

    assert response.id_token["roles"] == ["coder-admins"]


def test_access_token_claim_only_in_access_token():
    response = issue(CUSTOM, replace={"server.claim.include_in_token_type": "Access Token"})

    assert response.access_token["roles"] == ["coder-admins"]
    assert "roles" not in response.id_token
    assert "roles" not in response.userinfo


def test_groups_value_type_on_custom_server():
    claim = {**CUSTOM_SERVER["claim"], "value_type": "Groups", "filter": "Matches regex", "value": "coder-.*"}
    response = issue(CUSTOM, replace={"server.claim": claim})

    assert response.id_token["roles"] == ["coder-admins"]


def test_app_attribute_claim_on_custom_server():
    claim = {**CUSTOM_SERVER["claim"], "value": "appuser.coder_roles"}
    response = issue(CUSTOM, replace={"server.claim": claim})

    assert response.id_token["roles"] == ["template-admin"]


def test_custom_server_ignores_sign_on_groups_claim():
    response = issue(CUSTOM, scopes=["openid", "profile", "email", "offline_access"])

    assert "groups" not in response.id_token
    assert "groups" not in response.userinfo


def test_access_token_of_default_server():
    response = issue(CUSTOM)

    assert response.access_token["aud"] == "api://default"
    assert response.access_token["scp"] == CUSTOM_SCOPES
    assert response.access_token["iss"] == "https://example.okta.com/oauth2/default"
    assert response.access_token["cid"] == "0oa5x4w3v2u1t0s9r8q7"
    assert response.access_token["uid"] == "00u8f3k2j1h0g9f8e7d6"
    assert response.access_token["sub"] == "sam@example.com", "sub of an access token is the login, uid is the user ID"
    assert response.access_token["jti"].startswith("AT.")


def test_access_token_of_other_custom_server():
    server = {**CUSTOM_SERVER, "name": "Coder", "issuer": "https://id.example.com/oauth2/aus9o8wzkhckw9TLa0h7z", "audience": "https://coder.example.com"}
    response = issue(CUSTOM, replace={"server": server})

    assert response.access_token["aud"] == "https://coder.example.com"
    assert response.id_token["iss"] == "https://id.example.com/oauth2/aus9o8wzkhckw9TLa0h7z"


def test_access_token_of_org_server():
    response = issue()

    assert response.access_token["aud"] == "https://example.okta.com"
    assert response.access_token["scp"] == ORG_SCOPES


def test_groups_scope_missing_on_custom_server():
    with pytest.raises(OktaError) as caught:
        issue(CUSTOM, scopes=CUSTOM_SCOPES + ["groups"])

    assert caught.value.error == "invalid_scope"
    assert caught.value.description == "One or more scopes are not configured for the authorization server resource."
    assert "no scope groups" in caught.value.cause


def test_custom_scope_on_org_server_rejected():
    with pytest.raises(OktaError) as caught:
        issue(scopes=["openid", "profile", "roles"])

    assert caught.value.error == "invalid_scope"
    assert "no scope roles" in caught.value.cause


def test_custom_server_needs_access_policy():
    with pytest.raises(OktaError) as caught:
        issue(CUSTOM, replace={"server.access_policy": None})

    assert caught.value.error == "access_denied"
    assert caught.value.status == 401


def test_access_policy_for_other_app_rejected():
    with pytest.raises(OktaError, match="assigned to 'Jira'"):
        issue(CUSTOM, replace={"server.access_policy.assigned_to": "Jira"})


def test_access_policy_for_all_clients():
    assert issue(CUSTOM, replace={"server.access_policy.assigned_to": "All clients"}).id_token


# Signing.


def test_tokens_verify_and_carry_at_hash():
    response = issue()

    id_token = load_claims(response.id_token_jwt, jwks={"keys": [public_jwk(ORG_KEY)]}, now=NOW)
    access_token = load_claims(response.access_token_jwt, jwks={"keys": [public_jwk(ORG_KEY)]}, now=NOW)

    assert id_token.claims == response.id_token
    assert access_token.claims == response.access_token
    assert response.id_token["at_hash"] == at_hash(response.access_token_jwt)


def test_signing_is_deterministic():
    assert issue().id_token_jwt == issue().id_token_jwt


def test_lifetime_one_hour():
    response = issue()

    assert response.id_token["exp"] - response.id_token["iat"] == 3600
    assert response.access_token["exp"] - response.access_token["iat"] == 3600
