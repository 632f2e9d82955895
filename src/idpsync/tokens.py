"""Read an Okta token the way you have it: a compact JWT, decoded claims, or a copy of Okta's Token Preview.

``load_claims`` returns the claims and, when given a JWKS, verifies the
signature first, as Coder does before it reads any claim:

>>> loaded = load_claims(Path("snippets/okta-groups/id-token.jwt"),
...                      jwks=Path("snippets/keys/test-only-org-server-jwks.json"), now=1717000100)
>>> loaded.verified, loaded.server.kind
(True, 'org')

Every problem raises TokenError with a message that names the input, what is
wrong and what to do; no message repeats a whole token.
"""

import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jwt
from jwt.utils import base64url_decode

from .okta.servers import AuthorizationServer, classify_issuer

__all__ = ["MAX_INPUT_BYTES", "LoadedClaims", "TokenError", "decode_jwt", "load_claims", "load_jwks"]

# Larger inputs are not tokens; rejecting them keeps a mistyped path from reading a disk image.
MAX_INPUT_BYTES = 1024 * 1024

# Okta signs ID and access tokens with RS256 only (id_token_signing_alg_values_supported: ["RS256"]
# in its OpenID Connect metadata), so verification accepts nothing else.
ALGORITHM = "RS256"

# Dot-separated base64url parts: a compact JWS has three, a JWE five. Other
# counts are read as a broken token so that the message can say what is wrong.
_DOTTED = re.compile(r"^[A-Za-z0-9_=-]*(\.[A-Za-z0-9_=-]*){2,}$")
# Okta's Token Preview tab shows a token as a "Header" JSON object, a "Payload"
# JSON object and a "Signature" line saying the signature was removed.
_PREVIEW_LABEL = re.compile(r"^\s*(Header|Payload)\s*$", re.M)


class TokenError(ValueError):
    """Raised when a token cannot be read or fails verification; the message names the input and the fix."""


@dataclass(frozen=True)
class LoadedClaims:
    """A token's claims, with the header when the input had one, and whether the signature was verified."""

    claims: dict[str, Any]
    form: str  # "jwt", "claims" (decoded JSON) or "token-preview"
    source: str  # the file name, or "the token" for text
    header: dict[str, Any] | None = None
    verified: bool = False

    @property
    def server(self) -> AuthorizationServer | None:
        """Return the kind of Okta authorization server the iss claim names, or None without an iss claim."""
        issuer = self.claims.get("iss")
        return classify_issuer(issuer) if isinstance(issuer, str) else None


def load_claims(
    source: str | Path,
    jwks: str | Path | Mapping[str, Any] | None = None,
    now: float | datetime | None = None,
    *,
    issuer: str | None = None,
    audience: str | None = None,
) -> LoadedClaims:
    """Read a token from a file (a Path, or a str that is not a token) or from text, and return its claims.

    Accepted inputs are a compact JWT, a JSON object of decoded claims, and
    text copied from the Token Preview tab of an Okta authorization server.
    With ``jwks`` (a JWKS file or mapping), the input must be a compact JWT:
    its RS256 signature is verified against the key its kid names, and it
    must not have expired at ``now`` (Unix seconds or an aware datetime;
    default: the current time). ``issuer`` and ``audience``, when given, must
    equal the iss claim and be in the aud claim, with or without a JWKS.
    """
    text, name = _read_source(source)
    stripped = text.strip()
    if not stripped:
        raise TokenError(f"{name}: is empty; give a compact JWT, a JSON object of claims, or a copy of Okta's Token Preview")

    if _DOTTED.match(stripped):
        loaded = decode_jwt(stripped, jwks, now, source=name)
    else:
        loaded = _load_decoded(stripped, name)
        if jwks is not None:
            reason = "Okta's Token Preview removes the signature" if loaded.form == "token-preview" else "decoded claims carry no signature"
            raise TokenError(
                f"{name}: a JWKS was given to verify the signature, but {reason}; give the compact JWT "
                "(three base64url parts separated by dots) instead, or leave out the JWKS"
            )

    _check_issuer_and_audience(loaded, issuer, audience)
    return loaded


def load_jwks(source: str | Path | Mapping[str, Any]) -> dict[str, Any]:
    """Read a JWKS file (or take a mapping) and check it has a keys list of JWKs with a kid each."""
    if isinstance(source, Mapping):
        data, name = dict(source), "the JWKS"
    else:
        text, name = _read_file(Path(source))
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise TokenError(f"{name}: invalid JSON ({error.msg} at line {error.lineno}); give the JSON that the server's /keys endpoint returns") from None

    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list) or not all(isinstance(key, dict) and isinstance(key.get("kid"), str) for key in keys):
        raise TokenError(f'{name}: not a JWKS; expected {{"keys": [...]}} with a kid in each key, as the /keys endpoint returns')
    return data


def decode_jwt(
    token: str,
    jwks: str | Path | Mapping[str, Any] | None = None,
    now: float | datetime | None = None,
    *,
    source: str = "the token",
) -> LoadedClaims:
    """Decode a compact JWT and, with ``jwks``, verify its signature and expiry as load_claims describes."""
    parts = token.strip().split(".")
    if len(parts) == 5:
        raise TokenError(
            f"{source}: is a JWE (five parts), an encrypted token that cannot be read without the decryption key; "
            "Okta encrypts only access tokens, so read the ID token or /userinfo instead"
        )
    if len(parts) != 3:
        raise TokenError(f"{source}: is not a compact JWT; expected three base64url parts separated by dots (header.payload.signature), found {len(parts)}")

    header = _decode_part(parts[0], "header", source)
    claims = _decode_part(parts[1], "payload", source)

    algorithm = header.get("alg")
    if not isinstance(algorithm, str):
        raise TokenError(f"{source}: the header has no alg; a token from Okta always has alg RS256, so this one did not come from Okta")
    if algorithm.lower() == "none":
        raise TokenError(
            f"{source}: the header's alg is 'none', so the token is unsigned and anyone could have written it; "
            "Okta signs every token with RS256, so do not trust this one and get the token from Okta again"
        )

    if jwks is None:
        return LoadedClaims(claims, "jwt", source, header, verified=False)

    _verify_signature(token.strip(), header, load_jwks(jwks), source)
    _check_expiry(claims, now, source)
    return LoadedClaims(claims, "jwt", source, header, verified=True)


def _verify_signature(token: str, header: dict[str, Any], jwks: dict[str, Any], source: str) -> None:
    algorithm = header["alg"]
    if algorithm.startswith("HS"):
        raise TokenError(
            f"{source}: the header's alg is {algorithm!r}, but only {ALGORITHM} is accepted. An HMAC token checked "
            "against an RSA public key would let anyone who has the public key, which Okta publishes, forge tokens; "
            "Okta signs with RS256, so get the token from Okta again"
        )
    if algorithm != ALGORITHM:
        raise TokenError(f"{source}: the header's alg is {algorithm!r}, but Okta signs with {ALGORITHM} only, so this token did not come from Okta")

    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise TokenError(f"{source}: the header has no kid, so no key in the JWKS can be chosen; Okta's tokens always name their key with a kid")

    known = [key["kid"] for key in jwks["keys"]]
    matches = [key for key in jwks["keys"] if key["kid"] == kid]
    if not matches:
        raise TokenError(
            f"{source}: the kid {kid!r} is not in the JWKS, which has {known}. Each Okta authorization server signs "
            "with its own keys, and Okta rotates them: fetch the JWKS again from the /keys endpoint of the server "
            "that issued the token (the iss claim)"
        )
    jwk = matches[0]
    if jwk.get("kty") != "RSA":
        raise TokenError(f"{source}: the JWKS key {kid!r} has kty {jwk.get('kty')!r}, but RS256 needs an RSA key")

    try:
        key = jwt.PyJWK.from_dict(jwk, algorithm=ALGORITHM).key
        # The algorithm is pinned, so PyJWT rejects any token that names another one.
        jwt.PyJWS().decode_complete(token, key=key, algorithms=[ALGORITHM])
    except jwt.InvalidSignatureError:
        raise TokenError(
            f"{source}: the signature does not match the key {kid!r}, so the token was changed after it was signed; "
            "get the token from Okta again"
        ) from None
    except (jwt.PyJWKError, jwt.InvalidTokenError) as error:
        raise TokenError(f"{source}: cannot be verified with the JWKS key {kid!r} ({error})") from None


def _check_expiry(claims: dict[str, Any], now: float | datetime | None, source: str) -> None:
    if isinstance(now, datetime):
        if now.tzinfo is None:
            raise ValueError(f"now={now.isoformat()} has no time zone; pass an aware datetime such as datetime.now(timezone.utc)")
        now = now.timestamp()
    elif now is None:
        now = datetime.now(tz=timezone.utc).timestamp()

    expires = claims.get("exp")
    if not isinstance(expires, (int, float)) or isinstance(expires, bool):
        raise TokenError(f"{source}: has no numeric exp claim, but every Okta token has one")
    # RFC 7519: the token must not be accepted on or after exp.
    if now >= expires:
        when = datetime.fromtimestamp(expires, tz=timezone.utc).isoformat()
        checked = datetime.fromtimestamp(now, tz=timezone.utc).isoformat()
        raise TokenError(
            f"{source}: expired at {when} (exp {expires}), checked at {checked}; Okta's ID tokens live one hour, "
            "so sign in again for a fresh token, or pass the time to check at"
        )


def _check_issuer_and_audience(loaded: LoadedClaims, issuer: str | None, audience: str | None) -> None:
    claims, source = loaded.claims, loaded.source
    if issuer is not None and claims.get("iss") != issuer:
        raise TokenError(
            f"{source}: iss is {claims.get('iss')!r}, but {issuer!r} was expected; the issuer must match exactly. "
            "Okta's org authorization server issues https://{domain} and a custom one https://{domain}/oauth2/{id}, "
            "so set CODER_OIDC_ISSUER_URL to the server that issued the token"
        )
    if audience is not None:
        value = claims.get("aud")
        audiences = value if isinstance(value, list) else [value]
        if audience not in audiences:
            raise TokenError(
                f"{source}: aud is {value!r}, but {audience!r} was expected; an ID token's aud is the client ID "
                "of the app it was issued to, so check CODER_OIDC_CLIENT_ID"
            )


def _load_decoded(text: str, source: str) -> LoadedClaims:
    if text.startswith(("{", "[")):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise TokenError(f"{source}: invalid JSON ({error.msg} at line {error.lineno}); give the decoded claims as one JSON object") from None
        if not isinstance(value, dict):
            raise TokenError(f"{source}: is JSON, but not an object of claims")
        return LoadedClaims(value, "claims", source)

    preview = _parse_token_preview(text, source)
    if preview is not None:
        return preview
    raise TokenError(
        f"{source}: is neither a compact JWT, a JSON object of claims, nor a copy of Okta's Token Preview "
        f"(it starts with {text[:12]!r} and has {len(text)} characters)"
    )


def _parse_token_preview(text: str, source: str) -> LoadedClaims | None:
    # NOTE: the layout (Header, Payload, and a Signature line saying the
    # signature was removed) comes from the screenshot in Okta's release
    # notes of December 2017; the current Admin Console may lay it out differently.
    sections: dict[str, dict[str, Any]] = {}
    decoder = json.JSONDecoder()
    for label in _PREVIEW_LABEL.finditer(text):
        start = text.find("{", label.end())
        if start < 0:
            continue
        try:
            value, _ = decoder.raw_decode(text, start)
        except json.JSONDecodeError as error:
            raise TokenError(f"{source}: the {label.group(1)} section of the Token Preview copy is not valid JSON ({error.msg}); copy the whole section") from None
        if isinstance(value, dict):
            sections[label.group(1)] = value

    if "Payload" not in sections:
        return None
    return LoadedClaims(sections["Payload"], "token-preview", source, sections.get("Header"))


def _decode_part(part: str, name: str, source: str) -> dict[str, Any]:
    try:
        raw = base64url_decode(part.encode("ascii"))
    except (binascii.Error, ValueError):
        raise TokenError(f"{source}: the {name} is not valid base64url; the token was cut or changed, so copy it again") from None
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise TokenError(f"{source}: the {name} does not decode to JSON; the token was cut or changed, so copy it again") from None
    if not isinstance(value, dict):
        raise TokenError(f"{source}: the {name} decodes to JSON that is not an object")
    return value


def _read_source(source: str | Path) -> tuple[str, str]:
    if isinstance(source, Path):
        return _read_file(source)
    stripped = source.strip()
    if not stripped or stripped.startswith(("{", "[")) or "\n" in stripped:
        return source, "the token"
    # A file name such as "sam.id.json" also looks like a compact JWT, so an existing file wins.
    try:
        is_file = Path(stripped).is_file()
    except OSError:  # for example a name longer than the file system allows
        is_file = False
    if is_file or not _DOTTED.match(stripped):
        return _read_file(Path(stripped))
    return source, "the token"


def _read_file(path: Path) -> tuple[str, str]:
    name = str(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_INPUT_BYTES + 1)
    except OSError as error:
        raise TokenError(f"{name}: cannot be read ({error.strerror}); check the path") from None
    if len(data) > MAX_INPUT_BYTES:
        raise TokenError(f"{name}: larger than 1 MiB, so it is not a token")
    try:
        return data.decode("utf-8"), name
    except UnicodeDecodeError:
        raise TokenError(f"{name}: is not UTF-8 text, so it is not a token") from None
