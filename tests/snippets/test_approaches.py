"""The checks every approach's snippet folder goes through, against the guide page that shows it.

Approach-specific checks live in test_<folder>.py beside this module.
"""

import pytest

from tests.snippets import checks

# Snippet folder and the guide page that includes it.
APPROACHES = {
    "okta-groups": "guides/okta-groups.md",
    "profile-attributes": "guides/profile-attributes.md",
    "custom-authorization-server": "guides/custom-authorization-server.md",
    "combined": "guides/combine.md",
}


@pytest.mark.parametrize("folder", APPROACHES)
def test_outcome_matches_page(folder):
    checks.check_outcome(checks.scenario(folder))


@pytest.mark.parametrize("folder", APPROACHES)
def test_token_shapes(folder):
    item = checks.scenario(folder)

    checks.check_id_token_shape(item)
    checks.check_userinfo_shape(item)


@pytest.mark.parametrize("folder", APPROACHES)
def test_okta_settings_give_tokens(folder):
    checks.check_okta_settings(checks.scenario(folder))


@pytest.mark.parametrize("folder", APPROACHES)
def test_page_shows_snippets(folder):
    checks.check_page_shows(checks.scenario(folder), APPROACHES[folder])
