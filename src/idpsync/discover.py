"""Fetch an issuer's OpenID Connect discovery document and check it against Coder's settings.

This is the only part of idpsync that uses the network, and it requests only
``{issuer}/.well-known/openid-configuration`` for the issuer it is given.
"""

import json
import logging
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from .okta import OIDC_SCOPES, classify_issuer

__all__ = ["DiscoveryError", "DiscoveryReport", "ScopeCheck", "discover"]

log = logging.getLogger(__name__)

# Discovery documents are a few kilobytes; anything far larger is not one.
MAX_DOCUMENT_BYTES = 1024 * 1024


class DiscoveryError(Exception):
    """Raised when the discovery document cannot be fetched or read; the message is one line."""


@dataclass(frozen=True)
class ScopeCheck:
    """Whether the server advertises one scope of CODER_OIDC_SCOPES, e.g. ScopeCheck("groups", "advertised", "")."""

    scope: str
    status: str  # "advertised", "unpublished" (a custom scope that may exist unlisted) or "missing"
    note: str


@dataclass(frozen=True)
class DiscoveryReport:
    """The facts a discovery document gives about its issuer."""

    url: str  # the document's URL
    server_kind: str  # "org", "custom" or "unknown"
    advertised_issuer: str | None
    issuer_matches: bool  # Coder refuses a discovery document whose issuer differs from the URL
    userinfo_endpoint: str | None
    scopes: list[ScopeCheck] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        found = []
        if not self.issuer_matches:
            found.append(
                f"the document's issuer {self.advertised_issuer!r} differs from the URL; Coder refuses to start "
                "with a mismatched issuer, so set CODER_OIDC_ISSUER_URL to the advertised issuer"
            )
        found += [f"scope {check.scope!r}: {check.note}" for check in self.scopes if check.status == "missing"]
        return found


def discover(issuer_url: str, scopes: tuple[str, ...] = (), timeout: float = 10.0, context: ssl.SSLContext | None = None) -> DiscoveryReport:
    """Fetch and check the discovery document of ``issuer_url``; raise DiscoveryError with one line on failure."""
    issuer = issuer_url.strip().rstrip("/")
    if not issuer.startswith(("https://", "http://")):
        raise DiscoveryError(f"{issuer_url!r} is not an http(s) URL; give the issuer, such as https://example.okta.com/oauth2/default")
    url = f"{issuer}/.well-known/openid-configuration"

    document = _fetch(url, timeout, context)
    advertised = document.get("issuer")
    server = classify_issuer(issuer)

    checks = []
    supported = document.get("scopes_supported")
    for scope in scopes:
        checks.append(_check_scope(scope, supported, server.kind))

    # Coder compares the advertised issuer with CODER_OIDC_ISSUER_URL as
    # go-oidc does: exactly, so a trailing slash counts.
    return DiscoveryReport(
        url=url,
        server_kind=server.kind,
        advertised_issuer=advertised if isinstance(advertised, str) else None,
        issuer_matches=advertised == issuer_url.strip(),
        userinfo_endpoint=document.get("userinfo_endpoint") if isinstance(document.get("userinfo_endpoint"), str) else None,
        scopes=checks,
    )


def _check_scope(scope: str, supported, server_kind: str) -> ScopeCheck:
    if isinstance(supported, list) and scope in supported:
        return ScopeCheck(scope, "advertised", "")
    if server_kind == "custom" and scope not in OIDC_SCOPES - {"groups"}:
        # Okta lists a custom scope only when "Include in public metadata" is on.
        return ScopeCheck(
            scope, "unpublished",
            "not advertised; a custom authorization server lists a custom scope only when it is set to "
            "Include in public metadata, so check Scopes on the server",
        )
    return ScopeCheck(scope, "missing", "not advertised by this server; Okta answers invalid_scope for a scope it does not have")


def _fetch(url: str, timeout: float, context: ssl.SSLContext | None) -> dict:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "idpsync-discover"})
    log.debug("fetching %s", url)
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
            body = response.read(MAX_DOCUMENT_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise DiscoveryError(f"{url}: HTTP {error.code} {error.reason}; check the issuer URL and the authorization server ID") from None
    except urllib.error.URLError as error:
        raise DiscoveryError(f"{url}: {_reason(error.reason)}") from None
    except (TimeoutError, socket.timeout):
        raise DiscoveryError(f"{url}: timed out after {timeout:g} s; check the URL and the network path to it") from None
    except ssl.SSLError as error:
        raise DiscoveryError(f"{url}: TLS failed ({error.reason or error}); check the server certificate") from None

    if len(body) > MAX_DOCUMENT_BYTES:
        raise DiscoveryError(f"{url}: the response is larger than 1 MiB, so it is not a discovery document")
    try:
        document = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise DiscoveryError(f"{url}: the response is not JSON; is this the issuer URL?") from None
    if not isinstance(document, dict):
        raise DiscoveryError(f"{url}: the response is not a JSON object")
    return document


def _reason(reason) -> str:
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"TLS certificate verification failed ({reason.verify_message}); check the server certificate"
    if isinstance(reason, ssl.SSLError):
        return f"TLS failed ({reason.reason or reason})"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out; check the URL and the network path to it"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused; check the host and port"
    if isinstance(reason, socket.gaierror):
        return "the host name does not resolve; check the URL"
    return f"request failed ({reason})"
