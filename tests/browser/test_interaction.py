"""What a reader does on the pages: switch content tabs, search, use the phone menu, see diagrams."""

import re
from html.parser import HTMLParser

import pytest

from tests.browser.conftest import PHONE, diagram_pages, load, open_shadow_roots, page_path, rendered_diagrams
from tests.paths import DOCS

PAGES = sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md"))

# A query and the page that must come first in the results, with the reason.
SEARCHES = [
    # The page that explains why every configuration requests the scope.
    ("offline_access", "troubleshooting.md"),
    # The guide that sets up the groups claim.
    ("groups claim", "guides/okta-groups.md"),
    # Okta's Token Preview exists only on a custom authorization server.
    ("Token Preview", "guides/custom-authorization-server.md"),
]


class _TabLabels(HTMLParser):
    """Collect the label texts of each tab set on a built page (content.tabs.link links them all)."""

    def __init__(self):
        super().__init__()
        self.sets: list[list[str]] = []
        self._in_labels = 0
        self._in_label = False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and "tabbed-labels" in classes:
            self._in_labels = 1
            self.sets.append([])
        elif self._in_labels and tag == "div":
            self._in_labels += 1
        elif self._in_labels and tag == "label":
            self._in_label = True
            self.sets[-1].append("")

    def handle_endtag(self, tag):
        if self._in_labels and tag == "div":
            self._in_labels -= 1
        elif tag == "label":
            self._in_label = False

    def handle_data(self, data):
        if self._in_label:
            self.sets[-1][-1] += data.strip()


def linked_tab_sets(site) -> dict[str, list[list[str]]]:
    """Return, for each page with content tabs, the labels of each tab set in page order."""
    found = {}
    for page in site.pages:
        path = page_path(page)
        parser = _TabLabels()
        parser.feed((site.build.site_dir / path / "index.html").read_text(encoding="utf-8"))
        if parser.sets:
            found[page] = parser.sets
    return found


def selected_labels(page) -> list[str]:
    """Return the label of the selected tab in each tab set, in page order."""
    return page.evaluate("""() => [...document.querySelectorAll(".tabbed-set")].map(set => {
        const inputs = [...set.querySelectorAll(":scope > input")];
        const index = inputs.findIndex(input => input.checked);
        return set.querySelector(":scope > .tabbed-labels").children[index].innerText.trim();
    })""")


def visible_blocks(page) -> list[int]:
    """Return the index of the visible content block in each tab set, in page order."""
    return page.evaluate("""() => [...document.querySelectorAll(".tabbed-set")].map(set =>
        [...set.querySelectorAll(":scope > .tabbed-content > .tabbed-block")].findIndex(block => block.offsetHeight > 0)
    )""")


def test_tab_choice_switches_and_persists(open_context, site):
    tab_sets = linked_tab_sets(site)
    # A label in a tab set other than its first, found on at least two pages,
    # shows both switching on one page and the choice carrying to another.
    pages_by_label = {}
    for page, sets in tab_sets.items():
        for labels in sets:
            for label in labels[1:]:
                pages_by_label.setdefault(label, []).append(page)
    candidates = {label: pages for label, pages in pages_by_label.items() if len(set(pages)) >= 2}
    assert candidates, f"no linked tab label other than the first appears on two pages: {tab_sets}"
    label, pages = sorted(candidates.items())[0]
    first, second = sorted(set(pages))[:2]

    context = open_context()
    page = load(context, site.url(first))
    defaults = selected_labels(page)
    assert label not in defaults[:1], f"docs/{first}: {label!r} is already selected before any click"
    page.locator(".tabbed-labels label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).first.click()

    after = selected_labels(page)
    for labels, selected in zip(tab_sets[first], after):
        if label in labels:
            assert selected == label, f"docs/{first}: a linked tab set shows {selected!r} after choosing {label!r}"
    for labels, selected, shown in zip(tab_sets[first], after, visible_blocks(page)):
        assert labels[shown] == selected, f"docs/{first}: tab {selected!r} is selected but the content of {labels[shown]!r} shows"

    other = load(context, site.url(second))
    for labels, selected in zip(tab_sets[second], selected_labels(other)):
        if label in labels:
            assert selected == label, f"docs/{second}: the choice of {label!r} on docs/{first} did not carry over ({selected!r} shows)"
    assert not page.log.problems() + other.log.problems()


def settled_first_result(page) -> str:
    """Return the first search result's address once the list stops changing.

    Results appear while the query is still being typed, so wait until two
    reads 300 ms apart agree.
    """
    page.wait_for_selector(".md-search-result__item")
    read = "[...document.querySelectorAll('.md-search-result__item > a')].map(link => link.href)"
    previous = page.evaluate(read)
    for _ in range(20):
        page.wait_for_timeout(300)
        current = page.evaluate(read)
        if current == previous:
            return current[0]
        previous = current
    raise AssertionError(f"the search results kept changing: {current[:3]}")


@pytest.fixture(scope="module")
def search_page(browser, site):
    """One page for every search test: the search index is built once."""
    from tests.browser.conftest import _new_context

    context = _new_context(browser, site)
    yield load(context, site.url("index.md"))
    context.close()


@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_search_finds_page_first(search_page, site, query, expected):
    search_page.click("input.md-search__input")
    search_page.fill("input.md-search__input", "")
    search_page.keyboard.type(query)
    first = settled_first_result(search_page)

    found = first.split("?")[0].split("#")[0]
    assert found == site.url(expected), f"searching {query!r} lists {found} first, expected {site.url(expected)}"
    assert not search_page.log.problems(), search_page.log.problems()


def nav_links(site) -> list[tuple[list[str], str]]:
    """Return (section titles, page) for each page in the navigation, in order."""
    from mkdocs.config import load_config

    from tests.paths import ROOT

    entries = []

    def walk(items, sections):
        for item in items:
            for title, value in item.items():
                if isinstance(value, list):
                    walk(value, [*sections, title])
                else:
                    entries.append((sections, value))

    walk(load_config(str(ROOT / "mkdocs.yml"))["nav"], [])
    return entries


def back_to_top_level(page) -> None:
    """Leave the menu's open sections with their back buttons, as a reader would, deepest first."""
    while True:
        opened = page.evaluate("[...document.querySelectorAll('input.md-nav__toggle[id^=__nav_]:checked')].map(input => input.id)")
        if not opened:
            return
        page.locator(f"label.md-nav__title[for='{opened[-1]}']").click()
        page.wait_for_function("id => !document.getElementById(id).checked", arg=opened[-1])


def test_phone_menu_reaches_every_page(open_context, site):
    entries = nav_links(site)
    context = open_context(viewport=PHONE)
    # Start on the last page so that every step goes to another page.
    page = load(context, site.url(entries[-1][1]))
    drawer = page.locator("nav.md-nav--primary")
    assert drawer.bounding_box()["x"] + drawer.bounding_box()["width"] <= 0, "the menu shows before it is opened"

    # Follow the first link of each section and every top-level link; check
    # that the others show in the menu with the right address.
    followed = set()
    for sections, target in entries:
        if not page.evaluate("document.getElementById('__drawer').checked"):
            page.click("label.md-header__button[for='__drawer']")
        back_to_top_level(page)
        for section in sections:
            drawer.locator("label.md-nav__link", has_text=section).filter(visible=True).first.click()
        links = drawer.locator("a.md-nav__link").filter(visible=True)
        index = links.evaluate_all("(links, url) => links.findIndex(link => link.href === url)", site.url(target))
        assert index >= 0, f"docs/{target}: no visible link to it in the phone menu under {' > '.join(sections) or 'the top level'}"

        if tuple(sections) in followed:
            continue
        if sections:
            followed.add(tuple(sections))
        links.nth(index).click()
        page.wait_for_url(site.url(target), wait_until="domcontentloaded")
        assert page.locator("article h1").is_visible(), f"docs/{target}: no heading visible at phone size"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"docs/{target}: the page is {width} px wide, wider than the {PHONE['width']} px phone screen"
    assert followed, "the navigation has no sections"
    assert not page.log.problems(), page.log.problems()


def test_mermaid_renders_svg(open_context, site):
    context = open_context()
    open_shadow_roots(context)
    pages = diagram_pages(site)
    assert pages, "no page has a Mermaid diagram"

    for name, count in pages.items():
        page = load(context, site.url(name))
        diagrams = rendered_diagrams(page, count)
        assert diagrams, f"docs/{name}: no diagram rendered"
        for index in range(len(diagrams)):
            svg = page.evaluate("i => document.querySelectorAll('div.mermaid')[i].shadowRoot.querySelector('svg').outerHTML", index)
            box = page.locator("div.mermaid").nth(index).bounding_box()
            assert box and box["height"] > 100, f"docs/{name}: diagram {index + 1} is {box} after rendering"
            assert "Syntax error" not in svg, f"docs/{name}: diagram {index + 1} rendered Mermaid's syntax error picture"
            assert len(re.findall(r"<text\b", svg)) >= 3, f"docs/{name}: diagram {index + 1} has almost no text"
        assert not page.log.problems(), page.log.problems()
