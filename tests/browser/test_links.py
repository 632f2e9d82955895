"""Crawl the served site: no internal link, asset or anchor is missing, and every external address is listed.

The strict build already rejects broken links and anchors written in the
Markdown. This crawl also covers what the theme and the macros write into
the HTML, the canonical links and the sitemap. Addresses under site_url are
checked on the local server. External addresses are compared with
tests/browser/external.py and never fetched.
"""

import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from tests.browser.conftest import page_path
from tests.browser.external import EXTERNAL_HINTS, EXTERNAL_LINKS, EXTERNAL_REQUESTS

# Attributes that hold an address, by tag.
ADDRESS_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src"}


class _PageParser(HTMLParser):
    """Collect the addresses a page refers to, its element ids and its canonical link."""

    def __init__(self):
        super().__init__()
        self.addresses: list[tuple[str, str]] = []  # (tag, address)
        self.ids: set[str] = set()
        self.canonical: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("id", "name"):
            if attributes.get(name):
                self.ids.add(attributes[name])
        if tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes.get("href")
        name = ADDRESS_ATTRIBUTES.get(tag)
        if name and attributes.get(name):
            self.addresses.append((tag, attributes[name]))


@pytest.fixture(scope="module")
def crawl(site):
    """Fetch every page and asset reachable from the home page on the local server; return what was found."""
    site_root = site.site_url
    pages: dict[str, _PageParser] = {}
    status: dict[str, int] = {}
    referrers: dict[str, set[str]] = {}
    external: dict[str, set[str]] = {}
    queue = [site.base_url]

    def local(address: str) -> str:
        # An address under site_url is the same page on the local server.
        return site.base_url + address[len(site_root):] if address.startswith(site_root) else address

    while queue:
        url = queue.pop()
        if url in status:
            continue
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                status[url] = response.status
                body = response.read()
                content_type = response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            status[url] = error.code
            continue
        if content_type != "text/html":
            continue

        parser = _PageParser()
        parser.feed(body.decode("utf-8"))
        pages[url] = parser
        for tag, address in parser.addresses:
            target = local(urljoin(url, address))
            if target.startswith(("mailto:", "javascript:", "data:")):
                continue
            if not target.startswith(site.base_url):
                external.setdefault(urldefrag(target).url, set()).add(url)
                continue
            referrers.setdefault(target, set()).add(url)
            document = urldefrag(target).url
            if document not in status:
                queue.append(document)

    return {"pages": pages, "status": status, "referrers": referrers, "external": external, "local": local}


def test_crawl_reaches_every_page(site, crawl):
    reached = set(crawl["pages"])

    for page in site.pages:
        assert site.url(page) in reached, f"docs/{page}: no link on the site leads to it"


def test_no_internal_link_missing(crawl):
    missing = [
        f"{url} (HTTP {code}), linked from {', '.join(sorted(crawl['referrers'].get(url, {'the crawl start'}))[:3])}"
        for url, code in sorted(crawl["status"].items())
        if code != 200
    ]

    assert not missing, "missing pages or assets:\n" + "\n".join(missing)


def test_no_internal_anchor_missing(crawl):
    missing = []
    for target, sources in sorted(crawl["referrers"].items()):
        document, fragment = urldefrag(target)
        if not fragment or document not in crawl["pages"]:
            continue
        # Material's content tabs and code line anchors are ids as well, so every fragment must be one.
        if fragment not in crawl["pages"][document].ids:
            missing.append(f"{target}, linked from {', '.join(sorted(sources)[:3])}")

    assert not missing, "links to anchors that do not exist:\n" + "\n".join(missing)


def test_external_addresses_listed(crawl):
    listed = EXTERNAL_LINKS | set(EXTERNAL_REQUESTS) | EXTERNAL_HINTS
    unlisted = {url: sources for url, sources in crawl["external"].items() if not any(url == entry or url.startswith(entry + "?") for entry in listed)}

    assert not unlisted, "external addresses not in tests/browser/external.py:\n" + "\n".join(
        f"{url}, on {', '.join(sorted(sources)[:2])}" for url, sources in sorted(unlisted.items())
    )
    for url in EXTERNAL_LINKS:
        assert url in crawl["external"], f"tests/browser/external.py lists {url}, which no page links to any more"


def test_canonical_links_use_site_url(site, crawl):
    for page in site.pages:
        parser = crawl["pages"][site.url(page)]

        assert parser.canonical == site.site_url + page_path(page), f"docs/{page}: canonical link {parser.canonical!r}"


def test_sitemap_lists_every_page(site, crawl):
    with urllib.request.urlopen(site.base_url + "sitemap.xml", timeout=10) as response:
        tree = ElementTree.fromstring(response.read())
    namespace = {"sitemap": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = [element.text for element in tree.findall("sitemap:url/sitemap:loc", namespace)]

    assert sorted(listed) == sorted(site.site_url + page_path(page) for page in site.pages)
    for address in listed:
        assert urlsplit(address).scheme == "https", f"sitemap.xml lists {address}, not an https address"
        assert crawl["status"].get(crawl["local"](address)) == 200, f"sitemap.xml lists {address}, which the site does not serve"
