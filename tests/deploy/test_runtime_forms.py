"""The runtime form: the multi-organization example and the coder CLI commands the site shows."""

import ast
import json
import re
import shlex

import pytest

from idpsync.deploy import render_config_tabs
from idpsync.site.organizations import load_organizations
from idpsync.site.scenarios import ScenarioError
from tests.docs.census import find_fences
from tests.paths import DOCS, SNIPPETS

FOLDER = SNIPPETS / "multi-organization"
PAGE = "guides/organizations.md"

# `coder organizations settings set` subcommands and the file each reads (cli/organizationsettings.go).
SETTINGS_FILES = {"group-sync": "group-sync.json", "role-sync": "role-sync.json"}


def test_example_gives_promised_outcome():
    example = load_organizations(FOLDER)

    outcome = example.run()

    assert outcome.login_allowed
    for result in outcome.organizations:
        promised = example.expect[result.organization.name]
        assert result.groups == promised["groups"], f"snippets/multi-organization/organizations.yaml: {result.organization.name} groups"
        assert result.roles == promised["roles"], f"snippets/multi-organization/organizations.yaml: {result.organization.name} roles"


def test_example_shows_each_settings_source():
    sources = {result.group_settings_source for result in load_organizations(FOLDER).run().organizations}

    assert sources == {"runtime", "environment", "none"}


def test_mapped_ids_name_groups_of_organization():
    example = load_organizations(FOLDER)
    platform = next(org for org in example.organizations if org.name == "data-platform")
    document = json.loads((FOLDER / "group-sync.json").read_text(encoding="utf-8"))

    known = {group.id for group in platform.groups}
    for name, ids in document["mapping"].items():
        assert set(ids) <= known, f"snippets/multi-organization/group-sync.json: {name} maps to IDs data-platform does not have"


def test_every_example_file_shown_on_page():
    text = (DOCS / PAGE).read_text(encoding="utf-8")

    for path in sorted(FOLDER.iterdir()):
        assert f'--8<-- "multi-organization/{path.name}"' in text, f"docs/{PAGE} does not show snippets/multi-organization/{path.name}"


def test_unknown_member_group_rejected(tmp_path):
    spec = (FOLDER / "organizations.yaml").read_text(encoding="utf-8").replace("groups: [analysts]", "groups: [analysts, nobody]")
    for path in FOLDER.iterdir():
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "organizations.yaml").write_text(spec.replace("../okta-groups/", str(SNIPPETS / "okta-groups") + "/"), encoding="utf-8")

    with pytest.raises(ScenarioError, match=r"member.groups names \['nobody'\]"):
        load_organizations(tmp_path)


_CALL = re.compile(r"\{% call config_tabs\((?P<arguments>[^)]*)\) %\}(?P<body>.*?)\{% endcall %\}", re.S)


def cli_commands() -> list:
    """Return the coder CLI commands of every page, typed in its source or written by config_tabs."""
    found = []
    for path in sorted(DOCS.rglob("*.md")):
        page = path.relative_to(DOCS).as_posix()
        source = path.read_text(encoding="utf-8")
        texts = [(f"{page}:{line}", body) for line, _indent, _fence, _info, body in find_fences(source)]
        for number, call in enumerate(_CALL.finditer(source), start=1):
            folder, *sections = ast.literal_eval(f"({call['arguments']},)")
            markdown = render_config_tabs(SNIPPETS, folder, tuple(sections), call["body"], page)
            texts += [(f"{page} config_tabs call {number}", body) for _l, _i, _f, _info, body in find_fences(markdown)]
        for where, body in texts:
            for text in body:
                if text.strip().startswith("coder organizations"):
                    found.append(pytest.param(page, text.strip(), id=where))
    return found


COMMANDS = cli_commands()


def test_commands_found():
    # The multi-organization page types two; each guide with group sync gets one from config_tabs.
    assert len(COMMANDS) >= 5


@pytest.mark.parametrize(("page", "command"), COMMANDS)
def test_cli_command_arguments(page, command):
    words = shlex.split(command)
    organizations = {org.name for org in load_organizations(FOLDER).organizations}

    assert words[:4] == ["coder", "organizations", "settings", "set"], f"docs/{page}: {command}"
    assert words[4] in SETTINGS_FILES, f"docs/{page}: {words[4]!r} is not a settings name of coder organizations settings set"
    assert words[5] == "--org", f"docs/{page}: {command}"
    assert words[6] in organizations, f"docs/{page}: --org must name an organization of the example"
    assert words[7:] == ["<", SETTINGS_FILES[words[4]]], f"docs/{page}: the command must read {SETTINGS_FILES[words[4]]} from standard input"
