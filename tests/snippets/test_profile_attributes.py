"""snippets/profile-attributes, shown on docs/guides/profile-attributes.md."""

from tests.snippets import checks

FOLDER = "profile-attributes"


def test_attribute_name_is_one_string_everywhere():
    # The variable name in Okta, the /userinfo key and the Coder setting must be equal.
    item = checks.scenario(FOLDER)
    names = {attribute["display_name"]: attribute["variable_name"] for attribute in item.okta["app"]["profile_attributes"]}

    assert item.settings.user_role_field == names["Coder roles"], "coder.env: CODER_OIDC_USER_ROLE_FIELD differs from the Okta variable name"
    assert item.settings.group_field == names["Coder groups"], "coder.env: CODER_OIDC_GROUP_FIELD differs from the Okta variable name"
    assert item.settings.user_role_field in item.userinfo, "userinfo.json lacks the role attribute"
    assert item.settings.group_field in item.userinfo, "userinfo.json lacks the group attribute"


def test_attributes_need_userinfo():
    item = checks.scenario(FOLDER)

    assert item.settings.ignore_userinfo is False, "coder.env: Coder must read /userinfo for this approach"
    assert "profile" in item.settings.scopes, "coder.env: /userinfo returns app profile attributes only with the profile scope"
    assert "offline_access" in item.settings.scopes
