"""Build the site the way readers get it and check what the pages show."""

import html
import re
from pathlib import Path

import pytest
import yaml

from idpsync.site.scenarios import load_scenario
from tests.paths import DOCS, ROOT, SNIPPETS

# Guide pages and the snippet folder whose outcome each renders.
GUIDES = {
    "guides/okta-groups.md": "okta-groups",
    "guides/profile-attributes.md": "profile-attributes",
    "guides/custom-authorization-server.md": "custom-authorization-server",
    "guides/combine.md": "combined",
}


@pytest.fixture(scope="session")
def site(site_build) -> Path:
    return site_build.site_dir


def page_html(site: Path, page: str) -> str:
    name = page.removesuffix(".md")
    target = site / "index.html" if name == "index" else site / name / "index.html"
    return target.read_text(encoding="utf-8")


def page_text(site: Path, page: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", "", page_html(site, page), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def nav_pages() -> list[str]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.Loader)
    pages = []

    def walk(items):
        for item in items:
            for value in item.values():
                if isinstance(value, list):
                    walk(value)
                else:
                    pages.append(value)

    walk(config["nav"])
    return pages


def test_every_page_in_nav():
    pages = {path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")}

    assert set(nav_pages()) == pages


@pytest.mark.parametrize("page", nav_pages())
def test_page_fully_rendered(site, page):
    text = page_text(site, page)

    for marker in ("{{", "{%", "--8<--", "[start:", "[end:"):
        assert marker not in text, f"docs/{page}: {marker!r} left in the built page"
    assert len(text.split()) > 150, f"docs/{page}: the built page is nearly empty"


@pytest.mark.parametrize(("page", "folder"), GUIDES.items())
def test_guide_shows_promised_outcome(site, page, folder):
    expect = load_scenario(SNIPPETS / folder).expect
    rows = dict(re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*</tr>", page_html(site, page), flags=re.S))

    assert "Sign-in" in rows, f"docs/{page}: no outcome table"
    assert rows["Sign-in"].startswith("allowed") == expect["login_allowed"]
    for group in expect["groups"] or []:
        assert f"<code>{group}</code>" in rows["Coder groups"], f"docs/{page}: group {group!r} missing from the outcome"
    for role in expect["site_roles"] or []:
        assert f"<code>{role}</code>" in rows["Site roles"], f"docs/{page}: role {role!r} missing from the outcome"


@pytest.mark.parametrize("page", GUIDES)
def test_included_config_equals_snippet(site, page):
    # The block a reader copies is the snippet file's section, markers removed.
    folder = GUIDES[page]
    source = (SNIPPETS / folder / "coder.env").read_text()
    section = source.split("# --8<-- [start:sync]\n")[1].split("# --8<-- [end:sync]")[0]
    blocks = [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in re.findall(r"<code>(.*?)</code>", page_html(site, page), flags=re.S)]

    assert any(section.strip() in block for block in blocks), f"docs/{page}: no code block shows coder.env's sync section as it is"


def test_diagnostics_page_lists_registry(site):
    from idpsync.diagnose import CODES, FIXES, MEANINGS

    text = page_html(site, "reference/diagnostics.md")
    listed = set(re.findall(r'<h3 id="[^"]*"><code>([a-z-]+)</code>', text))

    assert listed == set(CODES), f"docs/reference/diagnostics.md lists {sorted(listed ^ set(CODES))} differently from the registry"
    assert set(FIXES) == set(MEANINGS) == set(CODES)


def test_error_tables_match_explain(site):
    from idpsync.explain import CODER_ERRORS, OKTA_ERRORS

    text = html.unescape(page_text(site, "troubleshooting.md"))
    for known in OKTA_ERRORS + CODER_ERRORS:
        assert " ".join(known.cause.split()) in " ".join(text.split()), f"docs/troubleshooting.md lacks the entry for {known.description!r}"
