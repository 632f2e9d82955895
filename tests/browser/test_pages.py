"""Every page loads cleanly in each view, renders its color scheme, and leaves a screenshot.

Screenshots go to test-artifacts/screenshots/ (git-ignored), one per page and view.
"""

import pytest

from tests.browser.conftest import ARTIFACTS, VIEWS, load, page_slug, per_page
from tests.paths import DOCS

PAGES = sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md"))
SCREENSHOTS = ARTIFACTS / "screenshots"

# The body's data-md-color-scheme Material sets for the reader's preferred
# scheme (palette in mkdocs.yml), and whether its background must be dark.
SCHEMES = {"light": ("default", False), "dark": ("slate", True)}


def luminance(css_color: str) -> float:
    """Return the relative luminance, 0 to 1, of a computed CSS rgb() or rgba() color."""
    channels = [float(part) / 255 for part in css_color[css_color.index("(") + 1:-1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_pages_found():
    # An empty list would make the parametrized tests below vanish silently.
    assert len(PAGES) >= 8, PAGES


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("page", per_page(PAGES))
def test_page_loads_cleanly(loaded, page, view):
    browser_page = loaded(page, view)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser_page.screenshot(path=SCREENSHOTS / f"{page_slug(page)}-{view}.png", full_page=VIEWS[view].full_page)

    problems = "\n".join(browser_page.log.problems())
    assert not problems, f"docs/{page} in the {view} view:\n{problems}"
    assert browser_page.locator("article h1").count() == 1, f"docs/{page}: no single h1 in the article"


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("page", per_page(PAGES))
def test_page_color_scheme(loaded, page, view):
    browser_page = loaded(page, view)
    scheme, dark = SCHEMES[VIEWS[view].color_scheme]

    assert browser_page.get_attribute("body", "data-md-color-scheme") == scheme
    background = browser_page.evaluate("getComputedStyle(document.body).backgroundColor")
    text = browser_page.evaluate("getComputedStyle(document.querySelector('article')).color")
    if dark:
        assert luminance(background) < 0.1, f"docs/{page}: background {background} is not dark in the {scheme} scheme"
    else:
        assert luminance(background) > 0.8, f"docs/{page}: background {background} is not light in the {scheme} scheme"
    assert abs(luminance(background) - luminance(text)) > 0.4, f"docs/{page}: text {text} barely differs from background {background}"


def test_scheme_toggle_persists(open_context, site):
    context = open_context(color_scheme="light")
    page = load(context, site.url("index.md"))

    page.click("label[title='Switch to dark mode']")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"

    other = load(context, site.url("troubleshooting.md"))
    assert other.get_attribute("body", "data-md-color-scheme") == "slate", "the reader's scheme choice did not carry to the next page"
    other.click("label[title='Switch to light mode']")
    assert other.get_attribute("body", "data-md-color-scheme") == "default"
    assert not page.log.problems() + other.log.problems()


def test_missing_page_gets_404_page(open_context, site):
    context = open_context()
    page = context.new_page()
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))

    response = page.goto(site.base_url + "no-such-page/", wait_until="networkidle")

    assert response.status == 404
    assert "404" in page.locator("article h1").inner_text()
    assert failed == [site.base_url + "no-such-page/"], f"the 404 page's own assets failed to load: {failed[1:]}"
