"""Checks every snippet folder goes through: the outcome its page promises, the token's shape,
agreement between the Okta settings, the token and the Coder settings, and the page that shows it.

Each failure names the snippet file at fault, so a contributor who edits a
snippet learns which file and which value broke the page's promise.
"""

import re
from pathlib import Path

from idpsync.okta import OktaError, classify_issuer, issue_tokens, load_okta_setup, load_signing_key
from idpsync.site.scenarios import Scenario, load_scenario
from tests.paths import DOCS, ROOT, SNIPPETS
from tests.tokens.samples import make_samples

# Okta ID token shapes: user IDs start with 00u, app client IDs with 0oa and
# org IDs with 00o, each 20 characters; ID token IDs start with "ID.".
USER_ID = re.compile(r"^00u[0-9A-Za-z]{17}$")
CLIENT_ID = re.compile(r"^0oa[0-9A-Za-z]{17}$")
ORG_ID = re.compile(r"^00o[0-9A-Za-z]{17}$")
AMR_VALUES = {"pwd", "mfa", "otp", "kba", "sms", "swk", "hwk"}
ID_TOKEN_BASE_CLAIMS = {"sub", "ver", "iss", "aud", "iat", "exp", "jti", "amr", "idp", "auth_time"}


def relative(path: Path) -> str:
    return str(Path(path).resolve().relative_to(ROOT))


def scenario(folder: str) -> Scenario:
    return load_scenario(SNIPPETS / folder)


def check_outcome(item: Scenario) -> None:
    """Assert the model gives the outcome scenario.yaml promises for this folder's files."""
    result = item.run()
    actual = {
        "login_allowed": result.login_allowed,
        "groups": result.groups,
        "site_roles": result.site_roles,
        "diagnostics": result.codes(),
    }
    where = f"{relative(item.folder / 'scenario.yaml')} (settings {relative(item.env_path)}, token {relative(item.id_token_path)})"
    for key, expected in item.expect.items():
        assert actual[key] == expected, (
            f"{where}: {key} expected {expected!r}, the model gives {actual[key]!r}; "
            f"diagnostics: {[f'{d.code}: {d.message}' for d in result.diagnostics]}"
        )


def check_id_token_shape(item: Scenario) -> None:
    """Assert the ID token sample has Okta's shape and matches the Coder settings."""
    token = item.id_token
    where = relative(item.id_token_path)

    missing = ID_TOKEN_BASE_CLAIMS - set(token)
    assert not missing, f"{where}: Okta ID tokens always carry {sorted(missing)}"
    assert USER_ID.match(token["sub"]), f"{where}: sub {token['sub']!r} is not an Okta user ID (00u + 17 characters)"
    assert token["ver"] == 1, f"{where}: ver must be 1"
    assert CLIENT_ID.match(token["aud"]), f"{where}: aud {token['aud']!r} is not an Okta client ID"
    assert ORG_ID.match(token["idp"]), f"{where}: idp {token['idp']!r} is not an Okta org ID"
    assert token["exp"] - token["iat"] == 3600, f"{where}: Okta ID tokens live 3600 s, exp - iat is {token['exp'] - token['iat']}"
    assert token["auth_time"] <= token["iat"], f"{where}: auth_time is after iat"
    assert token["jti"].startswith("ID."), f"{where}: jti of an ID token starts with 'ID.'"
    assert set(token["amr"]) <= AMR_VALUES, f"{where}: amr {token['amr']} holds values Okta does not send"
    assert token.get("email", "").endswith("@example.com"), f"{where}: samples use fictional example.com addresses"

    settings = item.settings
    assert token["aud"] == settings.client_id, (
        f"{where}: aud {token['aud']!r} differs from CODER_OIDC_CLIENT_ID {settings.client_id!r} in {relative(item.env_path)}"
    )
    assert token["iss"] == settings.issuer_url, (
        f"{where}: iss {token['iss']!r} differs from CODER_OIDC_ISSUER_URL {settings.issuer_url!r} in {relative(item.env_path)}"
    )


def check_userinfo_shape(item: Scenario) -> None:
    """Assert the /userinfo sample belongs to the same user as the ID token."""
    if item.userinfo is None:
        return
    where = relative(item.userinfo_path)
    assert item.userinfo.get("sub") == item.id_token["sub"], f"{where}: sub differs from the ID token's"
    assert item.userinfo.get("email") == item.id_token.get("email"), f"{where}: email differs from the ID token's"
    # /userinfo never carries token claims such as iss or aud.
    assert not {"iss", "aud", "iat", "exp", "jti"} & set(item.userinfo), f"{where}: /userinfo has token claims"


def check_okta_settings(item: Scenario) -> None:
    """Assert the Okta model, fed okta.yaml and the scopes coder.env requests, sends exactly the token samples.

    Applies to folders with okta.yaml. okta.yaml may set sign_in.scopes to
    other scopes than CODER_OIDC_SCOPES only when Okta rejects
    CODER_OIDC_SCOPES; the samples then show what Okta sends for sign_in.scopes.
    """
    if item.okta is None:
        return
    okta_path = item.folder / "okta.yaml"
    where = relative(okta_path)
    setup = load_okta_setup(okta_path, name=where)
    settings = item.settings
    server = classify_issuer(settings.issuer_url)

    assert setup.app.client_id == settings.client_id, f"{where}: client_id differs from CODER_OIDC_CLIENT_ID"
    assert setup.authorization_server == server.kind, (
        f"{where}: authorization_server is {setup.authorization_server!r}, but CODER_OIDC_ISSUER_URL "
        f"{settings.issuer_url!r} is a {server.kind} authorization server"
    )
    assert setup.issuer == settings.issuer_url, (
        f"{where}: the server's issuer {setup.issuer!r} differs from CODER_OIDC_ISSUER_URL {settings.issuer_url!r}"
    )

    key = load_signing_key(make_samples().key_path(setup.issuer))
    requested = tuple(settings.scopes)
    scopes = setup.sign_in.scopes or requested
    if tuple(scopes) != requested:
        try:
            issue_tokens(setup, key, requested)
        except OktaError:
            pass
        else:
            raise AssertionError(
                f"{where}: sign_in.scopes {list(scopes)} differ from CODER_OIDC_SCOPES {list(requested)}, but Okta "
                "accepts CODER_OIDC_SCOPES; remove sign_in.scopes"
            )

    try:
        response = issue_tokens(setup, key, scopes)
    except OktaError as error:
        raise AssertionError(f"{where}: Okta sends no tokens for this sign-in: {error}") from None

    check_same_claims(item.id_token, response.id_token, relative(item.id_token_path), where)
    if item.userinfo is not None:
        assert response.userinfo is not None, f"{where}: Okta sends no /userinfo response, but {relative(item.userinfo_path)} shows one"
        check_same_claims(item.userinfo, response.userinfo, relative(item.userinfo_path), where)


def check_same_claims(sample: dict, expected: dict, sample_name: str, okta_name: str) -> None:
    """Assert a decoded sample has exactly the claims the Okta model gives, naming the first claim that differs."""
    hint = "run .venv/bin/python scripts/make_samples.py after changing okta.yaml"
    for name in sorted(set(sample) | set(expected), key=lambda claim: (claim not in expected, claim)):
        if name not in sample:
            raise AssertionError(f"{sample_name}: lacks the claim {name!r} = {expected[name]!r} that the Okta model gives from {okta_name}; {hint}")
        if name not in expected:
            raise AssertionError(f"{sample_name}: has the claim {name!r}, which the Okta model does not send from {okta_name}; {hint}")
        assert sample[name] == expected[name], (
            f"{sample_name}: claim {name!r} is {sample[name]!r}, but the Okta model gives {expected[name]!r} from {okta_name}; {hint}"
        )


def page_includes(page: str) -> set[str]:
    """Return the snippet paths a page includes, without section names."""
    text = (DOCS / page).read_text(encoding="utf-8")
    paths = re.findall(r'--8<--\s+"([^"]+)"', text)
    return {path.split(":")[0] for path in paths}


def check_page_shows(item: Scenario, page: str) -> None:
    """Assert the page includes the folder's Coder settings and token samples, and renders its outcome."""
    included = page_includes(page)
    text = (DOCS / page).read_text(encoding="utf-8")
    folder = relative(item.folder).removeprefix("snippets/")

    shown = [item.env_path, item.id_token_path] + ([item.userinfo_path] if item.userinfo_path else [])
    for path in shown:
        name = str(Path(path).resolve().relative_to(SNIPPETS))
        assert name in included, f"docs/{page} does not include {relative(path)}, which its outcome depends on"

    assert f'outcome("{folder}")' in text, f"docs/{page} does not render the outcome of snippets/{folder}"
