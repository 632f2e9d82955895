"""Coder's claim parsing cases, restated against parse_string_list_claim.

Source: coderd/idpsync/idpsync_test.go in github.com/coder/coder
(TestParseStringSliceClaim and TestParseStringSliceClaimReference).
Go distinguishes a typed ``[]string`` from an untyped ``[]interface{}``, but
both arrive in Python as a ``list``, so those Go cases share one Python shape.
Cases that Coder builds with ``json.Unmarshal`` are decoded with ``json.loads``.
"""

import json

import pytest

from idpsync.coder.claims import ClaimError, parse_string_list_claim

# (Coder case name, claim value, expected strings). Coder compares the
# result with ElementsMatch, so the order of the strings is not checked.
ACCEPTED_CLAIMS = [
    ("Nil", None, []),
    ("EmptySlice", [], []),
    ("StringSlice", ["a", "b", "c"], ["a", "b", "c"]),
    ("InterfaceSlice", ["a", "b", "c"], ["a", "b", "c"]),
    ("MixedSlice", ["a", "b", "c"], ["a", "b", "c"]),
    ("StringSliceOneElement", ["a"], ["a"]),
    ("JSONEmptySlice", json.loads("[]"), []),
    ("JSONStringSlice", json.loads('["a", "b", "c"]'), ["a", "b", "c"]),
    ("JSONStringSliceOneElement", json.loads('["a"]'), ["a"]),
    ("String", "a", ["a"]),
    ("EmptyString", "", []),
    ("Interface", "a", ["a"]),
    ("JSONString", json.loads('"a"'), ["a"]),
    ("JSONEmptyString", json.loads('""'), []),
]

# (Coder case name, claim value) for claims Coder rejects with an error.
REJECTED_CLAIMS = [
    ("IntegerInSlice", ["a", "b", 1]),
    ("JSONIntegerInSlice", json.loads('["a", "b", 1]')),
    # A single string with a comma is taken as a misconfigured CSV claim.
    ("JSON_CSV", json.loads('"a,b,c"')),
]


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        pytest.param(claim, expected, id=name)
        for name, claim, expected in ACCEPTED_CLAIMS
    ],
)
def test_parse_claim_accepts(claim, expected):
    """Coder coderd/idpsync/idpsync_test.go TestParseStringSliceClaim (cases without an error)."""
    found = parse_string_list_claim(claim)

    assert sorted(found) == sorted(expected)


@pytest.mark.parametrize(
    "claim",
    [pytest.param(claim, id=name) for name, claim in REJECTED_CLAIMS],
)
def test_parse_claim_rejects(claim):
    """Coder coderd/idpsync/idpsync_test.go TestParseStringSliceClaim (cases with ErrorExpected)."""
    with pytest.raises(ClaimError):
        parse_string_list_claim(claim)


def test_parse_claim_returns_copy():
    """Coder coderd/idpsync/idpsync_test.go TestParseStringSliceClaimReference."""
    claim = ["a", "b", "c"]

    parsed = parse_string_list_claim(claim)
    parsed[0] = ""

    assert claim[0] == "a"


# Skipped from coderd/idpsync/idpsync_test.go, because the model has no
# runtime settings JSON or HTTP error helper:
#   TestMarshalJSONEmpty/Group, TestMarshalJSONEmpty/Role,
#   TestMarshalJSONEmpty/Organization, TestIsHTTPError.
