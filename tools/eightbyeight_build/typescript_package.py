"""The files around the generated declarations that make them an npm package."""

from __future__ import annotations

import json
from pathlib import Path

from eightbyeight_events import __version__

README = """\
# 8x8-event-types

TypeScript types and run-time checks for 8x8 Contact Center Event Streaming
messages, generated from the JSON Schemas of the 8x8-event-schemas project;
do not edit. No dependencies; ES modules and CommonJS.

```ts
import { EventError, parseEvent, parseFrame } from "8x8-event-types/parse";

const message = parseEvent(line); // throws EventError (pointer, eventType, messageId)
if ("Interaction" in message) {
  const event = message.Interaction;
  switch (event.event) {
    case "InteractionQueued":
      console.log(event.queueId, event.callState);
      break;
    // ... one case per interaction event; `never` checks exhaustiveness
  }
}
const { event, messageId } = parseFrame(frameText); // a Pulsar WebSocket frame
```

- `8x8-event-types` (types only): `Event`, the union of every decoded
  message (wrapper and payload); `InteractionEvent` and
  `AgentProvChangeEvent`, the unions of the payloads inside those wrappers;
  `PulsarFrame`, the WebSocket frame around a message.
- `8x8-event-types/parse`: `parseEvent` and `parseFrame` check a message
  against the published, open schemas (a field added later is accepted)
  with validators compiled ahead of time; `{ unknown: "value" }` returns an
  event type this package does not know as an `UnknownEvent` instead of
  throwing `UnknownEventError`.
- `8x8-event-types/normal`: one normal form per documented variation
  (`flag`, `recordingMode`, `channel`, `disposition`, `agents`), times as
  `Date` (`occurredAt` in the documented precedence) and `AttachedPairs`
  for attachedData.
- `8x8-event-types/dispatch`: a `Dispatcher` whose `on("InteractionQueued",
  handler)` gives the handler the narrowed type, with `onAny` and
  `onUnknown`.
- `schema.json`: the published schemas in one file, for your own validator.

```ts
import { agents, flag, occurredAt, AttachedPairs } from "8x8-event-types/normal";
import { Dispatcher } from "8x8-event-types/dispatch";

new Dispatcher()
  .on("InteractionAccepted", (event) => {
    if (flag(event.isOutboundCall)) { /* "false" is false here */ }
    const when = occurredAt(event);       // a Date
    const ids = agents(event.participatingAgents); // "," or ";"
    const answered = AttachedPairs.of(event).answeredAt();
  })
  .onUnknown((message) => console.log("new event type", message.name))
  .dispatch(parseEvent(line, { unknown: "value" }));
```
"""


RUNTIME_MODULES = ("normal", "dispatch", "parse")
"""The entry points compiled from ``tools/ts/``."""
INTERNAL = ("names", "repeats", "route", "validators")
"""Modules the entry points import: the catalogue's names, the repeated-key check, the routing
and the validators."""


def write_package(folder: Path) -> list[Path]:
    manifest = {
        "name": "8x8-event-types",
        "version": __version__,
        "description": (
            "TypeScript types and run-time checks for 8x8 Contact Center Event Streaming messages."
        ),
        "license": "MIT",
        "type": "module",
        "types": "index.d.ts",
        "exports": {
            ".": {"types": "./index.d.ts"},
            **{
                f"./{module}": {
                    "import": {"types": f"./{module}.d.ts", "default": f"./{module}.js"},
                    "require": {"types": f"./cjs/{module}.d.ts", "default": f"./cjs/{module}.js"},
                }
                for module in RUNTIME_MODULES
            },
            "./schema.json": "./schema.json",
        },
        "files": [
            "index.d.ts",
            *(f"{module}{suffix}" for module in RUNTIME_MODULES for suffix in (".js", ".d.ts")),
            *(f"{internal}{suffix}" for internal in INTERNAL for suffix in (".js", ".d.ts")),
            "cjs/",
            "schema.json",
            "README.md",
        ],
    }
    package = folder / "package.json"
    package.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    readme = folder / "README.md"
    readme.write_text(README, encoding="utf-8")
    return [package, readme]
