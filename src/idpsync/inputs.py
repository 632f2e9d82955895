"""Read the command's inputs: settings files, claim files, with a size limit and one-line errors."""

import io
import json
import sys
from typing import Any

import yaml
from dotenv import dotenv_values

__all__ = ["InputError", "MAX_INPUT_BYTES", "mask", "read_bytes", "read_json", "read_settings_file"]

# Settings files and tokens are a few kilobytes; a larger input is a wrong path.
MAX_INPUT_BYTES = 1024 * 1024


class InputError(Exception):
    """Raised for input the command cannot use; the message names the input and the fix."""


def mask(value: str) -> str:
    """Return a secret or token as *** and at most its last four characters."""
    return "***" + value[-4:] if len(value) > 8 else "***"


def read_bytes(path: str, flag: str) -> bytes:
    """Read a file, or standard input for ``-``, refusing more than 1 MiB."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        try:
            with open(path, "rb") as stream:
                data = stream.read(MAX_INPUT_BYTES + 1)
        except OSError as error:
            raise InputError(f"{flag} {path}: cannot be read ({error.strerror}); check the path") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{flag} {path}: larger than 1 MiB, so it is not a token or a settings file")
    return data


def read_text(path: str, flag: str) -> str:
    try:
        return read_bytes(path, flag).decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{flag} {path}: not UTF-8 text") from None


def read_json(path: str, flag: str) -> Any:
    """Read a JSON file; the error names the file and the first problem."""
    text = read_text(path, flag)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{flag} {path}: invalid JSON at line {error.lineno} ({error.msg}); give the decoded claims as a JSON object") from None


def read_settings_file(path: str) -> dict[str, str]:
    """Read CODER_* settings from an env file, a shell file of export lines, or Helm values with coder.env.

    In Helm values, an entry taken from a Kubernetes Secret (valueFrom) has no
    literal value, so it is left out.
    """
    text = read_text(path, "--env")
    helm = _helm_env(text)
    if helm is not None:
        return helm
    values = dotenv_values(stream=io.StringIO(text), interpolate=False)
    return {name: value or "" for name, value in values.items()}


def _helm_env(text: str) -> dict[str, str] | None:
    if "coder:" not in text:
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("coder"), dict):
        return None

    entries = data["coder"].get("env")
    if not isinstance(entries, list):
        raise InputError("--env: Helm values need coder.env as a list of name/value entries")
    values = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise InputError(f"--env: the coder.env entry {entry!r} has no name")
        if "value" in entry:
            values[entry["name"]] = "" if entry["value"] is None else str(entry["value"])
    return values
