"""Every form of every configuration reads back, through its real parser, as the canonical settings.

The canonical configurations are every snippet folder's coder.env and the
quoting traps in tests/deploy/cases.py. Each is written as shell export
lines (read by sh), an env file (read by python-dotenv and by systemd's
rules), Helm values (read by PyYAML with Kubernetes' expansion) and a
Compose file (read by PyYAML with Compose's interpolation).
"""

import dataclasses
import json

import pytest

from idpsync import CoderSettings
from idpsync.coder.runtime import GroupSyncSettings
from idpsync.deploy import (
    CLIENT_SECRET,
    Line,
    parse_lines,
    quote_env_value,
    render_compose,
    render_document,
    render_env_file,
    render_helm_values,
    render_shell,
    runtime_group_settings,
)
from idpsync.site.organizations import run_with_saved_group_settings
from idpsync.site.scenarios import load_scenario
from tests.deploy import loaders
from tests.deploy.cases import TRAPS, snippet_env_files
from tests.paths import SNIPPETS

FORMS = ("shell", "env file", "helm", "compose")


def read_back(form: str, lines: list[Line]) -> dict[str, str]:
    """Write the lines in one form and read them back as that form's consumer does."""
    if form == "shell":
        return loaders.load_shell(render_shell(lines))
    if form == "env file":
        return loaders.load_env_file(render_env_file(lines))
    if form == "compose":
        return loaders.load_compose(render_compose(lines))

    text = render_helm_values(lines)
    values, secrets = loaders.load_helm_values(text)
    canonical = {line.name: line.value for line in lines if line.name}
    for name, secret in secrets.items():
        # The Secret stores the value, so the values file must not contain it, and the test takes it as set.
        assert (secret.name, secret.key) == (CLIENT_SECRET[name].name, CLIENT_SECRET[name].key), f"{name} comes from an unexpected Secret"
        assert canonical[name] not in text, f"Helm values hold the literal of {name}"
        values[name] = canonical[name]
    return values


def comparable(settings: CoderSettings) -> dict:
    """Return the settings as plain data; compiled regular expressions compare by pattern."""
    data = dataclasses.asdict(settings)
    data["group_regex_filter"] = settings.group_regex_filter.pattern
    return data


def lines_of(values: dict[str, str]) -> list[Line]:
    return [Line(name=name, value=value) for name, value in values.items()]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("path", snippet_env_files())
def test_snippet_round_trip(path, form):
    source = SNIPPETS / path
    lines = parse_lines(source.read_text(encoding="utf-8"), str(source))
    canonical = {line.name: line.value for line in lines if line.name}

    values = read_back(form, lines)

    assert values == canonical, f"snippets/{path} in the {form} form reads back differently"
    assert comparable(CoderSettings.from_env(values)) == comparable(CoderSettings.from_env_file(source))


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("case", TRAPS)
def test_trap_round_trip(case, form):
    canonical = TRAPS[case]

    values = read_back(form, lines_of(canonical))

    assert values == canonical, f"{case}: the {form} form reads back differently"
    assert comparable(CoderSettings.from_env(values)) == comparable(CoderSettings.from_env(canonical))


@pytest.mark.parametrize("path", snippet_env_files())
def test_snippet_read_alike_by_dotenv_and_systemd(path):
    text = (SNIPPETS / path).read_text(encoding="utf-8")

    assert loaders.load_dotenv(text) == loaders.load_systemd(text), f"snippets/{path}: python-dotenv and systemd read it differently"


@pytest.mark.parametrize("path", snippet_env_files())
def test_snippet_quoted_as_generator_quotes(path):
    # The .env / systemd tab shows the file itself, so the file follows the generator's quoting.
    source = SNIPPETS / path
    written = [raw.strip() for raw in source.read_text(encoding="utf-8").splitlines() if raw.strip() and not raw.strip().startswith("#")]
    settings = [line for line in parse_lines(source.read_text(encoding="utf-8"), str(source)) if line.name]

    for raw, line in zip(written, settings, strict=True):
        expected = f"{line.name}={quote_env_value(line.name, line.value)}"
        assert raw == expected, f"snippets/{path}: write {raw!r} as {expected!r}"


def scenario_folders_with_group_sync() -> list[str]:
    folders = []
    for spec in sorted(SNIPPETS.rglob("scenario.yaml")):
        folder = spec.parent.relative_to(SNIPPETS).as_posix()
        settings = load_scenario(spec.parent).settings
        if settings.group_field and not settings.group_mapping:
            folders.append(folder)
    return folders


@pytest.mark.parametrize("folder", scenario_folders_with_group_sync())
def test_runtime_document_round_trip(folder):
    scenario = load_scenario(SNIPPETS / folder)
    document = runtime_group_settings(scenario.settings).to_json()

    saved = GroupSyncSettings.from_json(json.loads(render_document(document)))
    outcome = run_with_saved_group_settings(scenario, saved)

    assert saved.to_json() == document
    assert outcome.groups == scenario.run().groups, f"snippets/{folder}: saved settings give other groups than the environment"
    assert outcome.site_roles == scenario.run().site_roles


def test_folders_with_group_sync_found():
    assert len(scenario_folders_with_group_sync()) >= 8


def test_runtime_document_keeps_quoting_trap():
    key = "Ops team's \"on-call\" $HOME é"
    document = {"field": "grüppen", "mapping": {key: ["4c67c373-0e05-408d-b8e6-f7fada5f7ffb"]}, "regex_filter": "^[\\w ]+$", "auto_create_missing_groups": False}

    saved = GroupSyncSettings.from_json(json.loads(render_document(document)))

    assert saved.to_json() == document
