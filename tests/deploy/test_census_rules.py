"""Inject a fault for each census rule about deployment forms, and check the census names the page.

Each fault breaks one rule. An env file is read differently by python-dotenv
and systemd. A shell block has a word that is no assignment. Helm values have
a value that is no string. A Compose value has a $ that Compose would
interpolate. Runtime settings are malformed, or give another outcome than the
page promises.
"""

import pytest

from tests.docs import census
from tests.docs.test_census_faults import append, copy_site, edit

ENV_FILE_DISAGREES = '''
``` { .env title="/etc/coder.d/coder.env" scenario="okta-groups" }
CODER_OIDC_GROUP_FIELD='groups' # python-dotenv drops this comment, systemd keeps it
```
'''

SHELL_NOT_ASSIGNMENT = '''
``` { .bash scenario="okta-groups" }
export CODER_OIDC_GROUP_FIELD=groups coder server
```
'''

HELM_BOOLEAN = '''
``` { .yaml title="values.yaml" scenario="okta-groups" }
coder:
  env:
    - name: CODER_OIDC_GROUP_AUTO_CREATE
      value: true
```
'''

COMPOSE_DOLLAR = '''
``` { .yaml title="compose.yaml" scenario="okta-groups" }
services:
  coder:
    environment:
      CODER_OIDC_USER_ROLE_MAPPING: '{"$":["auditor"]}'
```
'''

RUNTIME_UNKNOWN_KEY = '''
``` { .json title="group-sync.json" scenario="okta-groups" }
{"field": "groups", "regex": "^coder-"}
```
'''

RUNTIME_WRONG_OUTCOME = '''
``` { .json title="group-sync.json" scenario="okta-groups" }
{"field": "groups", "mapping": {}, "regex_filter": "^coder-admins$", "auto_create_missing_groups": false}
```
'''


@pytest.fixture(scope="module")
def problems(tmp_path_factory):
    root = copy_site(tmp_path_factory.mktemp("deploy-faults"))
    docs, snippets = root / "docs", root / "snippets"

    append(docs / "guides/combine.md", ENV_FILE_DISAGREES)
    append(docs / "guides/profile-attributes.md", SHELL_NOT_ASSIGNMENT)
    append(docs / "index.md", HELM_BOOLEAN)
    append(docs / "explanation/claims-flow.md", COMPOSE_DOLLAR)
    append(docs / "guides/custom-authorization-server.md", RUNTIME_UNKNOWN_KEY)
    append(docs / "guides/okta-groups.md", RUNTIME_WRONG_OUTCOME)
    # data-platform's Okta developers now map to the analysts group instead of data-engineers.
    edit(snippets / "multi-organization/group-sync.json", "4c67c373-0e05-408d-b8e6-f7fada5f7ffb", "34497d35-ec78-449a-b3f3-5d02c1f0bbbb")

    build = census.build_site(root, tmp_path_factory.mktemp("deploy-faults-site"))
    return census.take_census(build).problems


def problem_on(problems, page, text):
    return [line for line in problems if line.startswith(f"docs/{page}:") and text in line]


@pytest.mark.parametrize(
    ("fault", "page", "text"),
    [
        ("dotenv and systemd disagree", "guides/combine.md", "python-dotenv reads 'groups' but systemd reads"),
        ("shell word that is no assignment", "guides/profile-attributes.md", "'coder' is not an assignment"),
        ("Helm value that is no string", "index.md", "Kubernetes takes only strings"),
        ("Compose $ not escaped", "explanation/claims-flow.md", "Invalid template"),
        ("runtime document with unknown key", "guides/custom-authorization-server.md", "unknown key 'regex'"),
        ("runtime document with other outcome", "guides/okta-groups.md", "these settings give groups ['coder-admins']"),
        ("multi-organization settings changed", "guides/organizations.md", "give data-platform groups ['analysts', 'platform-admins']"),
    ],
)
def test_fault_reported(problems, fault, page, text):
    assert problem_on(problems, page, text), f"{fault}: no census problem on docs/{page} contains {text!r}:\n" + "\n".join(problems)
