"""Every address outside the site that the built pages link to or load.

The tests never fetch these. The link crawler only checks that the built site
names no other external address, and the browser tests fulfill the requests
below with local stubs, so nothing leaves the machine.
"""

# Links a reader can follow to other sites.
EXTERNAL_LINKS = {
    "https://github.com/idpsync/okta-coder-idp-sync",  # repo_url in mkdocs.yml
    "https://squidfunk.github.io/mkdocs-material/",  # the theme's footer credit
}

# Requests the theme makes by itself on every page, with the stub response
# (status, content type, body) the browser tests fulfill them with. Material for
# MkDocs 9.8.2 loads the Roboto fonts from Google Fonts, and the repository's
# star and fork counts and latest release from GitHub's API. GitHub responds
# with 404 for the release while the repository has none, and the browser logs
# that as a console error. The empty object here avoids that error; the header
# then shows an empty release tag, which only the screenshots show.
EXTERNAL_REQUESTS = {
    "https://fonts.googleapis.com/css": (200, "text/css", ""),
    "https://api.github.com/repos/idpsync/okta-coder-idp-sync/releases/latest": (200, "application/json", "{}"),
    "https://api.github.com/repos/idpsync/okta-coder-idp-sync": (200, "application/json", '{"stargazers_count": 0, "forks_count": 0}'),
}

# Addresses the pages name without linking to or loading them: <link rel="preconnect">.
EXTERNAL_HINTS = {
    "https://fonts.gstatic.com",
}


def stubbed_response(url: str) -> tuple[int, str, str] | None:
    """Return (status, content type, body) for a request the theme makes to another site, or None."""
    for address, stub in EXTERNAL_REQUESTS.items():
        if url.split("?")[0] == address:
            return stub
    return None
