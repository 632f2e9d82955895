"""snippets/combined, shown on docs/guides/combine.md."""

from tests.snippets import checks

FOLDER = "combined"


def test_groups_and_roles_come_from_different_sources():
    item = checks.scenario(FOLDER)
    result = item.run()

    assert item.settings.group_field in item.id_token, "id-token.json must carry the groups claim"
    assert item.settings.user_role_field not in item.id_token, "the role attribute reaches Coder only through /userinfo"
    assert result.claims[item.settings.user_role_field] == item.userinfo[item.settings.user_role_field]
