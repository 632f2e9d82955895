"""Every code block on the built site is covered by a test, and no outcome is typed by hand."""

import pytest

from tests.docs import census
from tests.paths import DOCS

# Pages whose blocks the guide promises, with the fewest blocks each must
# keep, so a page whose blocks all vanished cannot pass.
MIN_BLOCKS = {
    "guides/okta-groups.md": 3,
    "guides/profile-attributes.md": 4,
    "guides/custom-authorization-server.md": 4,
    "guides/combine.md": 4,
    "troubleshooting.md": 16,
    "explanation/claims-flow.md": 1,
}
MIN_TOTAL = 35


@pytest.fixture(scope="module")
def result(site_build, pytestconfig):
    taken = census.take_census(site_build)
    pytestconfig.stash[census.SUMMARY] = taken.summary()
    return taken


def test_every_block_covered(result):
    problems = "\n".join(result.problems)

    assert not result.problems, f"{len(result.problems)} census problems:\n{problems}"


def test_block_counts(result):
    per_page = {}
    for block in result.blocks:
        per_page[block.page] = per_page.get(block.page, 0) + 1

    assert len(result.blocks) >= MIN_TOTAL, result.summary()
    for page, minimum in MIN_BLOCKS.items():
        assert per_page.get(page, 0) >= minimum, f"docs/{page}: {per_page.get(page, 0)} code blocks, expected at least {minimum}"


def test_every_bucket_used(result):
    assert set(result.counts()) == {"executed", "config", "sample", "allowlisted"}, result.summary()


@pytest.mark.parametrize("page", sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")))
def test_no_outcome_typed_by_hand(site_build, page):
    source = (DOCS / page).read_text(encoding="utf-8")
    html_path = site_build.site_dir / ("index.html" if page == "index.md" else page.removesuffix(".md") + "/index.html")

    problems = census.find_typed_outcomes(page, source) + census.find_outcome_tables_outside_macros(page, html_path.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)
