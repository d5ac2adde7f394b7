"""The generated TypeScript package, checked by tsc in its strictest modes.

The test file is written from the examples at test time, so it can never
fall out of step with them: every valid example as a typed constant, a
switch over ``event`` that must be exhaustive, and lines that must not
compile (``@ts-expect-error``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, read_json, valid_example_paths
from eightbyeight_events.catalogue import event_types

TSC_FLAGS = [
    "--strict",
    "--noEmit",
    "--exactOptionalPropertyTypes",
    "--noUncheckedIndexedAccess",
    "--target",
    "es2022",
    "--module",
    "nodenext",
    "--moduleResolution",
    "nodenext",
]


def switch_over(wrapper: str, variable: str) -> list[str]:
    """An exhaustive switch over the event types inside ``wrapper``."""
    cases = [t for t in event_types() if t.wrapper == wrapper and t.event is not None]
    lines = [f"    switch ({variable}.event) {{"]
    lines += [f'      case "{t.event}": return "{t.name}";' for t in cases]
    lines += [
        "      default: {",
        f"        const unreachable: never = {variable};",
        "        return unreachable;",
        "      }",
        "    }",
    ]
    return lines


def checked_source() -> str:
    lines = [
        "import type { Event, InteractionEvent, AgentProvChangeEvent, PulsarFrame } "
        'from "8x8-event-types";',
        "",
    ]
    for index, path in enumerate(valid_example_paths()):
        lines.append(f"// {path.parent.name}/{path.name}")
        lines.append(f"export const example{index}: Event = {json.dumps(read_json(path))};")
    frame = read_json(REPO / "examples" / "frames" / "InteractionQueued.json")
    lines.append(f"export const frame: PulsarFrame = {json.dumps(frame)};")
    lines += [
        "",
        "export function kind(message: Event): string {",
        '  if ("Interaction" in message) {',
        "    const event: InteractionEvent = message.Interaction;",
    ]
    lines += switch_over("Interaction", "event")
    lines += [
        "  }",
        '  if ("AgentProvChange" in message) {',
        "    const change: AgentProvChangeEvent = message.AgentProvChange;",
    ]
    lines += switch_over("AgentProvChange", "change")
    lines += [
        "  }",
        '  if ("AgentStatusChange" in message) return message.AgentStatusChange.agentId;',
        '  return Object.keys(message)[0] ?? "";',
        "}",
        "",
    ]
    wrong = {
        "a callState outside the code table": {"callState": "CS_RINGING"},
        "a field of the wrong type": {"queueId": "1162"},
        "a flag spelled yes": {"isAgentInitiated": "yes"},
    }
    for reason, field in wrong.items():
        payload = {"event": "InteractionQueued", "interactionGUID": "int-1-a-phone-01-t", **field}
        lines.append(f"// @ts-expect-error {reason}")
        lines.append(
            f"export const wrong{len(lines)}: Event = {json.dumps({'Interaction': payload})};"
        )
    lines.append("// @ts-expect-error a required field (interactionGUID) is missing")
    lines.append('export const missing: Event = {"Interaction": {"event": "InteractionQueued"}};')
    return "\n".join(lines) + "\n"


def install_package(root: Path) -> None:
    target = root / "node_modules" / "8x8-event-types"
    shutil.copytree(REPO / "generated" / "typescript", target)


def tsc(root: Path, source: str) -> subprocess.CompletedProcess[str]:
    (root / "check.ts").write_text(source, encoding="utf-8")
    (root / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    return subprocess.run(
        [str(REPO / "node_modules" / ".bin" / "tsc"), *TSC_FLAGS, "check.ts"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.usefixtures("node")
def test_examples_and_exhaustive_switch_compile(tmp_path: Path) -> None:
    install_package(tmp_path)
    result = tsc(tmp_path, checked_source())
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.usefixtures("node")
def test_a_missing_case_breaks_the_exhaustive_switch(tmp_path: Path) -> None:
    """The never-check is live: drop one case and tsc must fail on it."""
    install_package(tmp_path)
    source = checked_source().replace(
        '      case "InteractionJoined": return "InteractionJoined";\n', ""
    )
    result = tsc(tmp_path, source)
    assert result.returncode != 0
    assert "is not assignable to type 'never'" in result.stdout
