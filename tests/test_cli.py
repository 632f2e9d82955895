"""The installed idpsync command, run as a subprocess: output, exit codes and bad input."""

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import ROOT

IDPSYNC = str(Path(sys.executable).with_name("idpsync"))
GROUPS = "snippets/okta-groups"
ORG_JWKS = "snippets/keys/test-only-org-server-jwks.json"
DEFAULT_JWKS = "snippets/keys/test-only-default-server-jwks.json"


def run(*arguments, env=None, stdin=None):
    return subprocess.run([IDPSYNC, *arguments], cwd=ROOT, capture_output=True, text=True, env=env, input=stdin, timeout=60)


def check(*arguments, **options):
    return run("check", *arguments, **options)


def test_text_output_order():
    done = check("--env", f"{GROUPS}/coder.env", "--id-token", f"{GROUPS}/id-token.json", "--coder-groups", "coder-admins,coder-developers")
    lines = done.stdout.splitlines()

    assert done.returncode == 0, done.stderr
    assert lines[0] == "Sign-in: allowed"
    assert lines[1] == "Groups: coder-admins, coder-developers (and Everyone)"
    assert lines[2] == "Site roles: template-admin, user-admin (and member)"
    assert lines[4] == "Claim values"
    assert "coder-developers" in lines[-1]
    assert "dropped" in lines[-1]
    assert "\033[" not in done.stdout


def test_json_contract():
    done = check("--env", f"{GROUPS}/coder.env", "--id-token", f"{GROUPS}/id-token.json", "--coder-groups", "coder-admins", "--format", "json")
    report = json.loads(done.stdout)

    assert done.returncode == 0
    assert set(report) == {"login", "groups", "site_roles", "diagnostics"}
    assert report["login"] == {"allowed": True, "error": None}
    assert report["groups"]["sync"] == "applied"
    assert report["groups"]["member_of"] == ["coder-admins"]
    assert report["site_roles"] == {**report["site_roles"], "sync": "applied", "roles": ["template-admin", "user-admin"]}
    assert [item["code"] for item in report["diagnostics"]] == ["mapped-group-missing-in-coder"]
    assert {"code", "severity", "message", "fix"} <= set(report["diagnostics"][0])


@pytest.mark.parametrize(
    ("folder", "userinfo", "groups", "roles"),
    [
        ("okta-groups", None, ["coder-admins", "coder-developers"], ["template-admin", "user-admin"]),
        ("profile-attributes", "userinfo.json", ["data-science", "platform"], ["auditor", "template-admin"]),
        ("custom-authorization-server", None, None, ["auditor"]),
    ],
)
def test_each_approach_gives_page_outcome(folder, userinfo, groups, roles):
    scenario = json.loads(json.dumps(__import__("yaml").safe_load((ROOT / "snippets" / folder / "scenario.yaml").read_text())))
    arguments = ["--env", f"snippets/{folder}/coder.env", "--id-token", f"snippets/{folder}/id-token.json", "--format", "json",
                 "--coder-groups", ",".join(scenario["coder_groups"])]
    if userinfo:
        arguments += ["--userinfo", f"snippets/{folder}/{userinfo}"]
    report = json.loads(check(*arguments).stdout)

    assert report["groups"]["member_of"] == groups == scenario["expect"]["groups"]
    assert report["site_roles"]["roles"] == roles == scenario["expect"]["site_roles"]


def test_rejected_sign_in_exits_one():
    folder = "snippets/troubleshooting/comma-string"
    done = check("--env", f"{folder}/coder.env", "--id-token", f"{folder}/id-token.json")

    assert done.returncode == 1
    assert done.stdout.startswith("Sign-in: rejected, HTTP 500: Login disabled until site wide OIDC config is fixed")


def test_error_diagnostic_exits_one():
    done = check("--env", f"{GROUPS}/coder.env", "--set", "CODER_OIDC_GROUPS_FIELD=groups", "--id-token", f"{GROUPS}/id-token.json")

    assert done.returncode == 1
    assert "unknown-option" in done.stdout


def test_set_overrides_env_file():
    done = check("--env", f"{GROUPS}/coder.env", "--set", "CODER_OIDC_SCOPES=openid,groups", "--id-token", f"{GROUPS}/id-token.json",
                 "--coder-groups", "coder-admins,coder-developers", "--format", "json")
    report = json.loads(done.stdout)

    assert [item["code"] for item in report["diagnostics"]] == ["offline-access-missing"]


def test_id_token_from_standard_input():
    done = check("--id-token", "-", stdin=(ROOT / GROUPS / "id-token.json").read_text())

    assert done.returncode == 0
    assert done.stdout.startswith("Sign-in: allowed")


def test_helm_values_as_settings(tmp_path):
    values = tmp_path / "values.yaml"
    values.write_text(
        "coder:\n  env:\n"
        "    - name: CODER_OIDC_GROUP_FIELD\n      value: groups\n"
        "    - name: CODER_OIDC_CLIENT_SECRET\n      valueFrom:\n        secretKeyRef: {name: coder-oidc, key: client-secret}\n"
    )
    done = check("--env", str(values), "--id-token", f"{GROUPS}/id-token.json", "--coder-groups", "coder-admins")

    assert done.returncode == 0, done.stderr
    assert "Groups: coder-admins (and Everyone)" in done.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--id-token", "missing.json"], "--id-token missing.json: cannot be read"),
        (["--id-token", "README.md"], "--id-token README.md: is neither a compact JWT, a JSON object of claims"),
        (["--id-token", "tests/paths.py"], "--id-token tests/paths.py: is neither"),
        (["--id-token", f"{GROUPS}/id-token.jwt", "--jwks", "README.md"], "--jwks README.md: invalid JSON"),
        (["--id-token", f"{GROUPS}/id-token.jwt", "--jwks", ORG_JWKS], "expired at"),
        (["--id-token", f"{GROUPS}/id-token.jwt", "--jwks", DEFAULT_JWKS, "--at", "1717000100"], "is not in the JWKS"),
        (["--id-token", f"{GROUPS}/id-token.json", "--jwks", ORG_JWKS], "decoded claims carry no signature"),
        (["--id-token", f"{GROUPS}/id-token.json", "--env", "nothere.env"], "--env nothere.env: cannot be read"),
        (["--id-token", f"{GROUPS}/id-token.json", "--set", "CODER_OIDC_IGNORE_USERINFO=yes"], "CODER_OIDC_IGNORE_USERINFO='yes'"),
        (["--id-token", f"{GROUPS}/id-token.json", "--set", "CODER_OIDC_USER_ROLE_MAPPING={\"a\":"], "CODER_OIDC_USER_ROLE_MAPPING="),
        (["--id-token", f"{GROUPS}/id-token.json", "--set", "no-equals-sign"], "is not NAME=VALUE"),
        (["--id-token", f"{GROUPS}/id-token.json", "--userinfo", "README.md"], "--userinfo README.md: invalid JSON"),
    ],
)
def test_bad_input_exits_two(arguments, message):
    done = check(*arguments)

    assert done.returncode == 2
    assert message in done.stderr
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_signed_token_verified():
    done = check("--env", f"{GROUPS}/coder.env", "--id-token", f"{GROUPS}/id-token.jwt", "--jwks", ORG_JWKS,
                 "--at", "1717000100", "--coder-groups", "coder-admins,coder-developers")

    assert done.returncode == 0, done.stderr
    assert "Groups: coder-admins, coder-developers (and Everyone)" in done.stdout


def test_changed_signature_rejected(tmp_path):
    header, payload, signature = (ROOT / GROUPS / "id-token.jwt").read_text().strip().split(".")
    changed = "A" if signature[10] != "A" else "B"
    forged = tmp_path / "forged.jwt"
    forged.write_text(f"{header}.{payload}.{signature[:10]}{changed}{signature[11:]}")
    done = check("--id-token", str(forged), "--jwks", ORG_JWKS, "--at", "1717000100")

    assert done.returncode == 2
    assert "signature" in done.stderr
    assert signature not in done.stderr


def test_large_input_refused(tmp_path):
    large = tmp_path / "large.json"
    large.write_text(" " * (1024 * 1024 + 1))
    done = check("--id-token", str(large))

    assert done.returncode == 2
    assert "larger than 1 MiB" in done.stderr


def test_secret_never_printed():
    secret = "test-only-secret-1234567"
    for output_format in ("text", "json"):
        done = check("--env", f"{GROUPS}/coder.env", "--set", f"CODER_OIDC_CLIENT_SECRET={secret}",
                     "--set", "CODER_OIDC_IGNORE_USERINFO=maybe", "--id-token", f"{GROUPS}/id-token.json", "--format", output_format)

        assert secret not in done.stdout + done.stderr


def run_on_terminal(arguments, extra_env):
    # A pseudo-terminal makes standard output a TTY, as in an interactive shell.
    env = {**os.environ, **extra_env}
    env.pop("NO_COLOR", None) if "NO_COLOR" not in extra_env else None
    main, secondary = pty.openpty()
    process = subprocess.Popen([IDPSYNC, *arguments], cwd=ROOT, stdout=secondary, stderr=subprocess.PIPE, env=env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    process.stderr.close()
    os.close(main)
    return b"".join(chunks).decode()


def test_colour_only_on_terminal():
    arguments = ["check", "--id-token", f"{GROUPS}/id-token.json"]

    assert "\033[32m" in run_on_terminal(arguments, {})
    assert "\033[" not in run_on_terminal(arguments, {"NO_COLOR": "1"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://coder.example.com/api/v2/users/oidc/callback?error=invalid_scope&error_description="
         "One+or+more+scopes+are+not+configured+for+the+authorization+server+resource.&state=x", "Security → API"),
        ("error=access_denied&error_description=Policy+evaluation+failed+for+this+request%2C+please+check+the+policy+configurations.",
         "access policy"),
        ("access_denied: User is not assigned to the client application.", "Assignments tab"),
        ("server_error: The groups claim matched too many groups and must be configured to match fewer groups.", "narrow the groups claim filter"),
        ("unauthorized_client: The client is not authorized to use the provided grant type. Configured grant types: [authorization_code]",
         "Refresh Token grant type"),
        ("invalid_grant: The refresh token is invalid or expired.", "sign in again"),
        ("Not a member of an allowed group", "CODER_OIDC_ALLOWED_GROUPS"),
        ('Verify the "sam@example.com" email address on your OIDC provider to authenticate!', "CODER_OIDC_IGNORE_EMAIL_VERIFIED"),
        ("Login disabled until site wide OIDC config is fixed", "JSON array of strings"),
    ],
)
def test_explain_error(text, expected):
    done = run("explain-error", text)

    assert done.returncode == 0, done.stderr
    assert expected in done.stdout


def test_explain_unknown_error():
    done = run("explain-error", "something else entirely")

    assert done.returncode == 2
    assert "no known error matches" in done.stderr
