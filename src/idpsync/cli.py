"""The ``idpsync`` command.

    idpsync check --env coder.env --id-token id-token.json [--userinfo userinfo.json]
                  [--coder-groups A,B] [--set NAME=VALUE] [--jwks keys.json] [--format text|json]
    idpsync discover ISSUER_URL [--env coder.env]
    idpsync explain-error TEXT

``check`` exits 0 when the sign-in is allowed and no diagnostic is an error,
1 when the sign-in is rejected or an error diagnostic fired, and 2 on
unusable input, with one line on standard error. Only ``discover`` uses the
network, and only for the URL it is given. Secrets and tokens are never
printed.
"""

import argparse
import json
import logging
import os
import sys

from pathlib import Path

from . import tokens
from .coder.settings import CoderSettings
from .discover import DiscoveryError, discover
from .errors import ConfigError
from .explain import ExplainError, explain
from .inputs import InputError, read_json, read_settings_file, read_text
from .report import as_json, as_text, use_colour
from .sync import sync_user

__all__ = ["main"]

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.ERROR, format="%(levelname)s %(name)s: %(message)s")

    try:
        return args.run(args)
    except (InputError, ConfigError, DiscoveryError, ExplainError) as error:
        print(f"idpsync: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader stopped early (as `| head` does); point stdout at nothing so exit stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="idpsync", description="Model what Coder's IdP sync does with Okta claims.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each step at debug level")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="show the sign-in verdict, groups, site roles and diagnostics")
    check.add_argument("--env", metavar="FILE", help="CODER_OIDC_* settings: an env file, export lines, or Helm values with coder.env")
    check.add_argument("--set", metavar="NAME=VALUE", action="append", default=[], help="a setting that overrides --env; repeatable")
    check.add_argument("--id-token", metavar="FILE", required=True, help="the ID token: decoded claims JSON, a compact JWT, Token Preview JSON, or - for standard input")
    check.add_argument("--userinfo", metavar="FILE", help="the /userinfo response as JSON")
    check.add_argument("--coder-groups", metavar="A,B", default="", help="groups that exist in Coder's default organization")
    check.add_argument("--jwks", metavar="FILE", help="verify a JWT's RS256 signature against this JWKS file")
    check.add_argument("--at", metavar="SECONDS", type=int, help="with --jwks, check expiry at this Unix time instead of now")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    check.set_defaults(run=_check)

    find = commands.add_parser("discover", help="fetch the issuer's discovery document and check it (uses the network)")
    find.add_argument("issuer", metavar="ISSUER_URL", help="the issuer, e.g. https://example.okta.com/oauth2/default")
    find.add_argument("--env", metavar="FILE", help="settings whose CODER_OIDC_SCOPES to check against the server")
    find.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for the server (default: 10)")
    find.set_defaults(run=_discover)

    error = commands.add_parser("explain-error", help="explain an error from Okta's redirect or Coder's sign-in page")
    error.add_argument("text", metavar="TEXT", help="the callback URL, 'error=...&error_description=...', or the message shown")
    error.set_defaults(run=_explain)
    return parser


def _settings(env_path: str | None, assignments: list[str]) -> CoderSettings:
    env: dict[str, str] = {}
    if env_path:
        env.update(read_settings_file(env_path))
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep or not name:
            raise InputError(f"--set {assignment!r} is not NAME=VALUE; write for example --set CODER_OIDC_GROUP_FIELD=groups")
        env[name] = value
    return CoderSettings.from_env(env)


def _check(args: argparse.Namespace) -> int:
    settings = _settings(args.env, args.set)
    id_token = _read_id_token(args)
    userinfo = read_json(args.userinfo, "--userinfo") if args.userinfo else None
    coder_groups = [name for name in args.coder_groups.split(",") if name]

    result = sync_user(settings, id_token, userinfo, coder_groups)
    if args.format == "json":
        print(json.dumps(as_json(result), indent=2, ensure_ascii=False))
    else:
        print(as_text(result, colour=use_colour(sys.stdout)))

    failed = not result.login_allowed or any(item.severity == "error" for item in result.diagnostics)
    return 1 if failed else 0


def _read_id_token(args: argparse.Namespace):
    # Standard input is read here with the size limit; files are read by the token module.
    source = read_text("-", "--id-token") if args.id_token == "-" else Path(args.id_token)
    try:
        jwks = tokens.load_jwks(Path(args.jwks)) if args.jwks else None
    except tokens.TokenError as error:
        raise InputError(f"--jwks {error}") from None
    try:
        return tokens.load_claims(source, jwks, now=args.at).claims
    except tokens.TokenError as error:
        raise InputError(f"--id-token {error}") from None


def _discover(args: argparse.Namespace) -> int:
    scopes = _settings(args.env, []).scopes if args.env else ()
    report = discover(args.issuer, scopes, timeout=args.timeout)

    print(f"Discovery document: {report.url}")
    print(f"Authorization server: {report.server_kind}")
    if report.issuer_matches:
        print("Issuer: matches the URL")
    else:
        print(f"Issuer: {report.advertised_issuer!r} differs from the URL; Coder refuses to start with it")
    print(f"/userinfo: {report.userinfo_endpoint or 'not advertised; Coder uses the ID token claims alone'}")
    for check in report.scopes:
        print(f"Scope {check.scope}: {check.status}" + (f", {check.note}" if check.note else ""))
    return 1 if report.problems else 0


def _explain(args: argparse.Namespace) -> int:
    for number, known in enumerate(explain(args.text)):
        if number:
            print()
        label = f"{known.error}: " if known.source == "Okta" else f"HTTP {known.error}: "
        print(f"{known.source} {label}{known.description}")
        print(f"  cause: {known.cause}")
        print(f"  fix: {known.fix}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
