"""axe-core finds no serious or critical violation on any page, and every image has alternative text.

axe-core is injected from tests/browser/vendor/axe.min.js, which `make test`
fetches from the npm registry (tests/browser/npm_assets.py).
"""

import pytest

from tests.browser.conftest import AXE, diagram_pages, load, open_shadow_roots, per_page, rendered_diagrams
from tests.paths import DOCS

PAGES = sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md"))

# Every rule runs in the light scheme. Only colors change in the dark
# scheme, so there only the color rules run again.
AXE_RULES = {"desktop-light": None, "desktop-dark": ["color-contrast", "link-in-text-block"]}
BLOCKING = {"serious", "critical"}


def run_axe(page, rules: list[str] | None = None) -> list[dict]:
    """Run axe-core on the page, with every rule or only the named ones; return the violations."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        assert AXE.is_file(), f"{AXE} not found; run `make test`, which fetches it"
        page.add_script_tag(path=str(AXE))
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    return page.evaluate("options => axe.run(document, options).then(result => result.violations)", options)


def describe(violation: dict) -> str:
    targets = ", ".join(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"]) for node in violation["nodes"][:3])
    return f"{violation['impact']} {violation['id']}: {violation['help']} ({len(violation['nodes'])} elements, e.g. {targets})"


@pytest.mark.parametrize("view", AXE_RULES)
@pytest.mark.parametrize("page", per_page(PAGES))
def test_no_serious_axe_violation(loaded, page, view):
    violations = run_axe(loaded(page, view), AXE_RULES[view])

    blocking = [describe(violation) for violation in violations if violation["impact"] in BLOCKING]
    assert not blocking, f"docs/{page} in the {view} view:\n" + "\n".join(blocking)


@pytest.mark.parametrize("page", per_page(PAGES))
def test_images_have_alt_text(loaded, page):
    browser_page = loaded(page, "desktop-light")

    missing = browser_page.evaluate("""() => [...document.querySelectorAll("img, [role=img], input[type=image], area")]
        .filter(image => image.getAttribute("aria-hidden") !== "true" && image.getAttribute("role") !== "presentation")
        .filter(image => !(image.getAttribute("alt") || image.getAttribute("aria-label") || image.getAttribute("aria-labelledby") || image.getAttribute("title")))
        .map(image => image.outerHTML.slice(0, 120))""")
    assert not missing, f"docs/{page}: images without alternative text:\n" + "\n".join(missing)


def test_diagrams_have_alt_text(open_context, site):
    context = open_context()
    open_shadow_roots(context)
    pages = diagram_pages(site)
    assert pages, "no page has a Mermaid diagram"

    for name, count in pages.items():
        for index, diagram in enumerate(rendered_diagrams(load(context, site.url(name)), count), start=1):
            assert diagram["name"], f"docs/{name}: diagram {index} has no accessible name; add an accTitle: line to its Mermaid source"
            assert diagram["description"], f"docs/{name}: diagram {index} has no description; add an accDescr: line to its Mermaid source"
