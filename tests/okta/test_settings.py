"""okta.yaml: every snippet folder's file loads, and a broken one gets a message naming the file, the key and the fix."""

import pytest

from idpsync.okta import OktaSettingsError, load_okta_setup, parse_okta_setup
from tests.okta.setups import CUSTOM, ORG, setup
from tests.paths import ROOT, SNIPPETS

FILES = sorted(SNIPPETS.rglob("okta.yaml"))


def test_files_found():
    assert len(FILES) >= 12, FILES


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_snippet_okta_yaml_loads(path):
    loaded = load_okta_setup(path)

    assert loaded.user.groups[0] == "Everyone"


def test_everyone_added_when_missing():
    assert setup(replace={"user.groups": ["coder-admins"]}).user.groups == ("Everyone", "coder-admins")


def test_issuer_of_each_server():
    assert setup().issuer == "https://example.okta.com"
    assert setup(CUSTOM).issuer == "https://example.okta.com/oauth2/default"


def test_default_server_audience_defaulted():
    assert setup(CUSTOM, replace={"server.audience": None}).server.audience == "api://default"


@pytest.mark.parametrize(
    ("base", "replace", "message"),
    [
        (ORG, {"org": None}, "org is missing"),
        (ORG, {"org.url": "https://example.okta.com/oauth2/default"}, "org.url is 'https://example.okta.com/oauth2/default', which is not an Okta org URL"),
        (ORG, {"org.id": "12345"}, "org.id is '12345', which is not an Okta org ID"),
        (ORG, {"authorization_server": "Org"}, "authorization_server is 'Org'; use one of org, custom"),
        (ORG, {"app.client_id": "coder"}, "app.client_id is 'coder', which is not an Okta client ID"),
        (ORG, {"app.groups_claim.filter": "Begins with"}, "app.groups_claim.filter is 'Begins with'; use one of Starts with, Equals, Contains, Matches regex"),
        (ORG, {"app.groups_claim.type": "Groups"}, "app.groups_claim.type is 'Groups'; use one of Filter, Expression"),
        (ORG, {"app.groups_claim.name": ""}, "app.groups_claim.name must be a non-empty string"),
        (ORG, {"app.profile_attributes": [{"variable_name": "coder roles", "data_type": "string"}]}, "app.profile_attributes[0].variable_name is 'coder roles'"),
        (ORG, {"app.profile_attributes": [{"variable_name": "x", "data_type": "number"}]}, "app.profile_attributes[0].data_type is 'number'; use one of string, string array"),
        (ORG, {"user.id": "sam"}, "user.id is 'sam', which is not an Okta user ID"),
        (ORG, {"user.email": None}, "user.email is missing"),
        (ORG, {"user.groups": "coder-admins"}, "user.groups must be a list of strings"),
        (ORG, {"user.email_verified": "yes"}, "user.email_verified must be true or false"),
        (ORG, {"user.updated_at": "yesterday"}, "user.updated_at must be a whole number of seconds"),
        (ORG, {"user.app_profile.coder_roles": "template-admin"}, "user.app_profile.coder_roles is 'template-admin', but the attribute's data type is string array"),
        (ORG, {"user.app_profile.coder_team": ["a"]}, "user.app_profile.coder_team is ['a'], but the attribute's data type is string"),
        (ORG, {"user.app_profile.unknown": "x"}, "user.app_profile.unknown is set, but app.profile_attributes declares no attribute"),
        (ORG, {"sign_in.flow": "hybrid"}, "sign_in.flow is 'hybrid'; use one of authorization_code, implicit"),
        (ORG, {"sign_in.auth_time": 1717000001}, "sign_in.auth_time is 1717000001, after iat 1717000000"),
        (ORG, {"sign_in.amr": ["password"]}, "sign_in.amr is ['password']; use one or more of"),
        (ORG, {"sign_in.id_token_jti": "q4p3"}, "sign_in.id_token_jti is 'q4p3'; the jti of an Okta ID token starts with 'ID.'"),
        (ORG, {"sign_in.access_token_jti": "ID.x"}, "the jti of an Okta access token starts with 'AT.'"),
        (ORG, {"sign_in.access_token_jti": None}, "sign_in.access_token_jti is missing"),
        (ORG, {"authorization_server": "custom"}, "server is missing, but authorization_server is custom"),
        (CUSTOM, {"server.issuer": "https://example.okta.com"}, "server.issuer is 'https://example.okta.com', which is not a custom authorization server issuer"),
        (CUSTOM, {"server.claim.include_in_token_type": "SAML"}, "server.claim.include_in_token_type is 'SAML'; use one of ID Token, Access Token"),
        (CUSTOM, {"server.claim.include": "Sometimes"}, "server.claim.include is 'Sometimes'; use one of Always, Userinfo / id_token request"),
        (CUSTOM, {"server.claim.include_in": 3}, "server.claim.include_in is 3; use 'Any scope', a scope name or a list of scope names"),
        (CUSTOM, {"server.claim.value_type": "Groups"}, "server.claim.filter is missing"),
        (CUSTOM, {"server.audience": None, "server.issuer": "https://example.okta.com/oauth2/aus1"}, "server.audience is missing"),
    ],
)
def test_invalid_value_named(base, replace, message):
    with pytest.raises(OktaSettingsError) as caught:
        setup(base, replace=replace)

    assert str(caught.value).startswith("test okta.yaml: ")
    assert message in str(caught.value)


def test_not_a_mapping():
    with pytest.raises(OktaSettingsError, match="x.yaml: the file must be a mapping"):
        parse_okta_setup(["org"], "x.yaml")


def test_missing_file_named(tmp_path):
    with pytest.raises(OktaSettingsError, match="okta.yaml: cannot be read"):
        load_okta_setup(tmp_path / "okta.yaml")


def test_invalid_yaml_named(tmp_path):
    path = tmp_path / "okta.yaml"
    path.write_text("org: [\n")

    with pytest.raises(OktaSettingsError, match="snippets/x/okta.yaml: invalid YAML"):
        load_okta_setup(path, name="snippets/x/okta.yaml")
