"""The documentation site: a strict build, escaping, and a real browser on the built site."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import EXAMPLES, REPO
from eightbyeight_events.catalogue import event_types
from eightbyeight_events.schemas import load_schemas

ARTIFACTS = REPO / "test-artifacts"
# mkdocs-material draws each diagram into a closed shadow root; opening it lets the test look
# inside without changing what the page does.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (options) {
  return attach.call(this, { ...options, mode: "open" });
};
"""
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def build(site: Path, schemas_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if schemas_dir is not None:
        env["DOCS_SCHEMAS_DIR"] = str(schemas_dir)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    result = build(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return folder


def test_strict_build_has_every_page(site: Path) -> None:
    pages = sorted(path.parent.relative_to(site).as_posix() for path in site.rglob("index.html"))
    for event_type in event_types():
        assert f"reference/events/{event_type.name}" in pages
    for page in (
        "reference/lifecycles",
        "reference/code-tables",
        "reference/frame",
        "reference/connection",
        "reference/msginfo",
        "reference/attached-data",
        "validator",
        "stream",
        "capture-replay",
        "models",
        "testing",
        "performance",
        "api/python",
        "api/typescript",
        "conventions",
        "changelog",
    ):
        assert page in pages
    assert json.loads((site / "schemas" / "events" / "InteractionQueued.schema.json").read_text())
    assert (site / "javascripts" / "mermaid.min.js").stat().st_size > 1_000_000
    served = (site / "asyncapi" / "asyncapi.yaml").read_text()
    assert served == (REPO / "generated" / "asyncapi.yaml").read_text()  # stands alone
    assert (site / "schemas" / "pulsar-frame.schema.json").is_file()
    home = (site / "index.html").read_text()
    assert 'href="asyncapi/asyncapi.yaml"' in home  # linked from the home page and the nav


def test_event_page_shows_fields_values_examples_and_types(site: Path) -> None:
    page = (site / "reference" / "events" / "InteractionQueued" / "index.html").read_text()
    assert 'id="callState"' in page
    assert "CS_QUEUED</code> Waiting in a queue for an agent." in page
    assert "eightbyeight_events.models.InteractionQueued" in page
    assert "Reading it" in page
    shown = html.unescape(re.sub(r"<[^>]+>", "", page))  # code is highlighted token by token
    assert "normal.flag(event.isOutboundCall)" in shown  # the normal forms, on the page
    assert "InteractionQueuedMessage" in page
    assert "As a Pulsar frame" in page
    assert 'href="../../../schemas/events/InteractionQueued.schema.json"' in page
    assert "seconds since the epoch" in page
    example = json.loads(
        (EXAMPLES / "vendor" / "event-reference-InteractionQueued.json").read_text()
    )
    guid = example["Interaction"]["interactionGUID"]
    assert f"<code>&quot;{guid}&quot;</code>" in page or f'<code>"{guid}"</code>' in page
    assert "...</code>" not in page  # no example is cut short


def test_the_connection_page_and_the_topics_of_each_event(site: Path) -> None:
    text = html.unescape(
        re.sub(r"<[^>]+>", "", (site / "reference" / "connection" / "index.html").read_text())
    )
    for fact in (
        "readers as well as consumers",  # a reader that never acknowledges stalls
        "receiverQueueSize",
        "euw2",
        "use1",
        "usw2",
        "x-api-key",
        "negativeAckRedeliveryDelay",
        "isEndOfTopic",
        "401",
        "403",
        "every 20 seconds",
        "redeliveryCount",
        "2016-08-30 16:45:57.785",
    ):
        assert fact in text, fact
    frame = html.unescape(
        re.sub(r"<[^>]+>", "", (site / "reference" / "frame" / "index.html").read_text())
    )
    assert "With the consumer API, acknowledge" not in frame
    assert "on a reader as on a consumer" in frame
    accepted = (site / "reference" / "events" / "InteractionAccepted" / "index.html").read_text()
    deleted = (site / "reference" / "events" / "InteractionDeleted" / "index.html").read_text()
    assert "(end)" in deleted  # the last step of a lifecycle comes before nothing
    assert "(start)" not in deleted
    media = (site / "reference" / "events" / "MediaProxyAdded" / "index.html").read_text()
    assert "<code>event-v1/MediaProxyAdded</code> (" in media  # names no agent: no agent topic
    assert "<code>agent-v1/{agentId}</code>" in accepted
    assert "<code>event-v1/InteractionAccepted</code>" in accepted
    assert 'href="../../connection/"' in accepted


def test_stream_page_shows_the_rules_of_annotations_json(site: Path) -> None:
    page = (site / "stream" / "index.html").read_text()
    assert "<code>LineHoldStatus</code> on hold" in page
    assert "a call put on hold is taken off hold" in page
    assert page.count('class="mermaid"') == 6
    assert "sequence-regression" in page


def test_one_catalogue_entry_and_search_text_without_escapes(site: Path) -> None:
    home = (site / "index.html").read_text()
    labels = re.findall(r'<span class="md-ellipsis">\s*([^<]+?)\s*</span>', home)
    assert labels.count("Event catalogue") == 1, labels
    index = (site / "search" / "search_index.json").read_text()
    assert "\\\\~" not in index  # a backslashed ~ (the search text is JSON)
    assert "~~queue~~" in index  # the que key's layout reads as written


def test_quick_start_on_the_contributing_page_is_the_readme_s(site: Path) -> None:
    readme = (REPO / "README.md").read_text()
    commands = re.findall(r"^python3 -m venv \.venv .*$", readme, flags=re.MULTILINE)
    assert len(commands) == 2
    page = html.unescape(re.sub(r"<[^>]+>", "", (site / "contributing" / "index.html").read_text()))
    for command in commands:
        assert command in page
    home = html.unescape(re.sub(r"<[^>]+>", "", (site / "index.html").read_text()))
    assert "python3 -m pip install ./8x8-event-schemas" in home  # the home page is for consumers
    assert "npm install ./8x8-event-schemas/generated/typescript" in home


def test_schema_text_is_escaped(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(REPO / "schemas", schemas)
    path = schemas / "events" / "InteractionQueued.schema.json"
    document = json.loads(path.read_text())
    payload = document["$defs"]["InteractionQueued"]
    payload["description"] = (
        "Queued <script>alert('x')</script> | *not bold* " + payload["description"]
    )
    payload["properties"]["event"]["description"] = "<img src=x onerror=alert(1)> pinned"
    path.write_text(json.dumps(document, indent=2))
    result = build(tmp_path / "site", schemas)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (
        tmp_path / "site" / "reference" / "events" / "InteractionQueued" / "index.html"
    ).read_text()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "Queued &lt;script&gt;alert('x')&lt;/script&gt; | *not bold*" in html
    assert "&lt;img src=x onerror=alert(1)&gt; pinned" in html


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    handler = partial(SimpleHTTPRequestHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


PAGES_TO_FIT = (
    "/reference/events/InteractionQueued/",
    "/reference/events/",
    "/reference/code-tables/",
    "/reference/attached-data/",
    "/reference/connection/",
    "/stream/",
    "/testing/",
)
CODE_PAGES = ("/testing/", "/validator/", "/reference/events/InteractionQueued/")
OVERFLOWING = """() => [...document.querySelectorAll(
    '.md-typeset__scrollwrap, .md-typeset pre, .md-typeset table')]
  .filter((element) => element.scrollWidth > element.clientWidth + 1)
  .map((element) => element.tagName + ' ' + element.scrollWidth + '>' + element.clientWidth
       + ' ' + element.innerText.slice(0, 40))"""


CODE_PROBLEMS = """() => [...document.querySelectorAll('.md-typeset pre > code')]
.flatMap((code) => {
  const found = [];
  if (getComputedStyle(code).whiteSpace !== 'pre')
    found.push('wraps: ' + code.innerText.slice(0, 30));
  const button = code.parentElement.querySelector('.md-clipboard');
  if (button) {
    const b = button.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(code);
    const covered = [...range.getClientRects()].some((r) => r.width > 0 && r.height > 0
      && r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top);
    if (covered) found.push('under the copy button: ' + code.innerText.slice(0, 30));
  }
  return found;
})"""
RAW_BACKTICKS = """() => {
  const content = document.querySelector('.md-content');
  const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.textContent.includes('`') && !node.parentElement.closest('code, pre, script'))
      found.push(node.textContent.slice(0, 60));
  }
  return found;
}"""
LABELS = """() => [...document.querySelectorAll('.md-typeset td[data-label]')]
  .filter((cell) => cell.dataset.label)
  .map((cell) => [cell.dataset.label, getComputedStyle(cell, '::before').content])"""


STEP_LINKS = """() => [...document.querySelectorAll('.mermaid')].map((diagram) =>
  [...(diagram.shadowRoot || diagram).querySelectorAll('a')].map((link) =>
    link.getAttribute('href') || link.getAttribute('xlink:href')))"""
DIAGRAM_SIZES = """() => [...document.querySelectorAll('.mermaid')].map((diagram) => {
  const root = diagram.shadowRoot || diagram;
  const svg = root.querySelector('svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...root.querySelectorAll('.nodeLabel, .edgeLabel, text')]
    .map((label) => parseFloat(getComputedStyle(label).fontSize) * scale);
  return [diagram.getBoundingClientRect().height, Math.min(...sizes)];
})"""


def test_in_a_real_browser(served: str) -> None:
    executable = chromium()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: .ci/run installs Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.add_init_script(OPEN_SHADOW_ROOTS)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))

        page.goto(served + "/")
        page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)

        page.locator("label.md-search__icon, .md-search__input").first.click()
        page.locator("input.md-search__input").press_sequentially("InteractionQueued", delay=20)
        result = page.locator(".md-search-result__item a", has_text="InteractionQueued").first
        result.wait_for(timeout=15_000)
        result.click()
        page.wait_for_url(re.compile(r"/reference/events/InteractionQueued/"), timeout=15_000)
        row = page.locator("tr", has=page.locator("a#callState"))
        assert "CS_QUEUED" in row.inner_text()
        page.screenshot(path=str(ARTIFACTS / "InteractionQueued.png"), full_page=True)

        link = page.locator("a", has_text="events/InteractionQueued.schema.json").first
        href = link.get_attribute("href")
        assert href is not None
        download = page.request.get(urljoin(page.url, href))
        assert download.ok
        assert json.loads(download.text())["title"] == "InteractionQueuedMessage"

        page.goto(served + "/reference/lifecycles/")
        page.locator(".mermaid svg").first.wait_for(timeout=20_000)
        assert page.locator(".mermaid svg").count() == 6
        page.screenshot(path=str(ARTIFACTS / "lifecycles.png"), full_page=True)
        steps = page.evaluate(STEP_LINKS)
        lifecycles = json.loads((REPO / "schemas" / "annotations.json").read_text())["lifecycles"]
        assert [len(links) for links in steps] == [len(cycle["steps"]) for cycle in lifecycles]
        for href in {href for links in steps for href in links}:
            assert page.request.get(urljoin(page.url, href)).ok, href  # to its event's page

        for width, height in ((1280, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            for path in PAGES_TO_FIT:
                page.goto(served + path)
                overflowing = page.evaluate(OVERFLOWING)
                assert overflowing == [], (width, path, overflowing)
            for path in CODE_PAGES:
                page.goto(served + path)
                assert page.evaluate(CODE_PROBLEMS) == [], (width, path)
                assert page.evaluate(RAW_BACKTICKS) == [], (width, path)
            page.goto(served + "/reference/events/InteractionQueued/")
            labels = page.evaluate(LABELS)
            assert labels, "no labelled cells"
            for label, shown in labels:  # on a phone a row is a card: each value keeps its label
                assert shown == (json.dumps(label) if width < 720 else "none"), (width, label)
            cell = page.locator("tr", has=page.locator("a#callState")).locator("td").last
            box = cell.bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= width  # read without scrolling sideways
            page.screenshot(path=str(ARTIFACTS / f"InteractionQueued-{width}.png"))
            if width >= 1220:  # the sidebar is shown: its entries scroll under nothing
                title = page.locator(".md-nav--primary > .md-nav__title").first
                assert not title.is_visible()
            page.goto(served + "/")
            page.screenshot(path=str(ARTIFACTS / f"home-{width}.png"))
            page.goto(served + "/reference/lifecycles/")
            page.locator(".mermaid svg").first.wait_for(timeout=20_000)
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / f"lifecycles-{width}.png"), full_page=True)
            diagrams = page.evaluate(DIAGRAM_SIZES)
            assert len(diagrams) == 6
            for diagram_height, smallest_text in diagrams:
                assert smallest_text >= 12, (width, diagrams)  # readable, on a phone too
                if width == 1280:
                    assert diagram_height <= height, diagrams  # not a page-long strip
        page.set_viewport_size({"width": 1400, "height": 1000})

        page.goto(served + "/stream/")
        page.locator(".mermaid svg").first.wait_for(timeout=20_000)
        assert page.locator(".mermaid svg").count() == 6
        page.screenshot(path=str(ARTIFACTS / "stream.png"), full_page=False)
        browser.close()
    assert problems == []


def usage_snippets() -> list[tuple[str, str, str, bytes]]:
    from eightbyeight_build.docsite import Site

    site = Site(load_schemas(), EXAMPLES)
    found = []
    for event_type in event_types():
        python, typescript = site.usage(event_type)
        (_, example), *_ = site.examples[event_type.name]
        found.append((event_type.name, python, typescript, json.dumps(example).encode()))
    return found


def test_every_event_pages_python_snippet_runs_on_its_example(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, python, _, line in usage_snippets():
        exec(compile(python, f"{name} page", "exec"), {"line": line})
        printed = capsys.readouterr().out
        assert printed.strip(), name  # the match case was taken


@pytest.mark.usefixtures("node")
def test_every_event_pages_typescript_snippet_compiles(tmp_path: Path) -> None:
    from test_typescript import install_package, tsc

    install_package(tmp_path)
    snippets = [typescript for _, _, typescript, _ in usage_snippets()]
    imports = sorted(
        {line for snippet in snippets for line in snippet.splitlines() if line.startswith("import")}
    )
    bodies = [
        "\n".join(line for line in s.splitlines() if not line.startswith("import"))
        for s in snippets
    ]
    merged = (
        'import type { Event } from "8x8-event-types";\n'
        + "\n".join(line.replace("import type { Event, ", "import type { ") for line in imports)
        + "\n"
        + "\n".join(bodies)
    )
    result = tsc(tmp_path, merged)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_page_and_no_help_cites_our_notebook(site: Path) -> None:
    """The facts are stated, or linked to a page of ours that states them: the reference
    notes they came from are not shipped, so a citation of them would dangle."""
    cited = [
        path.relative_to(site).as_posix()
        for path in site.rglob("*")
        if path.suffix in (".html", ".yaml", ".json", ".js")
        and "FACTS" in path.read_text("utf-8", "replace")
    ]
    assert cited == []
    for command in ("validate", "interactions", "capture", "replay", "generate"):
        shown = subprocess.run(
            [sys.executable, "-m", "eightbyeight_events", command, "--help"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "FACTS" not in shown, command


def test_the_python_api_reference_documents_every_public_name(site: Path) -> None:
    import eightbyeight_events
    from eightbyeight_events import testing

    page = (site / "api" / "python" / "index.html").read_text()
    headings = set(re.findall(r'<h[2-5][^>]*id="([^"]+)"', page))
    public = [name for name in eightbyeight_events.__all__ if name != "__version__"]
    expected = {f"eightbyeight_events.{name}" for name in public}
    expected |= {f"eightbyeight_events.normal.{name}" for name in ("flag", "agents", "timestamps")}
    expected |= {f"eightbyeight_events.testing.{name}" for name in testing.__all__}
    assert expected <= headings, sorted(expected - headings)


def test_the_typescript_api_reference_shows_each_module_s_exports(site: Path) -> None:
    page = html.unescape(
        re.sub(r"<[^>]+>", "", (site / "api" / "typescript" / "index.html").read_text())
    )
    for module in ("parse", "normal", "dispatch"):
        assert f"8x8-event-types/{module}" in page
    for name in (
        "parseEvent",
        "parseFrame",
        "EventError",
        "ControlMessage",
        "occurredAt",
        "Dispatcher",
    ):
        assert f"\n{name}\n" in page or f"{name}\n" in page, name
    assert "export declare function parseEvent(input: string | object): Event;" in page


def test_the_guides_are_pages_with_a_heading_per_task(site: Path) -> None:
    def headings(page: str) -> list[str]:
        found = (site / page / "index.html").read_text()
        return [
            html.unescape(re.sub(r"<[^>]+>", "", h)).strip().rstrip("¶")
            for h in re.findall(r"<h2[^>]*>(.*?)</h2>", found)
        ]

    validator = headings("validator")
    for task in (
        "Inputs",
        "Statuses",
        "Reports",
        "Exit codes",
        "In a consumer's CI",
        "From Python",
    ):
        assert task in validator, validator
    assert "yardstick" not in (site / "validator" / "index.html").read_text()  # bench: its own page
    assert "yardstick" in (site / "performance" / "index.html").read_text()
    capture = headings("capture-replay")
    for task in ("Capture in production", "Resuming", "Reconnecting", "Replay to test a consumer"):
        assert task in capture, capture
    readme = (REPO / "README.md").read_text()
    assert len(readme.splitlines()) < 250  # consumer-first and short; the guides hold the rest
    assert "room by room" in (site / "contributing" / "index.html").read_text()
