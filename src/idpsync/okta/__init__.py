"""What Okta sends: authorization servers, their issuers and the scopes they accept."""

from .servers import OIDC_SCOPES, AuthorizationServer, classify_issuer

__all__ = ["OIDC_SCOPES", "AuthorizationServer", "classify_issuer"]
