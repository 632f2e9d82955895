"""Coder settings in the forms administrators deploy with: shell, env file, Helm, Docker Compose and runtime.

One canonical configuration per snippet folder (its coder.env) is the source;
``render_config_tabs`` turns its sections into the content tabs every page shows.
"""

from .errors import DeployError
from .forms import CLIENT_SECRET, SecretRef, quote_env_value, render_compose, render_env_file, render_helm_values, render_shell
from .runtime import GROUP_OPTIONS, render_cli_command, render_document, runtime_group_settings
from .sections import Line, parse_lines, read_sections
from .tabs import RUNTIME_LABEL, TAB_LABELS, render_config_tabs

__all__ = [
    "CLIENT_SECRET",
    "DeployError",
    "GROUP_OPTIONS",
    "Line",
    "RUNTIME_LABEL",
    "SecretRef",
    "TAB_LABELS",
    "parse_lines",
    "quote_env_value",
    "read_sections",
    "render_cli_command",
    "render_compose",
    "render_config_tabs",
    "render_document",
    "render_env_file",
    "render_helm_values",
    "render_shell",
    "runtime_group_settings",
]
