"""How ngclient reaches a fleet repository: the kiosk's own downloads over HTTP(S)
(kiosk.core.packs.fetch: a size limit, a timeout per read, an overall deadline and a
minimum rate, held by a watch that cuts the socket), or files on a mounted USB stick.

ngclient verifies everything it is given (lengths, hashes, signatures, versions,
expiry); this only brings bytes, and says "not there" as HTTP 404, which is how
ngclient learns that no newer root exists.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

from tuf.api import exceptions
from tuf.ngclient.fetcher import FetcherInterface

from kiosk.core.files import read_regular
from kiosk.core.packs.fetch import FetchError, download

NOT_FOUND = 404
CHUNK = 64 * 1024


class KioskFetcher(FetcherInterface):
    """Downloads for ngclient: HTTP(S) through the kiosk's watched urllib, ``file://``
    from a mounted folder. ``timeout_s`` per read, ``deadline_s`` per file in all,
    ``min_rate`` bytes a second at least (0: none)."""

    def __init__(self, timeout_s: float, deadline_s: float, min_rate: float) -> None:
        self.timeout_s, self.deadline_s, self.min_rate = timeout_s, deadline_s, min_rate

    def _fetch(self, url: str) -> Iterator[bytes]:
        # ngclient calls download_file (below) with the length it allows; this is for
        # a caller that asks for a whole file without one (none in ngclient 7).
        with self.download_file(url, 2**40) as file:
            while chunk := file.read(CHUNK):
                yield chunk

    @contextmanager
    def download_file(self, url: str, max_length: int) -> Iterator[IO[bytes]]:
        """The file at ``url`` (at most ``max_length`` bytes), open for reading.

        Raises ngclient's DownloadHTTPError (404 when it is not there), or
        DownloadLengthMismatchError, or DownloadError saying why in one line."""
        parts = urlsplit(url)
        if parts.scheme == "file":
            local = Path(unquote(parts.path))
            if ".." in local.parts:  # a role named "../../x" (ngclient quotes its slashes)
                raise exceptions.DownloadError(f"{local}: outside the repository's folder")
            with _local(local, max_length) as file:
                yield file
            return
        with tempfile.TemporaryDirectory(prefix="kiosk-fleet-") as work:
            try:
                got = download(
                    url,
                    Path(work),
                    max_length,
                    self.timeout_s,
                    deadline_s=self.deadline_s,
                    min_rate=self.min_rate,
                )
            except FetchError as err:
                if err.status is not None:
                    raise exceptions.DownloadHTTPError(str(err), err.status) from None
                if "larger than the limit" in str(err):
                    raise exceptions.DownloadLengthMismatchError(str(err)) from None
                raise exceptions.DownloadError(str(err)) from None
            with got.open("rb") as file:
                yield file


@contextmanager
def _local(path: Path, max_length: int) -> Iterator[IO[bytes]]:
    """A file on a mounted stick: regular files only (a named pipe would never end)."""
    try:
        data = read_regular(path, max_length)
    except FileNotFoundError:
        raise exceptions.DownloadHTTPError(f"{path}: not there", NOT_FOUND) from None
    except OSError as err:
        raise exceptions.DownloadError(f"{path}: cannot read it ({err.strerror})") from None
    if len(data) > max_length:
        raise exceptions.DownloadLengthMismatchError(
            f"{path}: more than the {max_length:,} bytes allowed"
        )
    with tempfile.TemporaryFile() as file:
        file.write(data)
        file.seek(0)
        yield file
