"""The quoting traps of each form: the generator avoids each one, and the naive way of writing the value falls in.

The naive writings show that the readers would notice a generator that
stopped escaping: each of them reads back a different value or fails.
"""

import shlex

import pytest

from idpsync.deploy import Line, render_compose, render_env_file, render_helm_values, render_shell
from tests.deploy import loaders
from tests.deploy.cases import QUOTING_TRAP_MAPPING
from tests.deploy.test_round_trip import FORMS, read_back

NAME = "CODER_OIDC_GROUP_MAPPING"
TRAP = [Line(name="CODER_OIDC_GROUP_FIELD", value="groups"), Line(name=NAME, value=QUOTING_TRAP_MAPPING)]


def test_trap_holds_every_character():
    for character in ("'", '"', "$", " ", "é"):
        assert character in QUOTING_TRAP_MAPPING, f"the trap mapping lost {character!r}"


@pytest.mark.parametrize("form", FORMS)
def test_trap_survives_form(form):
    values = read_back(form, TRAP)

    assert values[NAME] == QUOTING_TRAP_MAPPING


def test_naive_shell_double_quotes_expand_dollar():
    escaped = QUOTING_TRAP_MAPPING.replace('"', '\\"')
    naive = f'export {NAME}="{escaped}"'

    assert loaders.load_shell(naive)[NAME] != QUOTING_TRAP_MAPPING
    assert loaders.load_shell(render_shell(TRAP))[NAME] == QUOTING_TRAP_MAPPING


def test_naive_shell_single_quotes_break_on_quote():
    naive = f"export {NAME}='{QUOTING_TRAP_MAPPING}'"

    with pytest.raises(loaders.FormError, match="sh could not source"):
        loaders.load_shell(naive)


def test_naive_env_file_single_quotes_break_on_quote():
    naive = f"{NAME}='{QUOTING_TRAP_MAPPING}'"

    values = loaders.load_systemd(naive)

    assert values[NAME] != QUOTING_TRAP_MAPPING
    assert loaders.load_env_file(render_env_file(TRAP))[NAME] == QUOTING_TRAP_MAPPING


def test_naive_env_file_shell_escape_differs_in_dotenv():
    # A shell-style '"'"' closes and reopens quotes; systemd reads it, python-dotenv does not.
    naive = f"{NAME}={shlex.quote(QUOTING_TRAP_MAPPING)}"

    with pytest.raises(loaders.FormError, match="python-dotenv reads"):
        loaders.load_env_file(naive)


def test_naive_compose_dollar_interpolated():
    naive = render_compose(TRAP).replace("$$", "$")

    values = loaders.load_compose(naive, environment={"HOME": "/root"})

    assert values[NAME] != QUOTING_TRAP_MAPPING
    assert loaders.load_compose(render_compose(TRAP), environment={"HOME": "/root"})[NAME] == QUOTING_TRAP_MAPPING


def test_naive_helm_kubernetes_reference_expanded():
    value = '{"$(KUBE_POD_IP)":["auditor"]}'
    lines = [Line(name="CODER_OIDC_USER_ROLE_MAPPING", value=value)]
    naive = render_helm_values(lines).replace("$$", "$")

    naive_values, _ = loaders.load_helm_values(naive)
    values, _ = loaders.load_helm_values(render_helm_values(lines))

    assert naive_values["CODER_OIDC_USER_ROLE_MAPPING"] == '{"10.0.0.7":["auditor"]}'
    assert values["CODER_OIDC_USER_ROLE_MAPPING"] == value


def test_naive_helm_unquoted_word_typed():
    naive = "coder:\n  env:\n    - name: CODER_OIDC_SIGN_IN_TEXT\n      value: yes\n"

    with pytest.raises(loaders.FormError, match="quote it"):
        loaders.load_helm_values(naive)
