"""Every snippet folder is tested, and every snippet file is shown on a page or read by a test."""

from tests.paths import DOCS, SNIPPETS
from tests.snippets import checks
from tests.snippets.test_approaches import APPROACHES
from tests.tokens.samples import files_read_by_token_tests


def test_every_scenario_folder_has_a_test():
    folders = {path.parent.relative_to(SNIPPETS).as_posix() for path in SNIPPETS.rglob("scenario.yaml")}
    untested = {folder for folder in folders if folder not in APPROACHES and not folder.startswith("troubleshooting/")}

    assert len(folders) >= 12, folders
    assert not untested, f"snippet folders with no test module: {sorted(untested)}"


def test_every_snippet_file_is_used():
    included = set()
    for page in DOCS.rglob("*.md"):
        included |= checks.page_includes(page.relative_to(DOCS).as_posix())
    read = set()
    for spec in SNIPPETS.rglob("scenario.yaml"):
        read |= {path.resolve().relative_to(SNIPPETS.resolve()).as_posix() for path in checks.load_scenario(spec.parent).files}
    # The token tests verify every signed sample against its JWKS and read the test-only keys.
    read |= {path.resolve().relative_to(SNIPPETS.resolve()).as_posix() for path in files_read_by_token_tests()}

    files = {path.relative_to(SNIPPETS).as_posix() for path in SNIPPETS.rglob("*") if path.is_file()}
    unused = files - included - read
    assert not unused, f"snippet files no page includes and no test reads: {sorted(unused)}"
