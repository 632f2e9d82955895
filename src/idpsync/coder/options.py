"""Parse option values the way Coder's option library (coder/serpent) does.

Each parser takes the raw text of one environment variable and returns the
typed value, or raises ``ValueError`` with the reason. ``settings.py`` turns
that reason into a ``ConfigError`` that names the option and the fix.
"""

import re2
import yaml

__all__ = [
    "GO_BOOL_WORDS",
    "parse_bool",
    "parse_string_array",
    "parse_string_map",
    "parse_string_list_map",
    "compile_regex",
]

# Go's strconv.ParseBool accepts exactly these words and nothing else
# (no yes/no/on/off); serpent's Bool.Set calls it.
GO_BOOL_WORDS = {
    "1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
    "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False,
}

_YAML_NULL = "tag:yaml.org,2002:null"


def parse_bool(text: str) -> bool:
    """Parse a Go boolean word."""
    try:
        return GO_BOOL_WORDS[text]
    except KeyError:
        raise ValueError("not a Go boolean word (1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False)") from None


def parse_string_array(text: str) -> list[str]:
    """Split a comma list as one record of Go's encoding/csv reader.

    serpent's StringArray.Set reads the value with csv.NewReader(...).Read():
    fields are split on commas, a field may be double-quoted (with "" for a
    quote inside), white space is kept as it is, and a quote inside an
    unquoted field is an error. Read returns only the first record, so text
    after an unquoted line break is dropped, as in Coder.

    Example: ``openid, profile`` gives ``["openid", " profile"]``.
    """
    if text == "":
        # serpent leaves an empty list for an empty value.
        return []
    fields: list[str] = []
    field: list[str] = []
    i = 0
    n = len(text)
    at_field_start = True

    while i < n:
        char = text[i]

        if at_field_start and char == '"':
            # A quoted field runs to the next lone quote.
            i += 1
            while True:
                if i >= n:
                    raise ValueError('extraneous or missing " in quoted-field')
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        field.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                field.append(text[i])
                i += 1
            if i < n and text[i] not in ",\r\n":
                raise ValueError('extraneous or missing " in quoted-field')
            at_field_start = False
            continue

        if char == ",":
            fields.append("".join(field))
            field = []
            at_field_start = True
            i += 1
            continue

        if char in "\r\n":
            # The first record ends here; Coder ignores the rest.
            break

        if char == '"':
            raise ValueError('bare " in non-quoted field')

        field.append(char)
        at_field_start = False
        i += 1

    fields.append("".join(field))
    return fields


def _compose_mapping(text: str):
    # serpent decodes struct options with a YAML decoder, so JSON objects
    # (a subset of YAML) work too. Composing nodes keeps each scalar's raw
    # text, which is what yaml.v3 stores in a Go string.
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise ValueError(f"not valid YAML or JSON ({_first_line(error)})") from None

    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _YAML_NULL):
        return []
    if not isinstance(node, yaml.MappingNode):
        raise ValueError("not an object")

    seen: set[str] = set()
    pairs = []
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise ValueError("an object key is not a string")
        key = key_node.value
        if key in seen:
            # yaml.v3 rejects a repeated key ("mapping key already defined").
            raise ValueError(f"the key {key!r} appears twice")
        seen.add(key)
        pairs.append((key, value_node))
    return pairs


def _scalar_text(node, where: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise ValueError(f"{where} must be a string")
    if node.tag == _YAML_NULL:
        return ""
    return node.value


def parse_string_map(text: str) -> dict[str, str]:
    """Decode a YAML or JSON object of strings (``map[string]string`` in Go)."""
    return {key: _scalar_text(value, f"the value of {key!r}") for key, value in _compose_mapping(text)}


def parse_string_list_map(text: str) -> dict[str, list[str]]:
    """Decode a YAML or JSON object of string lists (``map[string][]string`` in Go)."""
    result: dict[str, list[str]] = {}
    for key, value in _compose_mapping(text):
        if isinstance(value, yaml.ScalarNode) and value.tag == _YAML_NULL:
            result[key] = []
            continue
        if not isinstance(value, yaml.SequenceNode):
            raise ValueError(f"the value of {key!r} must be a list of strings, such as [\"template-admin\"]")
        result[key] = [_scalar_text(item, f"each item under {key!r}") for item in value.value]
    return result


def compile_regex(text: str):
    """Compile a Go RE2 regular expression.

    google-re2 implements the same RE2 syntax as Go's regexp package, so a
    pattern that Coder accepts compiles here and matches the same names.
    """
    try:
        return re2.compile(text)
    except re2.error as error:
        raise ValueError(f"not a valid RE2 regular expression ({error})") from None


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]
