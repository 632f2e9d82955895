"""Every signed sample under snippets/ verifies against its server's test-only JWKS and matches the JSON a page shows.

PyJWT verifies each token independently of idpsync.tokens. The clock is
fixed at NOW, inside every sample's hour of validity.
"""

import base64
import hashlib
import json

import jwt
import pytest
import yaml

from idpsync.coder.settings import CoderSettings
from idpsync.tokens import TokenError, load_claims
from tests.paths import ROOT, SNIPPETS
from tests.tokens.samples import NOW, header_files, key_files, make_samples, signed_samples

SAMPLES = signed_samples()
IDS = [sample.name for sample in SAMPLES]


def expected_issuer_and_audience(sample):
    """Return the iss and aud a sample must carry, from its folder's coder.env and okta.yaml."""
    settings = CoderSettings.from_env_file(sample.folder / "coder.env")
    if not sample.is_access_token:
        return settings.issuer_url, settings.client_id
    okta = yaml.safe_load((sample.folder / "okta.yaml").read_text(encoding="utf-8"))
    # An org server's access token is for Okta's APIs (aud is the org URL); a custom server's names its audience.
    audience = okta["server"]["audience"] if okta["authorization_server"] == "custom" else okta["org"]["url"]
    return settings.issuer_url, audience


def verify_with_pyjwt(sample, token=None):
    jwks = jwt.PyJWKSet.from_dict(json.loads(sample.jwks_path.read_text(encoding="utf-8")))
    token = token or sample.token
    issuer, audience = expected_issuer_and_audience(sample)
    key = jwks[jwt.get_unverified_header(token)["kid"]]
    # PyJWT checks exp against the real clock, so the time checks run below against NOW.
    payload = jwt.decode(
        token, key, algorithms=["RS256"], issuer=issuer, audience=audience,
        options={"verify_exp": False, "verify_iat": False, "verify_nbf": False, "require": ["iss", "aud", "exp", "iat"]},
    )
    assert payload["iat"] <= NOW < payload["exp"], f"{sample.name}: not valid at {NOW}"
    return payload


def test_samples_found():
    # An empty list would make every parametrized test below vanish.
    assert len(SAMPLES) >= 13, IDS


@pytest.mark.parametrize("sample", SAMPLES, ids=IDS)
def test_sample_verifies_with_pyjwt(sample):
    payload = verify_with_pyjwt(sample)

    assert payload["exp"] - payload["iat"] == 3600, f"{sample.name}: Okta's tokens live 3600 s"


@pytest.mark.parametrize("sample", SAMPLES, ids=IDS)
def test_header_has_only_kid_and_alg(sample):
    header = jwt.get_unverified_header(sample.token)

    assert list(header) == ["kid", "alg"], f"{sample.name}: Okta's header is {{kid, alg}} in that order, found {header}"
    assert header["alg"] == "RS256"
    assert len(header["kid"]) == 43, f"{sample.name}: Okta's key IDs have 43 characters, found {header['kid']!r}"


@pytest.mark.parametrize("sample", SAMPLES, ids=IDS)
def test_decoded_sample_equals_payload(sample):
    payload = verify_with_pyjwt(sample)
    decoded = sample.decoded
    where = sample.decoded_path.relative_to(ROOT)

    for name in sorted(set(payload) | set(decoded)):
        assert decoded.get(name, "(absent)") == payload.get(name, "(absent)"), (
            f"{where}: claim {name!r} is {decoded.get(name, '(absent)')!r}, but the signed {sample.name} has "
            f"{payload.get(name, '(absent)')!r}; run .venv/bin/python scripts/make_samples.py"
        )
    assert list(decoded) == list(payload), f"{where}: the claims are in another order than in {sample.name}"


@pytest.mark.parametrize("sample", SAMPLES, ids=IDS)
def test_idpsync_verifies_sample(sample):
    issuer, audience = expected_issuer_and_audience(sample)
    loaded = load_claims(sample.jwt_path, jwks=sample.jwks_path, now=NOW, issuer=issuer, audience=audience)

    assert loaded.verified
    assert loaded.claims == sample.decoded


@pytest.mark.parametrize("sample", SAMPLES, ids=IDS)
def test_changed_byte_fails_verification(sample):
    token = sample.token
    header, payload, signature = token.split(".")
    # One character in the middle of the payload, swapped for another base64url character.
    middle = len(payload) // 2
    changed = payload[:middle] + ("A" if payload[middle] != "A" else "B") + payload[middle + 1:]
    tampered = f"{header}.{changed}.{signature}"

    with pytest.raises((jwt.InvalidSignatureError, jwt.DecodeError)):
        verify_with_pyjwt(sample, tampered)
    with pytest.raises(TokenError):
        load_claims(tampered, jwks=sample.jwks_path, now=NOW)


# ID tokens whose folder also shows the access token issued with them.
PAIRED = [sample for sample in SAMPLES if sample.jwt_path.name == "id-token.jwt" and (sample.folder / "access-token.jwt").is_file()]


@pytest.mark.parametrize("sample", PAIRED, ids=lambda sample: sample.name)
def test_at_hash_matches_access_token(sample):
    access_token = (sample.folder / "access-token.jwt").read_text(encoding="utf-8").strip()
    # OpenID Connect Core 3.1.3.6: the left half of the SHA-256 hash of the access token, base64url.
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    expected = base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode("ascii")

    assert len(PAIRED) == 2
    assert sample.decoded["at_hash"] == expected, f"{sample.decoded_path.relative_to(ROOT)}: at_hash is not the hash of access-token.jwt"


@pytest.mark.parametrize("path", header_files(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_decoded_header_equals_jwt_header(path):
    token = path.with_name("id-token.jwt").read_text(encoding="utf-8").strip()
    decoded = json.loads(path.read_text(encoding="utf-8"))

    assert len(header_files()) == 1
    assert decoded == jwt.get_unverified_header(token), f"{path.relative_to(ROOT)}: differs from the header of id-token.jwt"


def test_every_decoded_token_has_signed_twin():
    decoded = sorted(SNIPPETS.rglob("id-token.json")) + sorted(SNIPPETS.rglob("access-token.json"))
    missing = [path.relative_to(ROOT).as_posix() for path in decoded if not path.with_suffix(".jwt").is_file()]

    assert len(decoded) >= 13
    assert not missing, f"decoded tokens without a signed .jwt beside them: {missing}; run .venv/bin/python scripts/make_samples.py"


def test_samples_up_to_date():
    script = make_samples()
    stale = [path.relative_to(ROOT).as_posix() for path in script.stale_files(script.render_samples())]

    assert not stale, f"samples differ from what scripts/make_samples.py writes: {stale}; run .venv/bin/python scripts/make_samples.py"


def test_servers_have_separate_keys():
    org = next(sample for sample in SAMPLES if sample.name == "snippets/okta-groups/id-token.jwt")
    custom = next(sample for sample in SAMPLES if sample.name == "snippets/custom-authorization-server/id-token.jwt")

    assert org.jwks_path != custom.jwks_path
    with pytest.raises(TokenError, match="is not in the JWKS"):
        load_claims(org.jwt_path, jwks=custom.jwks_path, now=NOW)


def test_key_files_labelled_test_only():
    files = key_files()
    pems = [path for path in files if path.suffix == ".pem"]
    jwks = [path for path in files if path.suffix == ".json"]

    assert len(pems) == 2, files
    assert len(jwks) == 2, files
    for path in pems:
        assert path.read_text(encoding="ascii").startswith("TEST ONLY."), f"{path.relative_to(ROOT)}: must start with the TEST ONLY notice"
    for path in jwks:
        assert json.loads(path.read_text(encoding="utf-8"))["description"].startswith("TEST ONLY"), f"{path.relative_to(ROOT)}: lacks the TEST ONLY description"
