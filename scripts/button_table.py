#!/usr/bin/env python3
"""Print the README's supported-buttons table from the button library.

    python scripts/button_table.py

The README holds this table verbatim; a test checks that it still matches
the library, so a changed figure cannot leave the README behind.
"""

from __future__ import annotations

from pathlib import Path
import re
import sys

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from custom_components.raadhus_alarm.device_library import (  # noqa: E402
    ButtonModel,
    load_library,
)
from custom_components.raadhus_alarm.hold import Signal  # noqa: E402

INTEGRATION = {"zha": "ZHA", "zigbee2mqtt": "Zigbee2MQTT", "zwave_js": "Z-Wave JS"}


def _names(model: ButtonModel, kind: Signal) -> str:
    return "/".join(f"`{n}`" for n in model.names(kind)[:2]) or "—"


def _est(model: ButtonModel, figure: str) -> str:
    return "\\*" if figure in model.estimates else ""


def how_timed(model: ButtonModel) -> str:
    """One line: how the detector times this model's hold."""
    if not model.measures_hold:
        alarm = _names(model, Signal.EMERGENCY)
        if model.names(Signal.SHORT):
            return (
                f"cannot measure a hold: alarms on its own long press ({alarm}, "
                f"{model.first_report_delay:g} s{_est(model, 'first_report_delay')}); "
                "taps are no alarm"
            )
        return f"**alarms on any press** ({alarm})"
    if model.names(Signal.PRESS):
        start = f"from {_names(model, Signal.PRESS)} (at the press)"
    else:
        start = (
            f"{_names(model, Signal.HOLD)} {model.first_report_delay:g} s"
            f"{_est(model, 'first_report_delay')} after the press, back-dated"
        )
    if model.repeat_interval is not None:
        end = (
            f"repeats every {model.repeat_interval:g} s"
            f"{_est(model, 'repeat_interval')}; ends {model.release_gap:g} s after "
            "the last one"
        )
    else:
        end = f"ends at {_names(model, Signal.RELEASE)}"
        if model.release == "unreliable":
            end += " (may be lost)"
    return f"{start}; {end}"


REPO = re.compile(
    r"\b(zigpy/zha-device-handlers|zigpy/zha|Koenkk/zigbee-herdsman-converters|"
    r"Koenkk/zigbee2mqtt|zwave-js/[\w-]+|home-assistant/core|openhab/[\w-]+)"
)
FILE = re.compile(
    r"(https?://[^\s)]+|[\w-]+/[\w.-]+#\d+|[\w.-]+/[\w./-]+\.(?:py|ts|json|md))"
)


def _source(model: ButtonModel) -> str:
    """The first repository and file (or address) the reports were read in."""
    text = model.sources["reports"]
    found = FILE.search(text)
    if found is None:
        return text[:60].replace("|", "\\|")
    cell = found.group(1).rstrip(").,;:")
    repo = REPO.search(text)
    if (
        repo
        and "#" not in cell
        and not cell.startswith("http")
        and repo.start() < found.start()
    ):
        cell = f"{repo.group(1)} `{cell}`"
    return cell.replace("|", "\\|")


def table() -> str:
    """The markdown table, one row per model and integration."""
    lines = [
        "| model | integration | how a hold is timed | source of the reports |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {m.name} | {INTEGRATION[m.source.value]} | {how_timed(m)} | {_source(m)} |"
        for m in load_library().models
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
