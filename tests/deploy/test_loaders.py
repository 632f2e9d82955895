"""The readers the round-trip tests rely on follow their consumers' documented rules."""

import pytest

from tests.deploy import loaders


class TestSystemdEnvironmentFile:
    """systemd.exec(5), EnvironmentFile=, and parse_env_file_internal in systemd's src/basic/env-file.c."""

    def test_comments_and_lines_without_equals_ignored(self):
        pairs = loaders.parse_systemd_pairs("# comment\n; also a comment\nNOT_AN_ASSIGNMENT\nA=1\n")

        assert pairs == [("A", "1")]

    def test_unquoted_value_trimmed_not_split(self):
        values = loaders.load_systemd("A=  two words  \t\n")

        assert values == {"A": "two words"}

    def test_key_whitespace_trimmed(self):
        values = loaders.load_systemd("  A  = 1\n")

        assert values == {"A": "1"}

    def test_single_quotes_keep_backslashes(self):
        values = loaders.load_systemd("A='a\\\\b \\n $HOME'\n")

        assert values == {"A": "a\\\\b \\n $HOME"}

    def test_double_quotes_unescape_shell_characters(self):
        values = loaders.load_systemd('A="q\\" b\\\\ d\\$ t\\` n\\n"\n')

        assert values == {"A": 'q" b\\ d$ t` n\\n'}

    def test_unquoted_backslash_keeps_next_character(self):
        values = loaders.load_systemd("A=x\\ y\\#z\n")

        assert values == {"A": "x y#z"}

    def test_backslash_newline_joins_lines(self):
        values = loaders.load_systemd("A=first\\\nsecond\n")

        assert values == {"A": "firstsecond"}

    def test_text_after_quote_continues_value(self):
        # python-dotenv drops " # note" as a comment here; systemd keeps it.
        values = loaders.load_systemd("A='x' # note\n")

        assert values == {"A": "x# note"}

    def test_hash_inside_unquoted_value_kept(self):
        values = loaders.load_systemd("A=a #b\n")

        assert values == {"A": "a #b"}

    def test_no_variable_expansion(self):
        values = loaders.load_systemd("A=$HOME\nB=${A}\n")

        assert values == {"A": "$HOME", "B": "${A}"}

    def test_last_assignment_wins(self):
        values = loaders.load_systemd("A=1\nA=2\n")

        assert values == {"A": "2"}

    def test_export_prefix_rejected(self):
        with pytest.raises(loaders.FormError, match="'export A'"):
            loaders.load_systemd("export A=1\n")

    def test_value_without_final_newline(self):
        values = loaders.load_systemd("A='x'")

        assert values == {"A": "x"}


class TestEnvFileAgreement:
    def test_agreeing_file_read(self):
        values = loaders.load_env_file("A='{\"a\":[\"b c\"]}'\nB=plain\n")

        assert values == {"A": '{"a":["b c"]}', "B": "plain"}

    def test_inline_comment_disagreement_reported(self):
        with pytest.raises(loaders.FormError, match="python-dotenv reads 'x' but systemd reads 'x# note'"):
            loaders.load_env_file("A='x' # note\n")

    def test_backslash_in_single_quotes_disagreement_reported(self):
        with pytest.raises(loaders.FormError, match="A: python-dotenv reads"):
            loaders.load_env_file("A='a\\\\b'\n")


class TestKubernetesExpansion:
    """The EnvVar.value rules of the Kubernetes API: $(NAME) expands, $$ is $, unknown names stay."""

    def test_reference_expanded(self):
        assert loaders.kubernetes_expand("http://$(KUBE_POD_IP):8080", {"KUBE_POD_IP": "10.0.0.7"}) == "http://10.0.0.7:8080"

    def test_double_dollar_escapes(self):
        assert loaders.kubernetes_expand("$$(KUBE_POD_IP) $$", {"KUBE_POD_IP": "10.0.0.7"}) == "$(KUBE_POD_IP) $"

    def test_unknown_reference_kept(self):
        assert loaders.kubernetes_expand("$(NOPE) $x $", {}) == "$(NOPE) $x $"

    def test_unclosed_reference_kept(self):
        assert loaders.kubernetes_expand("$(NOPE", {}) == "$(NOPE"


class TestHelmValues:
    def test_secret_entry_kept_apart(self):
        text = (
            "coder:\n  env:\n    - name: A\n      value: 'x'\n"
            "    - name: S\n      valueFrom:\n        secretKeyRef:\n          name: coder-oidc\n          key: client-secret\n"
        )
        values, secrets = loaders.load_helm_values(text)

        assert values == {"A": "x"}
        assert secrets == {"S": loaders.SecretValue("coder-oidc", "client-secret")}

    def test_unquoted_boolean_rejected(self):
        with pytest.raises(loaders.FormError, match="Kubernetes takes only strings; quote it"):
            loaders.load_helm_values("coder:\n  env:\n    - name: A\n      value: true\n")

    def test_earlier_variable_expands(self):
        values, _ = loaders.load_helm_values("coder:\n  env:\n    - name: A\n      value: 'a'\n    - name: B\n      value: '$(A)-$(KUBE_POD_IP)'\n")

        assert values["B"] == "a-10.0.0.7"

    def test_missing_env_list_rejected(self):
        with pytest.raises(loaders.FormError, match="coder.env list"):
            loaders.load_helm_values("coder: {}\n")


class TestComposeInterpolation:
    """compose-go, template/template.go: $$, $NAME, ${NAME}, ${NAME:-default}, and everything else is invalid."""

    def test_double_dollar_literal(self):
        assert loaders.compose_interpolate("a$$b", {}) == "a$b"

    def test_named_variable_substituted(self):
        assert loaders.compose_interpolate("$HOME/x ${USER}", {"HOME": "/root", "USER": "sam"}) == "/root/x sam"

    def test_unset_variable_empty(self):
        assert loaders.compose_interpolate("[$HOME]", {}) == "[]"

    def test_defaults(self):
        assert loaders.compose_interpolate("${A:-x}${B-y}${C-z}", {"A": "", "C": ""}) == "xy"

    def test_required_variable_missing(self):
        with pytest.raises(loaders.FormError, match="required variable A"):
            loaders.compose_interpolate("${A:?set A}", {})

    def test_lone_dollar_invalid(self):
        with pytest.raises(loaders.FormError, match="Invalid template"):
            loaders.compose_interpolate('{"$":1}', {})

    def test_list_form_read(self):
        values = loaders.load_compose("services:\n  coder:\n    environment:\n      - A=x=y\n")

        assert values == {"A": "x=y"}

    def test_unquoted_number_rejected(self):
        with pytest.raises(loaders.FormError, match="not a string; quote it"):
            loaders.load_compose("services:\n  coder:\n    environment:\n      A: 1.0\n")


class TestShell:
    def test_single_quotes_literal(self):
        values = loaders.load_shell("export A='$HOME \"x\" \\\\'")

        assert values == {"A": '$HOME "x" \\\\'}

    def test_double_quotes_expand(self):
        # Why the shell form never uses double quotes: sh expands $ inside them.
        values = loaders.load_shell('export A="x$B"')

        assert values == {"A": "x"}

    def test_unexported_assignment_not_in_environment(self):
        values = loaders.load_shell("A=1")

        assert values == {}

    def test_syntax_error_reported(self):
        with pytest.raises(loaders.FormError, match="sh could not source"):
            loaders.load_shell("export A='unclosed")
