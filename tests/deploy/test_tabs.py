"""The content tabs: same labels in the same order everywhere, written only by the config_tabs macro."""

import re

import pytest

from idpsync.deploy import RUNTIME_LABEL, TAB_LABELS, DeployError, render_config_tabs
from idpsync.site import macros
from tests.docs.census import find_fences, parse_info
from tests.paths import DOCS, ROOT, SNIPPETS

ENV_BLOCK = '\n``` { .env title="/etc/coder.d/coder.env" }\n--8<-- "okta-groups/coder.env:sync"\n```\n'


def labels(markdown: str) -> list[str]:
    return re.findall(r'^\s*=== "([^"]+)"', markdown, flags=re.M)


def test_labels_in_order():
    markdown = render_config_tabs(SNIPPETS, "okta-groups", ("sync",), ENV_BLOCK, "guides/okta-groups.md")

    assert labels(markdown) == [*TAB_LABELS, RUNTIME_LABEL]


def test_no_runtime_tab_without_group_settings():
    body = ENV_BLOCK.replace("okta-groups/coder.env:sync", "custom-authorization-server/coder.env:sync")

    markdown = render_config_tabs(SNIPPETS, "custom-authorization-server", ("sync",), body, "guides/x.md")

    assert labels(markdown) == list(TAB_LABELS)


def test_every_generated_fence_names_scenario():
    markdown = render_config_tabs(SNIPPETS, "okta-groups", ("sync",), ENV_BLOCK, "guides/okta-groups.md")
    fences = [parse_info(info) for _line, _indent, _fence, info, _body in find_fences(markdown)]

    generated = [(lang, attrs) for lang, attrs in fences if lang in ("bash", "yaml", "json")]
    assert [attrs["title"] for _lang, attrs in generated] == ["Shell", "values.yaml", "compose.yaml", "group-sync.json"]
    assert all(attrs["scenario"] == "okta-groups" for _lang, attrs in generated)


def test_expect_copied_to_every_form():
    body = ENV_BLOCK.replace("{ .env", '{ .env expect="offline-access-missing"').replace("okta-groups/", "troubleshooting/hourly-sign-outs/")

    markdown = render_config_tabs(SNIPPETS, "troubleshooting/hourly-sign-outs", ("sync",), body, "troubleshooting.md")
    fences = [parse_info(info) for _line, _indent, _fence, info, _body in find_fences(markdown)]

    configs = [attrs for lang, attrs in fences if lang in ("bash", "env", "yaml", "json")]
    assert len(configs) == 5
    assert all(attrs.get("expect") == "offline-access-missing" for attrs in configs)


def test_indentation_follows_body():
    body = "\n".join("    " + line if line else "" for line in ENV_BLOCK.split("\n"))

    markdown = render_config_tabs(SNIPPETS, "okta-groups", ("sync",), body, "troubleshooting.md")
    lines = markdown.split("\n")

    assert lines[0] == '=== "Environment"'
    assert all(line.startswith("    ") for line in lines[1:] if line)


def test_runtime_link_relative_to_page():
    top = render_config_tabs(SNIPPETS, "okta-groups", ("sync",), ENV_BLOCK, "troubleshooting.md")
    nested = render_config_tabs(SNIPPETS, "okta-groups", ("sync",), ENV_BLOCK, "guides/okta-groups.md")

    assert "(guides/organizations.md#when-the-environment-settings-stop-applying)" in top
    assert "(organizations.md#when-the-environment-settings-stop-applying)" in nested


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('--8<-- "okta-groups/coder.env:sync"', "not one fenced code block"),
        (ENV_BLOCK.replace(":sync", ":oidc"), "includes ['okta-groups/coder.env:oidc'], but the tabs show ['okta-groups/coder.env:sync']"),
        (ENV_BLOCK.replace('--8<-- "okta-groups/coder.env:sync"', 'CODER_OIDC_GROUP_FIELD=groups'), "includes [], but the tabs show"),
        (ENV_BLOCK.replace('{ .env title="/etc/coder.d/coder.env" }', "bash"), "no attribute list"),
    ],
)
def test_bad_body_rejected(body, message):
    with pytest.raises(DeployError) as caught:
        render_config_tabs(SNIPPETS, "okta-groups", ("sync",), body, "guides/okta-groups.md")

    assert message in str(caught.value)


class FakeEnv:
    """The part of mkdocs-macros' env that define_env uses."""

    def __init__(self):
        self.conf = {"config_file_path": str(ROOT / "mkdocs.yml")}
        self.page = None
        self.macros = {}

    def macro(self, function):
        self.macros[function.__name__] = function
        return function


def test_macro_without_body_rejected():
    env = FakeEnv()
    macros.define_env(env)

    with pytest.raises(ValueError) as caught:
        env.macros["config_tabs"]("okta-groups", "sync")

    assert '{% call config_tabs("okta-groups", "sync") %}' in str(caught.value)


def test_macro_renders_body():
    env = FakeEnv()
    macros.define_env(env)

    markdown = env.macros["config_tabs"]("okta-groups", "sync", caller=lambda: ENV_BLOCK)

    assert labels(markdown)[:4] == list(TAB_LABELS)


PAGES = sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md"))


@pytest.mark.parametrize("page", PAGES)
def test_tabs_not_typed_by_hand(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    typed = [label for label in labels(text) if label in (*TAB_LABELS, RUNTIME_LABEL)]

    assert not typed, f"docs/{page}: tabs {typed} typed by hand; write {{% call config_tabs(...) %}} instead"


@pytest.mark.parametrize("page", PAGES)
def test_every_coder_env_include_in_tabs(page):
    lines = (DOCS / page).read_text(encoding="utf-8").split("\n")
    inside = False
    for number, line in enumerate(lines, start=1):
        if "{% call config_tabs(" in line:
            inside = True
        elif "{% endcall %}" in line:
            inside = False
        elif re.search(r'--8<--\s+"[^"]*coder\.env', line):
            assert inside, f"docs/{page}:{number}: a coder.env block outside {{% call config_tabs(...) %}} shows one form only"
