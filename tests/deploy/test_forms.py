"""The generator's output for each form, and its errors for values a form cannot carry."""

import json
import shlex

import pytest

from idpsync import CoderSettings
from idpsync.deploy import (
    DeployError,
    Line,
    parse_lines,
    quote_env_value,
    read_sections,
    render_cli_command,
    render_compose,
    render_document,
    render_env_file,
    render_helm_values,
    render_shell,
    runtime_group_settings,
)
from tests.paths import SNIPPETS


def setting(name, value):
    return Line(name=name, value=value)


class TestReadSections:
    def test_sections_in_requested_order(self):
        lines = read_sections(SNIPPETS / "custom-authorization-server" / "coder.env", ("sync", "oidc"))
        names = [line.name for line in lines if line.name]

        assert names[0] == "CODER_OIDC_SCOPES"
        assert names[-1] == "CODER_OIDC_CLIENT_SECRET"

    def test_comments_kept(self):
        lines = read_sections(SNIPPETS / "okta-groups" / "coder.env", ("sync",))

        assert lines[0] == Line(comment="Ask Okta for the groups claim and a refresh token.")

    def test_missing_section_named(self, tmp_path):
        path = tmp_path / "coder.env"
        path.write_text("# --8<-- [start:sync]\nA=1\n# --8<-- [end:sync]\n")

        with pytest.raises(DeployError) as caught:
            read_sections(path, ("oidc",))

        assert "oidc" in str(caught.value)
        assert "[start:oidc]" in caught.value.fix

    def test_export_line_rejected(self):
        with pytest.raises(DeployError) as caught:
            parse_lines("export CODER_OIDC_GROUP_FIELD=groups", "coder.env")

        assert "export CODER_OIDC_GROUP_FIELD=groups" in str(caught.value)
        assert "one assignment per line" in caught.value.fix

    def test_control_character_rejected(self):
        with pytest.raises(DeployError) as caught:
            render_shell([setting("CODER_OIDC_SIGN_IN_TEXT", "a\tb")])

        assert "U+0009" in caught.value.problem
        assert caught.value.value == "a\tb"

    def test_byte_order_mark_rejected(self):
        with pytest.raises(DeployError, match="U\\+FEFF"):
            render_env_file([setting("CODER_OIDC_SIGN_IN_TEXT", "\ufeffx")])


class TestShell:
    def test_export_lines(self):
        text = render_shell([Line(comment="note"), setting("A", "plain"), setting("B", '{"a":"b c"}')])

        assert text == "# note\nexport A=plain\nexport B='{\"a\":\"b c\"}'"

    def test_single_quote_closed_and_reopened(self):
        text = render_shell([setting("A", "it's")])

        assert text == "export A='it'\"'\"'s'"

    def test_empty_value_quoted(self):
        assert render_shell([setting("A", "")]) == "export A=''"


class TestEnvFile:
    @pytest.mark.parametrize(
        ("value", "written"),
        [
            ("groups", "groups"),
            ("openid,profile,email", "openid,profile,email"),
            ("https://example.okta.com/oauth2/default", "https://example.okta.com/oauth2/default"),
            ('{"a":["b"]}', "'{\"a\":[\"b\"]}'"),
            ("two words $HOME", "'two words $HOME'"),
            ("é", "'é'"),
            ("it's", '"it\'s"'),
            ('say "hi" it\'s', '"say \\"hi\\" it\'s"'),
            ("a\\d", '"a\\\\d"'),
            ("", ""),
        ],
    )
    def test_quoting_rule(self, value, written):
        assert quote_env_value("A", value) == written

    def test_trailing_backslash_rejected(self):
        with pytest.raises(DeployError) as caught:
            quote_env_value("CODER_OIDC_GROUP_REGEX_FILTER", "it's\\")

        assert caught.value.value == "it's\\"
        assert "ends with a backslash" in caught.value.problem
        assert "[\\\\]" in caught.value.fix

    def test_no_export_prefix(self):
        text = render_env_file([setting("A", "1")])

        assert text == "A=1"


class TestHelm:
    def test_values_single_quoted(self):
        text = render_helm_values([setting("A", "groups"), setting("B", "it's")])

        assert "    - name: A\n      value: 'groups'" in text
        assert "      value: 'it''s'" in text

    def test_dollar_doubled(self):
        text = render_helm_values([setting("A", "$(KUBE_POD_IP) $x")])

        assert "value: '$$(KUBE_POD_IP) $$x'" in text

    def test_client_secret_from_secret(self):
        text = render_helm_values([setting("CODER_OIDC_CLIENT_SECRET", "replace-with-the-client-secret")])

        assert "replace-with-the-client-secret" not in text
        assert "secretKeyRef:\n          name: coder-oidc\n          key: client-secret" in text

    def test_starts_with_coder_env(self):
        assert render_helm_values([setting("A", "1")]).startswith("coder:\n  env:\n")


class TestCompose:
    def test_environment_mapping(self):
        text = render_compose([Line(comment="note"), setting("A", "x")])

        assert text == "services:\n  coder:\n    environment:\n      # note\n      A: 'x'"

    def test_dollar_doubled(self):
        assert render_compose([setting("A", "${HOME}$")]).endswith("A: '$${HOME}$$'")

    def test_client_secret_written(self):
        # Only the Helm form moves the secret out; Compose takes it from the environment section.
        assert "A: 'secret'" in render_compose([setting("A", "secret")])


class TestRuntimeDocument:
    def test_group_settings_from_environment(self):
        settings = CoderSettings.from_env({"CODER_OIDC_GROUP_FIELD": "groups", "CODER_OIDC_GROUP_AUTO_CREATE": "true"})

        document = runtime_group_settings(settings).to_json()

        assert document == {"field": "groups", "mapping": {}, "regex_filter": None, "auto_create_missing_groups": True}

    def test_custom_filter_kept(self):
        settings = CoderSettings.from_env({"CODER_OIDC_GROUP_FIELD": "groups", "CODER_OIDC_GROUP_REGEX_FILTER": "^coder-"})

        assert runtime_group_settings(settings).to_json()["regex_filter"] == "^coder-"

    def test_name_mapping_rejected(self):
        settings = CoderSettings.from_env({"CODER_OIDC_GROUP_FIELD": "groups", "CODER_OIDC_GROUP_MAPPING": '{"okta-devs":"developers"}'})

        with pytest.raises(DeployError) as caught:
            runtime_group_settings(settings)

        assert caught.value.subject == "CODER_OIDC_GROUP_MAPPING"
        assert "okta-devs" in caught.value.value
        assert "group IDs" in caught.value.fix

    def test_group_sync_off_rejected(self):
        with pytest.raises(DeployError, match="group sync is off"):
            runtime_group_settings(CoderSettings.from_env({}))

    def test_document_keeps_non_ascii(self):
        text = render_document({"field": "grüppen"})

        assert text == '{\n  "field": "grüppen"\n}'
        assert json.loads(text) == {"field": "grüppen"}


class TestCliCommand:
    def test_group_sync_command(self):
        words = shlex.split(render_cli_command("group-sync", "data platform", "group-sync.json"), posix=True)

        assert words == ["coder", "organizations", "settings", "set", "group-sync", "--org", "data platform", "<", "group-sync.json"]

    def test_unknown_setting_rejected(self):
        with pytest.raises(DeployError) as caught:
            render_cli_command("groupsync-typo", "coder", "x.json")

        assert "group-sync or role-sync" in caught.value.fix
