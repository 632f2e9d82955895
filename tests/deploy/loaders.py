"""Read each deployment form back the way its consumer reads it.

- ``load_shell``: a real POSIX shell, ``env -i sh -c '. ./file; env'``.
- ``load_dotenv``: python-dotenv with interpolation off, as CoderSettings reads coder.env.
- ``load_systemd``: systemd's EnvironmentFile= rules, written out below from
  systemd.exec(5) and parse_env_file_internal in systemd's src/basic/env-file.c.
- ``load_helm_values``: PyYAML, then the chart's ``coder.env`` list as the
  Kubernetes container ``env`` (helm/coder/templates/_coder.tpl in
  github.com/coder/coder), with Kubernetes' ``$(NAME)`` expansion.
- ``load_compose``: PyYAML, then Compose's interpolation (compose-go, template/template.go).

These readers live in the tests, apart from the generator in
src/idpsync/deploy, so that a quoting mistake in one cannot cancel out in the other.
"""

import io
import re
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml
from dotenv import dotenv_values

__all__ = [
    "FormError",
    "SecretValue",
    "compose_interpolate",
    "kubernetes_expand",
    "load_compose",
    "load_dotenv",
    "load_env_file",
    "load_helm_values",
    "load_shell",
    "load_systemd",
    "parse_systemd_pairs",
]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# The variables the chart sets ahead of coder.env, so a $(NAME) in a value can refer to them.
CHART_VARIABLES = {
    "CODER_HTTP_ADDRESS": "0.0.0.0:8080",
    "CODER_PROMETHEUS_ADDRESS": "0.0.0.0:2112",
    "CODER_PPROF_ADDRESS": "0.0.0.0:6060",
    "CODER_ACCESS_URL": "http://coder.coder.svc.cluster.local",
    "KUBE_POD_IP": "10.0.0.7",
    "CODER_DERP_SERVER_RELAY_URL": "http://10.0.0.7:8080",
    "CODER_CLUSTER_HOST": "10.0.0.7",
}


class FormError(ValueError):
    """Raised when a form cannot be read, or its consumer would read it differently from what was meant."""


@dataclass(frozen=True)
class SecretValue:
    """A Helm env entry whose value Kubernetes takes from a Secret, e.g. ``SecretValue("coder-oidc", "client-secret")``."""

    name: str
    key: str


def load_shell(text: str) -> dict[str, str]:
    """Source the text in a POSIX shell with an empty environment and return the variables it exports."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "coder.sh"
        path.write_text(text + "\n", encoding="utf-8")
        baseline = _run_shell(folder, "env")
        exported = _run_shell(folder, ". ./coder.sh; env")
    return {name: value for name, value in exported.items() if baseline.get(name) != value}


def _run_shell(folder: str, script: str) -> dict[str, str]:
    done = subprocess.run(["env", "-i", "sh", "-c", script], cwd=folder, capture_output=True, timeout=30)
    if done.returncode != 0:
        raise FormError(f"sh could not source the file (exit {done.returncode}): {done.stderr.decode(errors='replace').strip()}")
    values = {}
    for line in done.stdout.decode("utf-8").split("\n"):
        if line:
            name, _, value = line.partition("=")
            values[name] = value
    return values


def load_dotenv(text: str) -> dict[str, str]:
    """Read an env file with python-dotenv, interpolation off."""
    return {name: value or "" for name, value in dotenv_values(stream=io.StringIO(text), interpolate=False).items()}


def load_systemd(text: str) -> dict[str, str]:
    """Read an env file as systemd's EnvironmentFile= does; raise FormError for a line systemd would drop."""
    values: dict[str, str] = {}
    for name, value in parse_systemd_pairs(text):
        if not _NAME.match(name):
            # systemd drops an assignment whose name is not a valid variable name, such as "export NAME".
            raise FormError(f"systemd ignores the assignment to {name!r}, because that is not a variable name")
        values[name] = value
    return values


def load_env_file(text: str) -> dict[str, str]:
    """Read an env file with python-dotenv and with systemd's rules; raise FormError where they differ."""
    dotenv = load_dotenv(text)
    systemd = load_systemd(text)
    for name in sorted(set(dotenv) | set(systemd)):
        if dotenv.get(name) != systemd.get(name):
            raise FormError(
                f"{name}: python-dotenv reads {dotenv.get(name)!r} but systemd reads {systemd.get(name)!r}; "
                "put the value in single quotes, or in double quotes with \\ and \" escaped if it holds a single quote"
            )
    return dotenv


# States of systemd's environment file reader.
_PRE_KEY, _KEY, _PRE_VALUE, _VALUE, _VALUE_ESCAPE, _SINGLE, _DOUBLE, _DOUBLE_ESCAPE, _COMMENT, _COMMENT_ESCAPE = range(10)
_WHITESPACE = " \t\n\r"
_NEWLINE = "\n\r"
_COMMENTS = "#;"
# Characters a backslash escapes inside double quotes, as in a POSIX shell.
_SHELL_NEED_ESCAPE = '"\\`$'


def parse_systemd_pairs(text: str) -> list[tuple[str, str]]:
    """Split an environment file into (name, value) pairs by systemd's rules, in file order.

    systemd.exec(5), EnvironmentFile=: lines starting with # or ; are
    comments; a line without = is ignored; leading and trailing white space
    around an unquoted value is dropped and interior white space kept; a
    backslash outside quotes keeps the next character (and joins lines before
    a newline); single quotes keep everything verbatim; inside double quotes a
    backslash escapes only " \\ ` $ and a newline, and stays before any other
    character. Nothing is expanded: $NAME stays as written. Text after a
    closing quote continues the value, so KEY='a' # b reads as "a# b".
    """
    pairs: list[tuple[str, str]] = []
    state = _PRE_KEY
    key: list[str] = []
    value: list[str] = []
    key_end = None  # start of trailing white space in the key
    value_end = None  # start of trailing white space in an unquoted value

    def push(trim_value: bool) -> None:
        name = "".join(key if key_end is None else key[:key_end])
        text_value = value if not (trim_value and value_end is not None) else value[:value_end]
        pairs.append((name, "".join(text_value)))

    for character in text:
        if state == _PRE_KEY:
            if character in _COMMENTS:
                state = _COMMENT
            elif character not in _WHITESPACE:
                state, key, key_end = _KEY, [character], None
        elif state == _KEY:
            if character in _NEWLINE:
                state = _PRE_KEY
            elif character == "=":
                state, value, value_end = _PRE_VALUE, [], None
            else:
                if character not in _WHITESPACE:
                    key_end = None
                elif key_end is None:
                    key_end = len(key)
                key.append(character)
        elif state == _PRE_VALUE:
            if character in _NEWLINE:
                push(trim_value=False)
                state = _PRE_KEY
            elif character == "'":
                state = _SINGLE
            elif character == '"':
                state = _DOUBLE
            elif character == "\\":
                state = _VALUE_ESCAPE
            elif character not in _WHITESPACE:
                state = _VALUE
                value.append(character)
        elif state == _VALUE:
            if character in _NEWLINE:
                push(trim_value=True)
                state = _PRE_KEY
            elif character == "\\":
                state, value_end = _VALUE_ESCAPE, None
            else:
                if character not in _WHITESPACE:
                    value_end = None
                elif value_end is None:
                    value_end = len(value)
                value.append(character)
        elif state == _VALUE_ESCAPE:
            state = _VALUE
            # A backslash before a newline joins the lines; before anything else it keeps that character.
            if character not in _NEWLINE:
                value.append(character)
        elif state == _SINGLE:
            if character == "'":
                state = _PRE_VALUE
            else:
                value.append(character)
        elif state == _DOUBLE:
            if character == '"':
                state = _PRE_VALUE
            elif character == "\\":
                state = _DOUBLE_ESCAPE
            else:
                value.append(character)
        elif state == _DOUBLE_ESCAPE:
            state = _DOUBLE
            if character in _SHELL_NEED_ESCAPE:
                value.append(character)
            elif character != "\n":
                value += ["\\", character]
        elif state == _COMMENT:
            if character == "\\":
                state = _COMMENT_ESCAPE
            elif character in _NEWLINE:
                state = _PRE_KEY
        elif state == _COMMENT_ESCAPE:
            state = _PRE_KEY if character in _NEWLINE else _COMMENT

    if state in (_PRE_VALUE, _VALUE, _VALUE_ESCAPE, _SINGLE, _DOUBLE, _DOUBLE_ESCAPE):
        push(trim_value=state == _VALUE)
    return pairs


def load_helm_values(text: str) -> tuple[dict[str, str], dict[str, SecretValue]]:
    """Read Helm values and return the container's env values and the entries taken from Secrets.

    A value must be a string, because Kubernetes' EnvVar.value is one. Each
    value is expanded as Kubernetes does: $(NAME) becomes an earlier
    variable's value, $$ becomes $, and an unknown $(NAME) stays as written.
    """
    data = _load_yaml(text)
    entries = ((data or {}).get("coder") or {}).get("env") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise FormError("a YAML block must be Helm values with a coder.env list of name/value entries")

    defined = dict(CHART_VARIABLES)
    values: dict[str, str] = {}
    secrets: dict[str, SecretValue] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise FormError(f"coder.env entry {entry!r} has no name")
        name = entry["name"]
        if name in values or name in secrets:
            raise FormError(f"coder.env sets {name} twice")
        if set(entry) - {"name", "value", "valueFrom"}:
            raise FormError(f"coder.env entry {name} has keys Kubernetes does not know: {sorted(set(entry) - {'name', 'value', 'valueFrom'})}")
        if "valueFrom" in entry:
            reference = (entry["valueFrom"] or {}).get("secretKeyRef") if isinstance(entry["valueFrom"], dict) else None
            if "value" in entry or not isinstance(reference, dict) or not {"name", "key"} <= set(reference):
                raise FormError(f"coder.env entry {name}: valueFrom needs a secretKeyRef with name and key, and no value beside it")
            secrets[name] = SecretValue(str(reference["name"]), str(reference["key"]))
            defined[name] = f"<secret {reference['name']}/{reference['key']}>"
            continue
        raw = entry.get("value", "")
        if not isinstance(raw, str):
            raise FormError(
                f"coder.env entry {name}: the value {raw!r} is a YAML {type(raw).__name__}, but Kubernetes takes only strings; quote it"
            )
        values[name] = kubernetes_expand(raw, defined)
        defined[name] = values[name]
    return values, secrets


def kubernetes_expand(value: str, defined: Mapping[str, str]) -> str:
    """Expand $(NAME) references in a container env value, as the Kubernetes API documents for EnvVar.value."""
    out = []
    index = 0
    while index < len(value):
        character = value[index]
        if character != "$" or index + 1 == len(value):
            out.append(character)
            index += 1
            continue
        following = value[index + 1]
        if following == "$":
            out.append("$")
            index += 2
        elif following == "(":
            closing = value.find(")", index + 2)
            if closing == -1:
                out.append("$(")
                index += 2
                continue
            name = value[index + 2:closing]
            out.append(defined.get(name, f"$({name})"))
            index = closing + 1
        else:
            out.append("$" + following)
            index += 2
    return "".join(out)


def load_compose(text: str, environment: Mapping[str, str] | None = None, service: str = "coder") -> dict[str, str]:
    """Read a Compose file and return the service's environment after Compose's interpolation.

    ``environment`` stands for the shell and the project's .env file, where
    Compose looks up $NAME; it is empty unless a test supplies it.
    """
    data = _load_yaml(text)
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict) or not isinstance(services.get(service), dict):
        raise FormError(f"a Compose block needs services.{service}")
    section = services[service].get("environment")
    if isinstance(section, list):
        pairs = []
        for item in section:
            if not isinstance(item, str) or "=" not in item:
                raise FormError(f"environment item {item!r} has no =, so Compose would take its value from the shell; write NAME=value")
            name, _, raw = item.partition("=")
            pairs.append((name, raw))
    elif isinstance(section, dict):
        pairs = list(section.items())
    else:
        raise FormError(f"services.{service}.environment must be a mapping or a list of NAME=value")

    values = {}
    for name, raw in pairs:
        if not isinstance(raw, str):
            # PyYAML reads YAML 1.1 and Compose's Go parser YAML 1.2, which type some unquoted words differently.
            raise FormError(f"environment {name}: the value {raw!r} is a YAML {type(raw).__name__}, not a string; quote it")
        values[str(name)] = compose_interpolate(raw, environment or {}, name)
    return values


_COMPOSE_NAME = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
_COMPOSE_MODIFIER = re.compile(r"^(?P<name>[_a-zA-Z][_a-zA-Z0-9]*)(?:(?P<op>:-|-|:\?|\?)(?P<arg>.*))?$", re.S)


def compose_interpolate(value: str, environment: Mapping[str, str], where: str = "value") -> str:
    """Apply Compose's interpolation to one value.

    $$ is a literal $. $NAME and ${NAME} take the variable's value, or "" when
    it is unset (Compose warns). ${NAME:-default}, ${NAME-default},
    ${NAME:?message} and ${NAME?message} work as in a shell. A $ followed by
    anything else is an error ("Invalid template").
    """
    out = []
    index = 0
    while index < len(value):
        if value[index] != "$":
            out.append(value[index])
            index += 1
            continue
        rest = value[index + 1:]
        if rest.startswith("$"):
            out.append("$")
            index += 2
            continue
        named = _COMPOSE_NAME.match(rest)
        if named:
            out.append(environment.get(named.group(0), ""))
            index += 1 + named.end()
            continue
        if rest.startswith("{") and "}" in rest:
            inner = rest[1:rest.index("}")]
            out.append(_braced(inner, environment, where))
            index += 2 + len(inner) + 1
            continue
        raise FormError(f"{where}: Compose rejects the value {value!r} (Invalid template): write $$ for a literal $")
    return "".join(out)


def _braced(inner: str, environment: Mapping[str, str], where: str) -> str:
    match = _COMPOSE_MODIFIER.match(inner)
    if not match:
        raise FormError(f"{where}: Compose rejects ${{{inner}}} (Invalid template)")
    name, op, argument = match["name"], match["op"], match["arg"] or ""
    present = name in environment
    current = environment.get(name, "")
    if op is None:
        return current
    if op == ":-":
        return current if current else argument
    if op == "-":
        return current if present else argument
    if (op == ":?" and not current) or not present:
        raise FormError(f"{where}: required variable {name} is missing a value: {argument}")
    return current


def _load_yaml(text: str):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise FormError(f"invalid YAML ({str(error).splitlines()[0]})") from None
