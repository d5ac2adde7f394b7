"""Captures behind a URL: object stores and web servers, through fsspec.

An argument with a scheme (``s3://``, ``gs://``, ``abfs://``, ``https://``, ``file://``…)
names one file, a folder (every capture file below it) or a glob; a folder's or a glob's
files are listed in sorted order, like a local folder's. fsspec and the store's own
package (s3fs, gcsfs, adlfs; aiohttp for http) are optional: without them, the argument
is a usage error that says what to install.
"""

from __future__ import annotations

import glob
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, BinaryIO

from eightbyeight_events.readers import Source, UsageError, is_capture_name

if TYPE_CHECKING:
    from collections.abc import Iterator

INSTALL = "pip install '8x8-event-schemas[dask]'"
STORES = {
    "s3": "s3fs",
    "s3a": "s3fs",
    "gs": "gcsfs",
    "gcs": "gcsfs",
    "abfs": "adlfs",
    "az": "adlfs",
}


def _filesystem(url: str) -> tuple[Any, str]:
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise UsageError(f"{url}: reading URLs needs fsspec: {INSTALL}") from None
    scheme = url.partition("://")[0]
    try:
        return url_to_fs(url)  # type: ignore[no-any-return]
    except ImportError as error:
        package = STORES.get(scheme, "aiohttp" if scheme.startswith("http") else None)
        hint = f"pip install {package}" if package else str(error)
        raise UsageError(
            f"{url}: reading {scheme}:// needs {package or 'a package'}: {hint}"
        ) from None
    except ValueError as error:
        raise UsageError(f"{url}: {error}") from None


def expand_url(url: str) -> list[Source]:
    """The sources a URL names: a file, a folder's capture files, a glob's files, sorted."""
    filesystem, path = _filesystem(url)
    scheme = url.partition("://")[0]

    def named(found: str) -> str:
        return filesystem.unstrip_protocol(found) if scheme != "file" else f"file://{found}"

    try:
        if glob.has_magic(path):
            paths = [found for found in filesystem.glob(path) if filesystem.isfile(found)]
            what = "matches no file"
        elif filesystem.isdir(path):
            paths = [
                found
                for found in filesystem.find(path)
                if is_capture_name(PurePosixPath(found).name)
            ]
            what = "holds no capture files"
        elif filesystem.exists(path):
            paths, what = [path], ""
        else:
            raise UsageError(f"{url}: no such file or folder")
    except OSError as error:
        raise UsageError(f"{url}: cannot list: {error}") from None
    if not paths:
        raise UsageError(f"{url}: {what}")
    return [Source(named(found), None, url=named(found)) for found in sorted(paths)]


@contextmanager
def opened(url: str) -> Iterator[BinaryIO]:
    """The bytes behind a URL, as they are (a gzipped file is inflated by the reader)."""
    filesystem, path = _filesystem(url)
    with filesystem.open(path, "rb") as stream:
        yield stream
