"""idpsync.tokens: the inputs it reads, the tokens it rejects and the messages it gives."""

import hashlib
import hmac
import json
from datetime import datetime, timezone
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from idpsync.okta.signing import b64url, generate_signing_key, sign_jwt
from idpsync.tokens import MAX_INPUT_BYTES, TokenError, load_claims, load_jwks
from tests.tokens.samples import NOW

GROUPS = Path("snippets/okta-groups")
ORG_JWKS = Path("snippets/keys/test-only-org-server-jwks.json")
DEFAULT_JWKS = Path("snippets/keys/test-only-default-server-jwks.json")
ORG_KEY = Path("tests/keys/test-only-org-server-key.pem")
CLAIMS = json.loads((GROUPS / "id-token.json").read_text())
TOKEN = (GROUPS / "id-token.jwt").read_text().strip()
EXP = CLAIMS["exp"]


def compact(header: dict, payload: dict, signature: bytes = b"") -> str:
    """Build a compact JWT from raw parts, for tokens no library would sign."""
    def encode(value: dict) -> str:
        return b64url(json.dumps(value, separators=(",", ":")).encode())

    return f"{encode(header)}.{encode(payload)}.{b64url(signature)}"


def org_public_pem() -> bytes:
    key = serialization.load_pem_private_key(ORG_KEY.read_bytes(), password=None)
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def rejection(source, **options) -> str:
    """Return the message of the TokenError that load_claims raises, after checking its form."""
    with pytest.raises(TokenError) as caught:
        load_claims(source, **options)
    message = str(caught.value)
    assert "\n" not in message, "a message is one line"
    assert TOKEN not in message, "a message never repeats the whole token"
    return message


# Inputs it reads.


def test_jwt_file_verified():
    loaded = load_claims(GROUPS / "id-token.jwt", jwks=ORG_JWKS, now=NOW)

    assert loaded.verified
    assert loaded.form == "jwt"
    assert loaded.claims == CLAIMS
    assert loaded.header == {"kid": loaded.header["kid"], "alg": "RS256"}


def test_jwt_text_verified_against_mapping_jwks():
    jwks = json.loads(ORG_JWKS.read_text())
    loaded = load_claims(TOKEN + "\n", jwks=jwks, now=NOW)

    assert loaded.verified
    assert loaded.source == "the token"


def test_jwt_path_given_as_string():
    loaded = load_claims(str(GROUPS / "id-token.jwt"), jwks=str(ORG_JWKS), now=NOW)

    assert loaded.verified
    assert loaded.source == "snippets/okta-groups/id-token.jwt"


def test_jwt_without_jwks_is_decoded_unverified():
    loaded = load_claims(TOKEN)

    assert not loaded.verified
    assert loaded.claims == CLAIMS


def test_decoded_json_file():
    loaded = load_claims(GROUPS / "id-token.json")

    assert loaded.form == "claims"
    assert not loaded.verified
    assert loaded.header is None
    assert loaded.claims == CLAIMS


def test_decoded_json_text():
    assert load_claims(json.dumps(CLAIMS)).claims == CLAIMS


def test_token_preview_copy():
    # Okta's Token Preview tab shows a Header object, a Payload object and a
    # Signature line, because it removes the signature.
    text = (
        "token\n\nHeader\n" + json.dumps({"alg": "RS256", "kid": "abc"}, indent=2)
        + "\nPayload\n" + json.dumps(CLAIMS, indent=2)
        + "\nSignature\n/* The JWT signature has been removed from this token preview. */\n"
    )
    loaded = load_claims(text)

    assert loaded.form == "token-preview"
    assert loaded.claims == CLAIMS
    assert loaded.header == {"alg": "RS256", "kid": "abc"}
    assert not loaded.verified


def test_token_preview_payload_only():
    loaded = load_claims("Payload\n" + json.dumps(CLAIMS, indent=2))

    assert loaded.claims == CLAIMS
    assert loaded.header is None


def test_issuer_and_audience_checked():
    loaded = load_claims(GROUPS / "id-token.jwt", jwks=ORG_JWKS, now=NOW, issuer="https://example.okta.com", audience="0oa5x4w3v2u1t0s9r8q7")

    assert loaded.claims["aud"] == "0oa5x4w3v2u1t0s9r8q7"


def test_valid_until_last_second():
    assert load_claims(TOKEN, jwks=ORG_JWKS, now=EXP - 1).verified


# Tokens it rejects.


def test_alg_none_rejected_with_and_without_jwks():
    token = compact({"alg": "none"}, CLAIMS)

    assert "alg is 'none'" in rejection(token)
    assert "unsigned" in rejection(token, jwks=ORG_JWKS, now=NOW)


def test_alg_none_in_capitals_rejected():
    assert "unsigned" in rejection(compact({"kid": "x", "alg": "NONE"}, CLAIMS), jwks=ORG_JWKS, now=NOW)


def test_hs256_with_rsa_public_key_rejected():
    # The classic key-confusion forgery: HMAC-sign with the published RSA public key as the secret.
    header = {"kid": jwt.get_unverified_header(TOKEN)["kid"], "alg": "HS256"}
    unsigned = compact(header, CLAIMS).rsplit(".", 1)[0]
    signature = hmac.new(org_public_pem(), unsigned.encode(), hashlib.sha256).digest()
    forged = f"{unsigned}.{b64url(signature)}"

    message = rejection(forged, jwks=ORG_JWKS, now=NOW)

    assert "'HS256'" in message
    assert "only RS256 is accepted" in message
    with pytest.raises(jwt.InvalidAlgorithmError):
        # PyJWT with the algorithm pinned rejects it too.
        jwt.decode(forged, org_public_pem(), algorithms=["RS256"], options={"verify_exp": False, "verify_aud": False})


def test_other_algorithm_rejected():
    assert "'RS512'" in rejection(compact({"kid": "x", "alg": "RS512"}, CLAIMS, b"sig"), jwks=ORG_JWKS, now=NOW)


def test_missing_alg_rejected():
    assert "no alg" in rejection(compact({"kid": "x"}, CLAIMS, b"sig"))


def test_missing_kid_rejected():
    token = compact({"alg": "RS256"}, CLAIMS, b"sig")

    assert "has no kid" in rejection(token, jwks=ORG_JWKS, now=NOW)


def test_unknown_kid_rejected():
    stranger = sign_jwt(CLAIMS, generate_signing_key())
    known = load_jwks(ORG_JWKS)["keys"][0]["kid"]

    message = rejection(stranger, jwks=ORG_JWKS, now=NOW)

    assert "is not in the JWKS" in message
    assert known in message, "the message lists the key IDs the JWKS has"
    assert "/keys" in message


def test_expired_rejected():
    message = rejection(TOKEN, jwks=ORG_JWKS, now=EXP)

    assert "expired at 2024-05-29T17:26:40+00:00" in message
    assert f"exp {EXP}" in message


def test_aware_datetime_accepted():
    checked_at = datetime.fromtimestamp(NOW, tz=timezone.utc)

    assert load_claims(TOKEN, jwks=ORG_JWKS, now=checked_at).verified


def test_naive_datetime_rejected():
    with pytest.raises(ValueError, match="has no time zone"):
        load_claims(TOKEN, jwks=ORG_JWKS, now=datetime(2024, 5, 29, 16, 30))


def test_expired_by_default_clock():
    # The samples expired in 2024, so the current time rejects them.
    assert "expired" in rejection(TOKEN, jwks=ORG_JWKS)


def test_changed_signature_rejected():
    header, payload, signature = TOKEN.split(".")
    changed = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]

    assert "signature does not match" in rejection(f"{header}.{payload}.{changed}", jwks=ORG_JWKS, now=NOW)


def test_changed_claim_rejected():
    header, _, signature = TOKEN.split(".")
    payload = b64url(json.dumps({**CLAIMS, "groups": ["coder-admins", "coder-owners"]}, separators=(",", ":")).encode())

    assert "signature does not match" in rejection(f"{header}.{payload}.{signature}", jwks=ORG_JWKS, now=NOW)


def test_wrong_issuer_rejected():
    message = rejection(TOKEN, issuer="https://example.okta.com/oauth2/default")

    assert "iss is 'https://example.okta.com'" in message
    assert "CODER_OIDC_ISSUER_URL" in message


def test_wrong_audience_rejected():
    assert "CODER_OIDC_CLIENT_ID" in rejection(TOKEN, audience="0oaOTHERCLIENT0000000")


def test_jwks_with_decoded_claims_rejected():
    assert "decoded claims carry no signature" in rejection(GROUPS / "id-token.json", jwks=ORG_JWKS)


def test_jwks_with_token_preview_rejected():
    assert "Token Preview removes the signature" in rejection("Payload\n" + json.dumps(CLAIMS), jwks=ORG_JWKS)


# Inputs it cannot use.


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("   \n", "is empty"),
        ("[1, 2]", "is JSON, but not an object of claims"),
        ('{"sub": ', "invalid JSON"),
        ('{"sub": 1}{', "invalid JSON"),
        ("a.b.c.d.e", "is a JWE"),
        ("eyJhbGciOiJSUzI1NiJ9.e30.c2lnLg.x", "found 4"),
        ("e.e30.sig", "header is not valid base64url"),
        ("bm90IGpzb24.e30.sig", "header does not decode to JSON"),
        ("WzFd.e30.sig", "header decodes to JSON that is not an object"),
        ("hello there\nnothing here", "is neither a compact JWT"),
    ],
)
def test_unusable_text_rejected(text, message):
    assert message in rejection(text)


def test_missing_file_rejected():
    assert "missing.jwt: cannot be read" in rejection("missing.jwt")


def test_large_file_rejected(tmp_path):
    large = tmp_path / "large.json"
    large.write_text(" " * (MAX_INPUT_BYTES + 1))

    assert "larger than 1 MiB" in rejection(large)


def test_binary_file_rejected(tmp_path):
    binary = tmp_path / "token.bin"
    binary.write_bytes(b"\xff\xfe\x00")

    assert "not UTF-8 text" in rejection(binary)


def test_file_name_with_dots_read_as_file(tmp_path, monkeypatch):
    # "sam.id.json" also fits the compact JWT pattern; an existing file wins.
    monkeypatch.chdir(tmp_path)
    Path("sam.id.json").write_text(json.dumps(CLAIMS))

    assert load_claims("sam.id.json").form == "claims"


def test_bad_jwks_rejected(tmp_path):
    bad = tmp_path / "jwks.json"
    bad.write_text('{"keys": [{"kty": "RSA"}]}')

    assert "not a JWKS" in rejection(TOKEN, jwks=bad, now=NOW)


def test_jwks_key_of_wrong_type_rejected():
    kid = jwt.get_unverified_header(TOKEN)["kid"]
    jwks = {"keys": [{"kty": "oct", "kid": kid, "k": "c2VjcmV0"}]}

    assert "kty 'oct'" in rejection(TOKEN, jwks=jwks, now=NOW)


# Which server issued the token.


@pytest.mark.parametrize(
    ("issuer", "kind", "server_id"),
    [
        ("https://example.okta.com", "org", None),
        ("https://example.okta.com/oauth2/default", "custom", "default"),
        ("https://example.okta.com/oauth2/aus9o8wzkhckw9TLa0h7z", "custom", "aus9o8wzkhckw9TLa0h7z"),
        ("https://id.example.com", "org", None),
        ("https://id.example.com/oauth2/default", "custom", "default"),
        ("https://example.oktapreview.com/oauth2/aus1", "custom", "aus1"),
        ("https://example.okta.com/oauth2/v1", "unknown", None),
        ("https://example.okta.com/oauth2", "unknown", None),
        ("https://example.okta.com/oauth2/default/v1", "unknown", None),
        ("example.okta.com", "unknown", None),
    ],
)
def test_server_from_issuer(issuer, kind, server_id):
    server = load_claims(json.dumps({**CLAIMS, "iss": issuer})).server

    assert server.kind == kind
    assert server.server_id == server_id


def test_server_none_without_iss():
    assert load_claims('{"sub": "00u8f3k2j1h0g9f8e7d6"}').server is None
