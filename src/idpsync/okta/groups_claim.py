"""The group names Okta puts in a groups claim, for a Groups filter or a Groups.* expression."""

import re

from .errors import OktaError

__all__ = ["FILTER_TYPES", "OKTA_GROUP_LIMIT", "TooManyGroups", "filter_groups", "evaluate_groups_expression"]

# Okta includes at most 100 groups in a groups claim and fails the request
# (server_error) when more match.
OKTA_GROUP_LIMIT = 100

# Filter types as the Admin Console labels them.
FILTER_TYPES = ("Starts with", "Equals", "Contains", "Matches regex")

_EXPRESSION = re.compile(
    r'^\s*Groups\.(startsWith|endsWith|contains)\(\s*"([^"]*)"\s*,\s*"([^"]*)"\s*,\s*(\d+)\s*\)\s*$'
)


class TooManyGroups(OktaError):
    """Raised when more groups match than Okta puts in one claim."""

    def __init__(self, claim: str, matched: int):
        super().__init__(
            "server_error",
            "The groups claim matched too many groups and must be configured to match fewer groups.",
            f"{matched} of the user's groups match the filter of the {claim!r} claim, and Okta sends at most "
            f"{OKTA_GROUP_LIMIT}; narrow the filter, for example to a prefix that only the groups Coder needs share",
        )
        self.matched = matched


def filter_groups(filter_type: str, value: str, groups: list[str], claim: str = "groups") -> list[str] | None:
    """Return the claim value Okta sends for a Groups filter, or None when Okta leaves the claim out.

    Starts with, Equals and Contains ignore case; Matches regex is
    case-sensitive and must match the whole group name (Okta's authorization
    server reference, group_filter_type). Okta omits a groups claim that
    would be empty, as Coder's developers found when they added group sync
    (github.com/coder/coder/issues/6545). Raises TooManyGroups when more than
    100 groups match.
    """
    if filter_type == "Starts with":
        matched = [group for group in groups if group.lower().startswith(value.lower())]
    elif filter_type == "Equals":
        matched = [group for group in groups if group.lower() == value.lower()]
    elif filter_type == "Contains":
        matched = [group for group in groups if value.lower() in group.lower()]
    elif filter_type == "Matches regex":
        try:
            pattern = re.compile(value)
        except re.error:
            # Okta saves an invalid pattern, such as a bare *, and then matches nothing with it.
            pattern = None
        matched = [group for group in groups if pattern is not None and pattern.fullmatch(group)]
    else:
        raise ValueError(f"unknown groups claim filter {filter_type!r}; use one of {', '.join(FILTER_TYPES)}")

    # NOTE: Okta's OIDC reference, error-code table and custom authorization
    # server guide all state that the request fails above 100 groups. HashiCorp
    # Vault's Okta guide reports instead that Okta silently truncates the ID
    # token's groups claim at 100. The model follows Okta's docs.
    if len(matched) > OKTA_GROUP_LIMIT:
        raise TooManyGroups(claim, len(matched))
    return matched or None


def evaluate_groups_expression(expression: str, groups: list[str]) -> list[str] | None:
    """Evaluate ``Groups.startsWith|endsWith|contains("OKTA", "text", limit)`` on Okta-sourced groups.

    Returns None when no group matches, because Okta drops a claim whose
    value is empty. Any other expression, and a limit outside 1 to 100 (the
    range Okta's expression language allows), raise ValueError naming it.
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
    if not 1 <= int(limit) <= OKTA_GROUP_LIMIT:
        raise ValueError(f"the expression {expression!r} has the limit {limit}; Okta accepts a limit from 1 to {OKTA_GROUP_LIMIT}")

    # NOTE: Okta's docs do not say whether Groups.* functions ignore case; this
    # follows the Groups filter types, which do.
    tests = {
        "startsWith": lambda name: name.lower().startswith(text.lower()),
        "endsWith": lambda name: name.lower().endswith(text.lower()),
        "contains": lambda name: text.lower() in name.lower(),
    }
    matched = [group for group in groups if tests[function](group)][: int(limit)]
    return matched or None
