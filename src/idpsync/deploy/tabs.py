"""Write one configuration as content tabs, one tab per deployment form.

The page supplies the ``.env / systemd`` tab itself: a fence that includes
the sections of the snippet folder's coder.env, so readers copy the real
file and the block keeps its line in the page source. This module writes the
other tabs from the same sections, always with the same labels in the same
order, so Material's linked content tabs keep the reader's choice on every
page.
"""

import posixpath
import re
from pathlib import Path

from ..coder.settings import CoderSettings
from .errors import DeployError
from .forms import render_compose, render_helm_values, render_shell
from .runtime import GROUP_OPTIONS, render_cli_command, render_document, runtime_group_settings
from .sections import Line, read_sections

__all__ = ["TAB_LABELS", "RUNTIME_LABEL", "DEFAULT_ORGANIZATION", "MULTI_ORGANIZATION_PAGE", "render_config_tabs"]

TAB_LABELS = ("Environment", ".env / systemd", "Helm", "Docker Compose")
RUNTIME_LABEL = "Runtime (Premium, multi-org)"

# The default organization's name in this site's examples; --org also takes an ID.
DEFAULT_ORGANIZATION = "coder"

# The page that explains runtime settings, linked from every runtime tab.
MULTI_ORGANIZATION_PAGE = "guides/organizations.md"

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,})[ \t]*(?P<info>.*?)[ \t]*$")
_INCLUDE = re.compile(r'^\s*--8<--\s+"(?P<path>[^"]+)"\s*$')
_ATTR = re.compile(r'(?P<key>[\w-]+)="(?P<value>[^"]*)"')


def render_config_tabs(snippets: Path, folder: str, sections: tuple[str, ...], env_block: str, page: str) -> str:
    """Return Markdown content tabs for the named sections of ``snippets/<folder>/coder.env``.

    ``env_block`` is the page's own fence for the ``.env / systemd`` tab. Its
    indentation is the indentation of the whole tab set, so the tabs can sit
    inside a list item. ``page`` is the page's path under docs/, for links.
    """
    indent, fence_lines, attributes = _read_env_block(env_block, folder, sections)
    lines = read_sections(snippets / folder / "coder.env", sections)
    if not any(line.name for line in lines):
        raise DeployError(f"snippets/{folder}/coder.env", f"the sections {', '.join(sections)} set no variable", "name a section with settings")

    extra = ""
    if "expect" in attributes:
        # A deliberately broken configuration is broken in every form.
        extra = f' expect="{attributes["expect"]}"'
    scenario = f'scenario="{folder}"{extra}'

    tabs = [
        (TAB_LABELS[0], _fence("bash", "Shell", "shell", scenario, render_shell(lines))),
        (TAB_LABELS[1], fence_lines),
        (TAB_LABELS[2], _fence("yaml", "values.yaml", "helm", scenario, render_helm_values(lines))),
        (TAB_LABELS[3], _fence("yaml", "compose.yaml", "compose", scenario, render_compose(lines))),
    ]
    runtime = _runtime_tab(snippets / folder / "coder.env", folder, lines, scenario, page)
    if runtime is not None:
        tabs.append((RUNTIME_LABEL, runtime))

    out: list[str] = []
    for label, body in tabs:
        out += [f'=== "{label}"', ""]
        out += [f"    {text}" if text else "" for text in body]
        out.append("")
    # The first line continues where the macro call stood; the rest carry the call's indentation.
    return "\n".join(out[:1] + [f"{indent}{text}" if text else "" for text in out[1:]]).rstrip() + "\n"


def _read_env_block(env_block: str, folder: str, sections: tuple[str, ...]) -> tuple[str, list[str], dict[str, str]]:
    raw = [line for line in env_block.split("\n") if line.strip()]
    usage = (
        'write the .env / systemd tab as the body of the call: {% call config_tabs("' + folder + '", "sync") %}, then '
        '``` { .env title="/etc/coder.d/coder.env" }, the --8<-- line of each section, ``` and {% endcall %}'
    )
    opening = _FENCE.match(raw[0]) if raw else None
    if opening is None or not raw[-1].strip().startswith(opening["fence"]) or len(raw) < 3:
        raise DeployError(f"config_tabs({folder!r})", "the body is not one fenced code block", usage)

    indent = opening["indent"]
    body = [line[len(indent):] if line.startswith(indent) else line.lstrip() for line in raw]
    includes = [match["path"] for line in body[1:-1] if (match := _INCLUDE.match(line))]
    expected_includes = [f"{folder}/coder.env:{section}" for section in sections]
    if includes != expected_includes or len(includes) != len(body) - 2:
        raise DeployError(
            f"config_tabs({folder!r})", f"the .env / systemd block includes {includes}, but the tabs show {expected_includes}",
            "include exactly the sections the macro names, in the same order, and nothing else",
        )

    info = opening["info"]
    if not (info.startswith("{") and info.endswith("}")):
        raise DeployError(f"config_tabs({folder!r})", "the fence has no attribute list", usage)
    attributes = {match["key"]: match["value"] for match in _ATTR.finditer(info)}
    return indent, body, attributes


def _runtime_tab(env_path: Path, folder: str, lines: list[Line], scenario: str, page: str) -> list[str] | None:
    # Runtime settings replace the group options, so the tab applies where the
    # block sets one. With CODER_OIDC_GROUP_MAPPING it does not apply: a saved
    # mapping takes group IDs, which a name mapping cannot give.
    shown_names = [line.name for line in lines if line.name]
    if not set(shown_names) & set(GROUP_OPTIONS):
        return None
    settings = CoderSettings.from_env_file(env_path)
    if settings.group_mapping:
        return None
    document = runtime_group_settings(settings).to_json()

    replaced = [name for name in dict.fromkeys(shown_names) if name in GROUP_OPTIONS]
    remaining = [name for name in dict.fromkeys(shown_names) if name not in GROUP_OPTIONS]
    link = posixpath.relpath(MULTI_ORGANIZATION_PAGE, posixpath.dirname(page) or ".")
    lines_word, pronoun = ("lines", "them") if len(replaced) > 1 else ("line", "it")
    text = [
        f"With several organizations, save group sync for each organization instead of the {_code_list(replaced)} {lines_word}. "
        f"For the default organization, the saved settings replace {pronoun} from then on; see "
        f"[when the environment settings stop applying]({link}#when-the-environment-settings-stop-applying).",
    ]
    if remaining:
        text.append("")
        text.append(f"Keep {_code_list(remaining)} in the environment: they have no runtime form.")
    command = render_cli_command("group-sync", DEFAULT_ORGANIZATION, "group-sync.json")
    return text + [""] + _fence("json", "group-sync.json", "runtime", scenario, render_document(document)) + [""] + [
        f"``` {{ .text title=\"Save it for the default organization ({DEFAULT_ORGANIZATION} here)\" form=\"runtime\" "
        'reason="the coder CLI command that saves group-sync.json; tests/deploy checks its arguments" }',
        command,
        "```",
    ]


def _fence(language: str, title: str, form: str, attributes: str, content: str) -> list[str]:
    # form="..." marks a fence this module wrote, so the census never takes a
    # hand-written fence in the page source for it.
    return [f'``` {{ .{language} title="{title}" form="{form}" {attributes} }}', *content.split("\n"), "```"]


def _code_list(names: list[str]) -> str:
    quoted = [f"`{name}`" for name in names]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]
