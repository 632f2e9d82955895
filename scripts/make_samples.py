"""Regenerate the token samples under snippets/ from each folder's okta.yaml, and sign them with the test-only keys.

    .venv/bin/python scripts/make_samples.py            # write every sample that changed
    .venv/bin/python scripts/make_samples.py --check    # list stale samples, exit 1 if any
    .venv/bin/python scripts/make_samples.py --new-keys # replace the test-only keys, then write

For a folder with okta.yaml, the Okta model (idpsync.okta.issue_tokens)
computes the ID token, the access token and the /userinfo response for the
scopes in sign_in.scopes, or else the folder's CODER_OIDC_SCOPES. The script
writes the decoded samples that scenario.yaml reads from that folder, an
``id-token.jwt`` beside ``id-token.json``, and ``access-token.json`` and
``access-token.jwt`` for the folders in ACCESS_TOKEN_FOLDERS, and the decoded
ID token header ``id-token-header.json`` for HEADER_FOLDER. A folder without
okta.yaml keeps its hand-written id-token.json, and only its id-token.jwt is
written. The test-only private keys are in tests/keys/, and the JWKS files
under snippets/keys/ are written from them.

The output is deterministic: the claims come from okta.yaml, and RS256
(RSASSA-PKCS1-v1_5) signatures depend only on the key and the signed bytes.
Keys are the exception: --new-keys creates random ones, which changes every
signature and every at_hash. The script prints file names, never key material.
"""

import argparse
import base64
import json
import sys
from pathlib import Path
from typing import Any

import yaml
from cryptography.hazmat.primitives import serialization

from idpsync.coder.settings import CoderSettings
from idpsync.okta import classify_issuer, issue_tokens, load_okta_setup, load_signing_key, public_jwk, sign_jwt
from idpsync.okta.signing import SigningKey, generate_signing_key

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
# The test-only private keys live with the tests; the JWKS files are samples that pages show.
KEYS = ROOT / "tests" / "keys"
JWKS = SNIPPETS / "keys"

# Folders whose access token a page shows, and the folder whose decoded ID token header it shows.
ACCESS_TOKEN_FOLDERS = ("okta-groups", "custom-authorization-server")
HEADER_FOLDER = "okta-groups"

# Arrays longer than this on one line are written one item per line.
MAX_LINE = 100

KEY_PREAMBLE = """\
TEST ONLY. This RSA private key signs the sample tokens under snippets/, and
the tests verify those tokens with its public key in
snippets/keys/{jwks}.
The key is published with the repository, so it protects nothing: never trust
it, or a token it signed, anywhere else. Replace it with
.venv/bin/python scripts/make_samples.py --new-keys
"""
JWKS_NOTE = "TEST ONLY: the public key of this repository's test-only signing key, not a key of any Okta org"


def server_name(issuer: str) -> str:
    """Return the key name of the authorization server an issuer names: "org-server" or "<id>-server"."""
    server = classify_issuer(issuer)
    if server.is_org:
        return "org-server"
    if server.is_custom:
        return f"{server.server_id}-server"
    raise ValueError(f"{issuer!r} is not an Okta issuer, so no test-only key belongs to it")


def key_path(issuer: str) -> Path:
    """Return the test-only private key that signs the samples of an issuer."""
    return KEYS / f"test-only-{server_name(issuer)}-key.pem"


def jwks_path(issuer: str) -> Path:
    """Return the JWKS file that verifies the samples of an issuer."""
    return JWKS / f"test-only-{server_name(issuer)}-jwks.json"


def format_json(value: dict[str, Any]) -> str:
    """Write claims as the samples show them: one claim per line, short arrays inline."""
    lines = ["{"]
    items = list(value.items())
    for index, (name, item) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        prefix = f"  {json.dumps(name)}: "
        inline = json.dumps(item, ensure_ascii=False)
        if isinstance(item, list) and len(prefix + inline + comma) > MAX_LINE:
            lines.append(prefix + "[")
            lines += [f"    {json.dumps(element, ensure_ascii=False)}{',' if position < len(item) - 1 else ''}" for position, element in enumerate(item)]
            lines.append("  ]" + comma)
        else:
            lines.append(prefix + inline + comma)
    lines.append("}")
    return "\n".join(lines) + "\n"


def jwt_header(token: str) -> dict[str, Any]:
    """Decode the header of a compact JWT, keeping the order of its members."""
    return json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))


def format_jwks(keys: list[SigningKey]) -> str:
    jwks = {"description": JWKS_NOTE, "keys": [public_jwk(key) for key in keys]}
    return json.dumps(jwks, indent=2) + "\n"


def _scenario_files(folder: Path) -> tuple[Path | None, Path | None]:
    """Return the ID token and /userinfo samples scenario.yaml reads from inside the folder."""
    spec = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    inside = []
    for key in ("id_token", "userinfo"):
        path = (folder / spec[key]).resolve() if spec.get(key) else None
        inside.append(path if path is not None and path.parent == folder.resolve() else None)
    return inside[0], inside[1]


def render_samples() -> dict[Path, str]:
    """Return every file the script owns under snippets/, with its content."""
    keys: dict[Path, SigningKey] = {path: load_signing_key(path) for path in sorted(KEYS.glob("test-only-*-key.pem"))}
    files: dict[Path, str] = {}
    for path, key in keys.items():
        files[JWKS / path.name.replace("-key.pem", "-jwks.json")] = format_jwks([key])

    def key_for(issuer: str, where: Path) -> SigningKey:
        path = key_path(issuer)
        if path not in keys:
            raise SystemExit(f"{where.relative_to(ROOT)}: no test-only key {path.relative_to(ROOT)} for the issuer {issuer}; run with --new-keys")
        return keys[path]

    for spec in sorted(SNIPPETS.rglob("scenario.yaml")):
        folder = spec.parent
        id_token_path, userinfo_path = _scenario_files(folder)
        okta_path = folder / "okta.yaml"

        if not okta_path.is_file():
            # A hand-written sample: sign the decoded JSON as it is.
            if id_token_path is not None:
                claims = json.loads(id_token_path.read_text(encoding="utf-8"))
                files[id_token_path.with_suffix(".jwt")] = sign_jwt(claims, key_for(claims["iss"], id_token_path)) + "\n"
            continue

        setup = load_okta_setup(okta_path, name=okta_path.relative_to(ROOT).as_posix())
        scopes = setup.sign_in.scopes or CoderSettings.from_env_file(folder / "coder.env").scopes
        response = issue_tokens(setup, key_for(setup.issuer, okta_path), scopes)

        if id_token_path is not None:
            files[id_token_path] = format_json(response.id_token)
            files[id_token_path.with_suffix(".jwt")] = response.id_token_jwt + "\n"
        if userinfo_path is not None:
            if response.userinfo is None:
                raise SystemExit(f"{okta_path.relative_to(ROOT)}: scenario.yaml reads {userinfo_path.name}, but Okta sends no /userinfo response for this sign-in")
            files[userinfo_path] = format_json(response.userinfo)
        if folder.relative_to(SNIPPETS).as_posix() in ACCESS_TOKEN_FOLDERS:
            files[folder / "access-token.json"] = format_json(response.access_token)
            files[folder / "access-token.jwt"] = response.access_token_jwt + "\n"
        if folder.relative_to(SNIPPETS).as_posix() == HEADER_FOLDER:
            files[folder / "id-token-header.json"] = format_json(jwt_header(response.id_token_jwt))
    return files


def write_new_keys() -> None:
    """Replace the test-only keys of every server that has one, and create the org and default ones if missing."""
    names = {path.name.removeprefix("test-only-").removesuffix("-key.pem") for path in KEYS.glob("test-only-*-key.pem")}
    names |= {"org-server", "default-server"}
    KEYS.mkdir(parents=True, exist_ok=True)
    JWKS.mkdir(parents=True, exist_ok=True)
    for name in sorted(names):
        key = generate_signing_key()
        pem = key.private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        preamble = KEY_PREAMBLE.format(jwks=f"test-only-{name}-jwks.json")
        (KEYS / f"test-only-{name}-key.pem").write_text(preamble + pem.decode("ascii"), encoding="ascii")
        print(f"new key {(KEYS / f'test-only-{name}-key.pem').relative_to(ROOT)}")


def stale_files(files: dict[Path, str]) -> list[Path]:
    """Return the files whose content on disk differs from ``files``."""
    return [path for path, text in files.items() if not path.is_file() or path.read_text(encoding="utf-8") != text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate and sign the token samples under snippets/.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="write nothing; list stale samples and exit 1 if there are any")
    mode.add_argument("--new-keys", action="store_true", help="replace the test-only signing keys first (changes every signature)")
    args = parser.parse_args(argv)

    if args.new_keys:
        write_new_keys()
    files = render_samples()
    stale = stale_files(files)

    if args.check:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)}")
        if stale:
            print("run .venv/bin/python scripts/make_samples.py to regenerate them", file=sys.stderr)
        return 1 if stale else 0

    for path in stale:
        path.write_text(files[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    print(f"{len(files)} sample files, {len(stale)} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
