"""snippets/troubleshooting/<case>, shown on docs/troubleshooting.md."""

import pytest

from tests.paths import SNIPPETS
from tests.snippets import checks

PAGE = "troubleshooting.md"
CASES = sorted(path.name for path in (SNIPPETS / "troubleshooting").iterdir() if (path / "scenario.yaml").is_file())


def test_cases_found():
    # An empty folder list would make every parametrized test below vanish.
    assert len(CASES) >= 8, CASES


@pytest.mark.parametrize("case", CASES)
def test_outcome_matches_page(case):
    checks.check_outcome(checks.scenario(f"troubleshooting/{case}"))


@pytest.mark.parametrize("case", CASES)
def test_token_shapes(case):
    item = checks.scenario(f"troubleshooting/{case}")

    checks.check_id_token_shape(item)
    checks.check_userinfo_shape(item)


@pytest.mark.parametrize("case", CASES)
def test_okta_settings_give_token(case):
    checks.check_okta_settings(checks.scenario(f"troubleshooting/{case}"))


@pytest.mark.parametrize("case", CASES)
def test_page_shows_case(case):
    checks.check_page_shows(checks.scenario(f"troubleshooting/{case}"), PAGE)


@pytest.mark.parametrize("case", CASES)
def test_case_shows_a_problem(case):
    # Each troubleshooting case exists to show one diagnostic.
    assert checks.scenario(f"troubleshooting/{case}").expect["diagnostics"], f"snippets/troubleshooting/{case} expects no diagnostic"
