"""Macros that write computed outcomes into the pages at build time (mkdocs-macros pluglet).

A page that sets ``render_macros: true`` in its front matter can call these.
Every outcome a page states comes from running the page's snippet folder
through the model, so a page cannot promise what the model does not produce.
"""

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from ..coder.claims import merge_claims
from ..coder.roles import IMPLICIT_ROLE, SITE_ROLES
from ..coder.runtime import ORGANIZATION_ROLES
from ..coder.settings import OPTIONS
from ..deploy import render_config_tabs
from ..diagnose import CODES, FIXES, MEANINGS
from ..explain import CODER_ERRORS, OKTA_ERRORS
from ..sync import SyncResult
from .organizations import OrganizationsOutcome, OrganizationsScenario, load_organizations
from .scenarios import Scenario, load_scenario

__all__ = ["define_env", "FILES_READ", "OUTCOME_CLASSES"]

# Snippet files each page's macros read, by page path (e.g. "guides/okta-groups.md").
# The block census counts these as shown on that page.
FILES_READ: dict[str, set[Path]] = {}

# Every outcome a macro renders sits in a <div> with one of these classes, so
# a test can tell computed outcomes from ones typed by hand.
OUTCOME_CLASSES = ("idpsync-outcome", "idpsync-trace", "idpsync-diagnostics")


# Options every Okta sign-in needs, whatever the approach.
_SIGN_IN_OPTIONS = frozenset({"CODER_OIDC_ISSUER_URL", "CODER_OIDC_CLIENT_ID", "CODER_OIDC_CLIENT_SECRET"})


def define_env(env) -> None:
    """Register the macros with mkdocs-macros."""
    snippets = Path(env.conf["config_file_path"]).parent / "snippets"

    @lru_cache(maxsize=None)
    def load(folder: str) -> Scenario:
        path = snippets / folder
        if not (path / "scenario.yaml").is_file():
            raise ValueError(f"no scenario.yaml in snippets/{folder}")
        return load_scenario(path)

    def scenario(folder: str) -> Scenario:
        item = load(folder)
        if env.page is not None:
            FILES_READ.setdefault(env.page.file.src_uri, set()).update(path.resolve() for path in item.files)
        return item

    @lru_cache(maxsize=None)
    def result(folder: str) -> SyncResult:
        return scenario(folder).run()

    @env.macro
    def okta(folder: str) -> dict[str, Any]:
        """Return the Okta settings of a snippet folder (its okta.yaml), for values in Okta steps."""
        data = scenario(folder).okta
        if data is None:
            raise ValueError(f"snippets/{folder} has no okta.yaml")
        return data

    @env.macro
    def setting(folder: str, name: str) -> str:
        """Return the value of one option exactly as the folder's coder.env writes it."""
        values = dotenv_values(scenario(folder).env_path, interpolate=False)
        if name not in values:
            raise ValueError(f"snippets/{folder}/coder.env does not set {name}")
        return values[name]

    @env.macro
    def login_error(folder: str) -> str:
        """Return the HTTP status and message with which Coder rejects the folder's sign-in."""
        error = result(folder).login_error
        if error is None:
            raise ValueError(f"the sign-in of snippets/{folder} is allowed, so it has no login error")
        return f"HTTP {error.status} and the message “{error.title}”"

    @env.macro
    def settings_touched(folder: str) -> str:
        """List the sync options a folder's coder.env sets, as inline code (sign-in options left out)."""
        names = sorted(scenario(folder).settings.explicit - _SIGN_IN_OPTIONS)
        return ", ".join(f"`{name}`" for name in names)

    @env.macro
    def coder_groups(folder: str) -> str:
        """List the groups that exist in Coder before the sign-in, as inline code."""
        return _code_list(scenario(folder).coder_groups) or "none"

    @env.macro
    def claim(folder: str, name: str) -> str:
        """Return one merged claim value as compact JSON, or 'absent'."""
        claims = result(folder).claims
        return json.dumps(claims[name]) if name in claims else "absent"

    @env.macro
    def outcome(folder: str) -> str:
        """Render a table of the sign-in verdict, the groups and the site roles."""
        scenario(folder)
        return _wrap("idpsync-outcome", render_outcome(result(folder)))

    @env.macro
    def trace(folder: str) -> str:
        """Render a table that explains what became of each group and role claim value."""
        scenario(folder)
        return _wrap("idpsync-trace", render_trace(result(folder)))

    @env.macro
    def diagnostics(folder: str) -> str:
        """Render the diagnostics for a folder as a list with their fixes."""
        scenario(folder)
        return _wrap("idpsync-diagnostics", render_diagnostics(result(folder)))

    @env.macro
    def option_defaults() -> str:
        """Render a table of every CODER_OIDC_* option in the model, with its default."""
        rows = ["| Option | Kind | Default when unset or empty |", "| --- | --- | --- |"]
        for name, option in OPTIONS.items():
            default = f"`{option.default}`" if option.default else "(empty)"
            rows.append(f"| `{name}` | {option.kind} | {default} |")
        return "\n".join(rows)

    @env.macro
    def site_roles() -> str:
        """List the site role names Coder accepts, as inline code."""
        return ", ".join(f"`{role}`" for role in sorted(SITE_ROLES - {IMPLICIT_ROLE}))

    @env.macro
    def diagnostic_codes() -> str:
        """List every diagnostic code as inline code."""
        return ", ".join(f"`{code}`" for code in sorted(CODES))

    @env.macro
    def diagnostic_table() -> str:
        """A table of every diagnostic code and what it means."""
        rows = ["| Code | What it means |", "| --- | --- |"]
        rows += [f"| `{code}` | {_escape(MEANINGS[code])} |" for code in sorted(CODES)]
        return "\n".join(rows)

    @env.macro
    def diagnostic_reference() -> str:
        """One section per diagnostic code, with its cause and usual fix."""
        sections = []
        for code in sorted(CODES):
            sections.append(f"### `{code}`\n\n**Cause:** {MEANINGS[code]}\n\n**Fix:** {FIXES[code]}")
        return "\n\n".join(sections)

    @env.macro
    def error_table(source: str = "Okta") -> str:
        """The table of known Okta redirect errors (or Coder sign-in errors) that idpsync explain-error uses."""
        known = OKTA_ERRORS if source == "Okta" else CODER_ERRORS
        first = "error" if source == "Okta" else "HTTP status"
        rows = [f"| {first} | Description | Cause | Fix |", "| --- | --- | --- | --- |"]
        for item in known:
            rows.append(f"| `{item.error}` | {_escape(item.description)} | {_escape(item.cause)} | {_escape(item.fix)} |")
        return "\n".join(rows)

    @env.macro
    def claim_source(folder: str, name: str) -> str:
        """Where Coder took a claim from: "the ID token", "/userinfo", or "neither"."""
        item = scenario(folder)
        merged = merge_claims(item.id_token, item.userinfo, item.settings.ignore_userinfo)
        source = merged.source.get(name)
        if source is None:
            return "neither the ID token nor /userinfo"
        return "the ID token" if source == "id_token" else "/userinfo"

    @env.macro
    def config_tabs(folder: str, *sections: str, caller=None) -> str:
        """Render one configuration as content tabs, one per deployment form, from sections of the folder's coder.env.

        Call it as a block whose body is the page's own .env / systemd fence:
        ``{% call config_tabs("okta-groups", "sync") %}`` ... ``{% endcall %}``.
        """
        if caller is None:
            raise ValueError(
                f'config_tabs("{folder}") needs the .env / systemd block as its body: write '
                f'{{% call config_tabs("{folder}", "sync") %}}, the fenced include, then {{% endcall %}}'
            )
        path = snippets / folder / "coder.env"
        page = env.page.file.src_uri if env.page is not None else ""
        if env.page is not None:
            FILES_READ.setdefault(page, set()).add(path.resolve())
        return render_config_tabs(snippets, folder, tuple(sections), caller(), page)

    @lru_cache(maxsize=None)
    def load_organizations_once(folder: str) -> OrganizationsScenario:
        return load_organizations(snippets / folder)

    def organizations(folder: str) -> OrganizationsScenario:
        item = load_organizations_once(folder)
        if env.page is not None:
            FILES_READ.setdefault(env.page.file.src_uri, set()).update(path.resolve() for path in item.files)
        return item

    @env.macro
    def organization_roles() -> str:
        """Render the built-in organization role names that role sync accepts, as inline code."""
        return ", ".join(f"`{role}`" for role in sorted(ORGANIZATION_ROLES))

    @env.macro
    def organization_outcome(folder: str) -> str:
        """Render a table of each organization's group sync settings, groups and organization roles after the sign-in."""
        return _wrap("idpsync-outcome", render_organization_outcome(organizations(folder).run()))

    @env.macro
    def organization_trace(folder: str) -> str:
        """Render a table that explains, organization by organization, what became of each claim value."""
        return _wrap("idpsync-trace", render_organization_trace(organizations(folder).run()))


def render_outcome(result: SyncResult) -> str:
    if result.login_allowed:
        verdict = "allowed"
    else:
        verdict = f"rejected: HTTP {result.login_error.status}, “{result.login_error.title}”"
        if result.login_error.detail:
            verdict += f" ({result.login_error.detail})"

    rows = [
        "| Result | Value |",
        "| --- | --- |",
        f"| Sign-in | {verdict} |",
        f"| Coder groups | {_groups_cell(result)} |",
        f"| Site roles | {_roles_cell(result)} |",
    ]
    return "\n".join(rows)


def _groups_cell(result: SyncResult) -> str:
    if result.group_sync == "off":
        return "group sync is off (no `CODER_OIDC_GROUP_FIELD`)"
    if not result.login_allowed:
        return "not applied, because Coder rejects the sign-in"
    if result.groups is None:
        return "unchanged: Coder keeps the user's current groups"
    names = ", ".join(f"`{name}`" for name in result.groups) or "none"
    return f"{names}, and `Everyone`" if result.groups else "none but `Everyone`"


def _roles_cell(result: SyncResult) -> str:
    if result.role_sync == "off" or result.site_roles is None:
        return "site role sync is off (no `CODER_OIDC_USER_ROLE_FIELD`)" if result.login_allowed else "not applied, because Coder rejects the sign-in"
    names = ", ".join(f"`{name}`" for name in result.site_roles)
    return f"{names}, and the implicit `member`" if names else "only the implicit `member`"


def render_trace(result: SyncResult) -> str:
    rows = ["| Claim value | Sync | Outcome | Why |", "| --- | --- | --- | --- |"]
    for kind, entries in (("group", result.group_trace), ("role", result.role_trace)):
        for entry in entries:
            rows.append(f"| `{entry.value}` | {kind} | {entry.outcome} | {_escape(entry.detail)} |")
    if len(rows) == 2:
        rows.append("| (none) | | | The claims held no group or role values. |")
    return "\n".join(rows)


def render_diagnostics(result: SyncResult) -> str:
    if not result.diagnostics:
        return "The model reports no problem with this configuration."
    lines = []
    for item in result.diagnostics:
        lines.append(f"- **`{item.code}`** ({item.severity}): {_sentence(item.message)}")
        if item.fix:
            lines.append(f"  Fix: {_sentence(item.fix)}")
    return "\n".join(lines)


_GROUP_SOURCES = {
    "runtime": "saved at runtime",
    "environment": "the environment (`CODER_OIDC_GROUP_*`), because none are saved",
    "none": "none: nothing saved, and not the default organization",
}


def render_organization_outcome(outcome: OrganizationsOutcome) -> str:
    if not outcome.login_allowed:
        error = outcome.login_error
        return f"Coder rejects the sign-in (HTTP {error.status}, “{error.title}”), so no organization changes."
    rows = ["| Organization | Group sync settings | Groups | Organization roles |", "| --- | --- | --- | --- |"]
    for result in outcome.organizations:
        groups = _change_cell(result.groups_before, result.groups, result.group_sync, "group")
        roles = _change_cell(result.roles_before, result.roles, result.role_sync, "role")
        rows.append(f"| `{result.organization.name}` | {_GROUP_SOURCES[result.group_settings_source]} | {groups} | {roles} |")
    return "\n".join(rows)


def _change_cell(before: list[str], after: list[str], status: str, kind: str) -> str:
    shown = _code_list(after) or "none"
    if status == "off":
        return f"{shown} (unchanged: {kind} sync is off here)"
    if status == "unchanged":
        return f"{shown} (unchanged: the claim is malformed)"
    if before == after:
        return f"{shown} (unchanged)"
    return f"{shown} (before: {_code_list(before) or 'none'})"


def render_organization_trace(outcome: OrganizationsOutcome) -> str:
    rows = ["| Organization | Claim value | Sync | Outcome | Why |", "| --- | --- | --- | --- | --- |"]
    for result in outcome.organizations:
        entries = [("group", entry) for entry in result.group_trace] + [("role", entry) for entry in result.role_trace]
        for kind, entry in entries:
            rows.append(f"| `{result.organization.name}` | `{entry.value}` | {kind} | {entry.outcome} | {_escape(entry.detail)} |")
        if not entries:
            rows.append(f"| `{result.organization.name}` | | | | Neither group sync nor role sync reads a claim here. |")
    return "\n".join(rows)


def _wrap(css_class: str, markdown: str) -> str:
    # md_in_html renders the Markdown inside the <div>.
    return f'<div class="{css_class}" markdown>\n\n{markdown}\n\n</div>'


def _sentence(text: str) -> str:
    text = _escape(text)
    return text if text.endswith((".", "!", "?", ".)")) else text + "."


def _code_list(values) -> str:
    return ", ".join(f"`{value}`" for value in values)


def _escape(text: str) -> str:
    # Table cells end at a pipe; Markdown would read one inside a value as a cell border.
    return text.replace("|", "\\|")
