"""Which group names Okta puts in a groups claim, for a Groups filter or a Groups.* expression."""

import re

__all__ = ["FILTER_TYPES", "OKTA_GROUP_LIMIT", "TooManyGroups", "filter_groups", "evaluate_groups_expression"]

# Okta includes at most 100 groups in a groups claim and fails the request
# (server_error) when more match.
OKTA_GROUP_LIMIT = 100

# Filter types as the Admin Console labels them.
FILTER_TYPES = ("Starts with", "Equals", "Contains", "Matches regex")

_EXPRESSION = re.compile(
    r'^\s*Groups\.(startsWith|endsWith|contains)\(\s*"([^"]*)"\s*,\s*"([^"]*)"\s*,\s*(\d+)\s*\)\s*$'
)


class TooManyGroups(ValueError):
    """Raised when more groups match than Okta puts in one claim."""


def filter_groups(filter_type: str, value: str, groups: list[str]) -> list[str] | None:
    """Return the claim value Okta sends for a Groups filter, or None when Okta leaves the claim out.

    Starts with, Equals and Contains ignore case; Matches regex is
    case-sensitive and must match the whole group name. Okta omits a groups
    claim that would be empty.
    """
    if filter_type == "Starts with":
        matched = [group for group in groups if group.lower().startswith(value.lower())]
    elif filter_type == "Equals":
        matched = [group for group in groups if group.lower() == value.lower()]
    elif filter_type == "Contains":
        matched = [group for group in groups if value.lower() in group.lower()]
    elif filter_type == "Matches regex":
        pattern = re.compile(value)
        matched = [group for group in groups if pattern.fullmatch(group)]
    else:
        raise ValueError(f"unknown groups claim filter {filter_type!r}; use one of {', '.join(FILTER_TYPES)}")

    if len(matched) > OKTA_GROUP_LIMIT:
        raise TooManyGroups(
            "The groups claim matched too many groups and must be configured to match fewer groups."
        )
    return matched or None


def evaluate_groups_expression(expression: str, groups: list[str]) -> list[str] | None:
    """Evaluate ``Groups.startsWith|endsWith|contains("OKTA", "text", limit)`` on Okta-sourced groups.

    Returns None when no group matches, because Okta drops a claim whose
    value is empty. Any other expression raises ValueError naming it.
    """
    match = _EXPRESSION.match(expression)
    if not match:
        raise ValueError(
            f"cannot evaluate the Okta expression {expression!r}; only "
            'Groups.startsWith/endsWith/contains("OKTA", "text", limit) is modelled'
        )
    function, source, text, limit = match.groups()
    if source != "OKTA":
        raise ValueError(f"the expression {expression!r} reads groups from {source!r}; only OKTA groups are modelled")

    # NOTE: Okta's docs do not say whether Groups.* functions ignore case; this
    # follows the Groups filter types, which do.
    tests = {
        "startsWith": lambda name: name.lower().startswith(text.lower()),
        "endsWith": lambda name: name.lower().endswith(text.lower()),
        "contains": lambda name: text.lower() in name.lower(),
    }
    matched = [group for group in groups if tests[function](group)][: int(limit)]
    return matched or None
