"""Coder's per-organization group sync cases, run through the runtime model.

Source: coderd/idpsync/group_test.go in github.com/coder/coder. Every
TestGroupSyncTable case signs in with the same groups claim. Each runs in an
organization that is not the default one, except the DefaultOrg case.
The deployment's environment settings, which only the default organization
falls back to, are those of Coder's table: CODER_OIDC_GROUP_FIELD=groups,
CODER_OIDC_GROUP_MAPPING {"foo":"legacy-foo","baz":"legacy-baz"},
CODER_OIDC_GROUP_REGEX_FILTER=^legacy and CODER_OIDC_GROUP_AUTO_CREATE=true.
Coder's table uses random group IDs; the cases below name each group and
derive its ID from the name.
"""

import json
import uuid

import pytest

from idpsync import CoderSettings
from idpsync.coder import options
from idpsync.coder.runtime import Group, GroupSyncSettings, Membership, Organization, sync_organizations

CLAIMS = {"groups": ["foo", "bar", "baz", "create-bar", "create-baz", "legacy-bar"]}

DEPLOYMENT = CoderSettings.from_env({
    "CODER_OIDC_GROUP_FIELD": "groups",
    "CODER_OIDC_GROUP_MAPPING": json.dumps({"foo": "legacy-foo", "baz": "legacy-baz"}),
    "CODER_OIDC_GROUP_REGEX_FILTER": "^legacy",
    "CODER_OIDC_GROUP_AUTO_CREATE": "true",
})


def uid(label: str) -> str:
    """Return a stable UUID for a label, as Coder's tests use a deterministic ID generator."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"idpsync-test:{label}"))


def organization(name, groups, settings=None, default=False):
    return Organization(
        id=uid(f"org:{name}"), name=name, default=default,
        groups=tuple(Group(uid(f"{name}:{group}"), group) for group in groups),
        group_sync=settings,
    )


def member(org, *groups):
    by_name = {group.name: group.id for group in org.groups}
    return Membership(org.id, frozenset(by_name[group] for group in groups))


def ids(org_name, *groups):
    return tuple(uid(f"{org_name}:{group}") for group in groups)


def sync_one(org, membership, claims=CLAIMS, deployment=DEPLOYMENT, entitled=True):
    results = sync_organizations([org], [membership], claims, deployment=deployment, entitled=entitled)
    return results[0]


def switch_groups():
    settings = GroupSyncSettings(
        field="groups",
        mapping={"foo": ids("switch", "sg-foo", "sg-foo-2"), "bar": ids("switch", "sg-bar"), "baz": ids("switch", "sg-baz")},
    )
    org = organization("switch", ["old-1", "old-2", "sg-foo", "sg-foo-2", "sg-bar", "sg-baz"], settings)
    return org, member(org, "old-1", "old-2"), ["sg-bar", "sg-baz", "sg-foo", "sg-foo-2"]


def stay_in_group():
    settings = GroupSyncSettings(
        field="groups",
        regex_filter=options.compile_regex("^foo$"),
        # The second ID under foo names no group at all.
        mapping={"foo": (*ids("stay", "gg-foo"), uid("nowhere")), "bar": ids("stay", "gg-bar"), "baz": ids("stay", "gg-baz")},
    )
    org = organization("stay", ["gg-foo", "gg-bar"], settings)
    return org, member(org, "gg-foo"), ["gg-foo"]


def user_joins_groups():
    settings = GroupSyncSettings(
        field="groups",
        mapping={
            "foo": (*ids("joins", "ng-foo"), uid("nowhere")),
            "bar": ids("joins", "ng-bar", "ng-bar-2"),
            "baz": ids("joins", "ng-baz"),
        },
    )
    org = organization("joins", ["ng-foo", "ng-bar", "ng-bar-2", "ng-baz"], settings)
    return org, member(org), ["ng-bar", "ng-bar-2", "ng-baz", "ng-foo"]


def create_groups():
    settings = GroupSyncSettings(field="groups", regex_filter=options.compile_regex("^create"), auto_create_missing_groups=True)
    org = organization("create", [], settings)
    return org, member(org), ["create-bar", "create-baz"]


def group_names_no_mapping():
    settings = GroupSyncSettings(field="groups", regex_filter=options.compile_regex(".*"), auto_create_missing_groups=False)
    org = organization("names", ["foo", "bar", "goob"], settings)
    return org, member(org, "goob"), ["bar", "foo"]


def legacy_mapping():
    settings = GroupSyncSettings(
        field="groups",
        regex_filter=options.compile_regex("^legacy"),
        legacy_group_name_mapping={"create-bar": "legacy-bar", "foo": "legacy-foo", "bop": "legacy-bop"},
        auto_create_missing_groups=True,
    )
    org = organization("legacy", ["lg-foo", "legacy-foo", "extra", "legacy-bop"], settings)
    return org, member(org, "lg-foo", "extra", "legacy-bop"), ["legacy-bar", "legacy-foo"]


def default_organization():
    # No runtime settings: the environment settings of DEPLOYMENT apply.
    org = organization("default", ["legacy-foo", "legacy-baz", "random"], default=True)
    return org, member(org, "legacy-baz", "random"), ["legacy-bar", "legacy-baz", "legacy-foo"]


CASES = {
    "SwitchGroups": switch_groups,
    "StayInGroup": stay_in_group,
    "UserJoinsGroups": user_joins_groups,
    "CreateGroups": create_groups,
    "GroupNamesNoMapping": group_names_no_mapping,
    "LegacyMapping": legacy_mapping,
    "AllTogether/DefaultOrg": default_organization,
}


class TestGroupSyncTable:
    """Cases of TestGroupSyncTable, each in an organization of its own."""

    def test_switch_groups(self):
        """Coder coderd/idpsync/group_test.go TestGroupSyncTable/SwitchGroups."""
        org, membership, expected = switch_groups()

        result = sync_one(org, membership)

        assert result.group_settings_source == "runtime"
        assert result.groups_before == ["old-1", "old-2"]
        assert result.groups == expected

    def test_stay_in_group(self):
        """Coder coderd/idpsync/group_test.go TestGroupSyncTable/StayInGroup."""
        org, membership, expected = stay_in_group()

        result = sync_one(org, membership)

        assert result.groups == expected
        outcomes = {entry.value: entry.outcome for entry in result.group_trace}
        assert outcomes == {"foo": "mapped", "bar": "filtered-out", "baz": "filtered-out",
                            "create-bar": "filtered-out", "create-baz": "filtered-out", "legacy-bar": "filtered-out"}

    def test_user_joins_groups(self):
        """Coder coderd/idpsync/group_test.go TestGroupSyncTable/UserJoinsGroups."""
        org, membership, expected = user_joins_groups()

        result = sync_one(org, membership)

        assert result.groups == expected
        assert uid("nowhere") in next(entry.detail for entry in result.group_trace if entry.value == "foo")

    def test_create_groups(self):
        """Coder coderd/idpsync/group_test.go TestGroupSyncTable/CreateGroups."""
        org, membership, expected = create_groups()

        result = sync_one(org, membership)

        assert result.groups == expected
        assert result.created_groups == expected

    def test_group_names_no_mapping(self):
        """Coder coderd/idpsync/group_test.go TestGroupSyncTable/GroupNamesNoMapping."""
        org, membership, expected = group_names_no_mapping()

        result = sync_one(org, membership)

        assert result.groups == expected
        assert result.created_groups == []

    def test_legacy_mapping(self):
        """Coder coderd/idpsync/group_test.go TestGroupSyncTable/LegacyMapping."""
        org, membership, expected = legacy_mapping()

        result = sync_one(org, membership)

        assert result.groups == expected
        assert result.created_groups == ["legacy-bar"]

    def test_no_user(self):
        """Coder coderd/idpsync/group_test.go TestGroupSyncTable/NoUser."""
        settings = GroupSyncSettings(field="groups", mapping={"foo": (*ids("outside", "ow-foo"), uid("nowhere"))})
        org = organization("outside", ["ow-foo", "ow-bar"], settings)

        results = sync_organizations([org], [], CLAIMS, deployment=DEPLOYMENT)

        assert results == []

    def test_no_settings(self):
        """Coder coderd/idpsync/group_test.go TestGroupSyncTable/NoSettings."""
        org = organization("unset", [])

        result = sync_one(org, member(org))

        assert result.group_settings_source == "none"
        assert result.group_sync == "off"
        assert result.groups == []

    def test_default_organization_uses_environment(self):
        """Coder coderd/idpsync/group_test.go TestGroupSyncTable/AllTogether/DefaultOrg."""
        org, membership, expected = default_organization()

        result = sync_one(org, membership)

        assert result.group_settings_source == "environment"
        assert result.groups == expected
        assert result.created_groups == ["legacy-bar"]

    def test_all_organizations_together(self):
        """Coder coderd/idpsync/group_test.go TestGroupSyncTable/AllTogether."""
        built = {name: case() for name, case in CASES.items()}

        results = sync_organizations(
            [org for org, _membership, _expected in built.values()],
            [membership for _org, membership, _expected in built.values()],
            CLAIMS,
            deployment=DEPLOYMENT,
        )

        assert len(results) == len(CASES)
        for (name, (_org, _membership, expected)), result in zip(built.items(), results):
            assert result.groups == expected, name


def test_sync_not_entitled_changes_nothing():
    """Coder coderd/idpsync/group_test.go TestSyncDisabled."""
    settings = GroupSyncSettings(field="groups", mapping={"foo": ids("disabled", "foo"), "baz": ids("disabled", "baz")})
    org = organization("disabled", ["foo", "bar", "baz", "bop"], settings)

    result = sync_one(org, member(org, "foo", "bar"), claims={"groups": ["baz", "bop"]}, entitled=False)

    assert result.groups == ["bar", "foo"]


class TestClaimShapes:
    """Cases that follow from GroupSyncSettings.ParseClaims and SyncGroups; Coder has no table test for them."""

    def test_missing_claim_removes_groups(self):
        org, membership, _expected = group_names_no_mapping()

        result = sync_one(org, membership, claims={})

        assert result.group_sync == "applied"
        assert result.groups == []

    def test_malformed_claim_leaves_groups(self):
        org, membership, _expected = group_names_no_mapping()

        result = sync_one(org, membership, claims={"groups": "foo,bar"})

        assert result.group_sync == "unchanged"
        assert result.groups == ["goob"]
        assert "csv string" in result.parse_errors[0]

    def test_saved_settings_replace_environment(self):
        # AGPLIDPSync.GroupSyncSettings: a saved entry wins even for the default organization.
        org, membership, _expected = default_organization()
        saved = GroupSyncSettings(field="groups", regex_filter=options.compile_regex("^random$"))
        org = Organization(org.id, org.name, True, org.groups, group_sync=saved)

        result = sync_one(org, membership)

        assert result.group_settings_source == "runtime"
        assert result.groups == []
        assert result.created_groups == []

    def test_saved_empty_field_turns_default_off(self):
        org, membership, _expected = default_organization()
        org = Organization(org.id, org.name, True, org.groups, group_sync=GroupSyncSettings(field=""))

        result = sync_one(org, membership)

        assert result.group_sync == "off"
        assert result.groups == ["legacy-baz", "random"]

    def test_other_organization_ignores_environment(self):
        org = organization("second", ["legacy-foo"])

        result = sync_one(org, member(org, "legacy-foo"))

        assert result.group_settings_source == "none"
        assert result.groups == ["legacy-foo"]

    def test_everyone_kept(self):
        settings = GroupSyncSettings(field="groups")
        org = organization("everyone", ["x"], settings)

        result = sync_one(org, member(org, "x"), claims={"groups": ["Everyone"]})

        assert result.groups == []
        assert result.group_trace[0].outcome == "everyone"


class TestSettingsDocument:
    """Reading group sync settings as PATCH .../settings/idpsync/groups does (codersdk.GroupSyncSettings)."""

    def test_document_read(self):
        document = {"field": "groups", "mapping": {"a": [uid("x").upper()]}, "regex_filter": "^a", "auto_create_missing_groups": True}

        settings = GroupSyncSettings.from_json(document)

        assert settings.mapping == {"a": (uid("x"),)}
        assert settings.regex_filter.pattern == "^a"
        assert settings.auto_create_missing_groups is True

    def test_nulls_read_as_defaults(self):
        settings = GroupSyncSettings.from_json({"field": None, "mapping": None, "regex_filter": None, "auto_create_missing_groups": None})

        assert settings == GroupSyncSettings()

    @pytest.mark.parametrize(
        ("document", "message"),
        [
            ({"field": "groups", "mapping": {"a": ["developers"]}}, "'developers' under 'a' is not a group ID"),
            ({"field": "groups", "legacy_group_name_mapping": {"a": "b"}}, "rejects a non-empty legacy_group_name_mapping"),
            ({"field": "groups", "regex": "^a"}, "unknown key 'regex'"),
            ({"field": "groups", "regex_filter": "(?=a)"}, "regex_filter '(?=a)' is not a valid RE2 regular expression"),
            ({"field": 1}, "field must be a string, not a number"),
            ({"field": "groups", "auto_create_missing_groups": "true"}, "must be true or false, not a string"),
            (["groups"], "expected a JSON object"),
        ],
    )
    def test_document_rejected(self, document, message):
        with pytest.raises(ValueError) as caught:
            GroupSyncSettings.from_json(document)

        assert message in str(caught.value)
