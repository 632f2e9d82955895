"""Okta's two kinds of authorization server, distinguished by their issuer URL."""

from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["OIDC_SCOPES", "CUSTOM_SERVER_STANDARD_SCOPES", "AuthorizationServer", "classify_issuer"]

# Scopes Okta's org authorization server accepts; it allows no custom scopes.
OIDC_SCOPES = frozenset({"openid", "profile", "email", "address", "phone", "offline_access", "groups", "device_sso"})

# Scopes every custom authorization server has without an administrator adding
# them, as in the scopes_supported example of Okta's OIDC reference. A request
# for groups fails with invalid_scope until a scope named groups is added, as
# users of Okta's own sample apps found (okta-samples/okta-express-sample issue 6).
CUSTOM_SERVER_STANDARD_SCOPES = frozenset({"openid", "profile", "email", "address", "phone", "offline_access"})


@dataclass(frozen=True)
class AuthorizationServer:
    """An Okta authorization server as its issuer URL describes it.

    Example: ``AuthorizationServer(kind="custom", server_id="default",
    base_url="https://example.okta.com")`` for
    ``https://example.okta.com/oauth2/default``.
    """

    kind: str  # "org", "custom" or "unknown"
    server_id: str | None  # "default" or an ID such as "aus9o8wzkhckw9TLa0h7z"; None for the org server
    base_url: str

    @property
    def is_org(self) -> bool:
        return self.kind == "org"

    @property
    def is_custom(self) -> bool:
        return self.kind == "custom"


def classify_issuer(issuer_url: str) -> AuthorizationServer:
    """Tell an org authorization server from a custom one by the issuer's path.

    The org server's issuer is the bare Okta URL; a custom server's is
    ``{base}/oauth2/{id}``. Okta also serves custom URL domains, so the host
    name is not checked. ``{base}/oauth2/v1`` is the path prefix of the org
    server's endpoints, not an issuer, so it is "unknown".
    """
    parts = urlsplit(issuer_url.strip())
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return AuthorizationServer("unknown", None, issuer_url)

    base = f"{parts.scheme}://{parts.netloc}"
    segments = [segment for segment in parts.path.split("/") if segment]
    if not segments:
        return AuthorizationServer("org", None, base)
    if len(segments) == 2 and segments[0] == "oauth2" and segments[1] != "v1":
        return AuthorizationServer("custom", segments[1], base)
    return AuthorizationServer("unknown", None, issuer_url)
