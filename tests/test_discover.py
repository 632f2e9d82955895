"""idpsync discover against a stand-in for Okta's discovery endpoints, run as a process on 127.0.0.1."""

import datetime
import ipaddress
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.paths import ROOT

IDPSYNC = str(Path(sys.executable).with_name("idpsync"))


def start_server(*arguments):
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.servers.okta_discovery", *arguments],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    base_url = process.stdout.readline().strip()
    assert base_url.startswith(("http://127.0.0.1:", "https://127.0.0.1:")), base_url
    return process, base_url


@pytest.fixture(scope="module")
def okta():
    process, base_url = start_server()
    yield base_url
    stop(process)


@pytest.fixture(scope="module")
def okta_tls(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = make_self_signed(folder)
    process, base_url = start_server("--tls", str(cert), str(key))
    yield base_url
    stop(process)


def stop(process):
    process.terminate()
    process.wait(timeout=10)
    process.stdout.close()


def make_self_signed(folder: Path) -> tuple[Path, Path]:
    # A test-only certificate for 127.0.0.1 that no client trusts.
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idpsync test only")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


def run(*arguments):
    return subprocess.run([IDPSYNC, "discover", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_org_server(okta):
    done = run(okta, "--env", "snippets/okta-groups/coder.env")

    assert done.returncode == 0, done.stderr
    assert "Authorization server: org" in done.stdout
    assert "Issuer: matches the URL" in done.stdout
    assert f"/userinfo: {okta}/oauth2/v1/userinfo" in done.stdout
    assert "Scope groups: advertised" in done.stdout
    assert "Scope offline_access: advertised" in done.stdout


def test_custom_scope_unpublished(okta):
    done = run(f"{okta}/oauth2/default", "--env", "snippets/custom-authorization-server/coder.env")

    assert done.returncode == 0, done.stderr
    assert "Authorization server: custom" in done.stdout
    assert "Scope roles: unpublished" in done.stdout
    assert "Include in public metadata" in done.stdout


def test_custom_scope_on_org_server_missing(okta):
    done = run(okta, "--env", "snippets/custom-authorization-server/coder.env")

    assert done.returncode == 1
    assert "Scope roles: missing" in done.stdout


def test_no_userinfo_endpoint(okta):
    done = run(f"{okta}/oauth2/nouserinfo")

    assert "/userinfo: not advertised" in done.stdout


def test_issuer_mismatch(okta):
    done = run(f"{okta}/oauth2/mismatch")

    assert done.returncode == 1
    assert f"Issuer: '{okta}/oauth2/default' differs from the URL" in done.stdout


def test_trailing_slash_is_a_mismatch(okta):
    done = run(f"{okta}/oauth2/default/")

    assert done.returncode == 1
    assert "differs from the URL" in done.stdout


@pytest.mark.parametrize(
    ("path", "arguments", "message"),
    [
        ("/oauth2/aus0000000000000000", [], "HTTP 404"),
        ("/oauth2/slow", ["--timeout", "1"], "timed out"),
    ],
)
def test_failures_one_line(okta, path, arguments, message):
    done = run(f"{okta}{path}", *arguments)

    assert done.returncode == 2
    assert message in done.stderr
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_tls_failure_one_line(okta_tls):
    done = run(okta_tls)

    assert done.returncode == 2
    assert "TLS certificate verification failed" in done.stderr
    assert done.stderr.count("\n") == 1


def test_connection_refused_one_line():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = run(f"http://127.0.0.1:{port}")

    assert done.returncode == 2
    assert "connection refused" in done.stderr


def test_not_a_url():
    done = run("example.okta.com")

    assert done.returncode == 2
    assert "is not an http(s) URL" in done.stderr
