"""Inject the faults the census exists to catch into a copy of the docs, and check each is reported with its page."""

import shutil

import pytest

from tests.docs import census
from tests.paths import ROOT

HELM_VALUES_UNCLOSED = '''
``` { .yaml scenario="okta-groups" }
coder:
  env:
    - name: CODER_OIDC_USER_ROLE_MAPPING
      value: '{"coder-admins":["template-admin"]'
```
'''


def copy_site(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    # Everything the build reads: pages, snippets and theme overrides.
    for name in ("docs", "snippets", "overrides"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: the fault cannot be injected, {old!r} is gone"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """Census problems and typed-outcome problems of a copy with seven faults that leave the build working."""
    root = copy_site(tmp_path_factory.mktemp("faults"))
    docs, snippets = root / "docs", root / "snippets"

    append(docs / "troubleshooting.md", "\n```toml\nkey = 1\n```\n")
    append(docs / "guides/combine.md", "\n~~~python\nprint(1)\n~~~\n")
    edit(snippets / "okta-groups/coder.env", "CODER_OIDC_GROUP_FIELD=groups", "CODER_OIDC_GROUPS_FIELD=groups")
    edit(snippets / "profile-attributes/coder.env", '"user-admin"]', '"superuser"]')
    (snippets / "combined/notes.txt").write_text("nobody shows this\n")
    append(docs / "index.md", "\nSam ends up in groups `coder-admins` and gets site roles `auditor`.\n")
    append(docs / "guides/custom-authorization-server.md", HELM_VALUES_UNCLOSED)

    build = census.build_site(root, tmp_path_factory.mktemp("faults-site"))
    problems = census.take_census(build).problems
    for page in ("index.md",):
        problems += census.find_typed_outcomes(page, (docs / page).read_text(encoding="utf-8"))
    return "\n".join(problems)


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("unknown fence language", "docs/troubleshooting.md:"),
        ("tilde Python fence", "docs/guides/combine.md:"),
        ("option name typo", "CODER_OIDC_GROUPS_FIELD is not a Coder option"),
        ("role that is no site role", "'superuser', which is not a Coder site role"),
        ("orphan snippet file", "snippets/combined/notes.txt: no page includes this file"),
        ("outcome typed by hand", "docs/index.md:"),
        ("unclosed brace in Helm values", "docs/guides/custom-authorization-server.md:"),
    ],
)
def test_fault_reported(faulty, fault, expected):
    assert expected in faulty, f"{fault}: no census problem contains {expected!r}:\n{faulty}"


def test_fault_messages_name_pages(faulty):
    lines = faulty.splitlines()

    assert any("docs/troubleshooting.md:" in line and "'toml'" in line for line in lines)
    assert any("docs/guides/combine.md:" in line and "~~~ Python fence" in line for line in lines)
    assert any("docs/guides/okta-groups.md:" in line and "unknown-option" in line for line in lines)
    assert any("docs/guides/profile-attributes.md:" in line and "unknown-site-role" in line for line in lines)
    assert any("docs/index.md:" in line and "states an outcome" in line for line in lines)
    assert any("docs/guides/custom-authorization-server.md:" in line and "CODER_OIDC_USER_ROLE_MAPPING" in line for line in lines)


@pytest.mark.parametrize(
    ("fault", "page", "old", "new"),
    [
        ("missing include target", "guides/combine.md", '--8<-- "combined/userinfo.json"', '--8<-- "combined/nothere.json"'),
        ("macro name typo", "guides/okta-groups.md", '{{ outcome("okta-groups") }}', '{{ outcom("okta-groups") }}'),
    ],
)
def test_build_fault_names_page(tmp_path, fault, page, old, new):
    root = copy_site(tmp_path)
    edit(root / "docs" / page, old, new)

    with pytest.raises(census.BuildFailed) as caught:
        census.build_site(root, tmp_path / "site")

    assert page in str(caught.value), f"{fault}: the build error does not name {page}:\n{caught.value}"
