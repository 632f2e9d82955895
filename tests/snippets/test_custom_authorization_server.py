"""snippets/custom-authorization-server, shown on docs/guides/custom-authorization-server.md."""

from idpsync.okta import classify_issuer
from tests.snippets import checks

FOLDER = "custom-authorization-server"


def test_issuer_is_custom_server():
    settings = checks.scenario(FOLDER).settings

    assert classify_issuer(settings.issuer_url).is_custom, "coder.env: CODER_OIDC_ISSUER_URL must be the custom server's issuer"


def test_claim_and_scope_names_match_coder():
    item = checks.scenario(FOLDER)
    server = item.okta["server"]

    assert item.settings.user_role_field == server["claim"]["name"], "coder.env: CODER_OIDC_USER_ROLE_FIELD differs from the claim name"
    assert server["claim"]["include_in"] == server["scope"]["name"], "okta.yaml: the claim must be limited to the new scope"
    assert item.settings.scopes == ("openid", "profile", "email", server["scope"]["name"], "offline_access")
