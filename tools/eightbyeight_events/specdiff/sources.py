"""The two sides of a ``diff``: a schemas folder, one schema file, the bundle, or a git
revision of a checkout, each read into the same shape without a network."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from eightbyeight_events.readers import UsageError
from eightbyeight_events.schemas import ANNOTATIONS, BASE_URI, schema_dir
from eightbyeight_events.version import BUNDLE_COMMENT, VERSION_KEY

Schema = dict[str, Any]
INSTALLED = "installed"
"""The side that names the schemas of the installed package."""
SINGLE = "(file)"
"""The key a lone schema file is compared under, whatever its ``$id``: two lone files are
two versions of one schema."""


@dataclass(frozen=True)
class Spec:
    """One side: its documents keyed by their path below ``schemas/`` (``events/X.schema.json``)."""

    label: str
    documents: dict[str, Schema]
    version: str | None = None
    on_disk: str | None = field(default=None, compare=False)
    """The folder (or the lone file) the documents were read from, for annotations on a
    pull request's files."""


def read_spec(argument: str) -> Spec:
    """``git:REF[:PATH]``, ``installed``, a folder, a bundle or a schema file; a clear
    UsageError otherwise."""
    if argument.startswith("git:"):
        return _from_git(argument)
    if argument == INSTALLED:
        return _from_folder(schema_dir(), INSTALLED)
    path = Path(argument)
    if path.is_dir():
        return _from_folder(path, argument)
    if path.is_file():
        return _from_file(path, argument)
    raise UsageError(
        f"{argument}: no such file or folder (give a schemas folder, a schema "
        "file, the bundle, or git:REF)"
    )


def relative_path(identifier: str, fallback: str) -> str:
    return identifier.removeprefix(BASE_URI) if identifier.startswith(BASE_URI) else fallback


def _load(text: str | bytes, where: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise UsageError(f"{where}: not JSON: {error}") from None


def spec_of(label: str, named: dict[str, Any], version: str | None = None) -> Spec:
    """A side made of documents named by their path below ``schemas/``, each checked."""
    return Spec(label, _documents(named, label), version)


def _documents(named: dict[str, Any], label: str) -> dict[str, Schema]:
    documents: dict[str, Schema] = {}
    for name, document in sorted(named.items()):
        _check(document, f"{label}/{name}")
        identifier = document.get("$id")
        key = relative_path(identifier, name) if isinstance(identifier, str) else name
        documents[key] = document
    return documents


def _check(document: Any, where: str) -> None:
    """A side is compared only once every document is a draft 2020-12 schema: the walk can
    then trust each keyword's shape, patterns included (the meta-schema and its format
    checks ship with jsonschema; no network)."""
    # python-jsonschema, 50 ms to import, is needed by `diff` alone: not at every start-up
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    if not isinstance(document, dict):
        raise UsageError(f"{where}: not a JSON Schema (an object is expected)")
    try:
        Draft202012Validator.check_schema(document)
    except SchemaError as error:
        pointer = "".join(f"/{part}" for part in error.path)
        raise UsageError(
            f"{where}: not a valid JSON Schema at {pointer or '/'}: {error.message}"
        ) from None


def _version(annotations: Any) -> str | None:
    version = annotations.get(VERSION_KEY) if isinstance(annotations, dict) else None
    return version if isinstance(version, str) else None


def _from_folder(folder: Path, label: str) -> Spec:
    named = {
        path.relative_to(folder).as_posix(): _load(path.read_bytes(), str(path))
        for path in sorted(folder.rglob("*.schema.json"))
    }
    if not named:
        raise UsageError(f"{label}: no *.schema.json in this folder")
    annotations = folder / ANNOTATIONS
    version = (
        _version(_load(annotations.read_bytes(), str(annotations)))
        if annotations.is_file()
        else None
    )
    return Spec(label, _documents(named, label), version, on_disk=str(folder))


def _from_file(path: Path, label: str) -> Spec:
    document = _load(path.read_bytes(), label)
    _check(document, label)
    embedded = document.get("$defs", {})
    if (
        isinstance(embedded, dict)
        and embedded
        and all(
            isinstance(inner, dict) and isinstance(inner.get("$id"), str)
            for inner in embedded.values()
        )
    ):
        # the bundle: every schema embedded under $defs with its own $id
        comment = document.get("$comment")
        version = None
        if isinstance(comment, str) and comment.startswith(BUNDLE_COMMENT):
            version = comment.removeprefix(BUNDLE_COMMENT)
        return Spec(label, _documents(embedded, label), version)
    return Spec(label, {SINGLE: document}, on_disk=str(path))


def _git(
    repository: Path, *arguments: str, stdin: bytes | None = None, failure: str | None = None
) -> bytes:
    """git's output; on failure ``failure``, or else the last line git wrote."""
    try:
        done = subprocess.run(
            ["git", "-C", str(repository), *arguments],
            input=stdin,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise UsageError("git:REF needs git, and git is not installed") from None
    if done.returncode != 0:
        if failure is not None:
            raise UsageError(failure)
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise UsageError(f"git {arguments[0]}: {message[-1] if message else 'failed'}")
    return done.stdout


def _from_git(argument: str) -> Spec:
    reference, _, folder = argument.removeprefix("git:").partition(":")
    if not reference:
        raise UsageError(f"{argument}: name a revision, e.g. git:HEAD~1 or git:v1.0.0:schemas")
    top = Path(_git(Path.cwd(), "rev-parse", "--show-toplevel").decode().strip())
    folder = PurePosixPath(folder or "schemas").as_posix().strip("/")
    unknown = (
        f"{argument}: this checkout has no revision {reference!r} (a shallow clone lacks "
        "history: git fetch --unshallow, or name a branch or tag it has)"
    )
    found = _git(
        top, "rev-parse", "--verify", "--quiet", f"{reference}^{{commit}}", failure=unknown
    )
    commit = found.decode().strip()
    listing = _git(top, "ls-tree", "-r", "-z", "--name-only", commit, "--", f"{folder}/")
    paths = [p for p in listing.decode().split("\0") if p]
    wanted = [p for p in paths if p.endswith(".schema.json")]
    if not wanted:
        raise UsageError(f"{argument}: no *.schema.json under {folder}/ at {reference}")
    texts = _blobs(top, commit, wanted)
    named = {
        PurePosixPath(path).relative_to(folder).as_posix(): _load(text, f"{reference}:{path}")
        for path, text in zip(wanted, texts, strict=True)
    }
    version = None
    if f"{folder}/{ANNOTATIONS}" in paths:
        (annotations,) = _blobs(top, commit, [f"{folder}/{ANNOTATIONS}"])
        version = _version(_load(annotations, f"{reference}:{folder}/{ANNOTATIONS}"))
    return Spec(argument, _documents(named, argument), version)


def _blobs(top: Path, commit: str, paths: list[str]) -> list[bytes]:
    """Every file in one ``git cat-file --batch``: a file each would be a process each."""
    request = "".join(f"{commit}:{path}\n" for path in paths).encode()
    output = _git(top, "cat-file", "--batch", stdin=request)
    texts: list[bytes] = []
    at = 0
    for _ in paths:
        header_end = output.index(b"\n", at)
        size = int(output[at:header_end].split()[2])
        start = header_end + 1
        texts.append(output[start : start + size])
        at = start + size + 1
    return texts
