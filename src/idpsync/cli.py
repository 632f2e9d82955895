"""The ``idpsync`` command: run your own Coder settings and Okta claims through the model.

    idpsync check --env coder.env --id-token id-token.json [--userinfo userinfo.json]
                  [--coder-groups A,B] [--set NAME=VALUE] [--format text|json]

Exit status: 0 when the sign-in is allowed and no diagnostic is an error,
1 when the sign-in is rejected or an error diagnostic fired, 2 on unusable
input (a missing file, invalid JSON, an invalid setting). Nothing is sent
anywhere, and the client secret is never printed.
"""

import argparse
import json
import logging
import sys
from io import StringIO
from typing import Any

from dotenv import dotenv_values

from .coder.settings import CoderSettings
from .errors import ConfigError
from .sync import SyncResult, sync_user

__all__ = ["main"]

log = logging.getLogger(__name__)

# Larger inputs are not tokens or settings; refusing them keeps a mistyped path from reading a disk image.
MAX_INPUT_BYTES = 1024 * 1024


class InputError(Exception):
    """Raised for input the command cannot use; the message names the input and the fix."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    try:
        return _check(args)
    except (InputError, ConfigError) as error:
        print(f"idpsync: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="idpsync", description="Model what Coder's IdP sync does with Okta claims.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each step at debug level")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="show the sign-in verdict, groups, site roles and diagnostics")
    check.add_argument("--env", metavar="FILE", help="env file with CODER_OIDC_* settings (KEY=value lines)")
    check.add_argument("--set", metavar="NAME=VALUE", action="append", default=[], help="a setting that overrides --env; repeatable")
    check.add_argument("--id-token", metavar="FILE", required=True, help="decoded ID token claims as JSON, or - for standard input")
    check.add_argument("--userinfo", metavar="FILE", help="the /userinfo response as JSON")
    check.add_argument("--coder-groups", metavar="A,B", default="", help="groups that exist in Coder's default organization")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    return parser


def _check(args: argparse.Namespace) -> int:
    env: dict[str, str] = {}
    if args.env:
        env.update(_read_env(args.env))
    for assignment in args.set:
        name, sep, value = assignment.partition("=")
        if not sep or not name:
            raise InputError(f"--set {assignment!r} is not NAME=VALUE; write for example --set CODER_OIDC_GROUP_FIELD=groups")
        env[name] = value

    settings = CoderSettings.from_env(env)
    id_token = _read_json(args.id_token, "--id-token")
    userinfo = _read_json(args.userinfo, "--userinfo") if args.userinfo else None
    coder_groups = [name for name in args.coder_groups.split(",") if name]

    result = sync_user(settings, id_token, userinfo, coder_groups)
    if args.format == "json":
        print(json.dumps(_as_json(result), indent=2))
    else:
        print(_as_text(result))

    failed = not result.login_allowed or any(item.severity == "error" for item in result.diagnostics)
    return 1 if failed else 0


def _read_bytes(path: str, flag: str) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        try:
            with open(path, "rb") as stream:
                data = stream.read(MAX_INPUT_BYTES + 1)
        except OSError as error:
            raise InputError(f"{flag} {path}: cannot be read ({error.strerror}); check the path") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{flag} {path}: larger than 1 MiB, so it is not a token or a settings file")
    return data


def _read_json(path: str, flag: str) -> Any:
    data = _read_bytes(path, flag)
    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{flag} {path}: invalid JSON ({error}); give the decoded claims as a JSON object") from None


def _read_env(path: str) -> dict[str, str]:
    text = _read_bytes(path, "--env").decode("utf-8", errors="replace")
    return {name: value or "" for name, value in dotenv_values(stream=StringIO(text), interpolate=False).items()}


def _as_json(result: SyncResult) -> dict[str, Any]:
    error = None
    if result.login_error is not None:
        error = {"status": result.login_error.status, "title": result.login_error.title, "detail": result.login_error.detail}
    return {
        "login": {"allowed": result.login_allowed, "error": error},
        "groups": {
            "sync": result.group_sync,
            "member_of": result.groups,
            "created": result.created_groups,
            "trace": [_trace_json(entry) for entry in result.group_trace],
        },
        "site_roles": {
            "sync": result.role_sync,
            "roles": result.site_roles,
            "trace": [_trace_json(entry) for entry in result.role_trace],
        },
        "diagnostics": [
            {"code": item.code, "severity": item.severity, "message": item.message, "fix": item.fix}
            for item in result.diagnostics
        ],
    }


def _trace_json(entry) -> dict[str, Any]:
    return {"value": entry.value, "outcome": entry.outcome, "target": entry.target, "detail": entry.detail}


def _as_text(result: SyncResult) -> str:
    lines = []
    if result.login_allowed:
        lines.append("Sign-in: allowed")
    else:
        lines.append(f"Sign-in: rejected, {result.login_error}")

    if result.group_sync == "applied":
        lines.append(f"Groups: {', '.join(result.groups) or '(none)'} (and Everyone)")
    else:
        lines.append(f"Groups: {result.group_sync}")
    if result.role_sync == "applied":
        lines.append(f"Site roles: {', '.join(result.site_roles) or '(none)'} (and member)")
    else:
        lines.append("Site roles: off")

    trace = [("group", entry) for entry in result.group_trace] + [("role", entry) for entry in result.role_trace]
    if trace:
        lines.append("")
        lines.append("Claim values:")
        for kind, entry in trace:
            lines.append(f"  {kind:5} {entry.value!r}: {entry.outcome}, {entry.detail}")

    if result.diagnostics:
        lines.append("")
        lines.append("Diagnostics:")
        for item in result.diagnostics:
            lines.append(f"  {item.severity} {item.code}: {item.message}")
            if item.fix:
                lines.append(f"    fix: {item.fix}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
