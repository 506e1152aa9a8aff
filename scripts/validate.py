#!/usr/bin/env python3
"""Validate manifest.json, hacs.json, strings.json and every translations/*.json.

Checks: valid JSON; required manifest and HACS keys; every translation file has
exactly the keys of strings.json (da and en complete, nothing extra); every
placeholder in a string is kept in its translation; services.yaml actions and
fields all have strings.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
import sys
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / "raadhus_alarm"
REQUIRED_LANGUAGES = ("da", "en")
MANIFEST_KEYS = {
    "domain",
    "name",
    "codeowners",
    "config_flow",
    "documentation",
    "iot_class",
    "version",
    "dependencies",
    "after_dependencies",
    "requirements",
}
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Home Assistant's frontend reads <...> in a translation as a tag (and shows
# "Translation error: INVALID_TAG"); hassfest refuses HTML-like text.
TAG = re.compile(r"<[^<>\s][^<>]*>")
# hassfest: a placeholder must not sit inside single quotes.
QUOTED_PLACEHOLDER = re.compile(r"'[^']*\{[^}]+\}[^']*'")


def flatten(data: Any, prefix: str = "") -> dict[str, str]:
    """Map dotted key paths to leaf strings."""
    if isinstance(data, dict):
        out: dict[str, str] = {}
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else key))
        return out
    if not isinstance(data, str):
        raise TypeError(f"{prefix}: expected a string, got {type(data).__name__}")
    return {prefix: data}


def load(path: Path, errors: list[str]) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        errors.append(f"{path.name}: {err}")
        return None


def main(argv: list[str] | None = None) -> int:
    """Validate the integration in argv[0] (default: this repository's)."""
    args = sys.argv[1:] if argv is None else argv
    integration = Path(args[0]) if args else INTEGRATION
    root = integration.parent.parent
    errors: list[str] = []
    errors += check(integration, root)
    for error in errors:
        print(f"validate: {error}", file=sys.stderr)
    if errors:
        return 1
    translations = sorted((integration / "translations").glob("*.json"))
    print(f"validate: manifest, hacs, strings and {len(translations)} translations OK")
    return 0


def check(integration: Path, root: Path) -> list[str]:
    """Every problem found, as one line each."""
    errors: list[str] = []
    manifest = load(integration / "manifest.json", errors) or {}
    if missing := MANIFEST_KEYS - manifest.keys():
        errors.append(f"manifest.json: missing {sorted(missing)}")
    if manifest.get("domain") != "raadhus_alarm":
        errors.append("manifest.json: domain must be raadhus_alarm")
    if manifest.get("config_flow") is not True:
        errors.append("manifest.json: config_flow must be true")
    if manifest.get("iot_class") != "local_push":
        errors.append("manifest.json: iot_class must be local_push")
    owners = manifest.get("codeowners")
    if (
        not isinstance(owners, list)
        or not owners
        or not all(isinstance(o, str) and o.startswith("@") for o in owners)
    ):
        errors.append("manifest.json: codeowners must name at least one @owner")
    hacs = load(root / "hacs.json", errors) or {}
    for key in ("name", "homeassistant", "render_readme"):
        if key not in hacs:
            errors.append(f"hacs.json: missing {key}")

    strings = load(integration / "strings.json", errors)
    reference = flatten(strings) if strings is not None else {}
    for key, text in reference.items():
        if TAG.search(text):
            errors.append(f"strings.json: {key} has an HTML-like tag")
    translations = sorted((integration / "translations").glob("*.json"))
    languages = {p.stem for p in translations}
    for lang in REQUIRED_LANGUAGES:
        if lang not in languages:
            errors.append(f"translations/{lang}.json is missing")
    for path in translations:
        data = load(path, errors)
        if data is None:
            continue
        try:
            flat = flatten(data)
        except TypeError as err:
            errors.append(f"{path.name}: {err}")
            continue
        if missing := reference.keys() - flat.keys():
            errors.append(f"{path.name}: missing {sorted(missing)}")
        if extra := flat.keys() - reference.keys():
            errors.append(f"{path.name}: not in strings.json {sorted(extra)}")
        for key in reference.keys() & flat.keys():
            want = set(PLACEHOLDER.findall(reference[key]))
            if set(PLACEHOLDER.findall(flat[key])) != want:
                errors.append(
                    f"{path.name}: {key} must use placeholders {sorted(want)}"
                )
            if not flat[key].strip():
                errors.append(f"{path.name}: {key} is empty")
        for key, text in flat.items():
            if TAG.search(text):
                errors.append(f"{path.name}: {key} has an HTML-like tag")
            if QUOTED_PLACEHOLDER.search(text):
                errors.append(f"{path.name}: {key} quotes a placeholder")

    services = yaml.safe_load((integration / "services.yaml").read_text("utf-8"))
    for name, spec in services.items():
        for field in (spec or {}).get("fields", {}):
            key = f"services.{name}.fields.{field}.name"
            if key not in reference:
                errors.append(f"strings.json: missing {key}")
        if f"services.{name}.name" not in reference:
            errors.append(f"strings.json: missing services.{name}.name")

    return errors


if __name__ == "__main__":
    sys.exit(main())
