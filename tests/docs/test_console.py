"""Run the idpsync commands that pages show in console blocks, and compare their output with the page.

Only blocks marked ``{ .console run="yes" ... }`` run. ``pytest --update-examples``
rewrites the page's output lines from what the commands print.
"""

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docs.census import find_fences, parse_info
from tests.paths import DOCS, ROOT

IDPSYNC = str(Path(sys.executable).with_name("idpsync"))


def console_blocks():
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        for line, indent, fence, info, body in find_fences(page.read_text(encoding="utf-8")):
            lang, attrs = parse_info(info)
            if lang == "console" and attrs.get("run") == "yes":
                found.append(pytest.param(page, line, indent, body, id=f"{page.relative_to(DOCS)}:{line}"))
    return found


BLOCKS = console_blocks()


def test_console_blocks_found():
    assert len(BLOCKS) >= 4, [block.id for block in BLOCKS]


def run_transcript(body: list[str]) -> list[str]:
    output = []
    for line in body:
        if not line.startswith("$ "):
            continue
        output.append(line)
        arguments = shlex.split(line[2:])
        assert arguments[0] == "idpsync", f"only idpsync commands run here, not {arguments[0]!r}"
        done = subprocess.run([IDPSYNC, *arguments[1:]], cwd=ROOT, capture_output=True, text=True, timeout=60, env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"})
        output += (done.stdout + done.stderr).rstrip("\n").split("\n")
    return output


@pytest.mark.parametrize(("page", "line", "indent", "body"), BLOCKS)
def test_console_output_matches(page, line, indent, body, request):
    actual = run_transcript(body)
    if request.config.getoption("update_examples"):
        text = page.read_text(encoding="utf-8").split("\n")
        text[line: line + len(body)] = [indent + row if row else row for row in actual]
        page.write_text("\n".join(text), encoding="utf-8")
        return

    expected = [row.rstrip() for row in body]
    assert [row.rstrip() for row in actual] == expected, (
        f"docs/{page.relative_to(DOCS)}:{line}: the page shows output the command no longer prints; "
        "run pytest --update-examples to refresh it"
    )
