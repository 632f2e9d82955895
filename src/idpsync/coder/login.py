"""The sign-in checks Coder runs before IdP sync: subject, email, email_verified and email domain.

All in coderd/userauth.go, API.userOIDC, in this order.
"""

from typing import Any

from .claims import go_type
from .settings import CoderSettings
from .trace import LoginError

__all__ = ["check_login"]


def check_login(settings: CoderSettings, id_token: dict[str, Any], claims: dict[str, Any]) -> LoginError | None:
    """Return the error Coder responds with before any sync step, or None."""
    # The subject comes from the ID token itself, not from the merged claims.
    if not id_token.get("sub"):
        return LoginError(
            400,
            "OIDC token missing 'sub' claim field or 'sub' claim field is empty.",
            "'sub' claim field is required to be unique for all users by a given issue, "
            "an empty field is invalid and this authentication attempt is rejected.",
        )

    # Absent email: Coder falls back to the username claim when it parses as an address.
    email = claims.get(settings.email_field)
    if settings.email_field not in claims:
        username = claims.get(settings.username_field)
        if isinstance(username, str) and _looks_like_address(username):
            email = username
        else:
            return LoginError(400, "No email found in OIDC payload!", "")
    if not isinstance(email, str):
        # Coder formats the value with %t, so Go prints it as %!t(type=value).
        return LoginError(400, f"Email in OIDC payload isn't a string. Got: {_go_bool_verb(email)}", "")

    # Only a JSON boolean false rejects; an absent claim or the string "false" passes.
    if claims.get("email_verified") is False and not settings.ignore_email_verified:
        return LoginError(403, f'Verify the "{email}" email address on your OIDC provider to authenticate!', "")

    if settings.email_domain:
        if "@" not in email:
            return LoginError(403, f'Your email "{email}" is not in domains {_go_list(settings.email_domain)}!', "")
        domain = email.rsplit("@", 1)[1].lower()
        allowed = {entry.lower().removeprefix("@") for entry in settings.email_domain}
        if domain not in allowed:
            return LoginError(403, f'Your email "{email}" is not in domains {_go_list(settings.email_domain)}!', "")

    return None


def _looks_like_address(text: str) -> bool:
    # NOTE: Coder uses Go's net/mail.ParseAddress; this checks only the
    # local@domain shape, which covers the usernames Okta sends.
    local, at, domain = text.partition("@")
    return bool(at and local and domain and " " not in text)


def _go_list(items) -> str:
    # Go's %q on a string slice prints ["a" "b"].
    return "[" + " ".join(f'"{item}"' for item in items) + "]"


def _go_bool_verb(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() or isinstance(value, int):
        shown = str(int(value))
    else:
        shown = str(value)
    return f"%!t({go_type(value)}={shown})"
