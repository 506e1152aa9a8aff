#!/usr/bin/env python3
"""Check the integration the way hassfest and HACS would, and a bit more.

hassfest is not on PyPI and HACS's checks run on GitHub, so their rules for a
custom integration are re-implemented here with Home Assistant's own
validators (`config_validation`, `selector`, probatio):

- manifest.json: keys and types, `version`, codeowners, documentation and
  issue tracker URLs, iot_class, integration_type, quality_scale; sorted
  keys; the domain is the folder's name; every Home Assistant integration the
  code imports is a (after_)dependency, and every dependency exists.
- Translations: strings.json and every translations/*.json against the
  strings schema (config, options, config_subentries, selector, services,
  entity, exceptions, issues, device, ...); no HTML-like tags, no quoted
  placeholders, no URLs, no [%key:...%] references (a custom integration's
  translations are used as they are); every file has exactly the keys of
  strings.json with the same placeholders; da and en exist.
- services.yaml: schema (selectors validated by Home Assistant), a name and
  description for every action, field and section in strings.json, nothing
  extra there, select selectors' options translated, an icon per action.
- icons.json: schema, `mdi:` icons that exist in the pinned frontend's
  Material Design icon list, state icons that differ from the default,
  platforms the integration has, actions it has.
- Config flow: manifest `config_flow` and config_flow.py agree; a ConfigFlow
  class with `domain=`.
- Brand images (Home Assistant 2026.3+ serves custom_components/<domain>/brand/):
  every image, PNG, RGBA with transparency, trimmed, icon 256x256 (@2x
  512x512), logo's shortest side 128-256 px (@2x 256-512), no variant a
  copy of another.
- HACS: hacs.json schema, manifest keys HACS needs, one integration under
  custom_components/, README.md, Home Assistant new enough for the brand
  images.
- quality_scale.yaml: every rule listed once with a valid status (exempt
  needs a comment); the manifest's quality_scale is no higher than the done
  and exempt rules support; the rules hassfest can verify in code are
  verified when marked done.

    python scripts/validate.py [INTEGRATION_DIR]      (exit 1 on a problem)
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from enum import IntEnum
import filecmp
import functools
from importlib.resources import files
import io
import json
from pathlib import Path
import re
import string
import sys
import tomllib
from typing import Any, Final, NamedTuple
from urllib.parse import urlparse

from awesomeversion import (
    AwesomeVersion,
    AwesomeVersionException,
    AwesomeVersionStrategy,
)
from homeassistant import components as ha_components, exceptions as ha_exceptions
from homeassistant.const import Platform
from homeassistant.exceptions import HomeAssistantError
from homeassistant.generated.countries import COUNTRIES
from homeassistant.generated.languages import LANGUAGES
from homeassistant.helpers import config_validation as cv, selector
from homeassistant.util.yaml import load_yaml_dict
from PIL import Image, UnidentifiedImageError
import probatio as vol

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / "raadhus_alarm"
REQUIRED_LANGUAGES = ("da", "en")

type Validator = Callable[[Any], Any]

# ---------------------------------------------------------------- helpers


class Repo:
    """The integration under check, its repository, and what was found.

    A plain class, not a dataclass: the tests load this script without
    registering it in sys.modules, which dataclasses need.
    """

    def __init__(self, integration: Path, root: Path) -> None:
        self.integration = integration
        self.root = root
        self.errors: list[str] = []
        self._modules: dict[Path, ast.Module | None] = {}

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def json(self, path: Path, where: str) -> Any:
        """The parsed file; None (and an error) if it is missing or invalid."""
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.error(where, "is missing")
        except (OSError, ValueError) as err:
            self.error(where, f"is not valid JSON: {err}")
        return None

    def yaml(self, path: Path, where: str) -> dict[str, Any] | None:
        """Loaded as Home Assistant loads it (anchors, its own tags)."""
        try:
            return load_yaml_dict(path)
        except FileNotFoundError:
            self.error(where, "is missing")
        except HomeAssistantError as err:
            self.error(where, f"is not valid YAML: {err}")
        return None

    def module(self, name: str) -> ast.Module | None:
        """A module of the integration, parsed once (None if absent)."""
        path = self.integration / name
        if path not in self._modules:
            try:
                self._modules[path] = _parse(path.read_text("utf-8"))
            except FileNotFoundError:
                self._modules[path] = None
        return self._modules[path]

    def modules(self) -> Iterator[tuple[str, ast.Module]]:
        for path in sorted(self.integration.rglob("*.py")):
            name = path.relative_to(self.integration).as_posix()
            if (module := self.module(name)) is not None:
                yield name, module

    def statements(self) -> Iterator[tuple[str, ast.stmt]]:
        """Every statement of every module, nested ones too.

        Classes, raises, imports and functions are statements: walking only
        statements (not every expression, as ast.walk does) keeps the checks
        fast enough to run for each test.
        """
        for name, module in self.modules():
            for node in _all_statements(module):
                yield name, node

    def validate(self, where: str, schema: Validator, data: Any) -> Any:
        """Run a schema; one error line per problem. The value, or None."""
        try:
            return schema(data)
        except vol.MultipleInvalid as err:
            for sub in err.errors:
                self._invalid(where, sub)
        except vol.Invalid as err:
            self._invalid(where, err)
        return None

    def _invalid(self, where: str, err: vol.Invalid) -> None:
        path = ".".join(str(part) for part in err.path)
        self.error(where, f"{path}: {err.error_message}" if path else err.error_message)


# Parsed sources by their text: the tests check many copies of the same
# files, and the trees are only read.
@functools.cache
def _parse(source: str) -> ast.Module:
    return ast.parse(source)


@functools.cache
def _all_statements(module: ast.Module) -> tuple[ast.stmt, ...]:
    return tuple(_statements(module.body))


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


def _version(value: Any) -> str:
    """A version AwesomeVersion reads (hassfest and HACS both parse it)."""
    if not isinstance(value, str):
        raise vol.Invalid("expected a version string")
    try:
        AwesomeVersion(
            value,
            ensure_strategy=[
                AwesomeVersionStrategy.CALVER,
                AwesomeVersionStrategy.SEMVER,
                AwesomeVersionStrategy.SIMPLEVER,
                AwesomeVersionStrategy.BUILDVER,
                AwesomeVersionStrategy.PEP440,
            ],
        )
    except AwesomeVersionException as err:
        raise vol.Invalid(f"{value!r} is not a valid version") from err
    return value


def _names(nodes: Iterable[ast.expr]) -> list[str]:
    """Names of base classes / called functions (`a.B` gives `B`)."""
    out = []
    for node in nodes:
        named = node.value if isinstance(node, ast.Subscript) else node  # Generic[T]
        if isinstance(named, ast.Name):
            out.append(named.id)
        elif isinstance(named, ast.Attribute):
            out.append(named.attr)
    return out


def _statements(
    body: Iterable[ast.AST], skip: Callable[[ast.AST], bool] = lambda _: False
) -> Iterator[ast.stmt]:
    for node in body:
        if skip(node):
            continue
        if isinstance(node, ast.stmt):
            yield node
        yield from _statements(
            (
                child
                for child in ast.iter_child_nodes(node)
                if isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case))
            ),
            skip,
        )


def _type_checking(node: ast.AST) -> bool:
    """`if TYPE_CHECKING:` (its imports are for the type checker only)."""
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
    )


def _top_function(module: ast.Module, name: str) -> ast.AsyncFunctionDef | None:
    for node in module.body:
        if isinstance(node, ast.AsyncFunctionDef) and node.name == name:
            return node
    return None


# --------------------------------------------------------------- manifest

QUALITY_SCALES = ("bronze", "silver", "gold", "platinum", "internal", "legacy")
IOT_CLASSES = (
    "assumed_state",
    "calculated",
    "cloud_polling",
    "cloud_push",
    "local_polling",
    "local_push",
)
INTEGRATION_TYPES = (
    "device",
    "entity",
    "hardware",
    "helper",
    "hub",
    "service",
    "system",
)
# What an integration may import from without depending on it (hassfest's
# list: entity platforms, and integrations that are always set up).
ALWAYS_USABLE = {
    *(platform.value for platform in Platform),
    "alert",
    "automation",
    "conversation",
    "default_config",
    "device_automation",
    "frontend",
    "group",
    "homeassistant",
    "input_boolean",
    "input_button",
    "input_datetime",
    "input_number",
    "input_select",
    "input_text",
    "media_source",
    "onboarding",
    "panel_custom",
    "persistent_notification",
    "person",
    "script",
    "shopping_list",
    "sun",
    "system_health",
    "system_log",
    "timer",
    "webhook",
    "websocket_api",
    "zone",
}
CORE_COMPONENTS = Path(next(iter(ha_components.__path__)))


def _https_url(value: Any) -> str:
    url = cv.url(value)
    if urlparse(url).scheme != "https":
        raise vol.Invalid("must be an https URL")
    return url


MANIFEST_SCHEMA = vol.Schema(
    {
        vol.Required("domain"): str,
        vol.Required("name"): str,
        vol.Optional("integration_type"): vol.In(INTEGRATION_TYPES),
        vol.Optional("config_flow"): bool,
        vol.Optional("mqtt"): [str],
        vol.Optional("zeroconf"): list,
        vol.Optional("ssdp"): list,
        vol.Optional("bluetooth"): list,
        vol.Optional("homekit"): dict,
        vol.Optional("dhcp"): list,
        vol.Optional("usb"): list,
        vol.Required("documentation"): _https_url,
        # Optional for hassfest, required by HACS.
        vol.Required("issue_tracker"): cv.url,
        vol.Optional("quality_scale"): vol.In(QUALITY_SCALES),
        vol.Optional("requirements"): [str],
        vol.Optional("dependencies"): [str],
        vol.Optional("after_dependencies"): [str],
        vol.Required("codeowners"): [str],
        vol.Optional("loggers"): [str],
        vol.Optional("disabled"): str,
        # A custom integration is never in hassfest's NO_IOT_CLASS list.
        vol.Required("iot_class"): vol.In(IOT_CLASSES),
        vol.Optional("single_config_entry"): bool,
        # Custom integrations only, and required for them (hassfest, HACS).
        vol.Required("version"): _version,
        vol.Optional("import_executor"): bool,
    }
)


def check_manifest(repo: Repo) -> dict[str, Any]:
    manifest = repo.json(repo.integration / "manifest.json", "manifest.json")
    if not isinstance(manifest, dict):
        return {}
    repo.validate("manifest.json", MANIFEST_SCHEMA, manifest)
    domain = manifest.get("domain")
    if domain != repo.integration.name:
        repo.error(
            "manifest.json",
            f"domain {domain} is not the folder's name {repo.integration.name}",
        )
    elif (CORE_COMPONENTS / domain).is_dir():
        repo.error("manifest.json", f"domain {domain} is a built-in integration's")
    owners = manifest.get("codeowners")
    if (
        not isinstance(owners, list)
        or not owners
        or not all(isinstance(o, str) and o.startswith("@") for o in owners)
    ):
        repo.error("manifest.json", "codeowners must name at least one @owner")
    keys = list(manifest)
    # hassfest: domain, name, then the rest in alphabetical order.
    if keys != sorted(keys, key=lambda key: {"domain": "0", "name": "1"}.get(key, key)):
        repo.error("manifest.json", "keys must be sorted: domain, name, then a-z")
    _check_dependencies(repo, manifest)
    return manifest


def _imported(module: ast.Module) -> set[str]:
    """Home Assistant integrations a module imports (not for type checking)."""
    found: set[str] = set()
    for node in _statements(module.body, skip=_type_checking):
        if isinstance(node, ast.ImportFrom):
            name = node.module or ""
            if name.startswith("homeassistant.components."):
                found.add(name.split(".")[2])
            elif name == "homeassistant.components":
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(
                alias.name.split(".")[2]
                for alias in node.names
                if alias.name.startswith("homeassistant.components.")
            )
    return found


def _check_dependencies(repo: Repo, manifest: dict[str, Any]) -> None:
    dependencies = manifest.get("dependencies", [])
    after = manifest.get("after_dependencies", [])
    if not (isinstance(dependencies, list) and isinstance(after, list)):
        return  # the schema said so
    for dep in dependencies:
        if dep in after:
            repo.error(
                "manifest.json", f"{dep} is in dependencies and after_dependencies"
            )
    for dep in [*dependencies, *after]:
        if not (CORE_COMPONENTS / str(dep)).is_dir():
            repo.error("manifest.json", f"dependency {dep} is not an integration")
    allowed = ALWAYS_USABLE | set(dependencies) | set(after)
    for name, module in repo.modules():
        for used in sorted(_imported(module) - allowed):
            # A platform of that integration (diagnostics.py may import
            # from diagnostics) needs no dependency.
            if not (repo.integration / f"{used}.py").is_file():
                repo.error(
                    name,
                    f"uses the {used} integration but manifest.json has it in "
                    "neither dependencies nor after_dependencies",
                )


# ------------------------------------------------------------------- HACS

BRAND_NEEDS = AwesomeVersion("2026.3.0")  # brand/ in the integration folder


def _countries(value: Any) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise vol.Invalid("expected a country code or a list of them")
    for country in values:
        if country.upper() not in COUNTRIES:
            raise vol.Invalid(f"{country} is not a country code")
    return values


HACS_SCHEMA = vol.Schema(
    {
        # Required by HACS; reported as missing (below) with the others.
        vol.Optional("name"): str,
        vol.Optional("content_in_root"): bool,
        vol.Optional("country"): _countries,
        vol.Optional("filename"): str,
        vol.Optional("hacs"): _version,
        vol.Optional("hide_default_branch"): bool,
        vol.Optional("homeassistant"): _version,
        vol.Optional("persistent_directory"): str,
        vol.Optional("render_readme"): bool,
        vol.Optional("zip_release"): bool,
    }
)


def check_hacs(repo: Repo) -> None:
    hacs = repo.json(repo.root / "hacs.json", "hacs.json")
    if not isinstance(hacs, dict):
        return
    # name is HACS's own requirement; homeassistant and render_readme ours
    # (the README is the documentation; HACS refuses older Home Assistants).
    for key in ("name", "homeassistant", "render_readme"):
        if key not in hacs:
            repo.error("hacs.json", f"missing {key}")
    if repo.validate("hacs.json", HACS_SCHEMA, hacs) is None:
        return
    if hacs.get("zip_release") and "filename" not in hacs:
        repo.error("hacs.json", "zip_release needs filename")
    if hacs.get("content_in_root"):
        repo.error("hacs.json", "content_in_root must be false (custom_components/)")
    minimum = hacs.get("homeassistant")
    if (
        minimum
        and (repo.integration / "brand").is_dir()
        and AwesomeVersion(minimum) < BRAND_NEEDS
    ):
        repo.error(
            "hacs.json",
            f"homeassistant must be {BRAND_NEEDS} or newer (brand images in the "
            "integration folder)",
        )
    if not (repo.root / "README.md").is_file():
        repo.error("README.md", "is missing (HACS shows it)")
    others = [
        p.name
        for p in repo.integration.parent.iterdir()
        if p.is_dir() and p != repo.integration and p.name != "__pycache__"
    ]
    if others:
        repo.error(
            "custom_components", f"HACS installs one integration; also {sorted(others)}"
        )


# ----------------------------------------------------------- translations

TRANSLATION_KEY = re.compile(r"^(?!.+[_-]{2})(?![_-])[a-z0-9-_]+(?<![_-])$")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Home Assistant's frontend reads <...> in a translation as a tag (and shows
# "Translation error: INVALID_TAG"); hassfest refuses HTML. Stricter than
# cv.string_with_no_html, which only catches tags starting with a letter.
TAG = re.compile(r"<[^<>\s][^<>]*>")
# hassfest: a placeholder must not sit inside single quotes.
QUOTED_PLACEHOLDER = re.compile(r"'[^']*\{[^}]+\}[^']*'")
REFERENCE = re.compile(r"\[%key:[^%]+%\]")
COMBINED_REFERENCE = re.compile(r"(.+\[%)|(%\].+)")
URL = re.compile(
    r"(((ftp|ftps|scp|http|https|mqtt|mqtts|socket|socks5):\/\/|www\.)"
    r"[a-z0-9]+([\-\.]{1}[a-z0-9]+)*\.[a-z]{2,5}(:[0-9]{1,5})?(\/.*)?)",
    re.IGNORECASE,
)


def _translation_key(value: Any) -> str:
    if not isinstance(value, str) or not TRANSLATION_KEY.match(value):
        raise vol.Invalid(
            f"invalid translation key {value!r}: [a-z0-9-_], not starting or "
            "ending with - or _"
        )
    return value


def _text(allow_placeholders: bool = True) -> Validator:
    """A translated string as hassfest accepts it (tags are checked apart)."""

    def validate(value: Any) -> str:
        if not isinstance(value, str):
            raise vol.Invalid("expected a string")
        try:
            fields = [name for _, name, _, _ in string.Formatter().parse(value)]
        except ValueError as err:
            raise vol.Invalid(f"unbalanced braces: {err}") from err
        for name in filter(None, fields):
            if not allow_placeholders:
                raise vol.Invalid("placeholders are not supported here")
            if not name.isidentifier():
                raise vol.Invalid(f"placeholder {{{name}}} is not an identifier")
        if COMBINED_REFERENCE.search(value):
            raise vol.Invalid("a [%key:...%] reference must be the whole string")
        if value != value.strip():
            raise vol.Invalid("leading or trailing whitespace")
        if URL.search(value):
            raise vol.Invalid("a URL belongs in a description placeholder")
        return value

    return validate


TEXT = _text()
PLAIN = _text(allow_placeholders=False)


def _data_described(flow: dict[str, Any]) -> dict[str, Any]:
    """hassfest: a step describes only fields it has."""
    for step_id, step in flow["step"].items():
        for key in step.get("data_description", {}):
            if key not in step.get("data", {}):
                raise vol.Invalid(
                    f"step {step_id}: data_description {key} is not in data"
                )
    return flow


def _flow(subentry: bool) -> Validator:
    fields = {str: TEXT}
    schema: dict[Any, Any] = {
        vol.Optional("flow_title"): TEXT,
        vol.Required("step"): {
            str: {
                vol.Optional("title"): TEXT,
                vol.Optional("description"): TEXT,
                vol.Optional("data"): fields,
                vol.Optional("data_description"): fields,
                vol.Optional("menu_options"): fields,
                vol.Optional("menu_option_descriptions"): fields,
                vol.Optional("submit"): TEXT,
                vol.Optional("sections"): {
                    str: {
                        vol.Optional("data"): fields,
                        vol.Optional("data_description"): fields,
                        vol.Optional("description"): TEXT,
                        vol.Optional("name"): TEXT,
                    }
                },
            }
        },
        vol.Optional("error"): fields,
        vol.Optional("abort"): fields,
        vol.Optional("progress"): fields,
        vol.Optional("create_entry"): fields,
    }
    if subentry:
        # The integration page's "Add room" button and the entry's name.
        schema[vol.Required("entry_type")] = TEXT
        schema[vol.Required("initiate_flow")] = {vol.Required("user"): TEXT, str: TEXT}
    else:
        schema[vol.Optional("initiate_flow")] = {vol.Required("user"): TEXT}
    return vol.All(vol.Schema(schema), _data_described)


def _fields() -> Validator:
    return cv.schema_with_slug_keys(
        {
            vol.Required("name"): str,
            vol.Required("description"): TEXT,
            vol.Optional("example"): TEXT,
        },
        slug_validator=_translation_key,
    )


def _keyed(value: Any, key: Validator = _translation_key) -> Validator:
    return cv.schema_with_slug_keys(value, slug_validator=key)


_FIX_FLOW = _flow(subentry=False)
_STATES = _keyed(PLAIN)

STRINGS_SCHEMA = vol.Schema(
    {
        vol.Optional("title"): TEXT,
        vol.Optional("config"): _flow(subentry=False),
        vol.Optional("config_subentries"): _keyed(
            _flow(subentry=True), vol.Any("_", cv.slug)
        ),
        vol.Optional("options"): _flow(subentry=False),
        vol.Optional("preview_features"): _keyed(
            {
                vol.Required("name"): TEXT,
                vol.Required("description"): TEXT,
                vol.Optional("enable_confirmation"): TEXT,
                vol.Optional("disable_confirmation"): TEXT,
            }
        ),
        vol.Optional("selector"): _keyed(
            {
                vol.Optional("choices"): _keyed(TEXT),
                vol.Optional("options"): _keyed(TEXT),
                vol.Optional("unit_of_measurement"): _keyed(TEXT),
                vol.Optional("fields"): _keyed(
                    {vol.Required("name"): str, vol.Required("description"): TEXT}
                ),
            },
            vol.Any("_", cv.slug),
        ),
        vol.Optional("device_automation"): {
            vol.Optional(key): {str: TEXT}
            for key in (
                "action_type",
                "condition_type",
                "trigger_type",
                "trigger_subtype",
                "extra_fields",
                "extra_fields_descriptions",
            )
        },
        vol.Optional("system_health"): {vol.Optional("info"): _keyed(TEXT)},
        vol.Optional("application_credentials"): {vol.Optional("description"): TEXT},
        vol.Optional("issues"): {
            str: vol.All(
                cv.has_at_least_one_key("description", "fix_flow"),
                vol.Schema(
                    {
                        vol.Required("title"): TEXT,
                        vol.Exclusive("description", "fixable"): TEXT,
                        vol.Exclusive("fix_flow", "fixable"): _FIX_FLOW,
                    }
                ),
            )
        },
        vol.Optional("entity_component"): _keyed(
            {
                vol.Optional("name"): str,
                vol.Optional("state"): _STATES,
                vol.Optional("state_attributes"): _keyed(
                    {vol.Optional("name"): str, vol.Optional("state"): _STATES}
                ),
            },
            vol.Any("_", cv.slug),
        ),
        vol.Optional("device"): _keyed({vol.Optional("name"): TEXT}),
        vol.Optional("entity"): _keyed(
            _keyed(
                {
                    vol.Optional("name"): TEXT,
                    vol.Optional("state"): _STATES,
                    vol.Optional("state_attributes"): _keyed(
                        {vol.Optional("name"): PLAIN, vol.Optional("state"): _STATES}
                    ),
                    vol.Optional("unit_of_measurement"): PLAIN,
                }
            ),
            cv.slug,
        ),
        vol.Optional("exceptions"): _keyed({vol.Optional("message"): TEXT}, cv.slug),
        vol.Optional("services"): _keyed(
            {
                vol.Required("name"): TEXT,
                vol.Required("description"): TEXT,
                vol.Optional("fields"): _fields(),
                vol.Optional("sections"): _keyed(
                    {vol.Required("name"): str, vol.Optional("description"): TEXT}
                ),
            }
        ),
        vol.Optional("conditions"): _keyed(
            {
                vol.Required("name"): TEXT,
                vol.Required("description"): TEXT,
                vol.Optional("fields"): _fields(),
            },
            cv.underscore_slug,
        ),
        vol.Optional("triggers"): _keyed(
            {
                vol.Required("name"): TEXT,
                vol.Required("description"): TEXT,
                vol.Optional("fields"): _fields(),
            },
            cv.underscore_slug,
        ),
        vol.Optional("common"): vol.Schema({cv.slug: TEXT}),
    }
)


def check_translations(repo: Repo) -> dict[str, Any]:
    strings = repo.json(repo.integration / "strings.json", "strings.json")
    if not isinstance(strings, dict):
        return {}
    repo.validate("strings.json", STRINGS_SCHEMA, strings)
    try:
        reference = flatten(strings)
    except TypeError as err:
        repo.error("strings.json", str(err))
        return strings
    for key, text in reference.items():
        if TAG.search(text):
            repo.error("strings.json", f"{key} has an HTML-like tag")
        if QUOTED_PLACEHOLDER.search(text):
            repo.error("strings.json", f"{key} quotes a placeholder")
    translations = sorted((repo.integration / "translations").glob("*.json"))
    languages = {path.stem for path in translations}
    for lang in REQUIRED_LANGUAGES:
        if lang not in languages:
            repo.error(f"translations/{lang}.json", "is missing")
    for path in translations:
        _check_translation(repo, path, reference)
    return strings


def _check_translation(repo: Repo, path: Path, reference: dict[str, str]) -> None:
    name = path.name
    if path.stem not in LANGUAGES:
        repo.error(name, f"{path.stem} is not a language Home Assistant knows")
    data = repo.json(path, name)
    if data is None:
        return
    try:
        flat = flatten(data)
    except TypeError as err:
        repo.error(name, str(err))
        return
    repo.validate(name, STRINGS_SCHEMA, data)
    if missing := reference.keys() - flat.keys():
        repo.error(name, f"missing {sorted(missing)}")
    if extra := flat.keys() - reference.keys():
        repo.error(name, f"not in strings.json {sorted(extra)}")
    for key in reference.keys() & flat.keys():
        want = set(PLACEHOLDER.findall(reference[key]))
        if set(PLACEHOLDER.findall(flat[key])) != want:
            repo.error(name, f"{key} must use placeholders {sorted(want)}")
        if not flat[key].strip():
            repo.error(name, f"{key} is empty")
    for key, text in flat.items():
        if TAG.search(text):
            repo.error(name, f"{key} has an HTML-like tag")
        if QUOTED_PLACEHOLDER.search(text):
            repo.error(name, f"{key} quotes a placeholder")
        # Core integrations' references are resolved when their translations
        # are built; a custom integration's file is shown as it is.
        if REFERENCE.search(text):
            repo.error(name, f"{key} is a [%key:...%] reference, shown as is")


# --------------------------------------------------------------- services


def _exists(value: Any) -> Any:
    if value is None:
        raise vol.Invalid("value cannot be None")
    return value


def _unique_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """hassfest: a field name is used once, sections included."""
    seen: set[str] = set()
    for key, value in fields.items():
        names = value["fields"] if value and "fields" in value else [key]
        for name in names:
            if name in seen:
                raise vol.Invalid(f"field {name} is used twice")
            seen.add(name)
    return fields


def _service(targeted: bool) -> vol.Schema:
    described = {vol.Optional("name"): str, vol.Optional("description"): str}
    field_schema = vol.Schema(
        {
            **described,
            vol.Optional("example"): _exists,
            vol.Optional("default"): _exists,
            vol.Optional("required"): bool,
            vol.Optional("advanced"): bool,
            vol.Optional("selector"): selector.validate_selector,
            # Filters need a target to filter (hassfest).
            **({vol.Optional("filter"): dict} if targeted else {}),
        }
    )
    section = vol.Schema(
        {
            **described,
            vol.Optional("collapsed"): bool,
            vol.Required("fields"): {str: field_schema},
        }
    )
    schema: dict[Any, Any] = {
        **described,
        vol.Optional("fields"): vol.All(
            vol.Schema({str: vol.Any(field_schema, section)}), _unique_fields
        ),
    }
    if targeted:
        schema[vol.Required("target")] = selector.TargetSelector.CONFIG_SCHEMA
    return vol.Schema(schema)


_TARGETED, _UNTARGETED = _service(targeted=True), _service(targeted=False)


def _action(value: Any) -> Any:
    """An action, targeted or not (chosen here, so errors name the real fault)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise vol.Invalid("expected a mapping")
    return (_TARGETED if "target" in value else _UNTARGETED)(value)


SERVICES_SCHEMA = vol.Schema({cv.slug: _action})
REGISTERS_SERVICES = re.compile(
    r"hass\.services\.(async_)?register\b|async_register_entity_service|"
    r"async_register_admin_service"
)


def check_services(
    repo: Repo, strings: dict[str, Any], icons: dict[str, Any]
) -> dict[str, Any]:
    path = repo.integration / "services.yaml"
    if not path.is_file():
        if any(
            REGISTERS_SERVICES.search(p.read_text("utf-8"))
            for p in repo.integration.rglob("*.py")
        ):
            repo.error("services.yaml", "is missing, yet actions are registered")
        return {}
    data = repo.yaml(path, "services.yaml")
    if data is None or repo.validate("services.yaml", SERVICES_SCHEMA, data) is None:
        return {}
    texts = strings.get("services", {})
    selectors = strings.get("selector", {})
    icon_of = icons.get("services", {})
    for name, spec in data.items():
        # hassfest holds core integrations to this; so do we: an action is
        # named and described in every language, not only in English YAML.
        text = texts.get(name, {})
        for key in ("name", "description"):
            if key not in text:
                repo.error("strings.json", f"missing services.{name}.{key}")
        if name not in icon_of:
            repo.error("icons.json", f"services.{name} has no icon")
        fields: dict[str, Any] = (spec or {}).get("fields", {})
        known: set[str] = set()
        for key, value in fields.items():
            if value and "fields" in value:  # a section
                if "name" not in text.get("sections", {}).get(key, {}):
                    repo.error(
                        "strings.json", f"missing services.{name}.sections.{key}.name"
                    )
                inner = value["fields"]
            else:
                inner = {key: value}
            for field_name, field_spec in inner.items():
                known.add(field_name)
                got = text.get("fields", {}).get(field_name, {})
                for part in ("name", "description"):
                    if part not in got:
                        repo.error(
                            "strings.json",
                            f"missing services.{name}.fields.{field_name}.{part}",
                        )
                _check_select(repo, selectors, (field_spec or {}).get("selector"))
        for extra in sorted(text.get("fields", {}).keys() - known):
            repo.error(
                "strings.json",
                f"services.{name}.fields.{extra} is not in services.yaml",
            )
    for extra in sorted(texts.keys() - data.keys()):
        repo.error("strings.json", f"services.{extra} is not in services.yaml")
    for extra in sorted(icon_of.keys() - data.keys()):
        repo.error("icons.json", f"services.{extra} is not in services.yaml")
    return data


def _check_select(
    repo: Repo, selectors: dict[str, Any], config: dict[str, Any] | None
) -> None:
    """A select with a translation_key: its options are translated."""
    select = (config or {}).get("select") or {}
    if (key := select.get("translation_key")) is None:
        return
    if key not in selectors:
        repo.error("strings.json", f"missing selector.{key}")
        return
    for option in select.get("options", []):
        value = option["value"] if isinstance(option, dict) else option
        if value not in selectors[key].get("options", {}):
            repo.error("strings.json", f"missing selector.{key}.options.{value}")


# ------------------------------------------------------------------ icons


def _mdi_names() -> frozenset[str]:
    """Material Design icon names of the pinned frontend (empty if absent)."""
    try:
        listing = files("hass_frontend") / "static" / "mdi" / "iconList.json"
        return frozenset(icon["name"] for icon in json.loads(listing.read_text()))
    except ImportError, OSError, ValueError, KeyError:
        return frozenset()


MDI: Final = _mdi_names()


def _icon(value: Any) -> str:
    text = cv.string_with_no_html(value)
    if not text.startswith("mdi:"):
        raise vol.Invalid(f"{text} is not mdi:<name> (Material Design Icons)")
    if MDI and text.removeprefix("mdi:") not in MDI:
        raise vol.Invalid(f"{text} is not a Material Design icon")
    return text


def _range_key(value: Any) -> str:
    try:
        float(value)
    except (TypeError, ValueError) as err:
        raise vol.Invalid(f"range key {value!r} is not a number") from err
    return str(value)


def _not_default(platforms: dict[str, Any]) -> dict[str, Any]:
    """hassfest: a state's icon that is the default icon is redundant."""
    for platform, keys in platforms.items():
        for key, icons in keys.items():
            default = icons.get("default")
            for state, icon in icons.get("state", {}).items():
                if icon == default:
                    raise vol.Invalid(
                        f"{platform}.{key}.state.{state} is the default icon"
                    )
    return platforms


_SECTION_ICONS = {"step": {str: {"section": {str: _icon}}}}
ICONS_SCHEMA = vol.Schema(
    {
        vol.Optional("config"): _SECTION_ICONS,
        vol.Optional("options"): _SECTION_ICONS,
        vol.Optional("issues"): {str: {"fix_flow": _SECTION_ICONS}},
        vol.Optional("services"): _keyed(
            vol.Any(
                _icon,
                {
                    vol.Required("service"): _icon,
                    vol.Optional("sections"): {str: _icon},
                },
            ),
            cv.slug,
        ),
        vol.Optional("entity"): vol.All(
            _keyed(
                _keyed(
                    {
                        vol.Optional("default"): _icon,
                        vol.Optional("state"): _keyed(_icon),
                        vol.Optional("state_attributes"): _keyed(
                            {
                                vol.Optional("default"): _icon,
                                vol.Optional("state"): _keyed(_icon),
                            }
                        ),
                        vol.Optional("range"): {_range_key: _icon},
                    }
                ),
                cv.slug,
            ),
            _not_default,
        ),
    }
)


def check_icons(repo: Repo) -> dict[str, Any]:
    path = repo.integration / "icons.json"
    if not path.is_file():
        return {}
    icons = repo.json(path, "icons.json")
    if not isinstance(icons, dict):
        return {}
    if not MDI:
        repo.error("icons.json", "the frontend's icon list could not be read")
    repo.validate("icons.json", ICONS_SCHEMA, icons)
    for platform in icons.get("entity", {}):
        if not (repo.integration / f"{platform}.py").is_file():
            repo.error("icons.json", f"entity.{platform}: there is no {platform}.py")
    return icons


# ------------------------------------------------------------ config flow


def check_config_flow(
    repo: Repo, manifest: dict[str, Any], strings: dict[str, Any]
) -> None:
    module = repo.module("config_flow.py")
    if manifest.get("config_flow") is not True:
        if module is not None:
            repo.error(
                "manifest.json", "config_flow must be true (config_flow.py exists)"
            )
        return
    if module is None:
        repo.error("config_flow.py", "is missing (manifest.json: config_flow)")
        return
    flows = [
        node
        for node in module.body
        if isinstance(node, ast.ClassDef)
        and any(keyword.arg == "domain" for keyword in node.keywords)
    ]
    if not flows:
        repo.error("config_flow.py", "has no ConfigFlow class with domain=DOMAIN")
    if "config" not in strings:
        repo.error("strings.json", "missing config (the config flow's texts)")


# ------------------------------------------------------------------ brand

ICONS = ("icon.png", "dark_icon.png")
LOGOS = ("logo.png", "dark_logo.png")
# Every name the `brands` integration serves (anything else is never seen).
# Home Assistant and HACS need only icon.png; this integration ships a full
# set, dark variants included, so dark themes get their own colours.
BRAND_IMAGES = (
    *ICONS,
    *(name.replace(".png", "@2x.png") for name in ICONS),
    *LOGOS,
    *(name.replace(".png", "@2x.png") for name in LOGOS),
)
# Pairs the brands repository refuses to be copies of each other.
DISTINCT = (
    ("icon.png", "logo.png"),
    ("icon@2x.png", "logo@2x.png"),
    ("dark_icon.png", "dark_logo.png"),
    ("dark_icon@2x.png", "dark_logo@2x.png"),
    ("icon.png", "dark_icon.png"),
    ("icon@2x.png", "dark_icon@2x.png"),
    ("logo.png", "dark_logo.png"),
    ("logo@2x.png", "dark_logo@2x.png"),
    ("icon.png", "icon@2x.png"),
    ("logo.png", "logo@2x.png"),
    ("dark_icon.png", "dark_icon@2x.png"),
    ("dark_logo.png", "dark_logo@2x.png"),
)


def check_brand(repo: Repo) -> None:
    brand = repo.integration / "brand"
    for name in BRAND_IMAGES:
        if not (brand / name).is_file():
            repo.error(f"brand/{name}", "is missing")
    if not brand.is_dir():
        return
    for path in sorted(brand.iterdir()):
        if path.name not in BRAND_IMAGES:
            repo.error(f"brand/{path.name}", "is not a name Home Assistant serves")
            continue
        _check_image(repo, path)
    for first, second in DISTINCT:
        if (
            (brand / first).is_file()
            and (brand / second).is_file()
            and filecmp.cmp(brand / first, brand / second, shallow=False)
        ):
            repo.error(f"brand/{second}", f"is a copy of {first} (leave it out)")


def _check_image(repo: Repo, path: Path) -> None:
    for problem in _image_problems(path.name, path.read_bytes()):
        repo.error(f"brand/{path.name}", problem)


@functools.cache  # by content: the tests check many copies of the same images
def _image_problems(name: str, data: bytes) -> tuple[str, ...]:
    problems: list[str] = []
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            kind, size, mode = image.format, image.size, image.mode
            alpha = image.getchannel("A") if "A" in image.getbands() else None
    except (OSError, UnidentifiedImageError) as err:
        return (f"cannot be read: {err}",)
    if kind != "PNG":
        problems.append(f"is {kind}, must be PNG")
    scale = 2 if "@2x" in name else 1
    width, height = size
    is_icon = name.replace("@2x", "") in ICONS
    if is_icon:
        want = 256 * scale
        if size != (want, want):
            problems.append(f"is {width}x{height} px, must be {want}x{want}")
    else:
        low, high = 128 * scale, 256 * scale
        if not low <= min(size) <= high:
            problems.append(
                f"is {width}x{height} px, its shortest side must be {low}-{high} px"
            )
    if alpha is None or mode not in ("RGBA", "LA"):
        problems.append(f"has no alpha channel ({mode}), must be transparent")
        return tuple(problems)
    low_alpha, _ = alpha.getextrema()
    if low_alpha != 0:
        problems.append("has no transparent pixel (a transparent background)")
    box = alpha.getbbox()
    if box is None:
        problems.append("is empty")
        return tuple(problems)
    left, top, right, bottom = box
    spans_width = left == 0 and right == width
    spans_height = top == 0 and bottom == height
    # "Trimmed: the minimum of empty space on the edges." A logo can always
    # be cut to its content; a square icon at least in its longer direction.
    if not (
        (spans_width or spans_height) if is_icon else (spans_width and spans_height)
    ):
        problems.append(f"is not trimmed: its content is {box} of {width}x{height}")
    return tuple(problems)


# ---------------------------------------------------------- quality scale


class Tier(IntEnum):
    """The scaled tiers: a tier needs its rules and all below."""

    BRONZE = 1
    SILVER = 2
    GOLD = 3
    PLATINUM = 4


TIER_NAMES: Final = {tier.name.lower() for tier in Tier}
# Every rule of Home Assistant 2026.10's quality scale (hassfest's list, with
# docs-conditions and docs-triggers), by tier.
RULES: Final[dict[str, Tier]] = {
    **dict.fromkeys(
        [
            "action-setup",
            "appropriate-polling",
            "brands",
            "common-modules",
            "config-flow",
            "config-flow-test-coverage",
            "dependency-transparency",
            "docs-actions",
            "docs-conditions",
            "docs-high-level-description",
            "docs-installation-instructions",
            "docs-removal-instructions",
            "docs-triggers",
            "entity-event-setup",
            "entity-unique-id",
            "has-entity-name",
            "runtime-data",
            "test-before-configure",
            "test-before-setup",
            "unique-config-entry",
        ],
        Tier.BRONZE,
    ),
    **dict.fromkeys(
        [
            "action-exceptions",
            "config-entry-unloading",
            "docs-configuration-parameters",
            "docs-installation-parameters",
            "entity-unavailable",
            "integration-owner",
            "log-when-unavailable",
            "parallel-updates",
            "reauthentication-flow",
            "test-coverage",
        ],
        Tier.SILVER,
    ),
    **dict.fromkeys(
        [
            "devices",
            "diagnostics",
            "discovery",
            "discovery-update-info",
            "docs-data-update",
            "docs-examples",
            "docs-known-limitations",
            "docs-supported-devices",
            "docs-supported-functions",
            "docs-troubleshooting",
            "docs-use-cases",
            "dynamic-devices",
            "entity-category",
            "entity-device-class",
            "entity-disabled-by-default",
            "entity-translations",
            "exception-translations",
            "icon-translations",
            "reconfiguration-flow",
            "repair-issues",
            "stale-devices",
        ],
        Tier.GOLD,
    ),
    **dict.fromkeys(
        ["async-dependency", "inject-websession", "strict-typing"], Tier.PLATINUM
    ),
}

_STATUS = vol.In(["todo", "done"])
_WITH_STATUS = vol.Schema(
    {vol.Required("status"): _STATUS, vol.Optional("comment"): str}
)
# An exemption says why.
_EXEMPT = vol.Schema(
    {
        vol.Required("status"): "exempt",
        vol.Required("comment"): vol.All(str, vol.Length(min=1)),
    }
)


def _rule_status(value: Any) -> Any:
    """todo, done, or a mapping (chosen here, so errors name the real fault)."""
    if isinstance(value, dict):
        return (_EXEMPT if value.get("status") == "exempt" else _WITH_STATUS)(value)
    return _STATUS(value)


QUALITY_SCALE_SCHEMA = vol.Schema(
    {
        vol.Required("rules"): vol.Schema(
            {vol.Required(rule): _rule_status for rule in RULES}
        )
    }
)
PLATFORM_MODULES = tuple(f"{platform.value}.py" for platform in Platform)
SERVICE_REGISTRATION = {"async_register", "register", "async_register_entity_service"}
CONFIG_ENTRY_ANNOTATION = re.compile(r"^[A-Za-z]+ConfigEntry$")


class Facts(NamedTuple):
    """What the rule checks read."""

    repo: Repo
    manifest: dict[str, Any]
    strings: dict[str, Any]
    icons: dict[str, Any]
    done: set[str]


def check_quality_scale(
    repo: Repo, manifest: dict[str, Any], strings: dict[str, Any], icons: dict[str, Any]
) -> None:
    where = "quality_scale.yaml"
    claimed = manifest.get("quality_scale")
    path = repo.integration / where
    if not path.is_file():
        if claimed in TIER_NAMES:
            repo.error(where, f"is missing (manifest.json claims {claimed})")
        return
    data = repo.yaml(path, where)
    if data is None or repo.validate(where, QUALITY_SCALE_SCHEMA, data) is None:
        return
    status = {
        rule: value["status"] if isinstance(value, dict) else value
        for rule, value in data["rules"].items()
    }
    facts = Facts(
        repo, manifest, strings, icons, {r for r, s in status.items() if s == "done"}
    )
    for rule in sorted(facts.done):
        if (verify := RULE_CHECKS.get(rule)) is not None:
            for problem in verify(facts):
                repo.error(where, f"{rule} is done, but {problem}")
    if claimed not in TIER_NAMES:
        return
    for tier in Tier:
        if tier > Tier[str(claimed).upper()]:
            break
        if missing := sorted(
            rule
            for rule, rule_tier in RULES.items()
            if rule_tier == tier and status[rule] == "todo"
        ):
            repo.error(
                "manifest.json",
                f"quality_scale {claimed} needs every {tier.name.lower()} rule "
                f"done or exempt; todo: {', '.join(missing)}",
            )


def _rule_config_flow(facts: Facts) -> Iterator[str]:
    # A missing config_flow.py is reported by check_config_flow already.
    if facts.manifest.get("config_flow") is not True:
        yield "manifest.json does not set config_flow: true"


def _rule_unloading(facts: Facts) -> Iterator[str]:
    init = facts.repo.module("__init__.py")
    if init is None or _top_function(init, "async_unload_entry") is None:
        yield "__init__.py has no async_unload_entry"


def _rule_runtime_data(facts: Facts) -> Iterator[str]:
    init = facts.repo.module("__init__.py")
    setup = _top_function(init, "async_setup_entry") if init else None
    if setup is None or len(setup.args.args) != 2:
        yield "__init__.py has no async_setup_entry(hass, entry)"
        return
    entry = setup.args.args[1].arg
    if not any(
        isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and node.attr == "runtime_data"
        and isinstance(node.value, ast.Name)
        and node.value.id == entry
        for node in ast.walk(setup)
    ):
        yield f"async_setup_entry does not set {entry}.runtime_data"
    if "strict-typing" in facts.done:
        yield from _typed_entries(facts.repo)


def _typed_entries(repo: Repo) -> Iterator[str]:
    """With strict typing, entry arguments are typed `<Name>ConfigEntry`."""
    functions = {
        "__init__.py": (
            "async_migrate_entry",
            "async_remove_config_entry_device",
            "async_remove_entry",
            "async_setup_entry",
            "async_unload_entry",
        ),
        "diagnostics.py": (
            "async_get_config_entry_diagnostics",
            "async_get_device_diagnostics",
        ),
        **dict.fromkeys(PLATFORM_MODULES, ("async_setup_entry",)),
    }
    for file, names in functions.items():
        if (module := repo.module(file)) is None:
            continue
        for name in names:
            function = _top_function(module, name)
            if function is None or len(function.args.args) < 2:
                continue
            annotation = function.args.args[1].annotation
            if not _typed_entry(annotation):
                yield f"{file}: {name} does not take a typed ConfigEntry"
    flow = repo.module("config_flow.py")
    for node in _statements(flow.body) if flow else ():
        if (
            isinstance(node, ast.FunctionDef)
            and node.name == "async_get_options_flow"
            and node.args.args
            and not _typed_entry(node.args.args[0].annotation)
        ):
            yield (
                "config_flow.py: async_get_options_flow does not take a typed "
                "ConfigEntry"
            )


def _typed_entry(annotation: ast.expr | None) -> bool:
    return isinstance(annotation, ast.Name) and bool(
        CONFIG_ENTRY_ANNOTATION.match(annotation.id)
    )


def _rule_parallel_updates(facts: Facts) -> Iterator[str]:
    for file in PLATFORM_MODULES:
        if (module := facts.repo.module(file)) is None:
            continue
        if not any(
            isinstance(node, (ast.Assign, ast.AnnAssign))
            and any(
                isinstance(target, ast.Name) and target.id == "PARALLEL_UPDATES"
                for target in (
                    node.targets if isinstance(node, ast.Assign) else [node.target]
                )
            )
            for node in module.body
        ):
            yield f"{file} does not set PARALLEL_UPDATES"


def _rule_action_setup(facts: Facts) -> Iterator[str]:
    for file in ("__init__.py", *PLATFORM_MODULES):
        module = facts.repo.module(file)
        setup = _top_function(module, "async_setup_entry") if module else None
        if setup is None:
            continue
        for node in ast.walk(setup):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SERVICE_REGISTRATION
                and (
                    node.func.attr == "async_register_entity_service"
                    or "services" in ast.unparse(node.func.value)
                )
            ):
                yield f"{file} registers actions in async_setup_entry"
                break


def _rule_diagnostics(facts: Facts) -> Iterator[str]:
    module = facts.repo.module("diagnostics.py")
    wanted = {"async_get_config_entry_diagnostics", "async_get_device_diagnostics"}
    if module is None or not any(_top_function(module, name) for name in wanted):
        yield "diagnostics.py has neither of " + ", ".join(sorted(wanted))


def _rule_reconfigure(facts: Facts) -> Iterator[str]:
    module = facts.repo.module("config_flow.py")
    if module is None or not any(
        isinstance(node, ast.AsyncFunctionDef) and node.name == "async_step_reconfigure"
        for node in _statements(module.body)
    ):
        yield "config_flow.py has no async_step_reconfigure"


def _rule_unique_entry(facts: Facts) -> Iterator[str]:
    if facts.manifest.get("single_config_entry"):
        return
    module = facts.repo.module("config_flow.py")
    called = {
        name
        for node in ast.walk(module or ast.Module(body=[], type_ignores=[]))
        if isinstance(node, ast.Call)
        for name in _names([node.func])
    }
    if (
        "_async_abort_entries_match" not in called
        and not {
            "async_set_unique_id",
            "_abort_if_unique_id_configured",
        }
        <= called
    ):
        yield "nothing stops a second entry for the same thing"


def _rule_strict_typing(facts: Facts) -> Iterator[str]:
    mypy = _pyproject(facts.repo).get("tool", {}).get("mypy", {})
    package = f"custom_components.{facts.repo.integration.name}"
    if mypy.get("strict") is not True:
        yield "pyproject.toml's [tool.mypy] does not set strict = true"
    if package not in mypy.get("packages", []):
        yield f"pyproject.toml's [tool.mypy] packages do not include {package}"


def _rule_test_coverage(facts: Facts) -> Iterator[str]:
    report = (
        _pyproject(facts.repo).get("tool", {}).get("coverage", {}).get("report", {})
    )
    if report.get("fail_under", 0) < 95:
        yield "pyproject.toml's [tool.coverage.report] fail_under is below 95"
    test = facts.repo.root / "scripts" / "test"
    if not test.is_file() or "--cov" not in test.read_text("utf-8"):
        yield "scripts/test does not run the suite with --cov (fail_under unenforced)"


def _pyproject(repo: Repo) -> dict[str, Any]:
    try:
        return tomllib.loads((repo.root / "pyproject.toml").read_text("utf-8"))
    except OSError, tomllib.TOMLDecodeError:
        return {}


def _rule_has_entity_name(facts: Facts) -> Iterator[str]:
    """Every entity class has _attr_has_entity_name = True in its hierarchy."""
    classes: dict[str, tuple[list[str], bool]] = {}
    for _, node in facts.repo.statements():
        if not isinstance(node, ast.ClassDef):
            continue
        sets = any(
            isinstance(stmt, (ast.Assign, ast.AnnAssign))
            and "_attr_has_entity_name"
            in _names(stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
            and isinstance(stmt.value, ast.Constant)
            and stmt.value.value is True
            for stmt in node.body
        )
        classes[node.name] = (_names(node.bases), sets)

    def named(name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name not in classes or name in seen:
            return False
        bases, sets = classes[name]
        return sets or any(named(base, seen | {name}) for base in bases)

    for name, (bases, _) in sorted(classes.items()):
        is_entity = name.endswith("Entity") or any(b.endswith("Entity") for b in bases)
        if is_entity and not named(name):
            yield f"{name} does not set _attr_has_entity_name = True"


def _rule_exception_translations(facts: Facts) -> Iterator[str]:
    """Raised Home Assistant errors carry a translation key that exists."""
    errors = {
        name
        for name, value in vars(ha_exceptions).items()
        if isinstance(value, type) and issubclass(value, HomeAssistantError)
    }
    for _, node in facts.repo.statements():  # the integration's own subclasses
        if isinstance(node, ast.ClassDef) and set(_names(node.bases)) & errors:
            errors.add(node.name)
    known = facts.strings.get("exceptions", {})
    for file, node in facts.repo.statements():
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        if not set(_names([node.exc.func])) & errors:
            continue
        key = next(
            (kw.value for kw in node.exc.keywords if kw.arg == "translation_key"),
            None,
        )
        if key is None:
            yield f"{file}:{node.lineno} raises without a translation_key"
        elif (
            isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and key.value not in known
        ):
            yield f"{file}:{node.lineno}: exceptions.{key.value} is not translated"


def _rule_dependency_transparency(facts: Facts) -> Iterator[str]:
    for requirement in facts.manifest.get("requirements", []):
        if "==" not in requirement:
            yield f"requirement {requirement} is not pinned with =="


RULE_CHECKS: Final[dict[str, Callable[[Facts], Iterable[str]]]] = {
    "action-setup": _rule_action_setup,
    "brands": lambda facts: (
        []
        if (facts.repo.integration / "brand").is_dir()
        else ["there is no brand/ folder"]
    ),
    "config-entry-unloading": _rule_unloading,
    "config-flow": _rule_config_flow,
    "dependency-transparency": _rule_dependency_transparency,
    "diagnostics": _rule_diagnostics,
    "entity-translations": lambda facts: (
        [] if facts.strings.get("entity") else ["strings.json has no entity names"]
    ),
    "exception-translations": _rule_exception_translations,
    "has-entity-name": _rule_has_entity_name,
    "icon-translations": lambda facts: (
        [] if facts.icons else ["there is no icons.json"]
    ),
    # integration-owner: codeowners are checked for every manifest anyway.
    "parallel-updates": _rule_parallel_updates,
    "reconfiguration-flow": _rule_reconfigure,
    "repair-issues": lambda facts: (
        [] if facts.strings.get("issues") else ["strings.json has no issues"]
    ),
    "runtime-data": _rule_runtime_data,
    "strict-typing": _rule_strict_typing,
    "test-coverage": _rule_test_coverage,
    "unique-config-entry": _rule_unique_entry,
}


# ------------------------------------------------------------------- main


def check(integration: Path, root: Path) -> list[str]:
    """Every problem found, as one line each."""
    repo = Repo(integration, root)
    manifest = check_manifest(repo)
    check_hacs(repo)
    strings = check_translations(repo)
    icons = check_icons(repo)
    check_services(repo, strings, icons)
    check_config_flow(repo, manifest, strings)
    check_brand(repo)
    check_quality_scale(repo, manifest, strings, icons)
    return repo.errors


def main(argv: list[str] | None = None) -> int:
    """Validate the integration in argv[0] (default: this repository's)."""
    args = sys.argv[1:] if argv is None else argv
    integration = Path(args[0]).resolve() if args else INTEGRATION
    errors = check(integration, integration.parent.parent)
    for error in errors:
        print(f"validate: {error}", file=sys.stderr)
    if errors:
        return 1
    print(
        "validate: manifest, hacs, translations, services, icons, config flow, "
        "brand images and quality scale OK"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
