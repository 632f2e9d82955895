"""The Okta side of one sign-in: the ID token, the access token and the /userinfo response Okta sends.

``issue_tokens`` follows Okta's rules for the org authorization server and
for custom authorization servers. Each rule carries the Okta fact it follows
in a comment beside it. The sources are Okta's OpenID Connect & OAuth 2.0 API
reference, its Authorization Servers API reference, the guides "Customize
tokens returned from Okta with a groups claim" and "Protect your API
endpoints", and the Admin Console help page "Create API access claims".
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .claims import USERINFO_SCOPES
from .errors import OktaError
from .expressions import evaluate_expression
from .groups_claim import filter_groups
from .servers import CUSTOM_SERVER_STANDARD_SCOPES, OIDC_SCOPES
from .settings import FLOWS, OktaSetup, ServerClaim
from .signing import SigningKey, at_hash, sign_jwt

__all__ = ["TOKEN_LIFETIME", "TokenResponse", "issue_tokens"]

# ID tokens live 60 minutes and cannot be configured otherwise. Access tokens
# of the org server live 60 minutes, and 60 minutes is also the lifetime of a
# custom server's default access policy rule.
TOKEN_LIFETIME = 3600


@dataclass(frozen=True)
class TokenResponse:
    """The tokens and the /userinfo response Okta sends for one sign-in.

    ``access_token`` and ``userinfo`` are None in the implicit flow
    (``response_type=id_token``), which issues no access token. ``userinfo``
    is also None when /userinfo rejects the access token, and
    ``userinfo_error`` is then Okta's error response.
    """

    flow: str
    scopes: tuple[str, ...]
    id_token: dict[str, Any]
    id_token_jwt: str
    access_token: dict[str, Any] | None
    access_token_jwt: str | None
    userinfo: dict[str, Any] | None
    userinfo_error: OktaError | None = None


@dataclass
class _ExtraClaims:
    """Group, custom and app profile claims, sorted by where Okta puts them."""

    id_token: dict[str, Any]
    access_token: dict[str, Any]
    userinfo: dict[str, Any]


def issue_tokens(
    setup: OktaSetup,
    key: SigningKey,
    scopes: Sequence[str] | None = None,
    flow: str | None = None,
) -> TokenResponse:
    """Compute and sign what Okta sends when ``setup.user`` signs in to ``setup.app``.

    ``scopes`` are the scopes requested (Coder's CODER_OIDC_SCOPES) and
    default to ``setup.sign_in.scopes``. ``flow`` defaults to
    ``setup.sign_in.flow``. ``key`` signs both tokens and must be the key of
    the server that issues them. Raises OktaError for the error responses
    Okta sends instead of tokens: invalid_scope, access_denied and
    server_error (too many groups).
    """
    if scopes is None:
        scopes = setup.sign_in.scopes
    if scopes is None:
        raise ValueError(f"{setup.source}: no scopes to request; pass the scopes Coder requests, or set sign_in.scopes")
    scopes = tuple(dict.fromkeys(scopes))
    flow = flow or setup.sign_in.flow
    if flow not in FLOWS:
        raise ValueError(f"unknown flow {flow!r}; use one of {', '.join(FLOWS)}")
    if "openid" not in scopes:
        # Okta's OIDC reference: openid is required for authentication requests; without it Okta issues no ID token.
        raise ValueError(f"the scopes {list(scopes)} lack openid, so Okta issues no ID token; add openid")

    _check_scopes(setup, scopes)
    _check_access_policy(setup)
    extra = _extra_claims(setup, scopes, flow)

    access_token = access_token_jwt = None
    if flow == "authorization_code":
        if setup.sign_in.access_token_jti is None:
            raise ValueError(f"{setup.source}: sign_in.access_token_jti is missing; the authorization code flow issues an access token, which needs one")
        access_token = _access_token(setup, scopes, extra.access_token)
        access_token_jwt = sign_jwt(access_token, key)

    id_token = _id_token(setup, scopes, flow, extra.id_token, access_token_jwt)
    id_token_jwt = sign_jwt(id_token, key)

    userinfo = userinfo_error = None
    if access_token is not None:
        userinfo, userinfo_error = _userinfo(setup, scopes, extra.userinfo)
    return TokenResponse(flow, scopes, id_token, id_token_jwt, access_token, access_token_jwt, userinfo, userinfo_error)


def _check_scopes(setup: OktaSetup, scopes: tuple[str, ...]) -> None:
    if setup.authorization_server == "org":
        # The org server has no custom scopes; it accepts only the OIDC scopes, groups and device_sso.
        unknown = [scope for scope in scopes if scope not in OIDC_SCOPES]
        if unknown:
            # Okta's error table has two invalid_scope descriptions without
            # telling which one the org server sends, so the model uses the generic one.
            raise OktaError(
                "invalid_scope",
                "The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.",
                f"the org authorization server {setup.org_url} has no scope {', '.join(unknown)}, because it has no "
                "custom scopes; create the scope on a custom authorization server and use that server's issuer, or "
                "stop requesting it",
            )
        return

    # A custom server accepts its standard scopes and the scopes added on its
    # Scopes tab. groups is not among the standard ones: requesting it fails
    # until an administrator adds a scope named groups.
    server = setup.server
    known = CUSTOM_SERVER_STANDARD_SCOPES | set(server.scopes)
    unknown = [scope for scope in scopes if scope not in known]
    if unknown:
        raise OktaError(
            "invalid_scope",
            "One or more scopes are not configured for the authorization server resource.",
            f"the authorization server {server.name!r} has no scope {', '.join(unknown)}; add it under Security → API → "
            f"Authorization Servers → {server.name} → Scopes, or stop requesting it",
        )


def _check_access_policy(setup: OktaSetup) -> None:
    if setup.authorization_server != "custom":
        return
    # A custom server issues tokens only to a client that one of its access
    # policies is assigned to; otherwise the request fails with access_denied.
    policy = setup.server.access_policy
    if policy is None or policy.assigned_to not in (setup.app.name, "All clients"):
        assigned = "no access policy" if policy is None else f"the access policy {policy.name!r} is assigned to {policy.assigned_to!r}"
        raise OktaError(
            "access_denied",
            "Policy evaluation failed for this request, please check the policy configurations.",
            f"on the authorization server {setup.server.name!r}, {assigned}, not to the app {setup.app.name!r}; "
            "add an access policy for the app with a rule for the authorization code grant",
            status=401,
        )


def _extra_claims(setup: OktaSetup, scopes: tuple[str, ...], flow: str) -> _ExtraClaims:
    extra = _ExtraClaims({}, {}, {})
    user = setup.user

    if setup.authorization_server == "org":
        claim = setup.app.groups_claim
        # The Sign On tab groups claim belongs to the org server. Okta sends it
        # only when the groups scope is requested, in the ID token and in
        # /userinfo, never in the access token.
        if claim is not None and "groups" in scopes:
            value = _sign_on_groups_value(setup)
            if value is not None:
                # NOTE: Okta's groups claim guide (since March 2025) states that
                # the authorization code flow returns a fat ID token with the
                # groups claim, but its older versions left groups out of every
                # ID token issued with an access token. The model follows the
                # current guide, and code-flow tokens in public reports carry it.
                extra.id_token[claim.name] = value
                extra.userinfo[claim.name] = value

        # /userinfo returns the app user profile's attributes as top-level
        # claims named by their variable names, as Grafana's Okta guide reads
        # one from /oauth2/v1/userinfo. They come with the profile scope only,
        # and attributes without a value are left out.
        if "profile" in scopes:
            for attribute in setup.app.profile_attributes:
                value = user.app_profile.get(attribute.variable_name)
                if value is not None:
                    extra.userinfo[attribute.variable_name] = value
        return extra

    # A custom server ignores the Sign On tab groups claim and sends only the
    # claims on its own Claims tab. App profile attributes reach its tokens
    # only through such a claim (appuser.<attribute>).
    granted = set(scopes)
    for claim in setup.server.claims:
        # "Include in: The following scopes" releases a claim only when one of its scopes is granted.
        if claim.scopes is not None and not granted & set(claim.scopes):
            continue
        value = _server_claim_value(setup, claim)
        if value is None:
            continue
        if claim.token_type == "Access Token":
            extra.access_token[claim.name] = value
            continue
        # An ID token claim set to "Userinfo / id_token request" is left out of
        # ID tokens requested with an access token or through the authorization
        # code flow, and "Always" puts it in every ID token (alwaysIncludeInToken
        # in the Authorization Servers API). /userinfo returns it either way.
        if claim.include == "Always" or flow == "implicit":
            extra.id_token[claim.name] = value
        extra.userinfo[claim.name] = value
    return extra


def _sign_on_groups_value(setup: OktaSetup) -> Any:
    claim = setup.app.groups_claim
    groups = list(setup.user.groups)
    if claim.type == "Filter":
        return filter_groups(claim.filter, claim.value, groups, claim.name)
    # NOTE: Okta's docs show only expressions that return a list of group
    # names here. That Okta sends a string-valued expression such as
    # Arrays.toCsvString(...) as it is, as the model does, is not confirmed.
    return _evaluate(setup, claim.name, claim.value)


def _server_claim_value(setup: OktaSetup, claim: ServerClaim) -> Any:
    if claim.value_type == "Groups":
        return filter_groups(claim.filter, claim.value, list(setup.user.groups), claim.name)
    return _evaluate(setup, claim.name, claim.value)


def _evaluate(setup: OktaSetup, claim: str, expression: str) -> Any:
    user = setup.user
    try:
        return evaluate_expression(expression, list(user.groups), user.profile, user.app_profile)
    except ValueError as error:
        raise ValueError(f"{setup.source}: the claim {claim!r}: {error}") from None


def _id_token(setup: OktaSetup, scopes: tuple[str, ...], flow: str, extra: dict[str, Any], access_token_jwt: str | None) -> dict[str, Any]:
    user, sign_in = setup.user, setup.sign_in
    profile, email = "profile" in scopes, "email" in scopes
    # An ID token returned alone carries every claim of the granted scopes.
    # One issued with an access token carries only name and
    # preferred_username for profile, and email for email.
    full = flow == "implicit"

    # The order follows an org server ID token captured from Okta and posted
    # publicly: sub, name, email, the base claims, nonce, preferred_username,
    # auth_time, at_hash, then group and custom claims.
    claims: dict[str, Any] = {"sub": user.id}
    if profile:
        claims["name"] = user.name
    if email:
        claims["email"] = user.email
    claims.update({
        "ver": 1,
        "iss": setup.issuer,
        "aud": setup.app.client_id,
        "iat": sign_in.iat,
        "exp": sign_in.iat + TOKEN_LIFETIME,
        "jti": sign_in.id_token_jti,
        "amr": list(sign_in.amr),
        "idp": setup.org_id,  # the Okta org ID, when no external identity provider signed the user in
    })
    if sign_in.nonce is not None:
        claims["nonce"] = sign_in.nonce  # echoes the nonce of the /authorize request
    if profile:
        claims["preferred_username"] = user.login
    if full and profile:
        claims.update(_present(user, ("given_name", "middle_name", "family_name", "nickname", "locale", "zoneinfo", "updated_at")))
    if full and email:
        claims["email_verified"] = _email_verified(setup)
    claims["auth_time"] = sign_in.auth_time
    if access_token_jwt is not None:
        # Okta adds at_hash when it issues an access token in the same response.
        claims["at_hash"] = at_hash(access_token_jwt)
    claims.update(extra)
    return claims


def _access_token(setup: OktaSetup, scopes: tuple[str, ...], extra: dict[str, Any]) -> dict[str, Any]:
    user, sign_in = setup.user, setup.sign_in
    # The sub of an access token is the user's login, not the user ID, which is in uid.
    if setup.authorization_server == "org":
        # The org server's access token is meant for Okta's own APIs, so its
        # audience is the org URL. The order follows one captured from Okta.
        return {
            "ver": 1,
            "jti": sign_in.access_token_jti,
            "iss": setup.issuer,
            "aud": setup.org_url,
            "sub": user.login,
            "iat": sign_in.iat,
            "exp": sign_in.iat + TOKEN_LIFETIME,
            "cid": setup.app.client_id,
            "uid": user.id,
            "scp": list(scopes),
            "auth_time": sign_in.auth_time,
        }
    # A custom server's audience is the one set on the server, api://default
    # for the default server. As in Okta's examples, sub follows scp, and
    # custom claims come last.
    claims = {
        "ver": 1,
        "jti": sign_in.access_token_jti,
        "iss": setup.issuer,
        "aud": setup.server.audience,
        "iat": sign_in.iat,
        "exp": sign_in.iat + TOKEN_LIFETIME,
        "cid": setup.app.client_id,
        "uid": user.id,
        "scp": list(scopes),
        "auth_time": sign_in.auth_time,
        "sub": user.login,
    }
    claims.update(extra)
    return claims


def _userinfo(setup: OktaSetup, scopes: tuple[str, ...], extra: dict[str, Any]) -> tuple[dict[str, Any] | None, OktaError | None]:
    granted = set(scopes)
    if not granted & USERINFO_SCOPES:
        return None, OktaError(
            "insufficient_scope",
            "The access token must provide access to at least one of these scopes - profile, email, address or phone",
            f"the access token holds only {', '.join(scopes)}; request profile or email as well",
            status=403,
        )

    user = setup.user
    profile, email = "profile" in granted, "email" in granted
    # /userinfo returns every claim of the granted scopes. The order is that
    # of this site's samples, and Okta's own examples use another one; JSON
    # object order carries no meaning.
    claims: dict[str, Any] = {"sub": user.id}
    if profile:
        claims["name"] = user.name
        claims.update(_present(user, ("locale",)))
    if email:
        claims["email"] = user.email
    if profile:
        claims["preferred_username"] = user.login
        claims.update(_present(user, ("given_name", "middle_name", "family_name", "nickname", "zoneinfo", "updated_at")))
    if email:
        claims["email_verified"] = _email_verified(setup)
    claims.update(extra)
    return claims, None


def _present(user, names: tuple[str, ...]) -> dict[str, Any]:
    values = {name: getattr(user, name) for name in names}
    return {name: value for name, value in values.items() if value is not None}


def _email_verified(setup: OktaSetup) -> bool:
    # email_verified is true when the user's primary email in Okta is verified.
    if setup.user.email_verified is None:
        raise ValueError(f"{setup.source}: user.email_verified is missing; set it to true or false, because Okta sends it with the email scope")
    return setup.user.email_verified
