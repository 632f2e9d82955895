"""Read the canonical configuration: the marked sections of a snippet folder's coder.env.

A section starts at a line containing ``--8<-- [start:NAME]`` and ends at one
containing ``--8<-- [end:NAME]``, the markers pymdownx.snippets uses for
``--8<-- "folder/coder.env:NAME"``. Each line between them is a comment, a
blank line or one ``NAME=value`` assignment, and the value is read with
python-dotenv, as ``CoderSettings.from_env_file`` reads it.
"""

import io
import re
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from dotenv import dotenv_values

from .errors import DeployError

__all__ = ["Line", "read_sections", "parse_lines", "check_value"]

# POSIX shells, systemd and Kubernetes all accept these environment variable names.
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MARKER = re.compile(r"--8<--\s*\[(start|end):([\w-]+)\]")


@dataclass(frozen=True)
class Line:
    """One line of a section: a comment (``name`` is None) or a setting.

    Example: ``Line(name="CODER_OIDC_GROUP_FIELD", value="groups")`` or
    ``Line(comment="Group sync: Coder groups follow the groups claim.")``.
    """

    name: str | None = None
    value: str = ""
    comment: str | None = None


def read_sections(path: str | PathLike, sections: tuple[str, ...] | list[str]) -> list[Line]:
    """Return the lines of the named sections of an env file, in the order the sections are named."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DeployError(str(path), f"cannot be read ({error.strerror})", "check the snippet folder name") from None

    if not sections:
        raise DeployError(str(path), "no section was named", 'name at least one section, such as "sync"')

    lines: list[Line] = []
    for section in sections:
        lines += parse_lines(_section_text(text, section, path), f"{path}:{section}")
    return lines


def _section_text(text: str, section: str, path: Path) -> str:
    inside = False
    found: list[str] = []
    seen_start = False
    for line in text.splitlines():
        marker = _MARKER.search(line)
        if marker and marker.group(2) == section:
            if marker.group(1) == "start":
                inside, seen_start = True, True
            else:
                inside = False
            continue
        if marker:
            continue
        if inside:
            found.append(line)

    if not seen_start:
        raise DeployError(
            f"{path}:{section}", "the section does not exist",
            f"mark it with lines '# --8<-- [start:{section}]' and '# --8<-- [end:{section}]'",
        )
    return "\n".join(found)


def parse_lines(text: str, where: str) -> list[Line]:
    """Split env file text into comments and settings; raise DeployError on a line no form can carry."""
    lines: list[Line] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            lines.append(Line(comment=stripped.lstrip("#").strip()))
            continue

        name, equals, _rest = stripped.partition("=")
        name = name.strip()
        if not equals or not _NAME.match(name):
            raise DeployError(
                f"{where} line {number}",
                "not a NAME=value assignment",
                "write one assignment per line, with a name of letters, digits and underscores",
                value=raw,
            )
        values = dotenv_values(stream=io.StringIO(raw), interpolate=False)
        if name not in values:
            raise DeployError(f"{where} line {number}", "python-dotenv cannot read this line", "quote the value in single quotes", value=raw)
        value = values[name] or ""
        check_value(name, value)
        lines.append(Line(name=name, value=value))
    return lines


def check_value(name: str, value: str) -> None:
    """Raise DeployError for a value that some deployment form cannot carry on one line."""
    if not _NAME.match(name):
        raise DeployError(name, "the name is not a valid environment variable name", "use letters, digits and underscores", value=value)
    for character in value:
        code = ord(character)
        if code < 0x20 or code == 0x7F:
            raise DeployError(
                name, f"the value contains the control character U+{code:04X}",
                "write the value on one line without tabs or control characters", value=value,
            )
        if 0xD800 <= code <= 0xDFFF:
            raise DeployError(name, "the value is not valid Unicode text", "remove the lone surrogate character", value=value)
        if code == 0xFEFF or 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
            # systemd.exec(5), EnvironmentFile=: valid characters exclude U+FEFF and Unicode noncharacters.
            raise DeployError(
                name, f"the value contains U+{code:04X}, which systemd does not accept in an environment file",
                "remove the character", value=value,
            )
