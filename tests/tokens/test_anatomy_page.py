"""docs/reference/token-anatomy.md: it shows every signed token, and its claims table agrees with the Okta model."""

import re

import pytest

from idpsync.okta import issue_tokens
from tests.okta.setups import ORG, ORG_KEY, setup
from tests.paths import DOCS, SNIPPETS
from tests.snippets import checks

PAGE = "reference/token-anatomy.md"
TEXT = (DOCS / PAGE).read_text(encoding="utf-8")

# Rows of the ID token claims table that name one claim: claim -> (server, brought by, code-flow ID token, /userinfo).
ROWS = {
    match["claim"]: (match["server"], match["scope"], match["id_token"], match["userinfo"])
    for match in re.finditer(
        r"^\| `(?P<claim>[a-z_]+)` \| [^|]+ \| (?P<server>[^|]+) \| (?P<scope>[^|]+) \| (?P<id_token>yes|no) \| (?P<userinfo>yes|no) \|$",
        TEXT,
        re.M,
    )
}


def sign_in(scopes, nonce=True):
    """Return the ID token and /userinfo claims of a code-flow sign-in to the org server."""
    replace = {"sign_in.nonce": "n-1"} if nonce else {}
    response = issue_tokens(setup(ORG, replace), ORG_KEY, scopes)
    return response.id_token, response.userinfo


def test_table_found():
    assert len(ROWS) >= 20, sorted(ROWS)


def test_page_shows_every_signed_token():
    included = checks.page_includes(PAGE)
    tokens = {path.relative_to(SNIPPETS).as_posix() for path in SNIPPETS.rglob("*.jwt")}

    assert not tokens - included, f"docs/{PAGE} does not show {sorted(tokens - included)}"


@pytest.mark.parametrize(
    "pair",
    [
        ("okta-groups/id-token.jwt", "okta-groups/id-token.json"),
        ("custom-authorization-server/id-token.jwt", "custom-authorization-server/id-token.json"),
        ("custom-authorization-server/access-token.jwt", "custom-authorization-server/access-token.json"),
        ("okta-groups/access-token.jwt", "okta-groups/access-token.json"),
    ],
)
def test_signed_token_next_to_decoded(pair):
    signed, decoded = (TEXT.index(f'--8<-- "{name}"') for name in pair)
    between = TEXT[signed:decoded]

    assert signed < decoded, f"docs/{PAGE}: {pair[1]} must follow {pair[0]}"
    assert between.count("--8<--") == 1, f"docs/{PAGE}: another include sits between {pair[0]} and {pair[1]}"


@pytest.mark.parametrize("claim", sorted(ROWS))
def test_claim_row_matches_model(claim):
    server, scope, in_id_token, in_userinfo = ROWS[claim]
    id_token, userinfo = sign_in(["openid", "profile", "email", "groups"])
    where = f"docs/{PAGE}, the row of {claim!r}"

    assert server.strip() == "both", f"{where}: the single-claim rows are claims of both servers"
    assert (claim in id_token) == (in_id_token == "yes"), f"{where}: the model {'puts' if claim in id_token else 'does not put'} it in a code-flow ID token"
    assert (claim in userinfo) == (in_userinfo == "yes"), f"{where}: the model {'puts' if claim in userinfo else 'does not put'} it in /userinfo"

    scope = scope.strip().strip("`")
    if scope in ("profile", "email"):
        without_scope = [name for name in ("openid", "profile", "email") if name != scope]
        id_token, userinfo = sign_in(without_scope)
        assert claim not in id_token, f"{where}: the model puts it in the ID token without the {scope} scope"
        assert claim not in userinfo, f"{where}: the model puts it in /userinfo without the {scope} scope"
    elif scope == "always":
        id_token, _ = sign_in(["openid"])
        assert claim in id_token, f"{where}: the model leaves it out with only openid"


def test_nonce_row_needs_nonce():
    id_token, _ = sign_in(["openid"], nonce=False)

    assert "nonce" not in id_token
    assert ROWS["nonce"][1].strip() == "a nonce in the request"

