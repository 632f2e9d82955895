"""Explain the errors a user sees at sign-in: Okta's redirect errors and Coder's own rejections.

Okta reports a failed authorization request on the redirect to Coder's
callback as ``?error=...&error_description=...``. The descriptions below are
the ones Okta's OAuth 2.0 error table lists. Coder's messages are the ones
coderd/userauth.go and enterprise/coderd/enidpsync write.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote_plus, urlsplit

__all__ = ["ErrorExplanation", "OKTA_ERRORS", "CODER_ERRORS", "ExplainError", "explain", "parse_error_text"]


@dataclass(frozen=True)
class ErrorExplanation:
    """One known error, e.g. Okta's ``invalid_scope`` for a scope the server lacks."""

    source: str  # "Okta" or "Coder"
    error: str  # Okta's error code, or Coder's HTTP status as text, e.g. "invalid_scope" or "403"
    description: str  # the text shown to the user; matched case-insensitively as a prefix
    cause: str
    fix: str


OKTA_ERRORS = (
    ErrorExplanation(
        "Okta", "invalid_scope",
        "One or more scopes are not configured for the authorization server resource.",
        "Coder requested a scope the authorization server does not have. A custom authorization server "
        "knows only the scopes created on it, and it has no groups scope unless someone added one",
        "add the scope under Security → API → Authorization Servers → the server → Scopes, "
        "or remove it from CODER_OIDC_SCOPES",
    ),
    ErrorExplanation(
        "Okta", "invalid_scope",
        "The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.",
        "Okta rejected a scope in CODER_OIDC_SCOPES; the org authorization server accepts no custom scopes",
        "check each scope in CODER_OIDC_SCOPES; custom scopes need a custom authorization server as the issuer",
    ),
    ErrorExplanation(
        "Okta", "access_denied",
        "Policy evaluation failed for this request, please check the policy configurations.",
        "no access policy rule of the custom authorization server covers the Coder app, this user and this grant type",
        "add an access policy assigned to the Coder app with a rule that allows the Authorization Code grant "
        "for the users who sign in to Coder",
    ),
    ErrorExplanation(
        "Okta", "access_denied",
        "User is not assigned to the client application.",
        "the user is not assigned to the Coder app integration, directly or through a group",
        "assign the user, or a group the user belongs to, on the app's Assignments tab",
    ),
    ErrorExplanation(
        "Okta", "access_denied",
        "Policy evaluation succeeded, but all the requested scopes were rejected.",
        "the matching access policy rule allows none of the scopes Coder requested",
        "let the rule grant the scopes in CODER_OIDC_SCOPES, or any scope",
    ),
    ErrorExplanation(
        "Okta", "server_error",
        "The groups claim matched too many groups and must be configured to match fewer groups.",
        "the groups claim filter matched more than 100 of the user's groups, and Okta fails the request",
        "narrow the groups claim filter, for example to the prefix of the groups Coder needs",
    ),
    ErrorExplanation(
        "Okta", "unauthorized_client",
        "The client is not authorized to use the provided grant type.",
        "the Okta app does not allow a grant type Coder used, most often Refresh Token, which Coder "
        "needs to renew sessions",
        "allow the Refresh Token grant type on the app's General tab, under Grant type",
    ),
    ErrorExplanation(
        "Okta", "invalid_grant",
        "The refresh token is invalid or expired.",
        "Coder's stored refresh token no longer works: it expired, was revoked, or was rotated away",
        "have the user sign out of Coder and sign in again, and check the refresh token lifetime in the "
        "access policy rule of a custom authorization server",
    ),
    ErrorExplanation(
        "Okta", "invalid_client",
        "Client authentication failed.",
        "Okta rejected Coder's client credentials",
        "copy the client ID and secret from the app's General tab into CODER_OIDC_CLIENT_ID and CODER_OIDC_CLIENT_SECRET",
    ),
    ErrorExplanation(
        "Okta", "invalid_request",
        "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.",
        "the app does not list Coder's callback URL as a sign-in redirect URI",
        "add https://<your Coder URL>/api/v2/users/oidc/callback to the app's Sign-in redirect URIs",
    ),
)

CODER_ERRORS = (
    ErrorExplanation(
        "Coder", "403", "Not a member of an allowed group",
        "none of the values of the group claim is in CODER_OIDC_ALLOWED_GROUPS, or the claim is missing "
        "(the check reads the raw claim, before mapping and filtering)",
        "add one of the user's groups to CODER_OIDC_ALLOWED_GROUPS, or assign the user to an allowed group in Okta",
    ),
    ErrorExplanation(
        "Coder", "403", "Verify the",
        "the email_verified claim Coder read is the boolean false",
        "verify the user's primary email address in Okta, or set CODER_OIDC_IGNORE_EMAIL_VERIFIED=true",
    ),
    ErrorExplanation(
        "Coder", "500", "Login disabled until site wide OIDC config is fixed",
        "the site role claim named by CODER_OIDC_USER_ROLE_FIELD is not a list of strings, for example a "
        "comma-separated string, and Coder rejects every sign-in until it is fixed",
        "make Okta send the claim as a JSON array of strings, or unset CODER_OIDC_USER_ROLE_FIELD",
    ),
    ErrorExplanation(
        "Coder", "400", "Failed read groups from claims for allow list check",
        "the group claim is not a list of strings, so Coder cannot check it against CODER_OIDC_ALLOWED_GROUPS",
        "make Okta send the group claim as a JSON array of strings",
    ),
    ErrorExplanation(
        "Coder", "403", "Your email",
        "the email address's domain is not in CODER_OIDC_EMAIL_DOMAIN",
        "add the domain to CODER_OIDC_EMAIL_DOMAIN, or sign in with an address in an allowed domain",
    ),
    ErrorExplanation(
        "Coder", "400", "No email found in OIDC payload!",
        "neither the ID token nor /userinfo has the claim CODER_OIDC_EMAIL_FIELD names",
        "request the email scope, or set CODER_OIDC_EMAIL_FIELD to the claim that holds the address",
    ),
)


class ExplainError(ValueError):
    """Raised when the text contains no error this tool can read."""


def parse_error_text(text: str) -> tuple[str, str]:
    """Return (error, description) from a callback URL, a query string, or ``error: description`` text."""
    text = text.strip()
    if not text:
        raise ExplainError("no error text given; paste the callback URL or its error and error_description values")

    query = urlsplit(text).query if "://" in text else text.lstrip("?")
    if "error=" in query:
        values = parse_qs(query, keep_blank_values=True)
        error = values.get("error", [""])[0]
        description = values.get("error_description", [""])[0]
        return error.strip(), description.strip()

    match = re.match(r"^([a-z_]+)\s*[:\s]\s*(.*)$", text, re.S)
    if match and "_" in match[1]:
        return match[1], unquote_plus(match[2]).strip()
    return "", text


def explain(text: str) -> list[ErrorExplanation]:
    """Return the known errors that match the text, best match first; raise ExplainError if none does."""
    error, description = parse_error_text(text)
    wanted = _normalise(description)

    matches = []
    for known in OKTA_ERRORS + CODER_ERRORS:
        if error and known.source == "Okta" and known.error != error:
            continue
        prefix = _normalise(known.description)
        if wanted and (wanted.startswith(prefix) or prefix.startswith(wanted)):
            matches.append(known)
    if not matches and error:
        # A known code with an unfamiliar description: offer every entry for that code.
        matches = [known for known in OKTA_ERRORS if known.error == error]
    if not matches:
        raise ExplainError(
            f"no known error matches {text[:80]!r}; paste the whole callback URL, or the error and "
            "error_description values Okta sent"
        )
    return matches


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())
