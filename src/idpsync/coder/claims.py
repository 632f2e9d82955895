"""Claim handling: the ID token merged with /userinfo, and list claims read as Coder reads them."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ClaimError

__all__ = ["MergedClaims", "merge_claims", "parse_string_list_claim", "ClaimError", "go_type", "go_quote"]


@dataclass(frozen=True)
class MergedClaims:
    """The claims every sync step reads, and where each one came from."""

    claims: dict[str, Any]  # e.g. {"sub": "00u…", "groups": ["Everyone", "coder-admins"]}
    source: dict[str, str]  # claim name -> "id_token" or "userinfo"
    userinfo_used: bool


def merge_claims(
    id_token: Mapping[str, Any],
    userinfo: Mapping[str, Any] | None,
    ignore_userinfo: bool,
) -> MergedClaims:
    """Merge ID token and /userinfo claims the way Coder's userOIDC does.

    Coder merges top-level keys only, and for a key in both the /userinfo
    value replaces the ID token value whole (coderd/userauth.go, mergeClaims;
    test UserInfoOverridesIDTokenClaims). With CODER_OIDC_IGNORE_USERINFO=true
    Coder never calls /userinfo. ``userinfo=None`` means Coder got no
    /userinfo response, as with a provider that has no userinfo endpoint.
    """
    claims = dict(id_token)
    source = {name: "id_token" for name in claims}

    if ignore_userinfo or userinfo is None:
        return MergedClaims(claims, source, userinfo_used=False)

    for name, value in userinfo.items():
        claims[name] = value
        source[name] = "userinfo"
    return MergedClaims(claims, source, userinfo_used=True)


def parse_string_list_claim(value: Any) -> list[str]:
    """Read a claim as a list of strings, as Coder's ParseStringSliceClaim does.

    Accepted: null or absent (empty list), an array of strings (order and
    duplicates kept), an empty string (empty list) and a string without a
    comma (a one-item list, as ADFS sends a single group). Raises ClaimError
    for a string with a comma (Coder does not split it), an array with a
    non-string item, and any other type. The error text is Coder's own,
    because Coder shows it to the user when the allow-list check fails.
    """
    if value is None:
        return []

    if isinstance(value, str):
        if value == "":
            return []
        if "," in value:
            raise ClaimError(
                f"invalid claim type. Got a csv string ({go_quote(value)}), change this claim to return an array of strings instead."
            )
        return [value]

    if isinstance(value, list):
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise ClaimError(f"invalid claim type. Element {index} expected a string, got: {go_type(item)}")
        return list(value)

    raise ClaimError(f"invalid claim type. Expected an array of strings, got: {go_type(value)}")


def go_type(value: Any) -> str:
    """Return the Go type name (%T) of a value decoded from JSON into interface{}."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    return "<nil>"


def go_quote(text: str) -> str:
    """Quote text as Go's %q does for printable text."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
