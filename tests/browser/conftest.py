"""Build the site once, serve it on 127.0.0.1 and drive Debian's Chromium through Playwright.

The site is served under site_url's path, as GitHub Pages serves it, and a
missing address gets the site's 404 page with status 404, as on GitHub Pages.
Chromium only reaches the local server. The few requests the theme makes to
other sites (tests/browser/external.py) get stub responses, and any other
request to another host is aborted and fails the page's test.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from mkdocs.config import load_config

from tests.browser.external import stubbed_response
from tests.browser.support import CHROMIUM, CHROMIUM_FLAGS, DESKTOP, PHONE, serve
from tests.docs.census import BuildFailed, SiteBuild, build_site
from tests.paths import ROOT

AXE = ROOT / "tests/browser/vendor/axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"


@dataclass
class Site:
    """The built site as the browser tests see it."""

    build: SiteBuild
    base_url: str  # "http://127.0.0.1:PORT/okta-coder-idp-sync/"
    site_url: str  # site_url from mkdocs.yml
    pages: list[str]  # source pages, "guides/okta-groups.md"

    def url(self, page: str) -> str:
        """Return the served address of a source page."""
        return self.base_url + page_path(page)


def per_page(pages: list[str]) -> list:
    """Return pytest parameters for pages; under `pytest -n N --dist loadgroup` a page's tests share one worker and its loads."""
    return [pytest.param(page, id=page, marks=pytest.mark.xdist_group(page)) for page in pages]


def page_path(page: str) -> str:
    """Return a source page's path under the site root: "guides/okta-groups/", "" for index.md."""
    name = page.removesuffix(".md")
    if name == "index":
        return ""
    return name.removesuffix("/index") + "/"


def page_slug(page: str) -> str:
    """Return a file-name-safe name for a page: "guides-okta-groups", "index"."""
    return re.sub(r"[^\w-]+", "-", page.removesuffix(".md"))


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    try:
        build = build_site(ROOT, tmp_path_factory.mktemp("browser-site"))
    except BuildFailed as error:
        pytest.fail(str(error), pytrace=False)

    site_url = load_config(str(ROOT / "mkdocs.yml")).site_url
    with serve(build.site_dir, urlsplit(site_url).path) as base_url:
        yield Site(build=build, base_url=base_url, site_url=site_url, pages=sorted(build.markdown))


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}; `make test` installs Debian's chromium package, "
            "or set CHROMIUM to another Chromium executable",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright gives each launch a new, empty user data directory.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@dataclass
class PageLog:
    """What went wrong while a page loaded: console errors, script errors and failed requests."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {text}" for text in self.console_errors]
            + [f"script error: {text}" for text in self.page_errors]
            + [f"failed request: {text}" for text in self.failed_requests]
            + [f"request to another host, blocked: {url}" for url in self.blocked_requests]
        )


def _route_to_site(context, site: Site) -> None:
    """Let context reach only the local server, and fulfill the theme's known external requests with stubs."""
    local = urlsplit(site.base_url)

    def route(route):
        url = route.request.url
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) == (local.scheme, local.netloc):
            return route.continue_()
        stub = stubbed_response(url)
        if stub is not None:
            status, content_type, body = stub
            return route.fulfill(status=status, content_type=content_type, body=body)
        log = getattr(route.request.frame.page, "log", None)
        if log is not None:
            log.blocked_requests.append(url)
        return route.abort("blockedbyclient")

    context.route("**/*", route)


def _new_context(browser, site: Site, viewport=DESKTOP, color_scheme="light", clipboard=False):
    context = browser.new_context(
        viewport=viewport,
        color_scheme=color_scheme,
        permissions=["clipboard-read", "clipboard-write"] if clipboard else [],
    )
    context.set_default_timeout(10_000)
    _route_to_site(context, site)
    return context


@pytest.fixture
def open_context(browser, site):
    """Return a function that opens a new browser context, closed after the test."""
    contexts = []

    def open_context(viewport=DESKTOP, color_scheme="light", clipboard=False):
        context = _new_context(browser, site, viewport, color_scheme, clipboard)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@dataclass(frozen=True)
class View:
    """A viewport and color scheme every page is checked in."""

    viewport: dict
    color_scheme: str
    # Only the first view waits for the network to go idle. The others wait
    # for the load event, which keeps the run short.
    wait_until: str
    full_page: bool  # whether the screenshot shows the whole page or the first screen


VIEWS = {
    "desktop-light": View(DESKTOP, "light", wait_until="networkidle", full_page=True),
    "phone-light": View(PHONE, "light", wait_until="load", full_page=True),
    "desktop-dark": View(DESKTOP, "dark", wait_until="load", full_page=False),
}


@pytest.fixture(scope="session")
def loaded(browser, site):
    """Return a function that gives a page loaded in a view, loading each (page, view) pair once per run.

    Tests that only read a page (its load log, a screenshot, an axe report)
    share it. A test that clicks or types opens its own context instead.
    """
    contexts = {}
    pages = {}

    def loaded(page: str, view: str):
        if (page, view) not in pages:
            settings = VIEWS[view]
            if view not in contexts:
                contexts[view] = _new_context(browser, site, settings.viewport, settings.color_scheme)
            pages[page, view] = load(contexts[view], site.url(page), settings.wait_until)
        return pages[page, view]

    yield loaded
    for context in contexts.values():
        context.close()


def new_page(context):
    """Open a page in context that records its problems in page.log."""
    page = context.new_page()
    log = PageLog()
    page.log = log

    def on_console(message):
        if message.type == "error":
            log.console_errors.append(f"{message.text} (at {message.location.get('url') or 'unknown'})")

    def on_request_failed(request):
        # A blocked request to another host is already in log.blocked_requests.
        if request.failure != "net::ERR_BLOCKED_BY_CLIENT":
            log.failed_requests.append(f"{request.url} ({request.failure})")

    def on_response(response):
        # Only the local server's responses count, because other hosts get the stubs in external.py.
        if response.status >= 400 and response.url.startswith("http://127.0.0.1:"):
            log.failed_requests.append(f"{response.url} (HTTP {response.status})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    return page


def load(context, url: str, wait_until: str = "networkidle"):
    """Open url in a new recorded page of context and wait for it (by default until the network is idle)."""
    page = new_page(context)
    page.goto(url, wait_until=wait_until)
    return page


def open_shadow_roots(context) -> None:
    """Make Material draw diagrams into open shadow roots, which the test can read (it uses closed ones)."""
    context.add_init_script("""
        const attach = Element.prototype.attachShadow;
        Element.prototype.attachShadow = function (init) { return attach.call(this, { ...init, mode: "open" }); };
    """)


def rendered_diagrams(page, count: int) -> list[dict]:
    """Wait until count Mermaid diagrams on the page have rendered; return each SVG's accessible name and description."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        page.wait_for_function(
            "count => document.querySelectorAll('div.mermaid').length === count"
            " && [...document.querySelectorAll('div.mermaid')].every(host => host.shadowRoot && host.shadowRoot.querySelector('svg'))",
            arg=count,
        )
    except PlaywrightTimeoutError:
        rendered = page.locator("div.mermaid").count()
        raise AssertionError(
            f"{page.url}: {rendered} of {count} Mermaid diagrams rendered to SVG within 10 s; "
            f"page problems: {page.log.problems() or 'none'}"
        ) from None
    return page.evaluate("""() => [...document.querySelectorAll("div.mermaid")].map(host => {
        const svg = host.shadowRoot.querySelector("svg");
        const text = ids => (ids || "").split(/\\s+/).map(id => host.shadowRoot.getElementById(id)).filter(Boolean).map(node => node.textContent.trim()).join(" ");
        return {
            name: svg.getAttribute("aria-label") || text(svg.getAttribute("aria-labelledby")),
            description: text(svg.getAttribute("aria-describedby")),
        };
    })""")


def diagram_pages(site: Site) -> dict[str, int]:
    """Return the source pages whose built HTML has Mermaid diagrams, with how many each has."""
    counts = {}
    for page in site.pages:
        html = (site.build.site_dir / page_path(page) / "index.html").read_text(encoding="utf-8")
        count = len(re.findall(r'<pre class="mermaid"[\s>]', html))
        if count:
            counts[page] = count
    return counts
