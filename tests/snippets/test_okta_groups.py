"""snippets/okta-groups, shown on docs/guides/okta-groups.md."""

from tests.snippets import checks

FOLDER = "okta-groups"


def test_claim_name_is_group_and_role_field():
    item = checks.scenario(FOLDER)
    name = item.okta["app"]["groups_claim"]["name"]

    assert item.settings.group_field == name, "coder.env: CODER_OIDC_GROUP_FIELD must equal the Okta claim name"
    assert item.settings.user_role_field == name, "coder.env: CODER_OIDC_USER_ROLE_FIELD must equal the Okta claim name"


def test_scopes_request_groups_and_refresh():
    scopes = checks.scenario(FOLDER).settings.scopes

    assert scopes == ("openid", "profile", "email", "offline_access", "groups"), f"coder.env: CODER_OIDC_SCOPES is {scopes}"
