"""Group and role sync settings documents, as Coder stores them per organization and reads them from its API.

Sources in github.com/coder/coder: codersdk/idpsync.go (GroupSyncSettings and
RoleSyncSettings, decoded with encoding/json), enterprise/coderd/idpsync.go
(patchGroupIDPSyncSettings) and coderd/idpsync/group.go
(AGPLIDPSync.GroupSyncSettings, the default organization's fallback).
"""

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import options
from .settings import CoderSettings

__all__ = ["GroupSyncSettings", "RoleSyncSettings", "RuntimeSettingsError"]

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_GROUP_KEYS = ("field", "mapping", "regex_filter", "auto_create_missing_groups", "legacy_group_name_mapping")
_ROLE_KEYS = ("field", "mapping")


class RuntimeSettingsError(ValueError):
    """Raised for a group or role sync settings document that Coder would reject or silently misread."""


@dataclass(frozen=True)
class GroupSyncSettings:
    """One organization's group sync settings (codersdk.GroupSyncSettings).

    Example: ``GroupSyncSettings(field="groups", mapping={"coder-developers": ("5f1c…",)})``.
    """

    field: str = ""  # "" turns group sync off for the organization
    mapping: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)  # IdP group name -> Coder group IDs
    regex_filter: Any = None  # compiled RE2, or None for no filter
    auto_create_missing_groups: bool = False
    # Only the default organization's fallback from CODER_OIDC_GROUP_MAPPING sets this.
    legacy_group_name_mapping: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_json(cls, document: Any, where: str = "group sync settings") -> "GroupSyncSettings":
        """Read a settings document as PATCH .../settings/idpsync/groups accepts it.

        Raises RuntimeSettingsError for a value Coder rejects, and for an unknown
        key, which Coder would ignore silently.
        """
        data = _object(document, where, _GROUP_KEYS)
        legacy = _string_map(data.get("legacy_group_name_mapping"), f"{where}: legacy_group_name_mapping")
        if legacy:
            # enterprise/coderd/idpsync.go, patchGroupIDPSyncSettings returns HTTP 400.
            raise RuntimeSettingsError(
                f"{where}: Coder rejects a non-empty legacy_group_name_mapping (\"Field not allowed, set to null or remove it.\"); "
                "map each IdP group to group IDs in mapping instead"
            )
        regex = data.get("regex_filter")
        if regex is not None and not isinstance(regex, str):
            raise RuntimeSettingsError(f"{where}: regex_filter must be a string or null, not {_json_type(regex)}")
        compiled = None
        if regex is not None:
            try:
                compiled = options.compile_regex(regex)
            except ValueError as error:
                raise RuntimeSettingsError(f"{where}: regex_filter {regex!r} is {error}") from None
        return cls(
            field=_string(data.get("field"), f"{where}: field"),
            mapping=_id_lists(data.get("mapping"), f"{where}: mapping"),
            regex_filter=compiled,
            auto_create_missing_groups=_bool(data.get("auto_create_missing_groups"), f"{where}: auto_create_missing_groups"),
        )

    @classmethod
    def from_deployment(cls, settings: CoderSettings) -> "GroupSyncSettings":
        """Build the default organization's fallback settings from CODER_OIDC_GROUP_* (AGPLIDPSync.GroupSyncSettings)."""
        return cls(
            field=settings.group_field,
            mapping={},
            regex_filter=settings.group_regex_filter,
            auto_create_missing_groups=settings.group_auto_create,
            legacy_group_name_mapping=dict(settings.group_mapping),
        )

    def to_json(self) -> dict[str, Any]:
        """Return the document in the shape Coder returns, keys in Coder's order."""
        document: dict[str, Any] = {
            "field": self.field,
            "mapping": {name: list(ids) for name, ids in self.mapping.items()},
            "regex_filter": self.regex_filter.pattern if self.regex_filter is not None else None,
            "auto_create_missing_groups": self.auto_create_missing_groups,
        }
        if self.legacy_group_name_mapping:
            document["legacy_group_name_mapping"] = dict(self.legacy_group_name_mapping)
        return document


@dataclass(frozen=True)
class RoleSyncSettings:
    """One organization's role sync settings (codersdk.RoleSyncSettings).

    Example: ``RoleSyncSettings(field="groups", mapping={"coder-admins": ("organization-admin",)})``.
    """

    field: str = ""  # "" turns organization role sync off
    mapping: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)  # claim value -> organization role names

    @classmethod
    def from_json(cls, document: Any, where: str = "role sync settings") -> "RoleSyncSettings":
        """Read a settings document as PATCH .../settings/idpsync/roles accepts it."""
        data = _object(document, where, _ROLE_KEYS)
        return cls(
            field=_string(data.get("field"), f"{where}: field"),
            mapping=_string_lists(data.get("mapping"), f"{where}: mapping"),
        )

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "mapping": {name: list(roles) for name, roles in self.mapping.items()}}


def _object(document: Any, where: str, keys: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise RuntimeSettingsError(f"{where}: expected a JSON object with the keys {', '.join(keys)}, not {_json_type(document)}")
    unknown = sorted(set(document) - set(keys))
    if unknown:
        raise RuntimeSettingsError(
            f"{where}: unknown key {', '.join(map(repr, unknown))}; Coder ignores unknown keys, so the setting would "
            f"have no effect. The keys are {', '.join(keys)}"
        )
    return document


def _string(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RuntimeSettingsError(f"{where} must be a string, not {_json_type(value)}")
    return value


def _bool(value: Any, where: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise RuntimeSettingsError(f"{where} must be true or false, not {_json_type(value)} {value!r}")
    return value


def _string_map(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
        raise RuntimeSettingsError(f"{where} must be an object of strings or null")
    return dict(value)


def _string_lists(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RuntimeSettingsError(f"{where} must be an object or null, not {_json_type(value)}")
    result = {}
    for key, items in value.items():
        if items is None:
            result[key] = ()
            continue
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise RuntimeSettingsError(f"{where}: the value of {key!r} must be a list of strings, such as [\"organization-admin\"]")
        result[key] = tuple(items)
    return result


def _id_lists(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    result = _string_lists(value, where)
    for key, ids in result.items():
        for group_id in ids:
            if not _UUID.match(group_id):
                raise RuntimeSettingsError(
                    f"{where}: {group_id!r} under {key!r} is not a group ID; mapping takes group IDs "
                    "(8-4-4-4-12 hexadecimal digits, from GET /api/v2/organizations/{organization}/groups), not group names"
                )
    return {key: tuple(group_id.lower() for group_id in ids) for key, ids in result.items()}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
