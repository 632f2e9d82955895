"""Groups claim filters and expressions: which group names Okta sends, and when it sends none."""

import pytest

from idpsync.okta import OktaError, TooManyGroups, filter_groups
from idpsync.okta.expressions import evaluate_expression
from idpsync.okta.groups_claim import OKTA_GROUP_LIMIT, evaluate_groups_expression

GROUPS = ["Everyone", "coder-admins", "Coder-Developers", "team-coder", "finance", "group1", "Group123"]


@pytest.mark.parametrize(
    ("filter_type", "value", "expected"),
    [
        # Starts with, Equals and Contains ignore case (Okta's group_filter_type reference).
        ("Starts with", "coder-", ["coder-admins", "Coder-Developers"]),
        ("Starts with", "CODER-", ["coder-admins", "Coder-Developers"]),
        ("Starts with", "group1", ["group1", "Group123"]),
        ("Equals", "group1", ["group1"]),
        ("Equals", "GROUP1", ["group1"]),
        ("Contains", "coder", ["coder-admins", "Coder-Developers", "team-coder"]),
        ("Contains", "GROUP1", ["group1", "Group123"]),
        # Matches regex is case-sensitive and must match the whole name.
        ("Matches regex", "coder-.*", ["coder-admins"]),
        ("Matches regex", "(?i)coder-.*", ["coder-admins", "Coder-Developers"]),
        ("Matches regex", "coder", []),
        ("Matches regex", ".*coder.*", ["coder-admins", "team-coder"]),
        ("Matches regex", "coder-admins|finance", ["coder-admins", "finance"]),
        ("Matches regex", ".*", GROUPS),
    ],
)
def test_filter_types(filter_type, value, expected):
    assert filter_groups(filter_type, value, GROUPS) == (expected or None)


def test_everyone_matched_like_any_group():
    assert filter_groups("Matches regex", ".*", ["Everyone", "IT"]) == ["Everyone", "IT"]
    assert filter_groups("Starts with", "every", ["Everyone", "IT"]) == ["Everyone"]


def test_no_match_leaves_claim_out():
    # Okta leaves the claim out instead of sending an empty array.
    assert filter_groups("Starts with", "Group-", ["Everyone", "grp-dev"]) is None


def test_invalid_regex_matches_nothing():
    # Okta saves a bare * and then matches no group with it.
    assert filter_groups("Matches regex", "*", GROUPS) is None


def test_exactly_100_groups_sent():
    groups = [f"eng-{number:03d}" for number in range(100)]

    assert filter_groups("Starts with", "eng-", groups) == groups


def test_more_than_100_groups_fail():
    groups = [f"eng-{number:03d}" for number in range(OKTA_GROUP_LIMIT + 1)]

    with pytest.raises(TooManyGroups) as caught:
        filter_groups("Starts with", "eng-", groups, claim="groups")

    assert isinstance(caught.value, OktaError)
    assert caught.value.error == "server_error"
    assert caught.value.description == "The groups claim matched too many groups and must be configured to match fewer groups."
    assert "101 of the user's groups" in caught.value.cause


def test_unknown_filter_rejected():
    with pytest.raises(ValueError, match="'Begins with'; use one of Starts with"):
        filter_groups("Begins with", "coder-", GROUPS)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('Groups.startsWith("OKTA", "coder-", 100)', ["coder-admins", "Coder-Developers"]),
        ('Groups.endsWith("OKTA", "-coder", 100)', ["team-coder"]),
        ('Groups.contains("OKTA", "coder", 2)', ["coder-admins", "Coder-Developers"]),
        ('Groups.startsWith("OKTA", "nobody-", 100)', None),
    ],
)
def test_groups_expressions(expression, expected):
    assert evaluate_groups_expression(expression, GROUPS) == expected


@pytest.mark.parametrize("limit", ["0", "101"])
def test_expression_limit_range(limit):
    with pytest.raises(ValueError, match="from 1 to 100"):
        evaluate_groups_expression(f'Groups.startsWith("OKTA", "coder-", {limit})', GROUPS)


def test_expression_other_source_rejected():
    with pytest.raises(ValueError, match="reads groups from 'active_directory'"):
        evaluate_groups_expression('Groups.startsWith("active_directory", "coder-", 100)', GROUPS)


def test_csv_string_expression():
    value = evaluate_expression('Arrays.toCsvString(Groups.startsWith("OKTA", "coder-", 100))', GROUPS, {}, {})

    assert value == "coder-admins,Coder-Developers"


def test_csv_string_of_nothing_dropped():
    assert evaluate_expression('Arrays.toCsvString(Groups.startsWith("OKTA", "x-", 100))', GROUPS, {}, {}) is None


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("appuser.coder_roles", ["coder-admins"]),
        ("user.department", "Engineering"),
        ("appuser.missing", None),
        ("user.empty", None),
    ],
)
def test_attribute_expressions(expression, expected):
    user_profile = {"department": "Engineering", "empty": []}
    app_profile = {"coder_roles": ["coder-admins"]}

    assert evaluate_expression(expression, GROUPS, user_profile, app_profile) == expected


def test_unsupported_expression_rejected():
    with pytest.raises(ValueError, match="cannot evaluate the Okta expression 'isMemberOfGroupName"):
        evaluate_expression('isMemberOfGroupName("x")', GROUPS, {}, {})
