"""The block census: every code block a reader sees lands in exactly one tested bucket.

The census builds the site in-process and keeps each page's Markdown after
macros have run. It expands snippet includes the way pymdownx.snippets does.
Then it finds fences with the rules superfences uses: backticks or tildes,
three or more, at any indentation. The info string is either shorthand
(``bash title="coder.env"``) or an attribute list (``{ .bash expect="..." }``).

Buckets:

- ``executed``: a Python fence that pytest-examples also finds and runs;
- ``config``: Coder settings, parsed the way their consumer reads them:
  shell lines (bash, sh) with POSIX quoting; env files (env, dotenv) with
  python-dotenv and systemd's EnvironmentFile= rules, which must agree; YAML
  Helm values (``coder.env``) with Kubernetes' ``$(NAME)`` expansion; YAML
  Compose files (``services.coder.environment``) with Compose's ``$``
  interpolation; and runtime group or role sync settings (a json block with
  a ``field`` key). Each is loaded through CoderSettings or the runtime model
  and run with the page's scenario, which must give the outcome the page renders;
- ``sample``: an ID token or /userinfo response (json), checked for Okta's
  shape and run through the model;
- ``allowlisted``: any other kind, only with a ``reason="..."`` attribute.

Fence attributes (attribute-list form only, because superfences drops a
shorthand fence with unknown keys to inline code):

- ``expect="code ..."``: the configuration diagnostics a deliberately broken
  block must produce, exactly;
- ``scenario="folder"``: the snippet folder a block not included from one runs with;
- ``reason="..."``: why an allowlisted block needs no test.
"""

import contextlib
import io
import json
import logging
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import markdown
import pytest
import yaml
from dotenv import dotenv_values
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin
from pytest_examples import find_examples

from idpsync import CoderSettings, ConfigError, sync_user, tokens
from idpsync.coder.runtime import GroupSyncSettings, RoleSyncSettings, RuntimeSettingsError
from idpsync.diagnose import Diagnostic
from idpsync.site import macros
from idpsync.site.organizations import SPEC_NAME, load_organizations, run_with_saved_group_settings
from idpsync.site.scenarios import ScenarioError, load_scenario
from tests.deploy import loaders

__all__ = ["Block", "BuildFailed", "Census", "SiteBuild", "SUMMARY", "build_site", "take_census"]

# Where the census test leaves its one-line summary for the end of the run.
SUMMARY = pytest.StashKey[str]()

PYTHON = {"python", "py", "python3"}
SHELL_CONFIG = {"bash", "sh", "shell", "env", "dotenv"}
YAML = {"yaml", "yml"}

# Diagnostics that follow from the settings alone. A block that produces one
# at warning or error severity shows a broken configuration, so its fence
# must list the code in expect="...".
CONFIG_CODES = {
    "unknown-option", "unknown-site-role", "offline-access-missing", "list-item-whitespace",
    "custom-scope-on-org-server", "groups-scope-missing",
}

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*?)[ \t]*$")
_INCLUDE = re.compile(r'^\s*(?:;)?--8<--\s+"(?P<path>[^"]+)"\s*$')
_ATTR = re.compile(r'(?P<key>[\w-]+)="(?P<value>[^"]*)"')


class BuildFailed(Exception):
    """Raised when the strict build fails; the message has MkDocs's error lines."""


@dataclass
class Block:
    """One fenced code block as the reader sees it, e.g. the coder.env block of a guide."""

    page: str  # "guides/okta-groups.md"
    line: int  # line of the opening fence in the page's source, 0 if a macro wrote it
    fence: str  # "```" or "~~~~"
    lang: str  # "bash"; "" when the fence names none
    attrs: dict[str, str]
    text: str  # content after includes are expanded
    include: str | None = None  # snippet path, e.g. "okta-groups/coder.env:sync"
    bucket: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"docs/{self.page}:{self.line}" if self.line else f"docs/{self.page} (a block a macro wrote)"

    @property
    def snippet_folder(self) -> str | None:
        if self.include:
            return str(Path(self.include.split(":")[0]).parent)
        return self.attrs.get("scenario")


@dataclass
class SiteBuild:
    """A strict build of the site, with each page's Markdown after macros."""

    root: Path
    site_dir: Path
    markdown: dict[str, str]  # page -> Markdown after macros, before includes
    files_read: dict[str, set[Path]]  # page -> snippet files its macros read


@dataclass
class Census:
    blocks: list[Block]
    problems: list[str]  # every failure, each naming a page and line

    def counts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for block in self.blocks:
            result[block.bucket or "uncovered"] = result.get(block.bucket or "uncovered", 0) + 1
        return result

    def summary(self) -> str:
        covered = sum(1 for block in self.blocks if block.bucket and not block.problems)
        share = 100 * covered / len(self.blocks) if self.blocks else 0
        buckets = ", ".join(f"{name} {count}" for name, count in sorted(self.counts().items()))
        return f"block census: {len(self.blocks)} blocks, {share:.0f} % covered ({buckets})"


class _CapturePlugin(BasePlugin):
    """Keep each page's Markdown as it leaves the plugins that run before this one (macros)."""

    def __init__(self):
        super().__init__()
        self.pages: dict[str, str] = {}

    def on_page_markdown(self, markdown_text, page, config, files):
        self.pages[page.file.src_uri] = markdown_text
        return markdown_text


def build_site(root: Path, site_dir: Path) -> SiteBuild:
    """Build the site under ``root`` strictly into ``site_dir``; raise BuildFailed with the errors."""
    capture = _CapturePlugin()
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    macros.FILES_READ.clear()

    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    try:
        # Snippet base paths are relative to the working folder, as under `make`.
        with _working_folder(root):
            config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
            config.plugins["idpsync-census-capture"] = capture
            config.plugins.run_event("startup", command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.run_event("shutdown")
    except SystemExit as error:
        raise BuildFailed(f"mkdocs build --strict failed ({error}):\n{log.getvalue()[-4000:]}") from None
    except Exception as error:
        raise BuildFailed(f"mkdocs build --strict failed: {type(error).__name__}: {error}\n{log.getvalue()[-4000:]}") from None
    finally:
        mkdocs_log.removeHandler(handler)

    if "Aborted" in log.getvalue():
        raise BuildFailed(f"mkdocs build --strict failed:\n{log.getvalue()[-4000:]}")
    files_read = {page: set(paths) for page, paths in macros.FILES_READ.items()}
    return SiteBuild(root=root, site_dir=site_dir, markdown=dict(capture.pages), files_read=files_read)


@contextlib.contextmanager
def _working_folder(path: Path):
    previous = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def parse_info(info: str) -> tuple[str, dict[str, str]]:
    """Split a fence's info string into its language and attributes."""
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        inner = info[1:-1]
        classes = re.findall(r"(?:^|\s)\.([\w+-]+)", inner)
        return (classes[0] if classes else ""), {m["key"]: m["value"] for m in _ATTR.finditer(inner)}
    lang, _, rest = info.partition(" ")
    return lang, {m["key"]: m["value"] for m in _ATTR.finditer(rest)}


def find_fences(text: str) -> list[tuple[int, str, str, str, list[str]]]:
    """Return (line, indent, fence, info, content lines) for every fenced block in Markdown text."""
    lines = text.split("\n")
    found = []
    index = 0
    while index < len(lines):
        opening = _FENCE_OPEN.match(lines[index])
        if not opening or (opening["fence"][0] == "`" and "`" in opening["info"]):
            index += 1
            continue

        indent, fence = opening["indent"], opening["fence"]
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        body = []
        end = index + 1
        while end < len(lines) and not closing.match(lines[end]):
            line = lines[end]
            body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
            end += 1
        found.append((index + 1, indent, fence, opening["info"], body))
        index = end + 1
    return found


def _expand_includes(text: str, root: Path) -> str:
    config = load_config(str(root / "mkdocs.yml"))
    options = dict(config.mdx_configs.get("pymdownx.snippets", {}))
    options["base_path"] = [str(root / path) for path in options.get("base_path", ["."])]
    converter = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": options})
    return "\n".join(converter.preprocessors["snippet"].run(text.split("\n")))


def collect_blocks(site: SiteBuild, page: str) -> tuple[list[Block], list[str]]:
    """Return the blocks of one page, with source lines and include paths, and any parsing problem."""
    problems = []
    source_lines = (site.root / "docs" / page).read_text(encoding="utf-8").split("\n")
    rendered = site.markdown[page]

    before = find_fences(rendered)
    after = find_fences(_expand_includes(rendered, site.root))
    if len(before) != len(after):
        problems.append(
            f"docs/{page}: an include outside a code fence added code blocks; include snippets only inside fences"
        )
        return [], problems

    blocks = []
    search_from = 0
    for (line, _indent, fence, info, raw), (_l, _i, _f, _info, expanded) in zip(before, after):
        opening = f"{fence}{(' ' + info) if info and not info.startswith(' ') else info}".strip()
        source_line = 0
        for number in range(search_from, len(source_lines)):
            candidate = source_lines[number].strip()
            if candidate.startswith(fence) and candidate.replace(" ", "") == opening.replace(" ", ""):
                source_line = number + 1
                search_from = number + 1
                break

        lang, attrs = parse_info(info)
        includes = [match["path"] for line_text in raw if (match := _INCLUDE.match(line_text))]
        files = {path.split(":")[0] for path in includes}
        blocks.append(Block(
            page=page, line=source_line, fence=fence, lang=lang.lower(), attrs=attrs,
            text="\n".join(expanded), include=includes[0] if len(files) == 1 else None,
        ))
        # Sections of one file may share a block; different files may not.
        if len(files) > 1:
            blocks[-1].problems.append(f"{blocks[-1].where}: one block includes several files; give each its own block")
    return blocks, problems


def take_census(site: SiteBuild) -> Census:
    """Sort every block of every page into a bucket and check it; collect every problem."""
    examples = {(Path(example.path).resolve(), example.start_line) for example in find_examples(str(site.root / "docs"))}
    all_blocks: list[Block] = []
    problems: list[str] = []

    for page in sorted(site.markdown):
        blocks, page_problems = collect_blocks(site, page)
        problems += page_problems
        for block in blocks:
            _classify(block, site, examples)
            problems += block.problems
        problems += _check_html_count(site, page, blocks)
        all_blocks += blocks

    problems += _check_snippets_shown(site, all_blocks)
    return Census(all_blocks, problems)


def _classify(block: Block, site: SiteBuild, examples: set) -> None:
    if block.lang in PYTHON:
        block.bucket = "executed"
        if block.include:
            block.problems.append(f"{block.where}: a Python fence with an include runs the include line as code; show the file in a non-Python fence")
        elif (Path(site.root / "docs" / block.page).resolve(), block.line) not in examples:
            block.problems.append(
                f"{block.where}: pytest-examples does not find this {block.fence} Python fence, so it never runs; "
                "write it as a plain ```python fence"
            )
        return

    if block.lang in SHELL_CONFIG or (block.lang in YAML and "reason" not in block.attrs):
        block.bucket = "config"
        _check_config(block, site)
        return

    if block.lang == "json" and "reason" not in block.attrs and _is_runtime_document(block.text):
        block.bucket = "config"
        _check_runtime(block, site)
        return

    if block.include and block.include.endswith(".jwt") and "reason" not in block.attrs:
        block.bucket = "sample"
        _check_signed_token(block, site)
        return

    if block.lang == "json" and "reason" not in block.attrs:
        block.bucket = "sample"
        _check_sample(block, site)
        return

    if block.attrs.get("reason"):
        block.bucket = "allowlisted"
        return

    kind = block.lang or "(no language)"
    block.problems.append(
        f"{block.where}: no test covers a {kind!r} block; include it from snippets/ as configuration or a token "
        "sample, or add reason=\"...\" in an attribute list ({ ." + (block.lang or "text") + " reason=\"...\" }) if it needs none"
    )


def _check_config(block: Block, site: SiteBuild) -> None:
    try:
        values = _parse_config(block)
    except ValueError as error:
        block.problems.append(f"{block.where}: {error}")
        return

    folder = block.snippet_folder
    if not folder:
        block.problems.append(
            f"{block.where}: a configuration block must come from a snippet folder (--8<-- \"folder/coder.env\") "
            "or name one with scenario=\"folder\", so it runs against a token"
        )
        return
    try:
        scenario = load_scenario(site.root / "snippets" / folder)
    except (ScenarioError, ConfigError) as error:
        block.problems.append(f"{block.where}: {error}")
        return

    env = dotenv_values(scenario.env_path, interpolate=False)
    env.update(values)
    try:
        settings = CoderSettings.from_env({name: value or "" for name, value in env.items()})
    except ConfigError as error:
        block.problems.append(f"{block.where}: Coder would not start with this block: {error}")
        return

    result = sync_user(settings, scenario.id_token, scenario.userinfo, scenario.coder_groups)
    broken = sorted({item.code for item in result.diagnostics if item.code in CONFIG_CODES and item.severity != "info"})
    expected = sorted(set(block.attrs.get("expect", "").split()))
    if broken != expected:
        details = "; ".join(item.message for item in result.diagnostics if item.code in broken)
        block.problems.append(
            f"{block.where}: configuration diagnostics expected {expected}, actual {broken}"
            + (f" ({details})" if details else "")
            + ("; fix the block, or mark a deliberately broken one with { .bash expect=\"code\" }" if broken else "")
        )

    actual = {"login_allowed": result.login_allowed, "groups": result.groups, "site_roles": result.site_roles, "diagnostics": result.codes()}
    for key, wanted in scenario.expect.items():
        if actual[key] != wanted:
            block.problems.append(
                f"{block.where}: with snippets/{folder}'s tokens this block gives {key} {actual[key]!r}, "
                f"but the page promises {wanted!r}"
            )


def _parse_config(block: Block) -> dict[str, str]:
    try:
        if block.lang in YAML:
            return _parse_yaml_config(block.text)
        if block.lang in ("bash", "sh", "shell"):
            return _parse_shell(block.text)
        values = loaders.load_env_file(block.text)
    except loaders.FormError as error:
        raise ValueError(str(error)) from None
    if not values:
        raise ValueError("the block sets no variable")
    return values


_SHELL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _parse_shell(text: str) -> dict[str, str]:
    # POSIX word splitting and quoting, as `sh` reads NAME=value and export NAME=value.
    try:
        words = shlex.split(text, comments=True)
    except ValueError as error:
        raise ValueError(f"not valid shell ({error})") from None
    values = {}
    for word in words:
        if word == "export":
            continue
        name, equals, value = word.partition("=")
        if not equals or not _SHELL_NAME.match(name):
            raise ValueError(f"{word!r} is not an assignment; a shell configuration block holds only NAME=value or export NAME=value")
        values[name] = value
    if not values:
        raise ValueError("the block sets no variable")
    return values


def _parse_yaml_config(text: str) -> dict[str, str]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValueError(f"invalid YAML ({str(error).splitlines()[0]})") from None
    if isinstance(data, dict) and "services" in data:
        return loaders.load_compose(text)
    # A Secret's entry keeps the snippet's value: its literal never appears in the block.
    values, _secrets = loaders.load_helm_values(text)
    return values


def _is_runtime_document(text: str) -> bool:
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return False
    return isinstance(document, dict) and "field" in document and "sub" not in document


def _check_runtime(block: Block, site: SiteBuild) -> None:
    """Check a runtime group or role sync settings document against its scenario."""
    name = Path(block.include.split(":")[0]).name if block.include else block.attrs.get("title", "")
    if "group-sync" in name:
        kind = "group_sync"
    elif "role-sync" in name:
        kind = "role_sync"
    else:
        block.problems.append(
            f"{block.where}: a runtime settings block must be titled or named group-sync.json or role-sync.json, "
            f"so the census knows which settings it contains (found {name!r})"
        )
        return
    folder = block.snippet_folder
    if not folder:
        block.problems.append(f"{block.where}: include the settings from a snippet folder or name one with scenario=\"folder\"")
        return

    document = json.loads(block.text)
    parse = GroupSyncSettings.from_json if kind == "group_sync" else RoleSyncSettings.from_json
    try:
        settings = parse(document, block.where)
    except RuntimeSettingsError as error:
        block.problems.append(str(error))
        return

    root = site.root / "snippets" / folder
    try:
        if (root / SPEC_NAME).is_file():
            _check_organizations(block, load_organizations(root), kind, settings, folder)
        else:
            _check_default_organization(block, load_scenario(root), kind, settings, folder)
    except (ScenarioError, ConfigError) as error:
        block.problems.append(f"{block.where}: {error}")


def _check_organizations(block: Block, scenario, kind: str, settings, folder: str) -> None:
    # The block replaces the settings of the organization whose file it includes.
    owner = None
    if block.include:
        path = (scenario.folder / Path(block.include.split(":")[0]).name).resolve()
        owner = scenario.settings_files.get(path, (None, None))[0]
    owner = owner or block.attrs.get("org")
    if owner is None:
        block.problems.append(f"{block.where}: name the organization these settings are for with org=\"name\"")
        return
    changed = scenario.with_settings(owner, **{kind: settings})
    outcome = changed.run()
    actual = {result.organization.name: {"groups": result.groups, "roles": result.roles} for result in outcome.organizations}
    for organization, promised in scenario.expect.items():
        for key, wanted in promised.items():
            got = actual.get(organization, {}).get(key)
            if got != wanted:
                block.problems.append(
                    f"{block.where}: with snippets/{folder}/{SPEC_NAME} these settings give {organization} {key} {got!r}, "
                    f"but the page promises {wanted!r}"
                )


def _check_default_organization(block: Block, scenario, kind: str, settings, folder: str) -> None:
    if kind != "group_sync":
        block.problems.append(f"{block.where}: snippets/{folder} has one organization, so only group sync settings run against it")
        return
    outcome = run_with_saved_group_settings(scenario, settings)
    actual = {"login_allowed": outcome.login_allowed, "groups": outcome.groups, "site_roles": outcome.site_roles}
    for key, got in actual.items():
        if scenario.expect[key] != got:
            block.problems.append(
                f"{block.where}: saved for the default organization of snippets/{folder}, these settings give {key} "
                f"{got!r}, but the page promises {scenario.expect[key]!r}"
            )


def _jwks_files(site: SiteBuild) -> list[Path]:
    return sorted((site.root / "snippets" / "keys").glob("*.json"))


def _check_signed_token(block: Block, site: SiteBuild) -> None:
    # A signed sample must verify against one of the shipped test-only JWKS
    # files, and decode to the JSON file of the same name beside it.
    token = block.text.strip()
    header = tokens.decode_jwt(token).header if token.count(".") == 2 else None
    loaded = None
    for path in _jwks_files(site):
        jwks = tokens.load_jwks(path)
        if header and any(key.get("kid") == header.get("kid") for key in jwks["keys"]):
            try:
                claims = tokens.decode_jwt(token).claims
                loaded = tokens.decode_jwt(token, jwks, now=claims.get("iat"))
            except tokens.TokenError as error:
                block.problems.append(f"{block.where}: {error}")
                return
    if loaded is None:
        block.problems.append(f"{block.where}: the token's kid is in none of the JWKS files under snippets/keys")
        return

    decoded = (site.root / "snippets" / block.include.split(":")[0]).with_suffix(".json")
    if decoded.is_file() and json.loads(decoded.read_text(encoding="utf-8")) != loaded.claims:
        block.problems.append(f"{block.where}: the verified payload differs from {decoded.relative_to(site.root)}")


def _check_sample(block: Block, site: SiteBuild) -> None:
    try:
        sample = json.loads(block.text)
    except json.JSONDecodeError as error:
        block.problems.append(f"{block.where}: invalid JSON at line {error.lineno} ({error.msg})")
        return
    if not isinstance(sample, dict):
        block.problems.append(f"{block.where}: a token or /userinfo sample must be a JSON object")
        return

    # Not every JSON block is a token: a JWKS, a JOSE header and an access
    # token are checked for their own shapes.
    if "keys" in sample:
        try:
            tokens.load_jwks(sample)
        except tokens.TokenError as error:
            block.problems.append(f"{block.where}: {error}")
        return
    if set(sample) == {"kid", "alg"}:
        if sample["alg"] != "RS256" or not any(
            sample["kid"] == key.get("kid") for path in _jwks_files(site) for key in tokens.load_jwks(path)["keys"]
        ):
            block.problems.append(f"{block.where}: an Okta token header has alg RS256 and a kid from the shipped JWKS")
        return
    if "scp" in sample or "cid" in sample:
        if not isinstance(sample.get("scp"), list) or sample.get("cid") is None or not str(sample.get("jti", "")).startswith("AT."):
            block.problems.append(f"{block.where}: an Okta access token has a scp list, a cid and a jti starting with 'AT.'")
        return

    if not isinstance(sample.get("sub"), str) or not sample["sub"]:
        block.problems.append(f"{block.where}: a token or /userinfo sample needs a non-empty sub claim")
        return

    folder = block.snippet_folder
    if not folder:
        block.problems.append(f"{block.where}: include the sample from a snippet folder or name one with scenario=\"folder\"")
        return
    try:
        scenario = load_scenario(site.root / "snippets" / folder)
    except (ScenarioError, ConfigError) as error:
        block.problems.append(f"{block.where}: {error}")
        return

    # Run the sample in place of the scenario's token of the same kind.
    is_id_token = "iss" in sample
    id_token = sample if is_id_token else scenario.id_token
    userinfo = scenario.userinfo if is_id_token else sample
    if is_id_token and sample.get("aud") != scenario.settings.client_id:
        block.problems.append(f"{block.where}: aud {sample.get('aud')!r} is not CODER_OIDC_CLIENT_ID of snippets/{folder}")
    result = sync_user(scenario.settings, id_token, userinfo, scenario.coder_groups)
    if not isinstance(result.login_allowed, bool) or not all(isinstance(item, Diagnostic) for item in result.diagnostics):
        block.problems.append(f"{block.where}: the model could not evaluate this sample")


def _check_html_count(site: SiteBuild, page: str, blocks: list[Block]) -> list[str]:
    # A fence superfences did not recognise renders as inline code. An
    # indented code block is no fence at all. Both show up as a count mismatch.
    name = page.removesuffix(".md")
    html_path = site.site_dir / "index.html" if name == "index" else site.site_dir / name / "index.html"
    rendered = html_path.read_text(encoding="utf-8")
    article = rendered.split('<article', 1)[-1].split("</article>", 1)[0]
    shown = len(re.findall(r"<pre[\s>]", article))
    if shown != len(blocks):
        return [
            f"docs/{page}: the built page shows {shown} code blocks but the census found {len(blocks)} fences; "
            "look for an indented code block, or a fence whose info string superfences could not read "
            "(extra keys need the attribute-list form { .lang key=\"value\" })"
        ]
    return []


def _check_snippets_shown(site: SiteBuild, blocks: list[Block]) -> list[str]:
    snippets = (site.root / "snippets").resolve()
    shown: set[Path] = set()
    for block in blocks:
        if block.include:
            shown.add((snippets / block.include.split(":")[0]).resolve())
    for paths in site.files_read.values():
        shown |= {path.resolve() for path in paths}

    problems = []
    for path in sorted(snippets.rglob("*")):
        if path.is_file() and path.resolve() not in shown:
            problems.append(
                f"snippets/{path.relative_to(snippets)}: no page includes this file or reads it through a macro; "
                "show it on a page or delete it"
            )
    return problems


# Phrases that state one sign-in's outcome. A sentence with one of them and a
# value typed in code (`coder-admins`) or an HTTP status was written by hand,
# where a macro should have computed it. General rules ("Coder rejects a
# sign-in when ...") do not match, because they name no result.
_OUTCOME_PHRASES = re.compile(
    r"\b(ends? up in|lands? in|is placed in|becomes? a member of"
    r"|(gets?|receives?|is given|are given) (the )?(site )?roles?"
    r"|Coder (rejects|refuses|denies) (the|this|their|a) sign-in with"
    r"|sign-in fails with HTTP \d{3})\b",
    re.IGNORECASE,
)
_TYPED_VALUE = re.compile(r"`[^`]+`|\bHTTP \d{3}\b")


def find_typed_outcomes(page: str, source: str) -> list[str]:
    """Return page:line problems for outcome sentences whose values are typed rather than computed."""
    # Fenced blocks and macro calls are not prose; macro output is computed.
    lines = source.split("\n")
    prose = []
    inside = None
    for number, line in enumerate(lines, start=1):
        opening = _FENCE_OPEN.match(line)
        if inside is None and opening:
            inside = opening["fence"]
            continue
        if inside is not None:
            if line.strip().startswith(inside[0] * len(inside)) and not line.strip().strip(inside[0]):
                inside = None
            continue
        prose.append((number, re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", line)))

    problems = []
    sentence, start = "", None
    for number, line in prose:
        for part in re.split(r"(?<=[.!?])\s+", line.strip()):
            if start is None:
                start = number
            sentence = f"{sentence} {part}".strip()
            if re.search(r"[.!?:]$", part) or not part:
                if _OUTCOME_PHRASES.search(sentence) and _TYPED_VALUE.search(sentence):
                    problems.append(
                        f"docs/{page}:{start}: this sentence states an outcome with typed values: {sentence[:120]!r}; "
                        "render it with {{ outcome(...) }}, {{ trace(...) }} or {{ claim(...) }} instead"
                    )
                sentence, start = "", None
    return problems


def find_outcome_tables_outside_macros(page: str, html_text: str) -> list[str]:
    """Return problems for outcome tables in the built page that no macro wrote."""
    article = html_text.split("<article", 1)[-1].split("</article>", 1)[0]
    # Drop what macros wrote, then look for what remains.
    for css_class in macros.OUTCOME_CLASSES:
        article = re.sub(rf'<div class="{css_class}">.*?</table>\s*</div>', "", article, flags=re.S)
    problems = []
    for table in re.findall(r"<table>.*?</table>", article, flags=re.S):
        cells = re.sub(r"<[^>]+>", " ", table)
        if re.search(r"\bSign-in\b", cells) and re.search(r"\b(Coder groups|Site roles)\b", cells):
            problems.append(f"docs/{page}: an outcome table was typed by hand; render it with {{{{ outcome(...) }}}}")
    return problems
