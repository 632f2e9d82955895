"""What Okta sends: authorization servers, their issuers, the scopes they accept, and the tokens they issue.

``load_okta_setup`` reads a snippet folder's okta.yaml. ``issue_tokens``
turns it into the ID token, access token and /userinfo response that Okta
would send, signed with a given key.
"""

from .errors import OktaError, OktaSettingsError
from .groups_claim import TooManyGroups, filter_groups
from .issue import TokenResponse, issue_tokens
from .servers import CUSTOM_SERVER_STANDARD_SCOPES, OIDC_SCOPES, AuthorizationServer, classify_issuer
from .settings import OktaSetup, load_okta_setup, parse_okta_setup
from .signing import SigningKey, at_hash, load_signing_key, public_jwk, sign_jwt

__all__ = [
    "CUSTOM_SERVER_STANDARD_SCOPES",
    "OIDC_SCOPES",
    "AuthorizationServer",
    "OktaError",
    "OktaSettingsError",
    "OktaSetup",
    "SigningKey",
    "TokenResponse",
    "TooManyGroups",
    "at_hash",
    "classify_issuer",
    "filter_groups",
    "issue_tokens",
    "load_okta_setup",
    "load_signing_key",
    "parse_okta_setup",
    "public_jwk",
    "sign_jwt",
]
