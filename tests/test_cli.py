"""The idpsync command: output, exit codes and bad input."""

import json
import subprocess
import sys

import pytest

from idpsync.cli import main

GROUPS = "snippets/okta-groups"


def test_check_allowed_exits_zero(capsys):
    status = main(["check", "--env", f"{GROUPS}/coder.env", "--id-token", f"{GROUPS}/id-token.json", "--coder-groups", "coder-admins,coder-developers"])
    output = capsys.readouterr().out

    assert status == 0
    assert output.startswith("Sign-in: allowed")
    assert "Site roles: template-admin, user-admin" in output


def test_check_json_contract(capsys):
    status = main(["check", "--env", f"{GROUPS}/coder.env", "--id-token", f"{GROUPS}/id-token.json", "--coder-groups", "coder-admins", "--format", "json"])
    report = json.loads(capsys.readouterr().out)

    assert status == 0
    assert report["login"] == {"allowed": True, "error": None}
    assert report["groups"]["sync"] == "applied"
    assert report["groups"]["member_of"] == ["coder-admins"]
    assert report["site_roles"]["roles"] == ["template-admin", "user-admin"]
    assert [item["code"] for item in report["diagnostics"]] == ["mapped-group-missing-in-coder"]


def test_rejected_sign_in_exits_one(capsys):
    folder = "snippets/troubleshooting/comma-string"
    status = main(["check", "--env", f"{folder}/coder.env", "--id-token", f"{folder}/id-token.json"])

    assert status == 1
    assert "Login disabled until site wide OIDC config is fixed" in capsys.readouterr().out


def test_set_overrides_env_file(capsys):
    status = main(["check", "--env", f"{GROUPS}/coder.env", "--set", "CODER_OIDC_SCOPES=openid,groups", "--id-token", f"{GROUPS}/id-token.json", "--coder-groups", "coder-admins,coder-developers", "--format", "json"])
    report = json.loads(capsys.readouterr().out)

    assert [item["code"] for item in report["diagnostics"]] == ["offline-access-missing"]
    assert status == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--id-token", "missing.json"], "--id-token missing.json: cannot be read"),
        (["--id-token", "README.md"], "--id-token README.md: invalid JSON"),
        (["--id-token", f"{GROUPS}/id-token.json", "--set", "CODER_OIDC_IGNORE_USERINFO=yes"], "CODER_OIDC_IGNORE_USERINFO='yes'"),
        (["--id-token", f"{GROUPS}/id-token.json", "--set", "no-equals-sign"], "is not NAME=VALUE"),
    ],
)
def test_bad_input_exits_two(capsys, arguments, message):
    status = main(["check", *arguments])
    error = capsys.readouterr().err

    assert status == 2
    assert message in error
    assert "Traceback" not in error
    assert error.count("\n") == 1


def test_large_input_refused(tmp_path, capsys):
    large = tmp_path / "large.json"
    large.write_text(" " * (1024 * 1024 + 1))

    assert main(["check", "--id-token", str(large)]) == 2
    assert "larger than 1 MiB" in capsys.readouterr().err


def test_secret_never_printed(capsys):
    main(["check", "--env", f"{GROUPS}/coder.env", "--set", "CODER_OIDC_CLIENT_SECRET=test-only-secret-1234", "--id-token", f"{GROUPS}/id-token.json", "--format", "json"])
    captured = capsys.readouterr()

    assert "test-only-secret-1234" not in captured.out + captured.err


def test_console_script_runs():
    run = subprocess.run(
        [sys.executable, "-m", "idpsync.cli", "check", "--id-token", f"{GROUPS}/id-token.json"],
        capture_output=True, text=True,
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Sign-in: allowed")
