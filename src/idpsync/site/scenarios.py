"""Load a snippet folder's scenario: the Coder settings, the token samples and the outcome the page promises.

A scenario folder under ``snippets/`` contains ``coder.env``, ``id-token.json``,
optionally ``userinfo.json`` and ``okta.yaml``, and ``scenario.yaml``:

```yaml
coder_groups: [coder-admins, coder-developers]   # groups that exist in Coder
id_token: id-token.json                          # path relative to the folder
userinfo: null                                   # or userinfo.json
expect:                                          # what the page promises
  login_allowed: true
  groups: [coder-admins]
  site_roles: [template-admin]
  diagnostics: []                                # codes, in report order
```
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..coder.settings import CoderSettings
from ..sync import SyncResult, sync_user

__all__ = ["Scenario", "ScenarioError", "load_scenario"]

_EXPECT_KEYS = {"login_allowed", "groups", "site_roles", "diagnostics"}


class ScenarioError(ValueError):
    """Raised when a scenario folder is incomplete or a file in it cannot be read."""


@dataclass(frozen=True)
class Scenario:
    """One sign-in a page shows, with every file it was built from."""

    folder: Path
    env_path: Path
    settings: CoderSettings
    id_token_path: Path
    id_token: dict[str, Any]
    userinfo_path: Path | None
    userinfo: dict[str, Any] | None
    coder_groups: list[str]
    expect: dict[str, Any]
    okta: dict[str, Any] | None

    def run(self) -> SyncResult:
        """Run the sign-in through the model."""
        return sync_user(self.settings, self.id_token, self.userinfo, self.coder_groups)

    @property
    def files(self) -> list[Path]:
        """Return every file the scenario reads."""
        paths = [self.env_path, self.id_token_path, self.folder / "scenario.yaml"]
        if self.userinfo_path:
            paths.append(self.userinfo_path)
        if self.okta is not None:
            paths.append(self.folder / "okta.yaml")
        return paths


def load_scenario(folder: str | Path) -> Scenario:
    """Load the scenario in ``folder``; raise ScenarioError naming the file at fault."""
    folder = Path(folder)
    spec_path = folder / "scenario.yaml"
    spec = _read_yaml(spec_path)
    if not isinstance(spec, dict):
        raise ScenarioError(f"{spec_path}: expected a mapping with coder_groups, id_token, userinfo and expect")

    expect = spec.get("expect")
    if not isinstance(expect, dict) or set(expect) != _EXPECT_KEYS:
        raise ScenarioError(f"{spec_path}: 'expect' must have exactly the keys {sorted(_EXPECT_KEYS)}")

    env_path = folder / spec.get("env", "coder.env")
    if not env_path.is_file():
        raise ScenarioError(f"{env_path}: missing; every scenario needs the Coder settings it runs with")
    settings = CoderSettings.from_env_file(env_path)

    id_token_path = (folder / spec["id_token"]).resolve()
    userinfo_path = (folder / spec["userinfo"]).resolve() if spec.get("userinfo") else None
    okta_path = folder / "okta.yaml"

    return Scenario(
        folder=folder,
        env_path=env_path,
        settings=settings,
        id_token_path=id_token_path,
        id_token=_read_json(id_token_path),
        userinfo_path=userinfo_path,
        userinfo=_read_json(userinfo_path) if userinfo_path else None,
        coder_groups=list(spec.get("coder_groups") or []),
        expect=expect,
        okta=_read_yaml(okta_path) if okta_path.is_file() else None,
    )


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ScenarioError(f"{path}: cannot be read ({error.strerror})") from None
    except json.JSONDecodeError as error:
        raise ScenarioError(f"{path}:{error.lineno}: invalid JSON ({error.msg})") from None


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ScenarioError(f"{path}: cannot be read ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise ScenarioError(f"{path}: invalid YAML ({error})") from None
