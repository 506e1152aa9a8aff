"""Install the Python packages the demo's integrations need, once, up front.

Home Assistant would otherwise pip-install them at start-up (slow, and it also
tries for the cloud integrations that onboarding starts). scripts/develop runs
Home Assistant with --skip-pip after this, so startup never installs anything.

Usage: .venv/bin/python scripts/demo/requirements.py CONFIG_DIR
"""

from __future__ import annotations

import json
from pathlib import Path
import subprocess
import sys

from homeassistant import bootstrap
import homeassistant.components as ha_components
from homeassistant.util import package
from homeassistant.util.yaml import load_yaml

# Set up only when configured, even though bootstrap lists them.
_ONLY_IF_CONFIGURED = {"isal", "sentry", "debugpy", "recorder", "zeroconf"}


def _manifest(domain: str, config_dir: Path) -> dict | None:
    for base in (
        config_dir / "custom_components",
        Path(ha_components.__file__).parent,
    ):
        path = base / domain / "manifest.json"
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    return None


def needed_requirements(config_dir: Path) -> list[str]:
    """Return the pinned requirements of every integration the demo sets up."""
    conf = load_yaml(config_dir / "configuration.yaml") or {}
    domains = {key.split(" ")[0] for key in conf if isinstance(key, str)}
    domains |= (
        bootstrap.CORE_INTEGRATIONS
        | bootstrap.DEFAULT_INTEGRATIONS
        | bootstrap.FRONTEND_INTEGRATIONS
        | bootstrap.LOGGING_AND_HTTP_DEPS_INTEGRATIONS
    ) - (_ONLY_IF_CONFIGURED - set(conf))
    # Config-entry integrations the demo creates at runtime.
    domains |= {"raadhus_alarm", "raadhus_demo", "mobile_app"}
    # Onboarding starts these for a home; with their packages present they
    # load cleanly (met aborts: no home location) and the demo setup removes
    # the entries again. Without them Home Assistant logs import tracebacks.
    # (radio_browser is switched off by a stand-in in config/custom_components.)
    domains |= {"google_translate", "met", "shopping_list"}
    seen: set[str] = set()
    requirements: list[str] = []
    todo = list(domains)
    while todo:
        domain = todo.pop()
        if domain in seen:
            continue
        seen.add(domain)
        manifest = _manifest(domain, config_dir)
        if manifest is None:
            continue
        requirements += manifest.get("requirements", [])
        todo += manifest.get("dependencies", [])
    return sorted(set(requirements))


def main() -> int:
    config_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "config").resolve()
    missing = [
        r for r in needed_requirements(config_dir) if not package.is_installed(r)
    ]
    if not missing:
        return 0
    print(f"develop: installing {', '.join(missing)} (once)", flush=True)
    if not package.is_virtual_env():
        print("develop: not in a virtualenv — run scripts/setup first", file=sys.stderr)
        return 1
    constraints = Path(package.__file__).parent.parent / "package_constraints.txt"
    # One resolver run for all of them (installing one by one with --upgrade
    # can move an earlier pin), into this .venv, as Home Assistant would.
    command = [sys.executable, "-m", "uv", "pip", "install", "--quiet"]
    command += ["--python", sys.executable, "--index-strategy", "unsafe-first-match"]
    if constraints.is_file():
        command += ["--constraint", str(constraints)]
    if subprocess.run([*command, *missing], check=False).returncode != 0:
        print("develop: installing the packages failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
