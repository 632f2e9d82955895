"""Write Coder settings in the four forms administrators deploy with.

Each renderer takes the lines of the canonical coder.env (comments and
``NAME=value`` settings) and returns text that its consumer reads back as
exactly the same values:

- ``render_shell``: ``export`` lines for a POSIX shell;
- ``render_env_file``: an environment file that python-dotenv and systemd's
  ``EnvironmentFile=`` both read the same way (systemd.exec(5));
- ``render_helm_values``: values.yaml for Coder's Helm chart, whose
  ``coder.env`` list goes unchanged into the container's ``env``
  (helm/coder/templates/_coder.tpl in github.com/coder/coder);
- ``render_compose``: the ``environment`` section of a Docker Compose service.

A value a form cannot carry raises DeployError with the value and the fix.
"""

import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .errors import DeployError
from .sections import Line, check_value

__all__ = [
    "SecretRef",
    "CLIENT_SECRET",
    "render_shell",
    "render_env_file",
    "render_helm_values",
    "render_compose",
]

# Characters an env file may show without quotes: python-dotenv, systemd and a
# shell all read such a value literally (the same set as shlex.quote's).
_BARE = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")


@dataclass(frozen=True)
class SecretRef:
    """A key of the Kubernetes Secret that stores a setting's value, e.g. ``SecretRef("coder-oidc", "client-secret")``."""

    name: str
    key: str


# Helm values take the client secret from a Kubernetes Secret instead of writing it inline.
CLIENT_SECRET = {"CODER_OIDC_CLIENT_SECRET": SecretRef("coder-oidc", "client-secret")}


def render_shell(lines: Iterable[Line]) -> str:
    """Write ``export NAME=value`` lines, each value quoted with POSIX single quotes where needed."""
    out = []
    for line in lines:
        if line.name is None:
            out.append(f"# {line.comment}")
            continue
        check_value(line.name, line.value)
        # shlex.quote wraps the value in single quotes, inside which a POSIX
        # shell reads every character literally ($, ", \ and spaces included);
        # a single quote becomes '"'"'.
        out.append(f"export {line.name}={shlex.quote(line.value)}")
    return "\n".join(out)


def render_env_file(lines: Iterable[Line]) -> str:
    """Write ``NAME=value`` lines that python-dotenv and systemd's EnvironmentFile= read alike."""
    out = []
    for line in lines:
        if line.name is None:
            out.append(f"# {line.comment}")
            continue
        check_value(line.name, line.value)
        out.append(f"{line.name}={quote_env_value(line.name, line.value)}")
    return "\n".join(out)


def quote_env_value(name: str, value: str) -> str:
    """Quote one value for an environment file, or raise DeployError when no quoting works in both readers.

    - Plain words stay bare.
    - Anything else goes in single quotes, which systemd reads literally and
      python-dotenv reads literally unless a backslash precedes a quote or
      another backslash.
    - A value with a single quote or a backslash goes in double quotes with
      ``\\`` and ``\\"`` escaped. Both readers unescape exactly those two
      there, and keep ``$`` and backquotes literal (python-dotenv reads with
      interpolation off, as CoderSettings.from_env_file does).
    """
    if value == "":
        return ""
    if _BARE.match(value):
        return value
    if "'" not in value and "\\" not in value:
        return f"'{value}'"
    if value.endswith("\\"):
        # python-dotenv's double-quoted value pattern takes the last escaped
        # backslash and the closing quote for an escaped quote, so it reads past
        # the end of the value.
        raise DeployError(
            name, "the value ends with a backslash and contains a single quote or backslash, "
            "so no quoting reads the same in python-dotenv and systemd",
            "change the value so it does not end with a backslash; a regular expression matches a backslash with [\\\\] too",
            value=value,
        )
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def render_helm_values(lines: Iterable[Line], secrets: Mapping[str, SecretRef] = CLIENT_SECRET) -> str:
    """Write Helm values with ``coder.env`` as a list of name/value entries.

    A setting named in ``secrets`` becomes a ``valueFrom.secretKeyRef`` entry,
    so the values file never contains its literal. Kubernetes expands ``$(NAME)``
    in an env value and reads ``$$`` as ``$`` (the EnvVar.value field of the
    Kubernetes API), so every ``$`` is written as ``$$``.
    """
    lines = list(lines)
    out = ["coder:", "  env:"]
    for line in lines:
        if line.name is None:
            out.append(f"    # {line.comment}")
            continue
        check_value(line.name, line.value)
        secret = secrets.get(line.name)
        if secret is not None:
            out += [
                f"    # Create the Secret first: kubectl create secret generic {secret.name} --from-literal={secret.key}=...",
                f"    - name: {line.name}",
                "      valueFrom:",
                "        secretKeyRef:",
                f"          name: {secret.name}",
                f"          key: {secret.key}",
            ]
            continue
        out += [f"    - name: {line.name}", f"      value: {_yaml_string(line.value.replace('$', '$$'))}"]
    return "\n".join(out)


def render_compose(lines: Iterable[Line], service: str = "coder") -> str:
    """Write the ``environment`` section of a Compose service, with every ``$`` written as ``$$``.

    Compose substitutes ``$NAME`` and ``${NAME}`` from the shell and the
    project's .env file, reads ``$$`` as a literal ``$``, and rejects a ``$``
    followed by anything else (compose-go, template/template.go).
    """
    out = ["services:", f"  {service}:", "    environment:"]
    for line in lines:
        if line.name is None:
            out.append(f"      # {line.comment}")
            continue
        check_value(line.name, line.value)
        out.append(f"      {line.name}: {_yaml_string(line.value.replace('$', '$$'))}")
    return "\n".join(out)


def _yaml_string(text: str) -> str:
    # A single-quoted YAML scalar has no escapes except '' for a quote, so
    # JSON, backslashes and regular expressions stay as written. Quoting every
    # value also keeps parsers of YAML 1.1 and YAML 1.2 from typing an unquoted
    # word such as yes differently, and Kubernetes takes only strings as env values.
    return "'" + text.replace("'", "''") + "'"
