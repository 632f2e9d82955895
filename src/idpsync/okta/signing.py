"""Token signing as Okta does it: an RS256 JWS whose header has only kid and alg, and the JWKS that verifies it.

Okta signs ID and access tokens with RS256 ("always RS256" in Okta's OpenID
Connect & OAuth 2.0 API reference). Tokens captured from Okta have the header
``{"kid": "<key ID>", "alg": "RS256"}`` with a key ID of 43 base64url
characters. The model uses the RFC 7638 SHA-256 thumbprint of the public key
as the key ID, which has that length. Each authorization server has its own
keys, served at its /keys endpoint.
"""

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = ["SigningKey", "at_hash", "b64url", "generate_signing_key", "jwk_thumbprint", "load_signing_key", "public_jwk", "sign_jwt"]


def b64url(data: bytes) -> str:
    """Encode bytes as unpadded base64url, as JWS compact serialization does."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _integer(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


@dataclass(frozen=True)
class SigningKey:
    """An RSA private key and its key ID."""

    private_key: rsa.RSAPrivateKey
    kid: str


def jwk_thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """Return the RFC 7638 SHA-256 thumbprint of an RSA public key, 43 characters of base64url."""
    numbers = public_key.public_numbers()
    # RFC 7638: the required members only, in lexicographic order, with no whitespace.
    canonical = json.dumps({"e": _integer(numbers.e), "kty": "RSA", "n": _integer(numbers.n)}, separators=(",", ":"))
    return b64url(hashlib.sha256(canonical.encode("ascii")).digest())


def load_signing_key(path: str | Path) -> SigningKey:
    """Read an unencrypted PEM RSA private key; text before the BEGIN line is ignored."""
    data = Path(path).read_bytes()
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except ValueError as error:
        raise ValueError(f"{path}: not an unencrypted PEM private key ({error})") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{path}: contains a {type(key).__name__}, but Okta signs with RSA keys; give an RSA private key")
    return SigningKey(key, jwk_thumbprint(key.public_key()))


def generate_signing_key() -> SigningKey:
    """Create a new 2048-bit RSA key with a thumbprint key ID."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return SigningKey(key, jwk_thumbprint(key.public_key()))


def public_jwk(key: SigningKey) -> dict[str, str]:
    """Return the public JWK of a signing key, with the members Okta's /keys endpoint lists."""
    numbers = key.private_key.public_key().public_numbers()
    return {"kty": "RSA", "alg": "RS256", "kid": key.kid, "use": "sig", "e": _integer(numbers.e), "n": _integer(numbers.n)}


def sign_jwt(claims: dict[str, Any], key: SigningKey) -> str:
    """Sign claims as Okta does and return the compact JWT.

    RSASSA-PKCS1-v1_5 signatures are deterministic, so the same claims and
    key always give the same token, which keeps the samples reproducible.
    """
    header = json.dumps({"kid": key.kid, "alg": "RS256"}, separators=(",", ":"))
    payload = json.dumps(claims, separators=(",", ":"), ensure_ascii=False)
    signing_input = f"{b64url(header.encode('utf-8'))}.{b64url(payload.encode('utf-8'))}"
    signature = key.private_key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url(signature)}"


def at_hash(access_token: str) -> str:
    """Return the at_hash of an access token: the left half of its SHA-256 hash, base64url (OpenID Connect Core 3.1.3.6)."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return b64url(digest[: len(digest) // 2])
