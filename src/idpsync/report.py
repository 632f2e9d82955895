"""Render a sign-in result as text or as the JSON document the command promises."""

import os
from typing import Any

from .coder.trace import TraceEntry
from .sync import SyncResult

__all__ = ["as_json", "as_text", "use_colour"]

_COLOURS = {"red": "31", "green": "32", "yellow": "33", "dim": "2", "bold": "1"}
_SEVERITY_COLOUR = {"error": "red", "warning": "yellow", "info": "dim"}


def use_colour(stream) -> bool:
    """Colour only a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def as_json(result: SyncResult) -> dict[str, Any]:
    error = None
    if result.login_error is not None:
        error = {"status": result.login_error.status, "title": result.login_error.title, "detail": result.login_error.detail}
    return {
        "login": {"allowed": result.login_allowed, "error": error},
        "groups": {
            "sync": result.group_sync,
            "member_of": result.groups,
            "created": result.created_groups,
            "trace": [_trace_json(entry) for entry in result.group_trace],
        },
        "site_roles": {
            "sync": result.role_sync,
            "roles": result.site_roles,
            "trace": [_trace_json(entry) for entry in result.role_trace],
        },
        "diagnostics": [
            {"code": item.code, "severity": item.severity, "message": item.message, "fix": item.fix}
            for item in result.diagnostics
        ],
    }


def _trace_json(entry: TraceEntry) -> dict[str, Any]:
    return {"value": entry.value, "outcome": entry.outcome, "target": entry.target, "detail": entry.detail}


def as_text(result: SyncResult, colour: bool = False) -> str:
    paint = _painter(colour)
    lines = []

    if result.login_allowed:
        lines.append(paint("green", "Sign-in: allowed"))
    else:
        lines.append(paint("red", f"Sign-in: rejected, {result.login_error}"))

    lines.append(f"Groups: {_groups(result)}")
    lines.append(f"Site roles: {_roles(result)}")

    trace = [("group", entry) for entry in result.group_trace] + [("role", entry) for entry in result.role_trace]
    if trace:
        lines += ["", paint("bold", "Claim values")]
        width = max(len(entry.value) for _, entry in trace) + 2
        for kind, entry in trace:
            lines.append(f"  {kind:<5} {entry.value:<{width}} {entry.outcome:<15} {entry.detail}")

    if result.diagnostics:
        lines += ["", paint("bold", "Diagnostics")]
        for item in result.diagnostics:
            lines.append(f"  {paint(_SEVERITY_COLOUR[item.severity], item.severity)} {item.code}: {item.message}")
            if item.fix:
                lines.append(f"    fix: {item.fix}")
    return "\n".join(lines)


def _groups(result: SyncResult) -> str:
    if result.group_sync == "off":
        return "group sync off (CODER_OIDC_GROUP_FIELD is not set)"
    if result.groups is None:
        return "unchanged"
    return (", ".join(result.groups) or "none") + " (and Everyone)"


def _roles(result: SyncResult) -> str:
    if result.role_sync == "off" or result.site_roles is None:
        return "site role sync off (CODER_OIDC_USER_ROLE_FIELD is not set)" if result.login_allowed else "unchanged"
    return (", ".join(result.site_roles) or "none") + " (and member)"


def _painter(colour: bool):
    def paint(name: str, text: str) -> str:
        return f"\033[{_COLOURS[name]}m{text}\033[0m" if colour else text

    return paint
