"""What a consumer's test suite gets from ``eightbyeight_events.testing``: the pytest plugin,
loaded as a user's project loads it (``pytester`` in a process of its own, through the
package's ``pytest11`` entry point), ``make_event``, and strategies whose values an
independent validator (jsonschema-rs on the published bundle) accepts."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import SearchStrategy

from conftest import EXAMPLES, REPO
from eightbyeight_events import EventError, event_types, load_contract
from eightbyeight_events.models import AttachedDatum, InteractionQueued, MsgInfo
from eightbyeight_events.testing import make_event, start_replay
from eightbyeight_events.testing.strategies import events, frames
from test_typescript_runtime import install_packed

pytest_plugins = ["pytester"]

ROUTE = load_contract().route
CONSUMER_EXAMPLE = EXAMPLES / "consumer" / "test_consumer.py"
BUNDLE = json.loads((REPO / "generated" / "8x8-events.bundle.schema.json").read_bytes())
EVENT = jsonschema_rs.validator_for(BUNDLE, validate_formats=True)
FRAME = jsonschema_rs.validator_for(
    {**BUNDLE, "$ref": BUNDLE["$defs"]["pulsar-frame.schema.json"]["$id"]},
    validate_formats=True,
)


def test_the_guides_example_passes_as_a_users_project_runs_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_consumer=CONSUMER_EXAMPLE.read_text())
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_the_fixtures_serve_check_and_stop(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_fixtures="""
        import json, socket
        from pathlib import Path
        import pytest
        from websockets.sync.client import connect
        from eightbyeight_events import EventError

        PORT = Path("port.txt")

        def test_a_capture_with_faults(replay_server):
            replay = replay_server("SAMPLE", reorder_window=5, redeliver_rate=0.5, seed=3)
            assert replay.url.startswith("ws://127.0.0.1:") and replay.tenant == "acmecorp01"
            assert len(replay.api_key) >= 16
            PORT.write_text(str(replay.port))
            url = replay.url_for("event-v1/InteractionQueued", messageId="earliest")
            assert "/ws/v2/reader/persistent/acmecorp01/event-v1/InteractionQueued?" in url
            with connect(url, additional_headers=replay.headers) as stream:
                frames = [json.loads(stream.recv(timeout=10)) for _ in range(10)]
            assert any(frame.get("redeliveryCount") for frame in frames)

        def test_the_server_is_gone_after_its_test():
            with pytest.raises(OSError):
                socket.create_connection(("127.0.0.1", int(PORT.read_text())), timeout=2)

        def test_a_wrong_key_is_refused(replay_server, make_event):
            replay = replay_server([make_event("AgentStatusChange")])
            with pytest.raises(Exception, match="401"):
                connect(replay.url_for(), additional_headers={"X-API-Key": "wrong"})

        def test_a_failing_consumer_fails(make_event):
            assert make_event("InteractionQueued").priority == -1
        """.replace("SAMPLE", str(EXAMPLES / "captures" / "sample-frames.jsonl"))
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*test_a_failing_consumer_fails*"])


def test_make_event_applies_and_checks_overrides() -> None:
    pairs = (AttachedDatum(attachedDataKey="priority", attachedDataValue=9),)
    info = MsgInfo(instanceId="i-1", sequenceId=7, timestamp=1764057600000)
    event = make_event(
        "InteractionQueued", priority=9, msgInfo=info, attachedData={"attachedDatum": pairs}
    )
    assert isinstance(event, InteractionQueued)
    assert (event.priority, event.msgInfo, event.attachedData.attachedDatum) == (9, info, pairs)
    assert make_event("InteractionQueued", omit=["priority"]).priority is None
    with pytest.raises(EventError) as raised:
        make_event("InteractionQueued", callState="CS_RINGING")
    assert raised.value.pointer == "/Interaction/callState"
    with pytest.raises(ValueError, match='did you mean "InteractionQueued"'):
        make_event("InteractionQueud")
    with pytest.raises(ValueError, match="no field 'surveyScore'"):
        make_event("InteractionQueued", omit=["surveyScore"])


def forms(message: dict[str, Any]) -> set[str]:
    """The documented variations a decoded message shows."""
    ((_, payload),) = message.items()
    found = set()
    if any(payload.get(flag) in ("true", "false") for flag in payload if flag.startswith("is")):
        found.add("string flag")
    if ";" in str(payload.get("participatingAgents", "")):
        found.add("agents joined by ;")
    if isinstance(payload.get("dispositionCode"), str):
        found.add("disposition word")
    if payload.get("inboundChannelid") == "N/A":
        found.add("N/A channel")
    if payload.get("msgInfo") == {}:
        found.add("empty msgInfo")
    if isinstance(payload.get("recordingMode"), int):
        found.add("recording mode code")
    if payload.get("newState") not in (None, 0, 1, 5):
        found.add("tenant status code")
    keys = [
        pair["attachedDataKey"] for pair in payload.get("attachedData", {}).get("attachedDatum", [])
    ]
    if "crmTicketId" in keys:
        found.add("key outside the catalogue")
    return found


def test_events_are_valid_for_an_independent_validator_and_cover_every_form() -> None:
    seen: set[str] = set()

    def check(strategy: SearchStrategy[dict[str, Any]], examples: int, name: str) -> None:
        @settings(max_examples=examples, derandomize=True, deadline=None)
        @given(strategy)
        def each(message: dict[str, Any]) -> None:
            assert EVENT.is_valid(message), list(EVENT.iter_errors(message))[:1]
            assert name in ("", ROUTE(message).name)
            seen.update(forms(message))

        each()

    for kind in event_types():  # each type on its own, so that none is left out
        check(events(kind.name), 40, kind.name)
    check(events(), 100, "")
    assert seen == {
        "string flag",
        "agents joined by ;",
        "disposition word",
        "N/A channel",
        "empty msgInfo",
        "recording mode code",
        "tenant status code",
        "key outside the catalogue",
    }


def test_frames_are_valid_for_an_independent_validator_in_every_publish_time_form() -> None:
    stamps: set[str] = set()

    @settings(
        max_examples=200,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(frames())
    def check(frame: dict[str, Any]) -> None:
        assert FRAME.is_valid(frame), list(FRAME.iter_errors(frame))[:1]
        assert EVENT.is_valid(json.loads(base64.b64decode(frame["payload"])))
        stamp = frame["publishTime"]
        stamps.add("Z" if stamp.endswith("Z") else "space" if " " in stamp else "offset")

    check()
    assert stamps == {"Z", "space", "offset"}


@pytest.mark.usefixtures("node")
def test_the_guides_node_example_passes_against_the_replay_command(tmp_path: Path) -> None:
    install_packed(tmp_path)
    (tmp_path / "node_modules" / "ws").symlink_to(REPO / "node_modules" / "ws")  # no deps
    shutil.copy(EXAMPLES / "consumer" / "consumer.test.mjs", tmp_path)
    command = Path(sys.executable).parent  # where pip put the 8x8-events command
    result = subprocess.run(
        ["node", "--test", "consumer.test.mjs"],
        cwd=tmp_path,
        env={
            **os.environ,
            "CAPTURE": str(EXAMPLES / "captures" / "sample-frames.jsonl"),
            "PATH": f"{command}{os.pathsep}{os.environ['PATH']}",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# pass 3" in result.stdout
    assert "# fail 0" in result.stdout


def test_a_running_replay_never_shows_its_key() -> None:
    with start_replay([make_event("AgentStatusChange")], api_key="k-very-secret") as running:
        assert "k-very-secret" not in repr(running)
        assert running.headers == {"X-API-Key": "k-very-secret"}
        assert running.messages == 1
