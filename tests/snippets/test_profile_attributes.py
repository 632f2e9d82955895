"""snippets/profile-attributes, shown on docs/guides/profile-attributes.md."""

from tests.snippets import checks

FOLDER = "profile-attributes"
PAGE = "guides/profile-attributes.md"


def test_outcome_matches_page():
    checks.check_outcome(checks.scenario(FOLDER))


def test_token_shapes():
    item = checks.scenario(FOLDER)

    checks.check_id_token_shape(item)
    checks.check_userinfo_shape(item)


def test_okta_settings_give_userinfo():
    checks.check_okta_settings(checks.scenario(FOLDER))


def test_page_shows_snippets():
    checks.check_page_shows(checks.scenario(FOLDER), PAGE)


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
