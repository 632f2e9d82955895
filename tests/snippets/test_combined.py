"""snippets/combined, shown on docs/guides/combine.md."""

from tests.snippets import checks

FOLDER = "combined"
PAGE = "guides/combine.md"


def test_outcome_matches_page():
    checks.check_outcome(checks.scenario(FOLDER))


def test_token_shapes():
    item = checks.scenario(FOLDER)

    checks.check_id_token_shape(item)
    checks.check_userinfo_shape(item)


def test_okta_settings_give_tokens():
    checks.check_okta_settings(checks.scenario(FOLDER))


def test_page_shows_snippets():
    checks.check_page_shows(checks.scenario(FOLDER), PAGE)


def test_groups_and_roles_come_from_different_sources():
    item = checks.scenario(FOLDER)
    result = item.run()

    assert item.settings.group_field in item.id_token, "id-token.json must carry the groups claim"
    assert item.settings.user_role_field not in item.id_token, "the role attribute reaches Coder only through /userinfo"
    assert result.claims[item.settings.user_role_field] == item.userinfo[item.settings.user_role_field]
