"""mkdocs hooks: the reference is generated from schemas/ during every build.

Nothing generated is written into docs/: event pages, the catalogue, the
lifecycles and the code tables are added as in-memory files, hand-written
pages get their tables where they hold a ``<!-- generated: ... -->`` marker,
the schema files are served for download, and Mermaid is served from
node_modules so the site needs no network. ``extra.schemas_dir`` in
mkdocs.yml points the build at another schema folder (the tests use it).
"""

from __future__ import annotations

import json
import re
import sys
from html import escape
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

# mkdocs loads this file by its path: make the build tools beside it importable
# (appended, so an installed eightbyeight_events still comes first).
sys.path.append(str(Path(__file__).resolve().parents[1]))

from eightbyeight_build.docsite import Site, change_kinds_table
from eightbyeight_events.schemas import load_schemas
from eightbyeight_events.traffic.shift import as_frame

MARKER = re.compile(r"<!-- generated: ([\w-]+) ?(\S*) -->")
MERMAID = Path("node_modules") / "mermaid" / "dist" / "mermaid.min.js"
_site: Site | None = None


def _repo(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _site
    folder = config.extra.get("schemas_dir")
    schemas = load_schemas(Path(folder).resolve()) if folder else load_schemas()
    _site = Site(schemas, _repo(config) / "examples")
    for item in config.nav or []:
        if isinstance(item, dict) and "Events" in item:
            item["Events"] = _site.nav()
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _site is not None
    for path, markdown in _site.pages():
        files.append(File.generated(config, path, content=markdown))
    for schema in sorted(_site.schemas.root.rglob("*.json")):
        name = "schemas/" + schema.relative_to(_site.schemas.root).as_posix()
        files.append(File.generated(config, name, abs_src_path=str(schema)))
    # the AsyncAPI document refers to ../schemas/: served one folder down, beside them
    asyncapi = _repo(config) / "generated" / "asyncapi.yaml"
    files.append(File.generated(config, "asyncapi/asyncapi.yaml", abs_src_path=str(asyncapi)))
    mermaid = _repo(config) / MERMAID
    if not mermaid.is_file():
        raise PluginError(f"{mermaid} is missing: run `npm ci` (nox -s docs does)")
    files.append(File.generated(config, "javascripts/mermaid.min.js", abs_src_path=str(mermaid)))
    return files


def _generated(kind: str, argument: str, page: Page, repo: Path) -> str:
    assert _site is not None
    if kind == "schema-table":
        return _site.schema_table(argument, page.file.src_uri)
    if kind == "stream-rules":
        return _site.stream_rules_table()
    if kind == "change-kinds":
        return change_kinds_table()
    if kind == "lifecycle-diagrams":
        return _site.lifecycle_diagrams("###", page.file.src_uri)
    if kind == "example-frame":
        example = json.loads((repo / argument).read_text(encoding="utf-8"))
        return "```json\n" + json.dumps(as_frame(example, 1), indent=2) + "\n```\n"
    raise PluginError(f"{page.file.src_uri}: unknown marker 'generated: {kind}'")


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    repo = _repo(config)
    return MARKER.sub(lambda match: _generated(match[1], match[2], page, repo), markdown)


TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
HEADER = re.compile(r"<th[^>]*>(.*?)</th>", re.DOTALL)
ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
CELL = re.compile(r"<td(?=[\s>])")
TAG = re.compile(r"<[^>]+>")


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Each cell carries its column's label (``data-label``): on a phone a table's rows
    become cards, and each value is shown under the label its header gave it."""
    return TABLE.sub(_labelled, html)


def _labelled(table: re.Match[str]) -> str:
    body = table[1]
    labels = [escape(TAG.sub("", label).strip(), quote=True) for label in HEADER.findall(body)]
    if not labels or not all(labels):  # a key-value table's first column is its labels
        return table[0]

    def row(found: re.Match[str]) -> str:
        names = iter(labels)
        cells = CELL.sub(lambda _: f'<td data-label="{next(names, "")}"', found[1])
        return f"<tr>{cells}</tr>"

    return f"<table>{ROW.sub(row, body)}</table>"
