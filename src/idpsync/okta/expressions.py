"""The part of Okta's expression language that claim values in this guide use.

Supported: ``Groups.startsWith|endsWith|contains("OKTA", "text", limit)``,
``Arrays.toCsvString(<expression>)``, ``appuser.<attribute>`` (the app user
profile) and ``user.<attribute>`` (the Okta user profile). Anything else
raises ValueError naming the expression.
"""

import re
from collections.abc import Mapping
from typing import Any

from .groups_claim import evaluate_groups_expression

__all__ = ["evaluate_expression"]

_CSV = re.compile(r"^\s*Arrays\.toCsvString\((.*)\)\s*$", re.S)
_ATTRIBUTE = re.compile(r"^\s*(appuser|user)\.([A-Za-z_][A-Za-z0-9_]*)\s*$")


def evaluate_expression(
    expression: str,
    groups: list[str],
    user_profile: Mapping[str, Any],
    app_profile: Mapping[str, Any],
) -> Any:
    """Return the value of ``expression`` for one user, or None when Okta would drop the claim.

    Okta leaves a custom claim out when its expression evaluates to null
    (Okta's OAuth 2.0 reference, custom claims). The model also drops an
    empty array, as Okta drops a groups claim that matches no group.
    """
    csv = _CSV.match(expression)
    if csv:
        inner = evaluate_expression(csv.group(1), groups, user_profile, app_profile)
        if inner is None:
            return None
        if not isinstance(inner, list):
            raise ValueError(f"Arrays.toCsvString in {expression!r} needs an array, but its argument gives {inner!r}")
        # Arrays.toCsvString joins the items with a comma and no space.
        return ",".join(str(item) for item in inner)

    attribute = _ATTRIBUTE.match(expression)
    if attribute:
        profile = app_profile if attribute.group(1) == "appuser" else user_profile
        value = profile.get(attribute.group(2))
        return None if value is None or value == [] else value

    if expression.strip().startswith("Groups."):
        return evaluate_groups_expression(expression, groups)

    raise ValueError(
        f"cannot evaluate the Okta expression {expression!r}; the model supports Groups.startsWith/endsWith/contains, "
        "Arrays.toCsvString, appuser.<attribute> and user.<attribute>"
    )
