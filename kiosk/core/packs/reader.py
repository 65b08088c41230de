"""PackReader: a .kpack opened for reading, its entries inflated in memory and counted."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from kiosk.core.digest import Sha256, prefix_sha256
from kiosk.core.packs.format import Limits, PackError, megabytes
from kiosk.core.packs.zipdir import Entry, fail, read_directory

_CHUNK = 64 * 1024


class PackReader:
    """A .kpack opened for reading, its structure, names and sizes already checked
    (kiosk/core/packs/zipdir.py).

    Entries are inflated in memory with every byte counted, so a zip whose declared
    sizes lie still cannot go past the limits. PackError (one line naming the file)
    for anything wrong, including a file that cannot be read.
    """

    def __init__(self, path: Path, limits: Limits | None = None) -> None:
        self.path = path
        self.limits = limits or Limits()
        self._read_total = 0
        if path.exists() and not path.is_dir() and not path.is_file():
            raise PackError(f"{path}: not a regular file")  # a FIFO would block the open
        try:
            self._file = path.open("rb")
        except FileNotFoundError:
            raise PackError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise PackError(f"{path}: is a folder, not a .kpack file") from None
        except OSError as err:
            raise PackError(f"{path}: cannot read it ({err.strerror or err})") from None
        try:
            self.entries: dict[str, Entry] = read_directory(self._file, path, self.limits)
        except OSError as err:
            self._file.close()
            raise PackError(f"{path}: cannot read it ({err.strerror or err})") from None
        except BaseException:
            self._file.close()
            raise

    def __enter__(self) -> PackReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._file.close()

    def _fail(self, message: str) -> PackError:
        return fail(self.path, message)

    def _raw(self, entry: Entry) -> Iterator[bytes]:
        self._file.seek(entry.data_offset)
        left = entry.compress_size
        while left:
            chunk = self._file.read(min(_CHUNK, left))
            if not chunk:
                raise self._fail(f"entry '{entry.name}' is cut short")
            left -= len(chunk)
            yield chunk

    def chunks(self, name: str, max_bytes: int | None = None) -> Iterator[bytes]:
        """The bytes of one entry, in pieces, counted against the limits as they come."""
        entry = self.entries[name]
        limit = min(entry.file_size, self.limits.max_file_bytes, max_bytes or entry.file_size)
        if entry.file_size > limit:
            raise self._fail(f"entry '{name}' is {entry.file_size:,} bytes; too large for it")
        count = 0
        crc = 0
        try:
            pieces = (
                self._raw(entry) if entry.method == zipfile.ZIP_STORED else self._inflate(entry)
            )
            for piece in pieces:
                count += len(piece)
                self._read_total += len(piece)
                if count > limit:
                    raise self._fail(f"entry '{name}' holds more data than it declares")
                if self._read_total > self.limits.max_total_bytes:
                    raise self._fail(
                        f"unpacks to more than {megabytes(self.limits.max_total_bytes)}, "
                        f"the limit (at entry '{name}')"
                    )
                crc = zlib.crc32(piece, crc)
                yield piece
        except zlib.error as err:
            raise self._fail(f"entry '{name}' is damaged ({err})") from None
        except OSError as err:
            raise self._fail(f"entry '{name}' cannot be read ({err.strerror or err})") from None
        if count != entry.file_size:
            raise self._fail(f"entry '{name}' is shorter than it declares (damaged)")
        if crc != entry.crc:
            raise self._fail(f"entry '{name}' is damaged (CRC mismatch)")

    def _inflate(self, entry: Entry) -> Iterator[bytes]:
        """Raw deflate data to bytes, a piece at a time; the stream must fill the entry."""
        inflater = zlib.decompressobj(-15)
        damaged = self._fail(f"entry '{entry.name}' is damaged (bad compressed data)")
        for chunk in self._raw(entry):
            data = chunk
            while data:
                if inflater.eof:
                    raise damaged  # data after the end of the stream
                yield inflater.decompress(data, _CHUNK)
                data = inflater.unconsumed_tail
        tail = inflater.flush()
        if not inflater.eof or inflater.unused_data:
            raise damaged
        yield tail

    def read(self, name: str, max_bytes: int | None = None) -> bytes:
        """The whole of one entry; see chunks."""
        return b"".join(self.chunks(name, max_bytes))

    def prefix_digest(self, end: int) -> str:
        """SHA-256 of the file's first ``end`` bytes, as stored."""
        try:
            return prefix_sha256(self._file, end)
        except EOFError:
            raise self._fail("is cut short") from None
        except OSError as err:
            raise self._fail(f"cannot be read ({err.strerror or err})") from None

    def digest(self, name: str) -> str:
        """SHA-256 of one entry's content, as 64 hex digits."""
        sha = Sha256()
        for chunk in self.chunks(name):
            sha.update(chunk)
        return sha.hexdigest()
