"""The claims each scope brings to each token, as Okta's OpenID Connect & OAuth 2.0 API reference lists them.

The reference (developer.okta.com/docs/reference/api/oidc/) splits ID token
claims into base claims, always present, and scope-dependent claims. An ID
token issued together with an access token is "thin": of the
scope-dependent claims it carries only ``name`` and ``preferred_username``
for ``profile`` and ``email`` for ``email``. An ID token returned alone
(``response_type=id_token``) is "full" and carries every claim of the
granted scopes, and /userinfo always returns every claim of the granted
scopes.
"""

__all__ = [
    "ACCESS_TOKEN_CLAIMS",
    "EMAIL_SCOPE_CLAIMS",
    "ID_TOKEN_BASE_CLAIMS",
    "PROFILE_SCOPE_CLAIMS",
    "THIN_ID_TOKEN_SCOPE_CLAIMS",
    "USERINFO_SCOPES",
]

# Claims every Okta ID token carries, whatever the scopes.
ID_TOKEN_BASE_CLAIMS = ("sub", "ver", "iss", "aud", "iat", "exp", "jti", "amr", "idp", "auth_time")

# The profile claims the model fills from an OktaUser. Okta's profile scope
# also covers profile, picture, website, gender and birthdate, which no
# sample here uses.
PROFILE_SCOPE_CLAIMS = (
    "name", "preferred_username", "given_name", "middle_name", "family_name", "nickname", "locale", "zoneinfo", "updated_at",
)
EMAIL_SCOPE_CLAIMS = ("email", "email_verified")

# The scope-dependent claims of a thin ID token.
THIN_ID_TOKEN_SCOPE_CLAIMS = {"profile": ("name", "preferred_username"), "email": ("email",)}

# Claims of every access token with a user, in the order custom authorization servers write them.
ACCESS_TOKEN_CLAIMS = ("ver", "jti", "iss", "aud", "iat", "exp", "cid", "uid", "scp", "auth_time", "sub")

# /userinfo accepts only an access token with one of these scopes, and
# otherwise returns HTTP 403 with error="insufficient_scope".
USERINFO_SCOPES = frozenset({"profile", "email", "address", "phone"})
