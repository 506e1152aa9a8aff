"""`scripts/validate.py` (run by `scripts/lint`) finds what hassfest and HACS would.

Each test copies the integration and the repository files the checks read to
a repository of its own, plants one fault and asserts the exact lines it
adds to what the copy already reports (so a fault planted here is told apart
from work in progress elsewhere in the tree).
"""

from __future__ import annotations

from collections.abc import Callable
import json
from pathlib import Path
import shutil
from types import ModuleType
from typing import Any

from PIL import Image
import pytest
import yaml

from .bus import ROOT, load_script

INTEGRATION = ROOT / "custom_components" / "raadhus_alarm"
# Read by the checks from the repository's root.
ROOT_FILES = ("hacs.json", "README.md", "pyproject.toml", "scripts/test")


@pytest.fixture(name="validate", scope="module")
def validate_module() -> ModuleType:
    return load_script("validate")


@pytest.fixture(name="copy")
def integration_copy(tmp_path: Path) -> Path:
    """The integration and the root files the checks read, copied."""
    target = tmp_path / "custom_components" / "raadhus_alarm"
    shutil.copytree(INTEGRATION, target, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ROOT_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return target


def _errors(validate: ModuleType, integration: Path) -> list[str]:
    errors: list[str] = validate.check(integration, integration.parent.parent)
    return errors


def _planted(
    validate: ModuleType, integration: Path, plant: Callable[[], object]
) -> list[str]:
    """The errors `plant` adds to those the copy had before."""
    before = _errors(validate, integration)
    plant()
    return [e for e in _errors(validate, integration) if e not in before]


def _edit(path: Path, change: Callable[[Any], object]) -> Callable[[], None]:
    def plant() -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    return plant


def test_the_copy_is_checked_like_the_repository(
    validate: ModuleType, copy: Path
) -> None:
    """The copy holds every file the checks read (else the tests prove little)."""
    assert _errors(validate, copy) == _errors(validate, INTEGRATION)


def test_the_repository_passes(validate: ModuleType) -> None:
    assert _errors(validate, INTEGRATION) == []
    assert validate.main([str(INTEGRATION)]) == 0


def test_main_reports_and_fails(
    validate: ModuleType, copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (copy / "icons.json").write_text("{", encoding="utf-8")
    assert validate.main([str(copy)]) == 1
    assert "validate: icons.json: is not valid JSON" in capsys.readouterr().err


# ------------------------------------------------------------- translations


@pytest.mark.parametrize("file", ["strings.json", "translations/da.json"])
def test_a_tag_in_a_translation_is_refused(
    validate: ModuleType, copy: Path, file: str
) -> None:
    def plant(data: dict[str, Any]) -> None:
        step = data["config"]["step"]["user"]["data_description"]
        step["name"] = "Vist som <enhedens navn>."

    assert _planted(validate, copy, _edit(copy / file, plant)) == [
        f"{Path(file).name}: config.step.user.data_description.name "
        "has an HTML-like tag"
    ]


def test_a_quoted_placeholder_is_refused(validate: ModuleType, copy: Path) -> None:
    def plant(data: dict[str, Any]) -> None:
        data["config"]["abort"]["reconfigure_successful"] = "Renamed '{name}'"

    assert _planted(validate, copy, _edit(copy / "translations/en.json", plant)) == [
        "en.json: config.abort.reconfigure_successful must use placeholders []",
        "en.json: config.abort.reconfigure_successful quotes a placeholder",
    ]


def test_a_translation_missing_a_key_is_refused(
    validate: ModuleType, copy: Path
) -> None:
    def plant(data: dict[str, Any]) -> None:
        del data["config"]["step"]["reconfigure"]["title"]

    assert _planted(validate, copy, _edit(copy / "translations/da.json", plant)) == [
        "da.json: missing ['config.step.reconfigure.title']"
    ]


def test_a_reference_in_a_translation_is_refused(
    validate: ModuleType, copy: Path
) -> None:
    """Custom integrations' translations are shown as written: no references."""

    def plant(data: dict[str, Any]) -> None:
        abort = data["config"]["abort"]
        abort["single_instance_allowed"] = (
            "[%key:common::config_flow::abort::single_instance_allowed%]"
        )

    assert _planted(validate, copy, _edit(copy / "translations/da.json", plant)) == [
        "da.json: config.abort.single_instance_allowed is a [%key:...%] "
        "reference, shown as is"
    ]


def _subentry(strings: dict[str, Any], leave_out: str) -> None:
    """A subentry type's texts (hassfest requires all three), one left out."""
    texts = {
        "entry_type": "Zone",
        "initiate_flow": {"user": "Add zone"},
        "step": {"user": {"title": "Add a zone", "data": {"name": "Name"}}},
    }
    del texts[leave_out]
    strings.setdefault("config_subentries", {})["zone"] = texts


@pytest.mark.parametrize(
    ("change", "error"),
    [
        pytest.param(
            lambda d: _subentry(d, "entry_type"),
            "config_subentries.zone.entry_type: required key not provided",
            id="subentry without entry_type",
        ),
        pytest.param(
            lambda d: _subentry(d, "initiate_flow"),
            "config_subentries.zone.initiate_flow: required key not provided",
            id="subentry without initiate_flow",
        ),
        pytest.param(
            lambda d: _subentry(d, "step"),
            "config_subentries.zone.step: required key not provided",
            id="subentry without steps",
        ),
        pytest.param(
            lambda d: d["config"]["step"]["user"].__setitem__("title", " Town"),
            "config.step.user.title: leading or trailing whitespace",
            id="whitespace",
        ),
        pytest.param(
            lambda d: d["exceptions"]["not_loaded"].__setitem__(
                "message", "See https://example.com/help"
            ),
            "exceptions.not_loaded.message: a URL belongs in a description placeholder",
            id="url",
        ),
        pytest.param(
            lambda d: d["entity"]["sensor"]["incident_state"]["state"].__setitem__(
                "idle", "Idle in {room}"
            ),
            "entity.sensor.incident_state.state.idle: placeholders are not "
            "supported here",
            id="placeholder in a state",
        ),
        pytest.param(
            lambda d: d["selector"]["kind"]["options"].__setitem__("Big_Room", "X"),
            "selector.kind.options: invalid translation key 'Big_Room': "
            "[a-z0-9-_], not starting or ending with - or _",
            id="translation key",
        ),
        pytest.param(
            lambda d: d.__setitem__("notes", {}),
            "notes: not a valid option",
            id="unknown section",
        ),
    ],
)
def test_the_strings_schema(
    validate: ModuleType, copy: Path, change: Callable[[Any], object], error: str
) -> None:
    """hassfest's strings schema, in strings.json and every translation."""
    plants = [
        _edit(copy / name, change)
        for name in ("strings.json", "translations/da.json", "translations/en.json")
    ]

    def plant() -> None:
        for one in plants:
            one()

    assert _planted(validate, copy, plant) == [
        f"{name}: {error}" for name in ("strings.json", "da.json", "en.json")
    ]


# ---------------------------------------------------------------- manifest


@pytest.mark.parametrize("owners", [[], ["nobody"], None])
def test_codeowners_must_name_someone(
    validate: ModuleType, copy: Path, owners: Any
) -> None:
    def plant(data: dict[str, Any]) -> None:
        data["codeowners"] = owners

    added = _planted(validate, copy, _edit(copy / "manifest.json", plant))
    assert "manifest.json: codeowners must name at least one @owner" in added
    # None is also refused by the schema (a list of strings).
    assert len(added) == (2 if owners is None else 1)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        pytest.param(
            lambda d: d.pop("version"),
            "manifest.json: version: required key not provided",
            id="custom integrations need a version",
        ),
        pytest.param(
            lambda d: d.__setitem__("version", "one"),
            "manifest.json: version: 'one' is not a valid version",
            id="version",
        ),
        pytest.param(
            lambda d: d.__setitem__("documentation", "http://example.com"),
            "manifest.json: documentation: must be an https URL",
            id="documentation",
        ),
        pytest.param(
            lambda d: d.pop("issue_tracker"),
            "manifest.json: issue_tracker: required key not provided",
            id="issue tracker (HACS)",
        ),
        pytest.param(
            lambda d: d.__setitem__("integration_type", "virtual"),
            "manifest.json: integration_type: value must be one of ['device', "
            "'entity', 'hardware', 'helper', 'hub', 'service', 'system']",
            id="integration_type",
        ),
        pytest.param(
            lambda d: d.__setitem__("quality_scale", "diamond"),
            "manifest.json: quality_scale: value must be one of ['bronze', "
            "'gold', 'internal', 'legacy', 'platinum', 'silver']",
            id="quality_scale",
        ),
        pytest.param(
            lambda d: d.__setitem__("domain", "raadhus"),
            "manifest.json: domain raadhus is not the folder's name raadhus_alarm",
            id="domain",
        ),
        pytest.param(
            lambda d: d.__setitem__("dependencies", [*d["dependencies"], "mqtt"]),
            "manifest.json: mqtt is in dependencies and after_dependencies",
            id="dependency twice",
        ),
        pytest.param(
            lambda d: d.__setitem__("after_dependencies", ["no_such_thing"]),
            "manifest.json: dependency no_such_thing is not an integration",
            id="unknown dependency",
        ),
    ],
)
def test_manifest_rules(
    validate: ModuleType, copy: Path, change: Callable[[Any], object], error: str
) -> None:
    added = _planted(validate, copy, _edit(copy / "manifest.json", change))
    assert added[:1] == [error]


def test_manifest_keys_are_sorted(validate: ModuleType, copy: Path) -> None:
    path = copy / "manifest.json"

    def plant() -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        data = {"name": data.pop("name"), **data}
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    assert _planted(validate, copy, plant) == [
        "manifest.json: keys must be sorted: domain, name, then a-z"
    ]


def test_an_imported_integration_must_be_a_dependency(
    validate: ModuleType, copy: Path
) -> None:
    module = copy / "history_export.py"
    assert _planted(
        validate,
        copy,
        lambda: module.write_text(
            "from homeassistant.components.recorder import get_instance\n",
            encoding="utf-8",
        ),
    ) == [
        "history_export.py: uses the recorder integration but manifest.json "
        "has it in neither dependencies nor after_dependencies"
    ]


# ---------------------------------------------------------------- services


def test_a_service_field_without_a_translation_is_refused(
    validate: ModuleType, copy: Path
) -> None:
    path = copy / "services.yaml"

    def plant() -> None:
        services = yaml.safe_load(path.read_text(encoding="utf-8"))
        services["trigger"]["fields"]["priority"] = {"selector": {"number": {}}}
        path.write_text(yaml.safe_dump(services), encoding="utf-8")

    assert _planted(validate, copy, plant) == [
        "strings.json: missing services.trigger.fields.priority.name",
        "strings.json: missing services.trigger.fields.priority.description",
    ]


def test_a_bad_selector_is_refused(validate: ModuleType, copy: Path) -> None:
    """Selectors are validated by Home Assistant's own selector schemas."""
    path = copy / "services.yaml"

    def plant() -> None:
        services = yaml.safe_load(path.read_text(encoding="utf-8"))
        services["trigger"]["fields"]["drill"]["selector"] = {"no_such": None}
        path.write_text(yaml.safe_dump(services), encoding="utf-8")

    assert _planted(validate, copy, plant) == [
        "services.yaml: trigger.fields.drill.selector: Unknown selector type "
        "no_such found"
    ]


def test_an_untranslated_select_option_is_refused(
    validate: ModuleType, copy: Path
) -> None:
    path = copy / "services.yaml"

    def plant() -> None:
        services = yaml.safe_load(path.read_text(encoding="utf-8"))
        options = services["resolve"]["fields"]["resolution"]["selector"]["select"]
        options["options"].append("moved_away")
        path.write_text(yaml.safe_dump(services), encoding="utf-8")

    assert _planted(validate, copy, plant) == [
        "strings.json: missing selector.resolution.options.moved_away"
    ]


# ------------------------------------------------------------------- icons


@pytest.mark.parametrize(
    ("change", "error"),
    [
        pytest.param(
            lambda d: d["entity"]["sensor"]["incident_state"].__setitem__(
                "default", "mdi:no-such-icon"
            ),
            "icons.json: entity.sensor.incident_state.default: mdi:no-such-icon "
            "is not a Material Design icon",
            id="unknown icon",
        ),
        pytest.param(
            lambda d: d["entity"]["sensor"]["incident_state"].__setitem__(
                "default", "alarm-light"
            ),
            "icons.json: entity.sensor.incident_state.default: alarm-light is not "
            "mdi:<name> (Material Design Icons)",
            id="no mdi prefix",
        ),
        pytest.param(
            lambda d: d["entity"]["sensor"]["incident_state"]["state"].__setitem__(
                "idle", d["entity"]["sensor"]["incident_state"]["default"]
            ),
            "icons.json: entity: sensor.incident_state.state.idle is the default icon",
            id="state icon is the default",
        ),
        pytest.param(
            lambda d: d["entity"].__setitem__(
                "switch", {"siren": {"default": "mdi:bell"}}
            ),
            "icons.json: entity.switch: there is no switch.py",
            id="platform the integration lacks",
        ),
        pytest.param(
            lambda d: d["services"].pop("cancel"),
            "icons.json: services.cancel has no icon",
            id="action without icon",
        ),
        pytest.param(
            lambda d: d["services"].__setitem__("explode", "mdi:bomb"),
            "icons.json: services.explode is not in services.yaml",
            id="icon of no action",
        ),
    ],
)
def test_a_bad_icons_json_is_refused(
    validate: ModuleType, copy: Path, change: Callable[[Any], object], error: str
) -> None:
    assert _planted(validate, copy, _edit(copy / "icons.json", change)) == [error]


# ------------------------------------------------------------ config flow


def test_config_flow_and_manifest_agree(validate: ModuleType, copy: Path) -> None:
    _write_scale(validate, copy, {})  # no rule done: no rule check repeats the finding
    assert _planted(validate, copy, (copy / "config_flow.py").unlink) == [
        "config_flow.py: is missing (manifest.json: config_flow)"
    ]


# ------------------------------------------------------------------- brand


def test_a_missing_brand_image_is_refused(validate: ModuleType, copy: Path) -> None:
    assert _planted(validate, copy, (copy / "brand" / "icon@2x.png").unlink) == [
        "brand/icon@2x.png: is missing"
    ]


def _icon(copy: Path) -> Image.Image:
    with Image.open(copy / "brand" / "icon.png") as image:
        return image.convert("RGBA")


@pytest.mark.parametrize(
    ("draw", "error"),
    [
        pytest.param(
            lambda copy: _icon(copy).resize((200, 200)),
            "brand/icon.png: is 200x200 px, must be 256x256",
            id="wrong size",
        ),
        pytest.param(
            lambda copy: Image.alpha_composite(
                Image.new("RGBA", (256, 256), "white"), _icon(copy)
            ),
            "brand/icon.png: has no transparent pixel (a transparent background)",
            id="opaque",
        ),
        pytest.param(
            lambda copy: _icon(copy).convert("RGB"),
            "brand/icon.png: has no alpha channel (RGB), must be transparent",
            id="no alpha",
        ),
    ],
)
def test_a_bad_brand_icon_is_refused(
    validate: ModuleType,
    copy: Path,
    draw: Callable[[Path], Image.Image],
    error: str,
) -> None:
    image = draw(copy)
    assert _planted(
        validate, copy, lambda: image.save(copy / "brand" / "icon.png", "PNG")
    ) == [error]


def test_an_untrimmed_icon_is_refused(validate: ModuleType, copy: Path) -> None:
    """The mark shrunk inside the square: empty space on every side."""
    image = _icon(copy).resize((200, 200)).crop((-28, -28, 228, 228))
    box = image.getchannel("A").getbbox()
    assert box is not None
    assert box[1] > 0
    assert box[3] < 256
    assert _planted(
        validate, copy, lambda: image.save(copy / "brand" / "icon.png", "PNG")
    ) == [f"brand/icon.png: is not trimmed: its content is {box} of 256x256"]


def test_an_untrimmed_logo_is_refused(validate: ModuleType, copy: Path) -> None:
    """A logo is cut to its content on every side."""
    with Image.open(copy / "brand" / "logo.png") as logo:
        wide = Image.new("RGBA", (logo.width + 20, logo.height))
        wide.paste(logo, (10, 0))
    box = (10, 0, logo.width + 10, logo.height)
    assert _planted(
        validate, copy, lambda: wide.save(copy / "brand" / "logo.png", "PNG")
    ) == [
        f"brand/logo.png: is not trimmed: its content is {box} of "
        f"{wide.width}x{wide.height}"
    ]


def test_a_jpeg_is_refused(validate: ModuleType, copy: Path) -> None:
    image = _icon(copy).convert("RGB")
    added = _planted(
        validate, copy, lambda: image.save(copy / "brand" / "icon.png", "JPEG")
    )
    assert added[0] == "brand/icon.png: is JPEG, must be PNG"


def test_brand_copies_and_strays_are_refused(validate: ModuleType, copy: Path) -> None:
    brand = copy / "brand"

    def plant() -> None:
        shutil.copy(brand / "icon.png", brand / "dark_icon.png")
        shutil.copy(brand / "icon.png", brand / "favicon.png")

    assert _planted(validate, copy, plant) == [
        "brand/favicon.png: is not a name Home Assistant serves",
        "brand/dark_icon.png: is a copy of icon.png (leave it out)",
    ]


def test_the_brand_script_draws_valid_images(validate: ModuleType, copy: Path) -> None:
    """scripts/brand.py redraws every image, and they pass the checks."""
    shutil.rmtree(copy / "brand")
    written = load_script("brand").render(copy / "brand")
    assert sorted(p.name for p in written) == sorted(validate.BRAND_IMAGES)
    assert [e for e in _errors(validate, copy) if e.startswith("brand/")] == []


# -------------------------------------------------------------------- HACS


@pytest.mark.parametrize(
    ("change", "error"),
    [
        pytest.param(lambda d: d.pop("name"), "hacs.json: missing name", id="name"),
        pytest.param(
            lambda d: d.__setitem__("zip", True),
            "hacs.json: zip: not a valid option",
            id="unknown key",
        ),
        pytest.param(
            lambda d: d.__setitem__("country", ["XX"]),
            "hacs.json: country: XX is not a country code",
            id="country",
        ),
        pytest.param(
            lambda d: d.__setitem__("homeassistant", "2025.12.0"),
            "hacs.json: homeassistant must be 2026.3.0 or newer (brand images in "
            "the integration folder)",
            id="too old for brand images",
        ),
    ],
)
def test_hacs_rules(
    validate: ModuleType, copy: Path, change: Callable[[Any], object], error: str
) -> None:
    hacs = copy.parent.parent / "hacs.json"
    assert _planted(validate, copy, _edit(hacs, change)) == [error]


def test_hacs_installs_one_integration(validate: ModuleType, copy: Path) -> None:
    other = copy.parent / "another"
    assert _planted(validate, copy, other.mkdir) == [
        "custom_components: HACS installs one integration; also ['another']"
    ]


# ----------------------------------------------------------- quality scale


def _scale(
    validate: ModuleType, copy: Path, status: dict[str, Any]
) -> Callable[[], None]:
    """Writes quality_scale.yaml: every rule exempt, but for `status`.

    Exempt rules are not checked against the code, so a test sees only what
    it plants.
    """
    rules: dict[str, Any] = {
        rule: {"status": "exempt", "comment": "Test."} for rule in validate.RULES
    }

    def plant() -> None:
        text = yaml.safe_dump({"rules": rules | status})
        (copy / "quality_scale.yaml").write_text(text, encoding="utf-8")

    return plant


def _write_scale(validate: ModuleType, copy: Path, status: dict[str, Any]) -> None:
    _scale(validate, copy, status)()


def _claim(copy: Path, tier: str) -> Callable[[], None]:
    """The manifest claims `tier` (keys kept in hassfest's order)."""

    def change(data: dict[str, Any]) -> None:
        data["quality_scale"] = tier
        ordered = {k: data.pop(k) for k in ("domain", "name")}
        ordered |= {k: data.pop(k) for k in sorted(data)}
        data.update(ordered)

    return _edit(copy / "manifest.json", change)


def test_a_claim_the_rules_do_not_support_is_refused(
    validate: ModuleType, copy: Path
) -> None:
    _write_scale(
        validate, copy, {"stale-devices": "todo", "docs-examples": {"status": "todo"}}
    )
    assert _planted(validate, copy, _claim(copy, "gold")) == [
        "manifest.json: quality_scale gold needs every gold rule done or exempt; "
        "todo: docs-examples, stale-devices"
    ]


def test_a_claim_below_the_todo_rules_is_accepted(
    validate: ModuleType, copy: Path
) -> None:
    _write_scale(validate, copy, {"stale-devices": "todo"})
    assert _planted(validate, copy, _claim(copy, "silver")) == []


def test_every_tier_below_the_claim_counts(validate: ModuleType, copy: Path) -> None:
    def plant() -> None:
        _write_scale(validate, copy, {"brands": "todo", "test-coverage": "todo"})
        _claim(copy, "platinum")()

    assert _planted(validate, copy, plant) == [
        "manifest.json: quality_scale platinum needs every bronze rule done or "
        "exempt; todo: brands",
        "manifest.json: quality_scale platinum needs every silver rule done or "
        "exempt; todo: test-coverage",
    ]


@pytest.mark.parametrize(
    ("status", "error"),
    [
        pytest.param(
            {"discovery": {"status": "exempt"}},
            "quality_scale.yaml: rules.discovery.comment: required key not provided",
            id="exempt without a comment",
        ),
        pytest.param(
            {"discovery": "maybe"},
            "quality_scale.yaml: rules.discovery: value must be one of "
            "['done', 'todo']",
            id="unknown status",
        ),
        pytest.param(
            {"fast-alarms": "done"},
            "quality_scale.yaml: rules.fast-alarms: not a valid option",
            id="unknown rule",
        ),
    ],
)
def test_the_quality_scale_file_is_checked(
    validate: ModuleType, copy: Path, status: dict[str, Any], error: str
) -> None:
    _write_scale(validate, copy, {})
    added = _planted(validate, copy, _scale(validate, copy, status))
    assert added[:1] == [error]


def test_a_done_rule_the_code_contradicts_is_refused(
    validate: ModuleType, copy: Path
) -> None:
    """hassfest's code checks: here parallel-updates, for a new platform."""
    _write_scale(validate, copy, {"parallel-updates": "done"})
    assert _planted(
        validate,
        copy,
        lambda: (copy / "switch.py").write_text('"""Switches."""\n', "utf-8"),
    ) == [
        "quality_scale.yaml: parallel-updates is done, but switch.py does not set "
        "PARALLEL_UPDATES"
    ]


def test_a_raise_without_a_translation_is_refused(
    validate: ModuleType, copy: Path
) -> None:
    _write_scale(validate, copy, {"exception-translations": "done"})
    code = (
        "from homeassistant.exceptions import HomeAssistantError\n"
        "def fail() -> None:\n"
        "    raise HomeAssistantError('no')\n"
    )
    assert _planted(
        validate, copy, lambda: (copy / "failing.py").write_text(code, "utf-8")
    ) == [
        "quality_scale.yaml: exception-translations is done, but failing.py:3 "
        "raises without a translation_key"
    ]
