#!/usr/bin/env python3
"""Check the integration's import graph: no cycles, data flowing one way.

- No cycle among the integration's modules (imports under TYPE_CHECKING
  count too: a type-level cycle is still a knot).
- Pure modules import nothing from Home Assistant.
- Every import goes to a module of a lower or the same layer (below: the
  core never imports its consumers; buttons and supervision never the core).

    python scripts/check_imports.py [PACKAGE_DIR]      (exit 1 on a violation)
"""

from __future__ import annotations

import ast
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "custom_components" / "raadhus_alarm"

PURE = {
    "const",
    "model",
    "hold",
    "sources",
    "incident",
    "permissions",
    "router",
    "messages",
    "health",
    "records",
    "durable",
    "device_library",
    "meetings",
    "bans",
    "record_dicts",
    "checklist",
    "followup_messages",
    "meeting_messages",
    "ban_messages",
    "evidence_plan",
    "evidence_messages",
    "statistics",
    "log_export",
}
# button → hold → incident → (store, notify, event, entities, panel)
LAYERS = {
    **dict.fromkeys(PURE, 0),
    **dict.fromkeys(
        [
            "lookups",
            "calendar_dialog",
            "notices",
            "log_reading",
            "store",
            "buttons",
            "supervision",
            "detection",
            "entry_config",
            "migration",
        ],
        1,
    ),
    "core": 2,
    **dict.fromkeys(
        [
            "sender",
            "notifier",
            "followup",
            "officers_room",
            "phone_actions",
            "bus_events",
            "button_test",
            "desk",
            "followup_book",
            "followup_desk",
            "meeting_book",
            "ban_book",
            "ban_desk",
            "drill_watch",
            "evidence_capture",
            "evidence",
            "record_file",
            "meeting_desk",
        ],
        3,
    ),
    "runtime": 4,
    **dict.fromkeys(
        [
            "entity",
            "binary_sensor",
            "sensor",
            "event",
            "devices",
            "calendar",
            "services",
            "meeting_services",
            "ban_services",
            "evidence_services",
            "evidence_view",
            "followup_services",
            "websocket_api",
            "websocket_helpers",
            "panel_state",
            "panel_meetings",
            "panel_statistics",
            "export_view",
            "diagnostics",
            "panel",
            "config_flow",
            "flow_helpers",
            "button_steps",
            "room_flow",
            "button_flow",
            "responder_flow",
        ],
        5,
    ),
    "__init__": 6,
}


def imports_of(path: Path, modules: set[str]) -> tuple[set[str], bool]:
    """(the package's modules `path` imports, whether it imports homeassistant)."""
    tree = ast.parse(path.read_text(), str(path))
    found: set[str] = set()
    uses_ha = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            uses_ha |= any(a.name.split(".")[0] == "homeassistant" for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                uses_ha |= (node.module or "").split(".")[0] == "homeassistant"
            elif node.module:
                found.add(node.module.split(".")[0])
            else:  # from . import a, b
                found |= {a.name for a in node.names if a.name in modules}
    return found & modules, uses_ha


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def check(package: Path) -> list[str]:
    """Every violation found, as a sentence."""
    modules = {p.stem for p in package.glob("*.py")}
    graph: dict[str, set[str]] = {}
    problems: list[str] = []
    for module in sorted(modules):
        found, uses_ha = imports_of(package / f"{module}.py", modules)
        graph[module] = found - {module}
        if module in PURE and uses_ha:
            problems.append(f"{module} is pure logic but imports Home Assistant")
        if module not in LAYERS:
            problems.append(f"{module} has no layer in scripts/check_imports.py")
            continue
        for target in sorted(graph[module]):
            if LAYERS.get(target, 99) > LAYERS[module]:
                problems.append(
                    f"{module} (layer {LAYERS[module]}) imports "
                    f"{target} (layer {LAYERS.get(target)}), a higher one"
                )
    if cycle := find_cycle(graph):
        problems.append("import cycle: " + " → ".join(cycle))
    return problems


def main() -> int:
    package = Path(sys.argv[1]) if len(sys.argv) > 1 else PACKAGE
    problems = check(package)
    for problem in problems:
        print(f"check_imports: {problem}", file=sys.stderr)
    if not problems:
        print(
            f"check_imports: {len(list(package.glob('*.py')))} modules, "
            "no cycle, layers respected"
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
