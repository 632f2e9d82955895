"""Settings whose values fall into the quoting traps of one deployment form or another.

Each case is a canonical configuration (name -> value) that CoderSettings
accepts. The round-trip tests write every case in every form and read it back.
"""

import json

from tests.paths import SNIPPETS

# The mapping the issue names: a single quote, a double quote, a $, a space and an é in one value.
QUOTING_TRAP_MAPPING = json.dumps(
    {"Ops team's \"on-call\" $HOME": "équipe ops", "cost$$center": "finance"},
    ensure_ascii=False,
)

TRAPS: dict[str, dict[str, str]] = {
    "quote, double quote, dollar, space and é": {
        "CODER_OIDC_GROUP_FIELD": "groups",
        "CODER_OIDC_GROUP_MAPPING": QUOTING_TRAP_MAPPING,
    },
    "Kubernetes and Compose references": {
        "CODER_OIDC_USER_ROLE_FIELD": "roles",
        "CODER_OIDC_USER_ROLE_MAPPING": '{"$(KUBE_POD_IP)":["auditor"],"${HOME}":["template-admin"],"$USER":["user-admin"]}',
    },
    "regular expression metacharacters": {
        "CODER_OIDC_GROUP_FIELD": "groups",
        "CODER_OIDC_GROUP_REGEX_FILTER": r"^(coder|ops)-[a-z]+\d*\.\w+ (team)?$",
    },
    "backslash and single quote together": {
        "CODER_OIDC_GROUP_FIELD": "groups",
        "CODER_OIDC_GROUP_REGEX_FILTER": r"^it's\s[\\]x$",
    },
    "non-ASCII group names in a list": {
        "CODER_OIDC_GROUP_FIELD": "groups",
        "CODER_OIDC_ALLOWED_GROUPS": "Équipe données,開発者,data science",
    },
    "spaces around list items": {
        "CODER_OIDC_SCOPES": " openid, profile ,email,offline_access ",
    },
    "comment and statement characters": {
        "CODER_OIDC_SIGN_IN_TEXT": "Sign in # with Okta; now & then `whoami` <b>|</b>",
    },
    "words YAML versions type differently": {
        "CODER_OIDC_SIGN_IN_TEXT": "yes",
        "CODER_OIDC_ICON_URL": "1.0",
        "CODER_OIDC_SIGNUPS_DISABLED_TEXT": "null",
    },
    "empty value": {
        "CODER_OIDC_EMAIL_DOMAIN": "",
    },
    "double-quoted JSON inside": {
        "CODER_OIDC_AUTH_URL_PARAMS": '{"access_type":"offline","prompt":"consent login"}',
    },
}


def snippet_env_files() -> list[str]:
    """Return every canonical coder.env under snippets/, as paths relative to snippets/."""
    return sorted(path.relative_to(SNIPPETS).as_posix() for path in SNIPPETS.rglob("coder.env"))
