"""The troubleshooting edge cases: what Okta sends in each, and the diagnostic code Coder's model gives for it."""

from dataclasses import replace

import pytest

from idpsync.okta import OktaError, TooManyGroups, issue_tokens, load_okta_setup, load_signing_key
from tests.paths import DOCS
from tests.snippets import checks
from tests.tokens.samples import make_samples

# Troubleshooting folder and the diagnostic code its sign-in must give.
EDGE_CASES = {
    "filter-matches-nothing": "group-claim-missing",
    "too-many-groups": "too-many-groups",
    "comma-string": "claim-is-comma-string",
    "claim-name-case": "claim-name-case-mismatch",
    "claim-only-in-userinfo": "claim-only-in-userinfo-but-ignored",
    "custom-scope-on-org-server": "custom-scope-on-org-server",
}


def scenario(case):
    return checks.scenario(f"troubleshooting/{case}")


def okta_model(case):
    """Return the case's Okta setup and the test-only key of its server."""
    item = scenario(case)
    setup = load_okta_setup(item.folder / "okta.yaml")
    return setup, load_signing_key(make_samples().key_path(setup.issuer)), item


@pytest.mark.parametrize(("case", "code"), EDGE_CASES.items())
def test_edge_case_gives_code(case, code):
    codes = scenario(case).run().codes()

    assert code in codes, f"snippets/troubleshooting/{case}: expected {code}, the model gives {codes}"


@pytest.mark.parametrize("case", EDGE_CASES)
def test_edge_case_sample_from_okta_model(case):
    checks.check_okta_settings(scenario(case))


def test_no_matching_group_sends_no_claim():
    setup, key, item = okta_model("filter-matches-nothing")
    response = issue_tokens(setup, key, item.settings.scopes)

    assert "groups" in item.settings.scopes
    assert "groups" not in response.id_token
    assert "groups" not in item.id_token


def test_too_many_groups_at_the_limit():
    setup, key, item = okta_model("too-many-groups")

    assert len(setup.user.groups) > 100, "the user is in more than 100 groups"
    assert len(item.id_token["groups"]) == 100, "the filter matches exactly Okta's limit"


def test_one_more_group_fails_sign_in():
    setup, key, item = okta_model("too-many-groups")
    one_more = replace(setup, user=replace(setup.user, groups=setup.user.groups + ("eng-project-099",)))

    with pytest.raises(TooManyGroups) as caught:
        issue_tokens(one_more, key, item.settings.scopes)
    assert caught.value.error == "server_error"
    assert "101 of the user's groups" in caught.value.cause


def test_comma_string_is_one_string():
    groups = scenario("comma-string").id_token["groups"]

    assert isinstance(groups, str)
    assert groups == "coder-admins,coder-developers"


def test_claim_name_case_sends_groups_capitalized():
    item = scenario("claim-name-case")

    assert "Groups" in item.id_token
    assert "groups" not in item.id_token
    assert item.settings.group_field == "groups"


def test_userinfo_only_claim_missing_from_id_token():
    item = scenario("claim-only-in-userinfo")

    assert item.settings.ignore_userinfo is True
    assert "roles" not in item.id_token
    assert item.userinfo["roles"] == ["coder-auditors", "coder-developers"]


def test_org_server_rejects_custom_scope():
    setup, key, item = okta_model("custom-scope-on-org-server")

    with pytest.raises(OktaError) as caught:
        issue_tokens(setup, key, item.settings.scopes)
    assert caught.value.error == "invalid_scope"
    assert item.id_token["iss"] == "https://example.okta.com"
    assert "roles" not in item.id_token


def test_every_edge_case_on_page():
    page = (DOCS / "troubleshooting.md").read_text(encoding="utf-8")

    for case in EDGE_CASES:
        assert f'outcome("troubleshooting/{case}")' in page, f"docs/troubleshooting.md does not show snippets/troubleshooting/{case}"
        assert f'diagnostics("troubleshooting/{case}")' in page, f"docs/troubleshooting.md does not list the diagnostics of snippets/troubleshooting/{case}"
