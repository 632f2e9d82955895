"""A model of what Okta sends and what Coder's IdP sync does with it.

>>> from idpsync import CoderSettings, sync_user
>>> settings = CoderSettings.from_env({"CODER_OIDC_GROUP_FIELD": "groups"})
>>> sync_user(settings, {"sub": "00u1", "email": "a@example.com", "groups": ["dev"]}, coder_groups=["dev"]).groups
['dev']
"""

import logging

from .coder.claims import merge_claims, parse_string_list_claim
from .coder.settings import CoderSettings
from .coder.trace import LoginError, TraceEntry
from .diagnose import Diagnostic
from .errors import ClaimError, ConfigError
from .sync import SyncResult, sync_user

__all__ = [
    "ClaimError",
    "CoderSettings",
    "ConfigError",
    "Diagnostic",
    "LoginError",
    "SyncResult",
    "TraceEntry",
    "merge_claims",
    "parse_string_list_claim",
    "sync_user",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
