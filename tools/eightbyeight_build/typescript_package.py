"""The files around the generated declarations that make them an npm package."""

from __future__ import annotations

import json
from pathlib import Path

from eightbyeight_events import __version__

README = """\
# 8x8-event-types

TypeScript types for 8x8 Contact Center Event Streaming messages, generated
from the JSON Schemas of the 8x8-event-schemas project; do not edit.

```ts
import type { Event } from "8x8-event-types";

function handle(message: Event): void {
  if ("Interaction" in message) {
    const event = message.Interaction;
    switch (event.event) {
      case "InteractionQueued":
        console.log(event.queueId, event.callState);
        break;
      // ... one case per interaction event; `never` checks exhaustiveness
    }
  }
}
```

`Event` is the union of every decoded message (wrapper and payload);
`InteractionEvent` and `AgentProvChangeEvent` are the unions of the payloads
inside those wrappers; `PulsarFrame` is the WebSocket frame around a
message. Types only check shape; validate messages against the schemas for
patterns and formats.

The documented variations (flags as "true"/"false", `recordingMode` as
yes/no or 0/1/2, `inboundChannelid` "N/A", `dispositionCode` as a number or
a name, `participatingAgents` joined by "," or ";") have one normal form
each in `8x8-event-types/normal` (ES module and CommonJS):

```ts
import { agents, flag, occurredAt, AttachedPairs } from "8x8-event-types/normal";

if (flag(event.isOutboundCall)) { /* "false" is false here */ }
const when = occurredAt(event);             // a Date, by the documented precedence
const ids = agents(event.participatingAgents);
const answered = AttachedPairs.of(event).answeredAt();
```

`8x8-event-types/dispatch` routes decoded messages to handlers by event
type, each handler typed with its event; event types this package does not
know reach `onUnknown`:

```ts
import { Dispatcher } from "8x8-event-types/dispatch";

const dispatcher = new Dispatcher()
  .on("InteractionQueued", (event) => console.log(event.queueId))
  .onUnknown((message) => console.log("new event type", message.name));
dispatcher.dispatch(JSON.parse(line));
```
"""


RUNTIME_MODULES = ("normal", "dispatch")
"""The entry points compiled from ``tools/ts/`` (``names``, which they import, is internal)."""


def write_package(folder: Path) -> list[Path]:
    manifest = {
        "name": "8x8-event-types",
        "version": __version__,
        "description": "TypeScript types for 8x8 Contact Center Event Streaming messages.",
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
        },
        "files": [
            "index.d.ts",
            *(f"{module}{suffix}" for module in RUNTIME_MODULES for suffix in (".js", ".d.ts")),
            "names.js",
            "names.d.ts",
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
