"""Reference pages of the documentation site, written from the schemas.

Every sentence taken from a schema or from ``annotations.json`` passes
through ``text`` (or ``cell`` inside tables), which escapes HTML and
Markdown: a description can never inject markup into the site.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from eightbyeight_events.catalogue import EventType, event_types, router
from eightbyeight_events.codes import is_open_list
from eightbyeight_events.flatten import inline_bases, resolve
from eightbyeight_events.schemas import BASE_URI, Schema, SchemaSet
from eightbyeight_events.specdiff.kinds import KINDS
from eightbyeight_events.traffic.shift import as_frame

EVENTS_DIR = "reference/events"
CODE_TABLES = "reference/code-tables.md"
LIFECYCLES = "reference/lifecycles.md"
UNITS = {
    "EpochSeconds": "seconds since the epoch",
    "EpochMilliseconds": "milliseconds since the epoch",
    "EpochNanoseconds": "nanoseconds since the epoch",
    "DurationSeconds": "seconds",
}
"""The machine-readable unit of a time: the value form a field points at (docs/conventions.md)."""
EVIDENCE_BADGES = {
    "printed": "printed example",
    "described": "described only",
    "inferred": "inferred",
}

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")


def text(value: object) -> str:
    """Schema text made inert: HTML escaped, Markdown punctuation backslashed, and ``~``
    (which Markdown cannot backslash: the backslash would show, in pages and in search)
    as a character reference."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(value), quote=False))
    return escaped.replace("~", "&#126;")


def cell(value: object) -> str:
    """Text for a table cell: no line breaks."""
    return text(value).replace("\n", " ")


def code(value: object) -> str:
    """A value shown as inline code, escaped (HTML inside code spans renders as text; a
    ``[`` as a character reference, or ``[0-5][0-9]`` would read as a reference link)."""
    shown = value if isinstance(value, str) else json.dumps(value)
    return "<code>" + html.escape(shown).replace("[", "&#91;") + "</code>"


def relative(here: str, target: str) -> str:
    """A link from the page ``here`` to ``target`` (both paths below docs/)."""
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


def served_link(here: str, target: str) -> str:
    """A link from the page ``here`` to ``target`` as the site serves them (a page
    ``a/b.md`` at ``a/b/``): for links mkdocs does not rewrite, such as a diagram's."""

    def folder(page: str) -> str:
        stem = page.removesuffix(".md")
        return posixpath.dirname(stem) if stem.endswith("index") else stem

    return posixpath.relpath(folder(target), folder(here)) + "/"


def anchor(title: str) -> str:
    """The id mkdocs' toc extension gives a heading of this text."""
    return re.sub(r"[^\w-]", "", title.lower().replace(" ", "-"))


USAGE_ACCESSORS = (
    ("isOutboundCall", "normal.flag"),
    ("recordingMode", "normal.recording_mode"),
    ("inboundChannelid", "normal.channel"),
    ("dispositionCode", "normal.disposition"),
    ("participatingAgents", "normal.agents"),
)
"""Fields with documented variations, and the normal form the snippets read them through."""


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    unit: str
    values: str
    example: str
    description: str
    notes: str


class Site:
    """Pages of one schema set, with the examples that illustrate them."""

    def __init__(self, schemas: SchemaSet, examples: Path) -> None:
        self.schemas = schemas
        self.annotations = schemas.annotations
        self.examples = self._examples(examples)

    def _examples(self, folder: Path) -> dict[str, list[tuple[str, Any]]]:
        found: dict[str, list[tuple[str, Any]]] = {}
        for sub in ("vendor", "ours"):
            for path in sorted((folder / sub).glob("*.json")):
                message = json.loads(path.read_text(encoding="utf-8"))
                event_type = router(self.schemas).route(message)
                if event_type is not None:
                    found.setdefault(event_type.name, []).append((f"{sub}/{path.name}", message))
        return found

    # -- fields -----------------------------------------------------------

    def _code_meanings(self, uri: str) -> list[dict[str, Any]] | None:
        return self.annotations["codes"].get(self.schemas.relative_path(uri))  # type: ignore[no-any-return]

    def _field(
        self, name: str, schema: Schema, base: str, required: bool, example: Any, here: str
    ) -> Field:
        description = schema.get("description", "")
        unit = values = ""
        target_uri = None
        if set(schema) == {"$ref"}:
            target_uri = urljoin(base, schema["$ref"])
        else:
            refs = [part["$ref"] for part in schema.get("allOf", ()) if "$ref" in part]
            target_uri = urljoin(base, refs[0]) if refs else None
        if target_uri is not None:
            target = resolve(self.schemas, target_uri)
            description = description or target.get("description", "")
            title = target.get("title", "")
            unit = UNITS.get(title, "")
            meanings = self._code_meanings(target_uri)
            page = CODE_TABLES if meanings is not None else None
            shape = self._shape(target)
            link = f"[{cell(title)}]({relative(here, page)}#{anchor(title)})" if page else ""
            type_text = f"{link or cell(title)} ({shape})"
            if meanings is not None:
                kind = "known values (open list)" if is_open_list(target) else ""
                values = (kind + ":<br>" if kind else "") + "<br>".join(
                    f"{code(entry['value'])} {cell(entry['meaning'])}" for entry in meanings
                )
        else:
            type_text = self._shape(schema)
            if "const" in schema:
                values = code(schema["const"])
        shown = "" if example is None else _example(example)
        return Field(name, type_text, required, unit, values, shown, cell(description), "")

    def _shape(self, schema: Schema) -> str:
        if "const" in schema:
            return "constant"
        kinds = schema.get("type")
        if isinstance(kinds, list):
            return " or ".join(kinds)
        if kinds:
            return str(kinds) + (
                " matching " + code(schema["pattern"]) if "pattern" in schema else ""
            )
        branches = [self._shape(branch) for branch in schema.get("anyOf", ())]
        return " or ".join(dict.fromkeys(branches)) if branches else "any"

    def fields(
        self, schema: Schema, base: str, example: dict[str, Any] | None, here: str
    ) -> list[Field]:
        flat = inline_bases(schema, base, self.schemas)
        required = set(flat.get("required", ()))
        return [
            self._field(name, definition, base, name in required, (example or {}).get(name), here)
            for name, definition in flat.get("properties", {}).items()
        ]

    def _notes(self, name: str, event: str | None) -> str:
        notes = []
        for contradiction in self.annotations["contradictions"]:
            if name in contradiction["fields"] and contradiction.get("event", event) == event:
                notes.append(
                    f"Documented contradiction: {cell(contradiction['a'])} vs "
                    f"{cell(contradiction['b'])}. {cell(contradiction['resolution'])}"
                )
        return " ".join(notes)

    def field_table(
        self,
        schema: Schema,
        base: str,
        here: str,
        example: dict[str, Any] | None = None,
        event: str | None = None,
        prefix: str = "",
    ) -> str:
        rows = ["| Field | Description |", "|---|---|"]
        for field in self.fields(schema, base, example, here):
            ident = f"{prefix}{field.name}"
            label = html.escape(field.name)
            name = f'<a id="{ident}" href="#{ident}" class="field-anchor">{label}</a>'
            kind = f"{field.type}, in {field.unit}" if field.unit else field.type
            badge = '<br><span class="field-required">required</span>' if field.required else ""
            notes = self._notes(field.name, event)
            parts = [field.description + (f" {notes}" if notes else "")]
            if field.values:
                parts.append(f'<span class="field-values">Values: {field.values}</span>')
            if field.example:
                parts.append(f"Example: {field.example}")
            rows.append(
                f'| {name}<br><span class="field-type">{kind}</span>{badge} | '
                f"{'<br>'.join(parts)} |"
            )
        return "\n".join(rows) + "\n"

    # -- pages ------------------------------------------------------------

    def event_page(self, event_type: EventType) -> str:
        here = f"{EVENTS_DIR}/{event_type.name}.md"
        uri = self.schemas.uri(event_type.schema_path)
        document = self.schemas.documents[uri]
        payload = document["$defs"][event_type.name]
        facts = self.annotations["events"][event_type.name]
        examples = self.examples.get(event_type.name, [])
        example = examples[0][1][event_type.wrapper] if examples else None
        out = [f"# {event_type.name}", "", text(payload["description"]), ""]
        wrapper = (
            f"`{event_type.wrapper}`, with `event` set to `{event_type.event}`"
            if event_type.event
            else f"`{event_type.wrapper}` (the wrapper names the event)"
        )
        states = (
            ", ".join(f"`{state}`" for state in facts["callStates"] or []) or "none given (N/A)"
        )
        out += [
            "| About this event | |",
            "|---|---|",
            f"| Wrapper | {wrapper} |",
            f"| Group | {cell(self.annotations['groups'][event_type.group])} |",
            f"| Evidence | {EVIDENCE_BADGES[event_type.evidence]}: "
            f"{cell(self.annotations['evidenceLevels'][event_type.evidence])} |",
            f"| Call states (event table) | {states} |",
            f"| Topics | {self._topics(event_type, payload, uri, here)} |",
        ]
        for alternative in facts.get("alsoDocumented", ()):
            out.append(
                f"| Also documented | `{alternative['callState']}` in the "
                f"{cell(alternative['source'])} (contradiction `{alternative['contradiction']}`) |"
            )
        schema_link = relative(here, f"schemas/{event_type.schema_path}")
        out += [
            f"| Schema | [{event_type.schema_path}]({schema_link}) (download) |",
            f"| Python type | `eightbyeight_events.models.{event_type.name}` |",
            f"| TypeScript types | `{event_type.name}` (payload), "
            f"`{event_type.name}Message` (message) |",
            "",
        ]
        out += self._usage_section(event_type)
        out += self._lifecycle_section(event_type.name, here)
        out += ["## Fields", "", self.field_table(payload, uri, here, example, event_type.name)]
        out += self._example_section(examples)
        return "\n".join(out)

    def _topics(self, event_type: EventType, payload: Schema, uri: str, here: str) -> str:
        """The topics that carry the event: every event's, its type's, and its agent's when
        it names one (``agentId``)."""
        topics = ["`event-v1/all`", f"`event-v1/{event_type.name}`"]
        if "agentId" in inline_bases(payload, uri, self.schemas).get("properties", {}):
            topics.append("`agent-v1/{agentId}`")
        link = relative(here, "reference/connection.md")
        return ", ".join(topics) + f" ([connecting]({link}))"

    def usage(self, event_type: EventType) -> tuple[str, str]:
        """How to read this event: a Python and a TypeScript snippet, made from its schema
        (the tests run the one and compile the other)."""
        uri = self.schemas.uri(event_type.schema_path)
        payload = self.schemas.documents[uri]["$defs"][event_type.name]
        fields = list(inline_bases(payload, uri, self.schemas).get("properties", {}))
        shown = next((name for name in fields if name != "event"), None)
        name = event_type.name
        pattern = f"{name}({shown}=value)" if shown else f"{name}()"
        python = [
            "from eightbyeight_events import normal, parse_event",
            f"from eightbyeight_events.models import {name}",
            "",
            "event = parse_event(line)  # a line of a capture, as bytes or text",
            "match event:",
            f"    case {pattern}:",
            f"        print({'value' if shown else repr(name)})",
        ]
        python += [
            f"        print({call}(event.{field}))"
            for field, call in USAGE_ACCESSORS
            if field in fields
        ]
        if "interactionEventTS" in fields or "statusEventTS" in fields:
            python.append("        print(normal.occurred_at(event))  # its own time first")
        if not any("normal." in line for line in python[2:]):
            python[0] = "from eightbyeight_events import parse_event"
        wrapper = event_type.wrapper
        if event_type.event is not None:
            test = f'"{wrapper}" in message && message.{wrapper}.event === "{event_type.event}"'
        else:
            test = f'"{wrapper}" in message'
        typescript = [
            f'import type {{ Event, {name} }} from "8x8-event-types";',
            "",
            f"export function on{name}(message: Event): void {{",
            f"  if ({test}) {{",
            f"    const event: {name} = message.{wrapper};",
            f"    console.log(event.{shown});" if shown else "    console.log(event);",
            "  }",
            "}",
        ]
        return "\n".join(python) + "\n", "\n".join(typescript) + "\n"

    def _usage_section(self, event_type: EventType) -> list[str]:
        python, typescript = self.usage(event_type)
        out = ["## Reading it", ""]
        for title, language, code_text in (
            ("Python", "python", python),
            ("TypeScript", "ts", typescript),
        ):
            out += [f'=== "{title}"', "", f"    ```{language}"]
            out += [f"    {line}" if line else "" for line in code_text.splitlines()]
            out += ["    ```", ""]
        return out

    def _lifecycle_section(self, name: str, here: str) -> list[str]:
        rows = []
        for lifecycle in self.annotations["lifecycles"]:
            steps = lifecycle["steps"]
            for key, step in steps.items():
                if step["event"] != name:
                    continue
                before = [steps[a] for a, b, *_ in lifecycle["flow"] if b == key]
                after = [steps[b] for a, b, *_ in lifecycle["flow"] if a == key]
                target = f"{relative(here, LIFECYCLES)}#{anchor(lifecycle['title'])}"
                link = f"[{cell(lifecycle['title'])}]({target})"
                rows.append(
                    f"| {link} | {_steps(before, '(start)')} | {_step(step)} "
                    f"| {_steps(after, '(end)')} |"
                )
        if not rows:
            return []
        header = [
            "## In the lifecycle",
            "",
            "| Lifecycle | Comes after | Here | Comes before |",
            "|---|---|---|---|",
        ]
        return header + list(dict.fromkeys(rows)) + [""]

    def _example_section(self, examples: list[tuple[str, Any]]) -> list[str]:
        if not examples:
            return []
        out = ["## Examples", ""]
        for index, (source, message) in enumerate(examples, start=1):
            origin = (
                "printed in the vendor's reference"
                if source.startswith("vendor/")
                else "written for this project from documented fields"
            )
            out += [
                f"### Example {index}",
                "",
                f"From `examples/{source}`, {origin}.",
                "",
                '=== "Decoded"',
                "",
                "    ```json",
                *("    " + line for line in json.dumps(message, indent=2).splitlines()),
                "    ```",
                "",
                '=== "As a Pulsar frame"',
                "",
                "    ```json",
                *(
                    "    " + line
                    for line in json.dumps(as_frame(message, index), indent=2).splitlines()
                ),
                "    ```",
                "",
            ]
        return out

    def catalogue_page(self) -> str:
        out = [
            "# Event catalogue",
            "",
            "All 31 event types, grouped as the vendor's Event Reference groups them. The call "
            "states are those of the vendor's event table; the evidence level says how much the "
            "reference documents the event ([conventions](../../conventions.md#evidence-levels)).",
            "",
        ]
        for group, title in self.annotations["groups"].items():
            members = [t for t in event_types(self.schemas) if t.group == group]
            out += [
                f"## {cell(title)}",
                "",
                "| Event (wrapper) | Call states | Meaning |",
                "|---|---|---|",
            ]
            for event_type in members:
                facts = self.annotations["events"][event_type.name]
                payload = self.schemas.document(event_type.schema_path)["$defs"][event_type.name]
                meaning = payload["description"].split(" Evidence:")[0]
                states = " ".join(f"`{s}`" for s in facts["callStates"] or []) or "N/A"
                out.append(
                    f"| [{event_type.name}]({event_type.name}.md)<br>`{event_type.wrapper}` | "
                    f"{states} | {EVIDENCE_BADGES[event_type.evidence]}: {cell(meaning)} |"
                )
            out.append("")
        return "\n".join(out)

    def lifecycles_page(self) -> str:
        out = [
            "# Lifecycles",
            "",
            "How the events of one interaction (tied together by `interactionGUID`) or of one "
            "agent follow each other. Events may arrive late, out of order, or not at all; "
            "[the stream checks](../stream.md) say when they do.",
            "",
        ]
        return "\n".join(out) + self.lifecycle_diagrams("##", LIFECYCLES)

    def lifecycle_diagrams(self, heading: str, here: str) -> str:
        """Every documented lifecycle as a Mermaid flowchart, under ``heading``-level titles,
        each step a link to its event's page (``here`` is the page they are drawn on)."""
        out: list[str] = []
        for lifecycle in self.annotations["lifecycles"]:
            # Top to bottom, one line a step, close ranks: a left-to-right flow is scaled
            # down to the page's width until its text is unreadable, and two-line steps
            # make a long flow a page-long strip.
            out += [
                f"{heading} {cell(lifecycle['title'])}",
                "",
                text(lifecycle["about"]),
                "",
                '<div class="diagram" markdown>',
                "",
                "```mermaid",
                "---",
                "config:",
                "  flowchart:",
                "    rankSpacing: 16",
                "    padding: 6",
                "    nodeSpacing: 30",
                "---",
                "flowchart TD",
            ]
            for key, step in lifecycle["steps"].items():
                details = [html.escape(step[f]) for f in ("callState", "note") if f in step]
                label = step["event"] + (f" · {' · '.join(details)}" if details else "")
                out.append(f'  {key}["{label}"]')
            for edge in lifecycle["flow"]:
                arrow = f" -.->|{html.escape(edge[2])}| " if len(edge) > 2 else " --> "
                out.append(f"  {edge[0]}{arrow}{edge[1]}")
            for key, step in lifecycle["steps"].items():
                url = served_link(here, f"{EVENTS_DIR}/{step['event']}.md")
                out.append(f'  click {key} href "{url}" "{step["event"]}"')
            out += ["```", "", "</div>", ""]
        return "\n".join(out)

    def stream_rules_table(self) -> str:
        """The pair rules of ``streamRules`` in annotations.json, as a table."""
        rules = self.annotations["streamRules"]
        out = [
            text(rules["about"]),
            "",
            "| first, then | per agent | a missing step when | rule |",
            "|---|---|---|---|",
        ]
        for pair in rules["pairs"]:
            missing = []
            if pair["thenNeedsFirst"]:
                missing.append("then comes without first")
            if pair["firstNeedsThen"]:
                missing.append("first is never followed by then")
            out.append(
                f"| {_rule_step(pair['first'])},<br>then {_rule_step(pair['then'])} | "
                f"{'yes' if pair['by'] == 'agentId' else 'no'} | {'; '.join(missing)} | "
                f"{cell(pair['rule'])} |"
            )
        out += [
            "",
            f"Every interaction starts with {code(rules['start'])} and ends with "
            f"{code(rules['end'])}.",
            "",
        ]
        return "\n".join(out)

    def code_tables_page(self) -> str:
        out = [
            "# Code tables",
            "",
            "Every code list of the reference with the meaning of each value. Closed lists are "
            "enforced by the schemas; open lists (marked) accept other values, which the "
            "validator reports as drift.",
            "",
        ]
        for location, meanings in self.annotations["codes"].items():
            document_path, _, pointer = location.partition("#")
            definition = resolve(self.schemas, f"{BASE_URI}{document_path}#{pointer}")
            closed = not is_open_list(definition)
            extra_columns = sorted(
                {key for entry in meanings for key in entry} - {"value", "meaning"}
            )
            out += [
                f"## {cell(definition['title'])}",
                "",
                text(definition["description"]),
                "",
                "Closed list." if closed else "Open list: other values may occur.",
                "",
                "| Value | Meaning | "
                + " | ".join(column[0].upper() + column[1:] for column in extra_columns)
                + (" |" if extra_columns else ""),
                "|---|---|" + "---|" * len(extra_columns),
            ]
            for entry in meanings:
                extra = "".join(f" {cell(entry.get(column, ''))} |" for column in extra_columns)
                out.append(f"| {code(entry['value'])} | {cell(entry['meaning'])} |{extra}")
            out.append("")
        return "\n".join(out)

    def schema_table(self, relative_path: str, here: str, prefix: str = "") -> str:
        """The field table of a schema, named as ``path#/json/pointer`` below schemas/."""
        document_path, _, pointer = relative_path.partition("#")
        uri = self.schemas.uri(document_path)
        schema = resolve(self.schemas, f"{uri}#{pointer}")
        return self.field_table(schema, uri, here, prefix=prefix)

    def pages(self) -> Iterator[tuple[str, str]]:
        """(path below docs/, Markdown) of every generated page."""
        yield f"{EVENTS_DIR}/index.md", self.catalogue_page()
        for event_type in event_types(self.schemas):
            yield f"{EVENTS_DIR}/{event_type.name}.md", self.event_page(event_type)
        yield LIFECYCLES, self.lifecycles_page()
        yield CODE_TABLES, self.code_tables_page()

    def nav(self) -> list[dict[str, Any]]:
        """The Events section of the navigation, grouped as the catalogue groups them."""
        sections: list[dict[str, Any]] = [{"Event catalogue": f"{EVENTS_DIR}/index.md"}]
        for group, title in self.annotations["groups"].items():
            members = [
                {t.name: f"{EVENTS_DIR}/{t.name}.md"}
                for t in event_types(self.schemas)
                if t.group == group
            ]
            sections.append({title: members})
        return sections


def _step(step: dict[str, str]) -> str:
    detail = step.get("callState") or step.get("note", "")
    name = f"[{step['event']}]({step['event']}.md)"
    return f"{name} {code(detail)}" if detail else name


def _rule_step(step: str) -> str:
    """A step of a stream rule: its event as code, a hold's direction in words (so that the
    table can wrap between them)."""
    name, _, condition = step.partition(" ")
    if not condition:
        return code(name)
    return f"{code(name)} {'on' if condition.endswith('true') else 'off'} hold"


def _steps(steps: list[dict[str, str]], none: str) -> str:
    """The steps, or what no step there means: the lifecycle's start, or its end."""
    return ", ".join(_step(step) for step in steps) or none


def _example(value: Any) -> str:
    """A field's example value, whole (a value copied from the page is the real one); an
    object or a list is shown in the page's example instead."""
    if isinstance(value, dict | list):
        return "in the example below"
    return code(json.dumps(value, ensure_ascii=False))


def change_kinds_table() -> str:
    """Every kind ``8x8-events diff`` reports, with its class under each policy and the
    version a change of that kind needs on its own."""

    def mark(compatible: bool) -> str:
        return "yes" if compatible else "**no**"

    def needs(annotation: bool, compatible: bool) -> str:
        return "patch" if annotation else "minor" if compatible else "major"

    out = [
        "| Kind | BACKWARD, strict | BACKWARD, lenient | Alone, it needs (strict / lenient) |",
        "|---|---|---|---|",
    ]
    for kind in KINDS.values():
        name = f"`{kind.name}`" + (" (ours)" if kind.ours else "")
        strict, lenient = kind.compatible, kind.compatible_under("lenient")
        version = needs(kind.annotation, strict)
        if lenient != strict:
            version += f" / {needs(kind.annotation, lenient)}"
        out.append(f"| {name} | {mark(strict)} | {mark(lenient)} | {version} |")
    return "\n".join(out) + "\n"
