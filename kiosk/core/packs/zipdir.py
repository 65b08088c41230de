"""The zip container of a .kpack: its central directory, read and checked entry by entry.

The container is read here, not by zipfile, and only in the one canonical form that
build_pack writes: entries back to back from offset 0, then the central directory, then
the end record, with no extra fields, comments or gaps, and every local header equal to
its central record. So every byte of a .kpack is either checked against a fixed value,
compared with a second copy, or covered by a digest: one flipped byte anywhere is
refused. Sizes and compression ratios are checked here too, before anything is inflated.
"""

from __future__ import annotations

import os
import stat
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NamedTuple

from kiosk.core.packs.format import (
    Limits,
    PackError,
    entry_name_problem,
    how_names_differ,
    megabytes,
    name_key,
)
from kiosk.core.terminal import printable

# Entries smaller than this are never checked for their compression ratio: a few
# kilobytes of repeated text can compress very well, and cannot be a bomb.
RATIO_FLOOR = 64 * 1024

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
_VERSION = 20  # "2.0": deflate; what zipfile writes for stored and deflated entries
_MADE_BY = (3 << 8) | _VERSION  # Unix, so the file type bits are meaningful
_UTF8_FLAG = 0x800
_FILE_ATTR = (stat.S_IFREG | 0o644) << 16
_MAX_DIRECTORY_BYTES = 16_000_000


@dataclass(frozen=True)
class Entry:
    """One file in a .kpack; offsets and sizes in bytes."""

    name: str
    method: int  # zipfile.ZIP_STORED or zipfile.ZIP_DEFLATED
    crc: int
    compress_size: int
    file_size: int
    header_offset: int  # where its local header starts
    data_offset: int  # where its (compressed) data starts


class _Central(NamedTuple):
    """A central directory record, field by field as the zip format lays it out."""

    sig: bytes
    made_by: int
    needed: int
    flags: int
    method: int
    time: int
    date: int
    crc: int
    csize: int
    usize: int
    name_len: int
    extra_len: int
    comment_len: int
    disk: int
    internal: int
    external: int
    offset: int


def fail(path: Path, message: str) -> PackError:
    """The PackError for ``path``, its (untrusted) details made printable."""
    return PackError(f"{path}: {printable(message)}")


def read_at(file: BinaryIO, path: Path, offset: int, size: int) -> bytes:
    """Exactly ``size`` bytes of ``file`` from ``offset``; PackError if it is shorter."""
    file.seek(offset)
    data = file.read(size)
    if len(data) != size:
        raise fail(path, "not a .kpack file (not a zip archive, or cut short)")
    return data


def read_directory(file: BinaryIO, path: Path, limits: Limits) -> dict[str, Entry]:
    """Every entry of the .kpack open as ``file``, in the order stored, once its end
    record, directory and local headers are checked; PackError naming what is wrong.
    OSError if the file cannot be read."""
    count, cd_offset, cd_size = _end_record(file, path, limits)
    directory = read_at(file, path, cd_offset, cd_size)
    entries: dict[str, Entry] = {}
    folded: dict[str, str] = {}  # by name_key: two would be one file on Windows and macOS
    total = at = expected_offset = 0
    for _ in range(count):
        entry, at = _central_record(file, path, limits, directory, at)
        name = entry.name
        if name in entries:
            raise fail(path, f"entry '{name}' appears twice")
        key = name_key(name)
        if key in folded:
            first = folded[key]
            raise fail(path, f"entries '{first}' and '{name}' {how_names_differ(first, name)}")
        total += entry.file_size
        if total > limits.max_total_bytes:
            raise fail(
                path,
                f"unpacks to more than {megabytes(limits.max_total_bytes)}, the limit "
                f"(at entry '{name}')",
            )
        if entry.header_offset != expected_offset:
            raise fail(path, f"entry '{name}' is not where the directory says (damaged)")
        expected_offset = entry.data_offset + entry.compress_size
        entries[name] = entry
        folded[key] = name
    if at != len(directory) or expected_offset != cd_offset:
        raise fail(path, "is damaged (its directory does not match its contents)")
    _check_no_file_is_a_folder(path, entries)
    return entries


def _end_record(file: BinaryIO, path: Path, limits: Limits) -> tuple[int, int, int]:
    """(entry count, directory offset, directory size) from the end record, checked."""
    not_a_pack = fail(path, "not a .kpack file (not a zip archive, or cut short)")
    size = os.fstat(file.fileno()).st_size
    if size < _END.size:
        raise not_a_pack
    sig, disk, cd_disk, on_disk, count, cd_size, cd_offset, comment = _END.unpack(
        read_at(file, path, size - _END.size, _END.size)
    )
    if sig != _END_SIG or comment != 0:
        raise not_a_pack
    if count > limits.max_files:
        raise fail(path, f"holds {count:,} entries; the limit is {limits.max_files:,}")
    if (disk, cd_disk, on_disk) != (0, 0, count) or cd_offset + cd_size != size - _END.size:
        raise fail(path, "is damaged (its end record does not match its contents)")
    if cd_size > _MAX_DIRECTORY_BYTES:
        raise fail(path, "is damaged (its directory is impossibly large)")
    return count, cd_offset, cd_size


def _check_no_file_is_a_folder(path: Path, entries: dict[str, Entry]) -> None:
    folders = {name.rsplit("/", i)[0] for name in entries for i in range(1, name.count("/") + 1)}
    for name in entries:
        if name in folders:
            raise fail(path, f"entry '{name}' is both a file and a folder")


def _central_record(
    file: BinaryIO, path: Path, limits: Limits, directory: bytes, at: int
) -> tuple[Entry, int]:
    """The entry whose central record starts at ``at``, and where the next one starts."""
    damaged = fail(path, "is damaged (its directory is broken)")
    if at + _CENTRAL.size > len(directory):
        raise damaged
    record = _Central._make(_CENTRAL.unpack_from(directory, at))
    if record.sig != _CENTRAL_SIG:
        raise damaged
    name_at = at + _CENTRAL.size
    end = name_at + record.name_len + record.extra_len + record.comment_len
    if end > len(directory):
        raise damaged
    raw_name = directory[name_at : name_at + record.name_len]
    try:
        name = raw_name.decode("utf-8" if record.flags & _UTF8_FLAG else "ascii")
    except UnicodeDecodeError:
        raise fail(path, f"entry {raw_name!r} has a name that is not UTF-8 text") from None
    _check_kind(path, name, record)
    entry = Entry(
        name,
        record.method,
        record.crc,
        record.csize,
        record.usize,
        record.offset,
        record.offset + _LOCAL.size + record.name_len,
    )
    _check_sizes(path, limits, entry)
    if not _is_canonical(name, record):
        raise fail(path, f"entry '{name}' has a damaged or unexpected header")
    local = _LOCAL.unpack(read_at(file, path, record.offset, _LOCAL.size))
    local_name = read_at(file, path, record.offset + _LOCAL.size, record.name_len)
    expected = (
        _LOCAL_SIG, record.needed, record.flags, record.method, record.time, record.date,
        record.crc, record.csize, record.usize, record.name_len, 0,
    )  # fmt: skip
    if local != expected or local_name != raw_name:
        raise fail(path, f"entry '{name}' is damaged (its two headers differ)")
    return entry, end


def _check_kind(path: Path, name: str, record: _Central) -> None:
    """PackError unless the entry is a plain, unencrypted file with a safe name."""
    kind = stat.S_IFMT(record.external >> 16)
    if name.endswith("/") or record.external & 0x10 or kind == stat.S_IFDIR:
        raise fail(path, f"entry '{name}' is a folder entry, not a file")
    reason = entry_name_problem(name)
    if reason:
        raise fail(path, f"entry '{name}' {reason}")
    if kind == stat.S_IFLNK:
        raise fail(path, f"entry '{name}' is a symbolic link")
    if kind not in (0, stat.S_IFREG):
        raise fail(path, f"entry '{name}' is not a regular file")
    if record.flags & 0x1:
        raise fail(path, f"entry '{name}' is encrypted")
    if record.method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise fail(
            path,
            f"entry '{name}' uses compression method {record.method}; "
            "only stored or deflated are read",
        )


def _is_canonical(name: str, record: _Central) -> bool:
    """Whether the record is exactly what build_pack writes for such an entry."""
    return (
        record.made_by == _MADE_BY
        and record.needed == _VERSION
        and record.flags == (0 if name.isascii() else _UTF8_FLAG)
        and (record.extra_len, record.comment_len, record.disk, record.internal) == (0, 0, 0, 0)
        and record.external == _FILE_ATTR
        and (record.method == zipfile.ZIP_DEFLATED or record.csize == record.usize)
    )


def _check_sizes(path: Path, limits: Limits, entry: Entry) -> None:
    """PackError if the entry unpacks too large, or expands too much (a zip bomb)."""
    name = entry.name
    if entry.file_size > limits.max_file_bytes:
        raise fail(
            path,
            f"entry '{name}' is {entry.file_size:,} bytes unpacked; "
            f"the limit is {limits.max_file_bytes:,}",
        )
    if entry.file_size >= RATIO_FLOOR and entry.file_size > limits.max_ratio * max(
        entry.compress_size, 1
    ):
        ratio = entry.file_size / max(entry.compress_size, 1)
        raise fail(
            path,
            f"entry '{name}' expands {ratio:,.0f} times; the limit is "
            f"{limits.max_ratio:g} (a zip bomb?)",
        )
