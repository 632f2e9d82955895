"""Option parsing with Coder's rules: empty means unset, Go bools, CSV lists, YAML maps, RE2."""

import pytest

from idpsync import CoderSettings, ConfigError
from idpsync.coder.options import parse_bool, parse_string_array, parse_string_list_map, parse_string_map

CLIENT = {"CODER_OIDC_CLIENT_ID": "0oa5x4w3v2u1t0s9r8q7"}


@pytest.mark.parametrize("word", ["1", "t", "T", "TRUE", "true", "True"])
def test_go_true_words(word):
    assert parse_bool(word) is True


@pytest.mark.parametrize("word", ["0", "f", "F", "FALSE", "false", "False"])
def test_go_false_words(word):
    assert parse_bool(word) is False


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "tRuE", " true", "2"])
def test_other_bool_words_rejected(word):
    with pytest.raises(ConfigError) as caught:
        CoderSettings.from_env({"CODER_OIDC_IGNORE_USERINFO": word})

    message = str(caught.value)
    assert "CODER_OIDC_IGNORE_USERINFO" in message
    assert repr(word) in message
    assert "use true or false" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("openid,profile,email", ["openid", "profile", "email"]),
        ("openid, profile", ["openid", " profile"]),  # Go's csv reader keeps spaces
        ("a,,b", ["a", "", "b"]),
        ("a,", ["a", ""]),
        ('a,"b,c",d', ["a", "b,c", "d"]),
        ('"say ""hi"""', ['say "hi"']),
        ("a,b\nc,d", ["a", "b"]),  # only the first record is read
        ("", []),
    ],
)
def test_string_array_is_one_csv_record(text, expected):
    assert parse_string_array(text) == expected


@pytest.mark.parametrize("text", ['a"b', '"a"b', '"unclosed'])
def test_string_array_quote_errors(text):
    with pytest.raises(ValueError):
        parse_string_array(text)


def test_empty_value_means_default():
    settings = CoderSettings.from_env({"CODER_OIDC_SCOPES": "", "CODER_OIDC_GROUP_REGEX_FILTER": ""})

    assert settings.scopes == ("openid", "profile", "email")
    assert settings.group_regex_filter.pattern == ".*"
    assert "CODER_OIDC_SCOPES" not in settings.explicit


def test_defaults_match_coder():
    settings = CoderSettings.from_env({})

    assert settings.username_field == "preferred_username"
    assert settings.email_field == "email"
    assert settings.name_field == "name"
    assert settings.ignore_userinfo is False
    assert settings.group_field == ""
    assert settings.user_role_field == ""
    assert settings.allow_signups is True
    assert dict(settings.auth_url_params) == {"access_type": "offline"}


def test_json_role_mapping():
    mapping = parse_string_list_map('{"coder-admins":["template-admin","user-admin"]}')

    assert mapping == {"coder-admins": ["template-admin", "user-admin"]}


def test_yaml_role_mapping_keeps_raw_text():
    # yaml.v3 stores a scalar's text in a Go string, so "yes" and 1 stay text.
    mapping = parse_string_list_map("okta-admins: [yes, 1]\nnobody: ~")

    assert mapping == {"okta-admins": ["yes", "1"], "nobody": []}


def test_group_mapping_is_name_to_name():
    assert parse_string_map('{"okta-devs": "developers"}') == {"okta-devs": "developers"}


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("CODER_OIDC_USER_ROLE_MAPPING", '{"a": "template-admin"}', "must be a list of strings"),
        ("CODER_OIDC_USER_ROLE_MAPPING", '{"a": ["b"]', "not valid YAML or JSON"),
        ("CODER_OIDC_USER_ROLE_MAPPING", '["template-admin"]', "not an object"),
        ("CODER_OIDC_USER_ROLE_MAPPING", '{"a": ["b"], "a": ["c"]}', "appears twice"),
        ("CODER_OIDC_GROUP_MAPPING", '{"a": ["b"]}', "must be a string"),
        ("CODER_OIDC_GROUP_REGEX_FILTER", "(?=coder)", "not a valid RE2"),
        ("CODER_OIDC_GROUP_REGEX_FILTER", "coder-(", "not a valid RE2"),
    ],
)
def test_bad_values_name_option_value_and_fix(name, value, problem):
    with pytest.raises(ConfigError) as caught:
        CoderSettings.from_env({name: value})

    error = caught.value
    assert error.option == name
    assert error.value == value
    assert problem in error.problem
    assert error.fix
    assert name in str(error)


def test_regex_filter_compiled_as_re2():
    settings = CoderSettings.from_env({"CODER_OIDC_GROUP_REGEX_FILTER": "^coder-"})

    assert settings.group_regex_filter.search("coder-admins")
    assert not settings.group_regex_filter.search("team-coder-admins")


def test_unknown_option_gets_closest_name():
    settings = CoderSettings.from_env({"CODER_OIDC_GROUPS_FIELD": "groups", "CODER_OIDC_USER_ROLES_FIELD": "roles"})

    suggestions = {item.name: item.suggestion for item in settings.unknown_options}
    assert suggestions == {
        "CODER_OIDC_GROUPS_FIELD": "CODER_OIDC_GROUP_FIELD",
        "CODER_OIDC_USER_ROLES_FIELD": "CODER_OIDC_USER_ROLE_FIELD",
    }


def test_other_variables_ignored():
    settings = CoderSettings.from_env({"CODER_ACCESS_URL": "https://coder.example.com", "PATH": "/usr/bin"})

    assert settings.unknown_options == ()
    assert settings.explicit == frozenset()


def test_groups_scope_sets_group_field():
    settings = CoderSettings.from_env({**CLIENT, "CODER_OIDC_SCOPES": "openid,groups"})

    assert settings.group_field == "groups"
    assert settings.group_field_from_scopes is True


def test_groups_scope_keeps_explicit_field():
    settings = CoderSettings.from_env({**CLIENT, "CODER_OIDC_SCOPES": "openid,groups", "CODER_OIDC_GROUP_FIELD": "teams"})

    assert settings.group_field == "teams"
    assert settings.group_field_from_scopes is False


def test_groups_scope_match_is_exact():
    settings = CoderSettings.from_env({**CLIENT, "CODER_OIDC_SCOPES": "openid, groups"})

    assert settings.group_field == ""


def test_allowed_groups_need_group_field():
    with pytest.raises(ConfigError) as caught:
        CoderSettings.from_env({**CLIENT, "CODER_OIDC_ALLOWED_GROUPS": "coder-users"})

    assert caught.value.option == "CODER_OIDC_ALLOWED_GROUPS"
    assert "CODER_OIDC_GROUP_FIELD" in caught.value.fix


def test_allowed_groups_pass_with_groups_scope():
    # The scope rule runs first and fills in the group field.
    settings = CoderSettings.from_env({**CLIENT, "CODER_OIDC_ALLOWED_GROUPS": "coder-users", "CODER_OIDC_SCOPES": "openid,groups"})

    assert settings.allowed_groups == ("coder-users",)


def test_access_token_claims_need_ignore_userinfo():
    with pytest.raises(ConfigError) as caught:
        CoderSettings.from_env({**CLIENT, "CODER_OIDC_ACCESS_TOKEN_CLAIMS": "true"})

    assert "CODER_OIDC_IGNORE_USERINFO=true" in caught.value.fix


def test_secret_and_key_file_conflict():
    with pytest.raises(ConfigError):
        CoderSettings.from_env({**CLIENT, "CODER_OIDC_CLIENT_SECRET": "s", "CODER_OIDC_CLIENT_KEY_FILE": "/k.pem"})


def test_secret_not_in_repr():
    settings = CoderSettings.from_env({"CODER_OIDC_CLIENT_SECRET": "test-only-secret-value"})

    assert "test-only-secret-value" not in repr(settings)


def test_non_text_value_rejected():
    with pytest.raises(ConfigError) as caught:
        CoderSettings.from_env({"CODER_OIDC_IGNORE_USERINFO": True})

    assert caught.value.option == "CODER_OIDC_IGNORE_USERINFO"


def test_env_file_parsed_with_single_quotes(tmp_path):
    env_file = tmp_path / "coder.env"
    env_file.write_text(
        "# comment\n"
        "CODER_OIDC_USER_ROLE_MAPPING='{\"coder-admins\":[\"template-admin\"]}'\n"
        "export CODER_OIDC_USER_ROLE_FIELD=groups\n"
    )

    settings = CoderSettings.from_env_file(env_file)

    assert dict(settings.user_role_mapping) == {"coder-admins": ["template-admin"]}
    assert settings.user_role_field == "groups"


def test_missing_env_file_names_path(tmp_path):
    with pytest.raises(ConfigError) as caught:
        CoderSettings.from_env_file(tmp_path / "nope.env")

    assert "nope.env" in str(caught.value)
