"""Each copy button copies exactly the text the tests validated for its block.

For a block included from snippets/, that is the file or the named section
of it, read from the file here. For any other block, it is the fence's
content after macros, as the block census reads it. Material's copy button
copies the code's text without annotation markers and trims trailing
whitespace, so the expected text is the source with annotation markers
removed and trailing whitespace trimmed. For a console transcript it is the
commands alone, without prompts or output (docs/javascripts/copy-commands.js).
The clipboard is read back from Chromium after a real click.
"""

import re

import pytest

from tests.browser.conftest import load, page_path
from tests.docs.census import collect_blocks, find_fences
from tests.paths import DOCS, SNIPPETS

PAGES = sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md"))

# Mermaid diagrams render to SVG and have no copy button.
NO_COPY_BUTTON = {"mermaid"}
CONSOLE = {"console", "shell-session"}
PROMPT = "$ "

# Code annotations (Material for MkDocs 9.8.2): a marker "(1)" in a comment
# becomes an annotation button, which the copy leaves out. A comment that is
# only a marker with "!", "# (1)!", disappears whole. Either way the text
# before the comment stays as it is, spaces included. Without an annotation
# list after the block, Material shows and copies the marker as typed, which
# this test reports as a leak. So a comment in a code block must not contain
# "(N)" other than as an annotation marker.
_COMMENT = re.compile(r"(?:^|(?<=\s))(#|//)")
_STRIPPED_COMMENT = re.compile(r"^(#|//)[ \t]*\(\d+\)![ \t]*$")
_MARKER = re.compile(r"\(\d+\)")

_SECTION_MARKER = re.compile(r"^.*--8<-- \[(start|end):[\w-]+\].*\n?", re.MULTILINE)
_INCLUDE = re.compile(r'^\s*--8<--\s+"(?P<path>[^"]+)"\s*$')


def snippet_text(include: str) -> str:
    """Return what pymdownx.snippets shows for "folder/file" or "folder/file:section"."""
    path, _, section = include.partition(":")
    text = (SNIPPETS / path).read_text(encoding="utf-8")
    if section:
        start = f"--8<-- [start:{section}]"
        end = f"--8<-- [end:{section}]"
        lines = text.splitlines(keepends=True)
        starts = [index for index, line in enumerate(lines) if start in line]
        ends = [index for index, line in enumerate(lines) if end in line]
        assert starts and ends, f"snippets/{path}: section {section!r} not found"
        text = "".join(lines[starts[0] + 1:ends[0]])
    return _SECTION_MARKER.sub("", text)


def without_annotations(text: str) -> str:
    """Return code as Material's copy button gives it: no annotation markers, no trailing whitespace at the end."""
    lines = []
    for line in text.split("\n"):
        comment = _COMMENT.search(line)
        if comment:
            code, remark = line[:comment.start()], line[comment.start():]
            remark = "" if _STRIPPED_COMMENT.match(remark) else _MARKER.sub("", remark)
            line = code + remark
        lines.append(line)
    return "\n".join(lines).rstrip()


def commands(transcript: str) -> str:
    """Return the commands of a console transcript without their prompts; a trailing backslash continues a command."""
    lines = []
    continues = False
    for line in transcript.split("\n"):
        if line.startswith(PROMPT) or continues:
            command = line.removeprefix(PROMPT) if not continues else line
            lines.append(command)
            continues = command.endswith("\\")
    return "\n".join(lines)


def block_source(raw_lines: list[str]) -> tuple[str, list[str]]:
    """Return a fence's content with each include line replaced by the snippet, and the snippets it includes."""
    lines, includes = [], []
    for line in raw_lines:
        match = _INCLUDE.match(line)
        if match:
            includes.append(match["path"])
            lines.append(snippet_text(match["path"]).removesuffix("\n"))
        else:
            lines.append(line)
    return "\n".join(lines), includes


def expected_copies(site, page: str) -> list[tuple[str, str]]:
    """Return (where, expected clipboard text) for each block of the page that has a copy button."""
    blocks, problems = collect_blocks(site.build, page)
    assert not problems, "\n".join(problems)
    # The census found its blocks with find_fences on the same Markdown, so the two lists align.
    fences = find_fences(site.build.markdown[page])
    assert len(fences) == len(blocks), f"docs/{page}: {len(fences)} fences but {len(blocks)} census blocks"

    expected = []
    for block, (_line, _indent, _fence, _info, raw_lines) in zip(blocks, fences):
        if block.lang in NO_COPY_BUTTON:
            continue
        source, includes = block_source(raw_lines)
        if block.lang in CONSOLE:
            source = commands(source)
        origin = ", ".join(f"snippets/{path}" for path in includes) or "inline fence"
        expected.append((f"{block.where} ({origin})", without_annotations(source)))
    return expected


def reveal(page, button) -> None:
    """Open the collapsed admonitions and select the content tabs that hide a code block."""
    button.evaluate("""button => {
        for (let node = button; node; node = node.parentElement) {
            if (node.tagName === "DETAILS") node.open = true;
        }
    }""")
    labels = button.evaluate_handle("""button => {
        const labels = [];
        for (let block = button.closest(".tabbed-block"); block; block = block.parentElement.closest(".tabbed-block")) {
            const set = block.closest(".tabbed-set");
            const index = [...block.parentElement.children].indexOf(block);
            labels.unshift(set.querySelector(":scope > .tabbed-labels").children[index]);
        }
        return labels;
    }""")
    for label in labels.get_properties().values():
        label.as_element().click()


def copy(page, button) -> str:
    """Click a copy button as a reader would and return what it put on the clipboard."""
    page.evaluate("navigator.clipboard.writeText('')")
    if not button.is_visible():
        reveal(page, button)
    button.click()
    # The copy is asynchronous: poll the clipboard for up to 2 seconds.
    return page.evaluate("""async () => {
        for (let attempt = 0; attempt < 100; attempt++) {
            const text = await navigator.clipboard.readText();
            if (text !== "") return text;
            await new Promise(resolve => setTimeout(resolve, 20));
        }
        return "";
    }""")


def test_copy_buttons_found(site):
    pages = [page for page in PAGES if expected_copies(site, page)]

    # Guides, troubleshooting and the tool page show configurations; a count
    # this low means the blocks or their buttons vanished.
    assert len(pages) >= 5, pages


@pytest.mark.parametrize("page", PAGES)
def test_copy_button_copies_snippet(open_context, site, page):
    expected = expected_copies(site, page)
    if not expected:
        # Material gives every code block a copy button, so none may show here.
        html = (site.build.site_dir / page_path(page) / "index.html").read_text(encoding="utf-8")
        article = html.split("<article", 1)[1].split("</article>", 1)[0]
        assert not re.findall(r'<pre(?! class="mermaid")[\s>]', article), f"docs/{page}: a code block the census did not find"
        return

    browser_page = load(open_context(clipboard=True), site.url(page))
    buttons = browser_page.locator("article button.md-code__button[data-md-type='copy']").element_handles()
    assert len(buttons) == len(expected), (
        f"docs/{page}: {len(buttons)} copy buttons on the built page, {len(expected)} code blocks in the source"
    )

    for button, (where, text) in zip(buttons, expected):
        copied = copy(browser_page, button)
        assert copied == text, f"{where}: the copy button copies\n{copied!r}\nbut the tested text is\n{text!r}"
    assert not browser_page.log.problems(), browser_page.log.problems()
