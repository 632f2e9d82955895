"""Okta setups the model tests start from, and a helper that changes one key of them."""

import copy
from pathlib import Path

from idpsync.okta import issue_tokens, load_signing_key, parse_okta_setup

ORG_KEY = load_signing_key(Path("tests/keys/test-only-org-server-key.pem"))
DEFAULT_KEY = load_signing_key(Path("tests/keys/test-only-default-server-key.pem"))
ORG_SCOPES = ["openid", "profile", "email", "offline_access", "groups"]

ORG = {
    "org": {"url": "https://example.okta.com", "id": "00o1a2b3c4d5e6f7g8h9"},
    "authorization_server": "org",
    "app": {
        "name": "Coder",
        "client_id": "0oa5x4w3v2u1t0s9r8q7",
        "groups_claim": {"type": "Filter", "name": "groups", "filter": "Starts with", "value": "coder-"},
        "profile_attributes": [
            {"variable_name": "coder_roles", "data_type": "string array"},
            {"variable_name": "coder_team", "data_type": "string"},
        ],
    },
    "user": {
        "id": "00u8f3k2j1h0g9f8e7d6",
        "name": "Sam Sample",
        "given_name": "Sam",
        "family_name": "Sample",
        "login": "sam@example.com",
        "email": "sam@example.com",
        "email_verified": True,
        "locale": "en-US",
        "zoneinfo": "America/Los_Angeles",
        "updated_at": 1716500000,
        "groups": ["coder-admins", "finance"],
        "app_profile": {"coder_roles": ["template-admin"], "coder_team": "platform"},
    },
    "sign_in": {
        "iat": 1717000000,
        "auth_time": 1716999980,
        "amr": ["pwd"],
        "id_token_jti": "ID.q4p3o2n1m0l9k8j7i6h5g4f3e2d1c0b9a8z7y6x5w4v",
        "access_token_jti": "AT.d5h0y9yQANvPXoVgH9ILJUuCvmdxd0qUZe6WFPuB0gg",
    },
}

CUSTOM_SERVER = {
    "name": "default",
    "issuer": "https://example.okta.com/oauth2/default",
    "scope": {"name": "roles"},
    "claim": {
        "name": "roles",
        "include_in_token_type": "ID Token",
        "include": "Always",
        "value_type": "Expression",
        "value": 'Groups.startsWith("OKTA", "coder-", 100)',
        "include_in": "roles",
    },
    "access_policy": {"name": "Coder", "assigned_to": "Coder", "rule": "Authorization Code with any assigned user"},
}
CUSTOM = {**ORG, "authorization_server": "custom", "server": CUSTOM_SERVER}
CUSTOM_SCOPES = ["openid", "profile", "email", "roles", "offline_access"]


def setup(base=ORG, replace=None):
    """Return an OktaSetup from ``base`` with dotted keys replaced, e.g. ``replace={"server.claim.include": "Always"}``.

    A value of None removes the key.
    """
    data = copy.deepcopy(base)
    for dotted, value in (replace or {}).items():
        *parents, last = dotted.split(".")
        target = data
        for name in parents:
            target = target[name]
        if value is None:
            target.pop(last, None)
        else:
            target[last] = value
    return parse_okta_setup(data, "test okta.yaml")


def issue(base=ORG, scopes=None, flow=None, replace=None):
    """Issue tokens for ``base`` changed by ``replace``, with the key of its server and, by default, its usual scopes."""
    scopes = scopes or (CUSTOM_SCOPES if base is CUSTOM else ORG_SCOPES)
    key = DEFAULT_KEY if base is CUSTOM else ORG_KEY
    return issue_tokens(setup(base, replace), key, scopes, flow)
