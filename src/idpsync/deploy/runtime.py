"""The runtime form: group sync settings saved per organization, and the coder CLI command that saves them.

Premium deployments can save group sync settings for each organization at
runtime. For the default organization those settings replace the
``CODER_OIDC_GROUP_*`` environment settings as soon as they are saved
(coderd/idpsync/group.go, AGPLIDPSync.GroupSyncSettings).
"""

import json
import shlex
from typing import Any

from ..coder.runtime import GroupSyncSettings
from ..coder.settings import CoderSettings
from .errors import DeployError

__all__ = ["GROUP_OPTIONS", "runtime_group_settings", "render_document", "render_cli_command"]

# The environment options that runtime group sync settings replace for the default organization.
GROUP_OPTIONS = (
    "CODER_OIDC_GROUP_FIELD",
    "CODER_OIDC_GROUP_MAPPING",
    "CODER_OIDC_GROUP_REGEX_FILTER",
    "CODER_OIDC_GROUP_AUTO_CREATE",
)

# The subcommands of `coder organizations settings set` (cli/organizationsettings.go).
_SETTINGS = {"group-sync", "role-sync"}


def runtime_group_settings(settings: CoderSettings) -> GroupSyncSettings:
    """Return runtime settings that give the default organization the groups its environment settings give.

    Raises DeployError when group sync is off (there is nothing to save) or
    when CODER_OIDC_GROUP_MAPPING is set: that mapping renames groups by name,
    and Coder accepts only group IDs in a saved mapping.
    """
    if not settings.group_field:
        raise DeployError(
            "CODER_OIDC_GROUP_FIELD", "group sync is off, so there are no group sync settings to save",
            "set CODER_OIDC_GROUP_FIELD, or show no runtime form for this configuration",
        )
    if settings.group_mapping:
        raise DeployError(
            "CODER_OIDC_GROUP_MAPPING",
            "runtime settings map an IdP group to Coder group IDs, and Coder rejects the name mapping "
            "(legacy_group_name_mapping) in a saved document",
            "look up the group IDs and write a mapping of your own, as the multi-organization guide shows",
            value=json.dumps(dict(settings.group_mapping)),
        )
    # The environment's default filter .* keeps every name, as no filter (null) does.
    pattern = settings.group_regex_filter.pattern
    return GroupSyncSettings(
        field=settings.group_field,
        mapping={},
        regex_filter=None if pattern == ".*" else settings.group_regex_filter,
        auto_create_missing_groups=settings.group_auto_create,
    )


def render_document(document: dict[str, Any]) -> str:
    """Write a settings document as indented JSON, with non-ASCII characters kept as they are."""
    return json.dumps(document, indent=2, ensure_ascii=False)


def render_cli_command(setting: str, organization: str, path: str) -> str:
    """Write the command that saves a settings file for one organization, e.g. for group-sync.json."""
    if setting not in _SETTINGS:
        raise DeployError("setting", f"coder organizations settings set has no {setting!r} setting", "use group-sync or role-sync", value=setting)
    # The command reads the JSON document from standard input.
    return f"coder organizations settings set {setting} --org {shlex.quote(organization)} < {shlex.quote(path)}"
