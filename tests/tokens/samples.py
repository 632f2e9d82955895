"""The signed samples under snippets/, the test-only keys that verify them, and the script that makes them.

The token tests read exactly the files listed here, and
tests/snippets/test_folders.py counts them as used.
"""

import importlib.util
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

from idpsync.okta import classify_issuer
from tests.paths import ROOT, SNIPPETS

# A time inside every sample's validity: the samples are issued at 1717000000 and expire an hour later.
NOW = 1717000100


@cache
def make_samples() -> ModuleType:
    """Import scripts/make_samples.py, which is a script and not a package module."""
    path = ROOT / "scripts" / "make_samples.py"
    spec = importlib.util.spec_from_file_location("make_samples", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class SignedSample:
    """A compact JWT, the decoded JSON a page shows for it, and the JWKS of the server that signed it."""

    jwt_path: Path
    decoded_path: Path
    jwks_path: Path

    @property
    def name(self) -> str:
        return self.jwt_path.relative_to(ROOT).as_posix()

    @property
    def folder(self) -> Path:
        return self.jwt_path.parent

    @property
    def decoded(self) -> dict:
        return json.loads(self.decoded_path.read_text(encoding="utf-8"))

    @property
    def token(self) -> str:
        return self.jwt_path.read_text(encoding="utf-8").strip()

    @property
    def is_access_token(self) -> bool:
        return self.jwt_path.name.startswith("access-token")


def signed_samples() -> list[SignedSample]:
    """Return every *.jwt under snippets/, with its decoded twin and the JWKS its issuer's key belongs to."""
    samples = []
    for path in sorted(SNIPPETS.rglob("*.jwt")):
        decoded_path = path.with_suffix(".json")
        issuer = json.loads(decoded_path.read_text(encoding="utf-8"))["iss"] if decoded_path.is_file() else ""
        jwks_path = make_samples().jwks_path(issuer) if classify_issuer(issuer).kind != "unknown" else Path("(no JWKS)")
        samples.append(SignedSample(path, decoded_path, jwks_path))
    return samples


def key_files() -> list[Path]:
    """Return the test-only private keys under tests/keys/ and the JWKS files under snippets/keys/."""
    return sorted((ROOT / "tests" / "keys").glob("test-only-*")) + sorted((SNIPPETS / "keys").glob("test-only-*"))


def header_files() -> list[Path]:
    """Return the decoded headers the script writes beside some ID tokens."""
    return sorted(SNIPPETS.rglob("id-token-header.json"))


def files_read_by_token_tests() -> set[Path]:
    """Return every snippet file the token tests read."""
    files = {path for path in key_files() if path.is_relative_to(SNIPPETS)} | set(header_files())
    for sample in signed_samples():
        files |= {sample.jwt_path, sample.decoded_path, sample.jwks_path}
    return {path for path in files if path.is_file()}
