"""The .kpack file: a content folder, its search index, and a signed manifest, in one zip.

Entries, in this order::

    content/...        every file of the content folder (pack.toml, LL/topics/*.md, images),
                       deflated
    search.sqlite      the prebuilt search index, deflated
    manifest.json      {"format": 1, "pack_id", "content_version", "version", "built",
                        "signer", "files": {"content/...": sha256hex, "search.sqlite": ...},
                        "archive_sha256"}, stored
    manifest.sig       base64 Ed25519 signature over the exact bytes of manifest.json and a
                       newline, stored

``version`` is the build time in UTC as the integer YYYYMMDDHHMMSS, so every build is
newer than the ones before it; ``content_version`` is pack.toml's own version.
``files`` holds the SHA-256 of each file's content; ``archive_sha256`` the SHA-256 of the
.kpack's bytes before manifest.json (the entries as stored). Deflate can encode the same
content in many ways, so without it some changed bytes would still unpack to signed
content; with it, and the strict layout checks below, one flipped byte anywhere is refused.

A pack is checked in memory, before anything is written to disk: the archive's shape
(names, entry types, sizes and compression ratios, so a hostile or damaged zip cannot
escape the pack folder or fill the disk), then the signature against the trusted keys,
then that the manifest lists exactly the files present, with their digests."""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import re
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType, TracebackType

from kiosk.core.content.identifiers import is_pack_id
from kiosk.core.content.problems import Problem, ProblemList, Severity, has_errors
from kiosk.core.errors import KioskError
from kiosk.core.packs.buildorder import build_number
from kiosk.core.packs.signing import (
    SigningError,
    key_id,
    load_private_key,
    public_key_text,
    sign,
    verify,
)

FORMAT = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
INDEX = "search.sqlite"
CATALOGUE = "catalogue.sqlite"  # every article's details, checked at every start
_TOP_LEVEL = (INDEX, CATALOGUE)  # the files a pack holds beside content/
CONTENT = "content"
CONTENT_PREFIX = CONTENT + "/"
PACK_TOML = CONTENT_PREFIX + "pack.toml"

_CHUNK = 64 * 1024
_MAX_SIGNATURE_BYTES = 1024
# Entries smaller than this are never checked for their compression ratio: a few
# kilobytes of repeated text can compress very well, and cannot be a bomb.
_RATIO_FLOOR = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_IGNORED_NAMES = {"Thumbs.db", "desktop.ini"}


def printable(text: str) -> str:
    """Control characters shown as escapes: an entry name in a pack is untrusted and must
    not break a one-line error or write escape sequences to an administrator's terminal."""
    return "".join(
        c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii")
        for c in text
    )


class PackError(KioskError):
    """A .kpack that must not be used, as one line naming the file and the entry."""


class BuildError(KioskError):
    """The content folder cannot be built; ``problems`` says where and why."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class Limits:
    """What a pack may hold; anything beyond is refused before it is unpacked."""

    # Room for 10,000 articles in two languages with pictures; the byte limits below
    # are what guard against a flood of tiny entries filling the disk.
    max_files: int = 50_000
    max_file_bytes: int = 100_000_000  # the search index of 10,000 articles is ~40 MB
    max_total_bytes: int = 200_000_000
    max_ratio: float = 100.0


@dataclass(frozen=True)
class Manifest:
    pack_id: str
    content_version: int
    version: int
    built: str
    signer: str
    files: Mapping[str, str] = field(default_factory=dict)
    # SHA-256 of the .kpack's bytes before manifest.json: every entry as stored, headers
    # and compressed data, so not one byte of the archive goes unsigned.
    archive_sha256: str = ""
    format: int = FORMAT

    def to_bytes(self) -> bytes:
        data = {
            "format": self.format,
            "pack_id": self.pack_id,
            "content_version": self.content_version,
            "version": self.version,
            "built": self.built,
            "signer": self.signer,
            "files": dict(sorted(self.files.items())),
            "archive_sha256": self.archive_sha256,
        }
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes, where: str, *, check_entries: bool = True) -> Manifest:
        """Parse manifest.json; raises PackError naming ``where`` if it is malformed.

        ``check_entries=False`` skips the per-file name and digest checks, for the
        signed manifest of a pack that passed them when it was installed: the kiosk
        reads it at every start, and a big pack lists 10,000 files."""
        try:
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise PackError(f"{where}: {MANIFEST} is not valid JSON") from None
        if not isinstance(raw, dict):
            raise PackError(f"{where}: {MANIFEST} is not a JSON object")
        if raw.get("format") != FORMAT:
            raise PackError(
                f"{where}: {MANIFEST} has format {raw.get('format')!r}; "
                f"this kiosk reads format {FORMAT} (update the kiosk software?)"
            )

        def bad(key: str, kind: str) -> PackError:
            return PackError(f"{where}: {MANIFEST}: '{key}' is missing or not {kind}")

        def text(key: str) -> str:
            value = raw.get(key)
            if not isinstance(value, str):
                raise bad(key, "text")
            return value

        def number(key: str) -> int:
            value = raw.get(key)
            if not isinstance(value, int) or isinstance(value, bool):
                raise bad(key, "a whole number")
            return value

        pack_id, built, signer = text("pack_id"), text("built"), text("signer")
        content_version, version = number("content_version"), number("version")
        files = raw.get("files")
        if not isinstance(files, dict):
            raise bad("files", "an object")
        archive = text("archive_sha256")
        if not _HEX64.match(archive):
            raise bad("archive_sha256", "a SHA-256 digest")
        if not is_pack_id(pack_id):
            raise PackError(f"{where}: {MANIFEST}: pack_id {pack_id!r} is not a valid pack id")
        if version <= 0 or content_version <= 0:
            raise PackError(f"{where}: {MANIFEST}: versions must be positive whole numbers")
        for name, digest in files.items() if check_entries else ():
            reason = entry_name_problem(name)
            if reason is None and name not in _TOP_LEVEL and not name.startswith(CONTENT_PREFIX):
                reason = f"is not under {CONTENT_PREFIX} and is not {' or '.join(_TOP_LEVEL)}"
            if reason:
                raise PackError(f"{where}: {MANIFEST}: file '{name}' {reason}")
            if not isinstance(digest, str) or not _HEX64.match(digest):
                raise PackError(f"{where}: {MANIFEST}: '{name}' has no valid SHA-256 digest")
        for required in (INDEX, PACK_TOML):
            if required not in files:
                raise PackError(f"{where}: {MANIFEST} does not list {required}")
        return cls(
            pack_id=pack_id,
            content_version=content_version,
            version=version,
            built=built,
            signer=signer,
            files=MappingProxyType(dict(files)),
            archive_sha256=archive,
        )


@dataclass(frozen=True)
class VerifiedPack:
    """A pack whose signature, manifest and every digest have been checked."""

    path: Path
    manifest: Manifest
    manifest_bytes: bytes
    signature: bytes
    signer: str  # key id of the trusted key that verified the signature


# --- names and entry checks ---------------------------------------------------------------


_CONTROL = re.compile("[\x00-\x1f\x7f]")


def entry_name_problem(name: str) -> str | None:
    """Why ``name`` may not be a pack entry (or a file inside a pack folder), else None."""
    if not name:
        return "has an empty name"
    if name.startswith("/"):
        return "is an absolute path"
    if "\\" in name:
        return "contains a backslash"
    if _DRIVE.match(name):
        return "starts with a drive letter"
    if _CONTROL.search(name):
        return "contains a control character"
    parts = name.split("/")
    if ".." in parts:
        return "contains '..'"
    if "" in parts or "." in parts:
        return "has an empty or '.' path part"
    # Checked per part only when it could matter: a manifest names 10,000 files, and
    # the kiosk reads it at every start.
    if len(name) > 63 and any(len(part.encode("utf-8")) > 255 for part in parts):
        return "has a path part longer than 255 bytes"
    return None


def _mb(n: int) -> str:
    return f"{n / 1_000_000:g} MB"


# The container is read by this module itself, not by zipfile, and only in the one
# canonical form that build_pack writes: entries back to back from offset 0, then the
# central directory, then the end record, with no extra fields, comments or gaps, and
# every local header equal to its central record. So every byte of a .kpack is either
# checked against a fixed value, compared with a second copy, or covered by a digest:
# one flipped byte anywhere is refused.
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
class _Entry:
    name: str
    method: int
    crc: int
    compress_size: int
    file_size: int
    header_offset: int
    data_offset: int


class PackReader:
    """A .kpack opened for reading, its structure, names and sizes already checked.

    Entries are inflated in memory with every byte counted, so a zip whose declared
    sizes lie still cannot go past the limits.
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
            self.entries: dict[str, _Entry] = self._read_directory()
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
        return PackError(f"{self.path}: {printable(message)}")

    def _read_at(self, offset: int, size: int) -> bytes:
        self._file.seek(offset)
        data = self._file.read(size)
        if len(data) != size:
            raise self._fail("not a .kpack file (not a zip archive, or cut short)")
        return data

    def _read_directory(self) -> dict[str, _Entry]:
        not_a_pack = self._fail("not a .kpack file (not a zip archive, or cut short)")
        size = os.fstat(self._file.fileno()).st_size
        if size < _END.size:
            raise not_a_pack
        sig, disk, cd_disk, on_disk, count, cd_size, cd_offset, comment = _END.unpack(
            self._read_at(size - _END.size, _END.size)
        )
        if sig != _END_SIG or comment != 0:
            raise not_a_pack
        if count > self.limits.max_files:
            raise self._fail(f"holds {count:,} entries; the limit is {self.limits.max_files:,}")
        if (disk, cd_disk, on_disk) != (0, 0, count) or cd_offset + cd_size != size - _END.size:
            raise self._fail("is damaged (its end record does not match its contents)")
        if cd_size > _MAX_DIRECTORY_BYTES:
            raise self._fail("is damaged (its directory is impossibly large)")
        directory = self._read_at(cd_offset, cd_size)
        entries: dict[str, _Entry] = {}
        folded: dict[str, str] = {}
        total = 0
        at = 0
        expected_offset = 0
        for _ in range(count):
            entry, at = self._central_record(directory, at)
            name = entry.name
            if name in entries:
                raise self._fail(f"entry '{name}' appears twice")
            if name.casefold() in folded:
                raise self._fail(
                    f"entries '{folded[name.casefold()]}' and '{name}' differ only in case"
                )
            total += entry.file_size
            if total > self.limits.max_total_bytes:
                raise self._fail(
                    f"unpacks to more than {_mb(self.limits.max_total_bytes)}, the limit "
                    f"(at entry '{name}')"
                )
            if entry.header_offset != expected_offset:
                raise self._fail(f"entry '{name}' is not where the directory says (damaged)")
            expected_offset = entry.data_offset + entry.compress_size
            entries[name] = entry
            folded[name.casefold()] = name
        if at != len(directory) or expected_offset != cd_offset:
            raise self._fail("is damaged (its directory does not match its contents)")
        folders = {
            name.rsplit("/", i)[0] for name in entries for i in range(1, name.count("/") + 1)
        }
        for name in entries:
            if name in folders:
                raise self._fail(f"entry '{name}' is both a file and a folder")
        return entries

    def _central_record(self, directory: bytes, at: int) -> tuple[_Entry, int]:
        damaged = self._fail("is damaged (its directory is broken)")
        if at + _CENTRAL.size > len(directory):
            raise damaged
        (sig, made_by, needed, flags, method, time_, date_, crc, csize, usize, name_len,
         extra_len, comment_len, disk, internal, external, offset) = _CENTRAL.unpack_from(
            directory, at
        )  # fmt: skip
        if sig != _CENTRAL_SIG:
            raise damaged
        end = at + _CENTRAL.size + name_len + extra_len + comment_len
        if end > len(directory):
            raise damaged
        raw_name = directory[at + _CENTRAL.size : at + _CENTRAL.size + name_len]
        try:
            name = raw_name.decode("utf-8" if flags & _UTF8_FLAG else "ascii")
        except UnicodeDecodeError:
            raise self._fail(f"entry {raw_name!r} has a name that is not UTF-8 text") from None
        kind = stat.S_IFMT(external >> 16)
        if name.endswith("/") or external & 0x10 or kind == stat.S_IFDIR:
            raise self._fail(f"entry '{name}' is a folder entry, not a file")
        reason = entry_name_problem(name)
        if reason:
            raise self._fail(f"entry '{name}' {reason}")
        if kind == stat.S_IFLNK:
            raise self._fail(f"entry '{name}' is a symbolic link")
        if kind not in (0, stat.S_IFREG):
            raise self._fail(f"entry '{name}' is not a regular file")
        if flags & 0x1:
            raise self._fail(f"entry '{name}' is encrypted")
        if method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise self._fail(
                f"entry '{name}' uses compression method {method}; only stored or deflated are read"
            )
        entry = _Entry(name, method, crc, csize, usize, offset, offset + _LOCAL.size + name_len)
        self._check_sizes(entry)
        canonical = (
            made_by == _MADE_BY
            and needed == _VERSION
            and flags == (0 if name.isascii() else _UTF8_FLAG)
            and (extra_len, comment_len, disk, internal) == (0, 0, 0, 0)
            and external == _FILE_ATTR
            and (method == zipfile.ZIP_DEFLATED or csize == usize)
        )
        if not canonical:
            raise self._fail(f"entry '{name}' has a damaged or unexpected header")
        local = _LOCAL.unpack(self._read_at(offset, _LOCAL.size))
        local_name = self._read_at(offset + _LOCAL.size, name_len)
        if local != (_LOCAL_SIG, needed, flags, method, time_, date_, crc, csize, usize,
                     name_len, 0) or local_name != raw_name:  # fmt: skip
            raise self._fail(f"entry '{name}' is damaged (its two headers differ)")
        return entry, end

    def _check_sizes(self, entry: _Entry) -> None:
        limits, name = self.limits, entry.name
        if entry.file_size > limits.max_file_bytes:
            raise self._fail(
                f"entry '{name}' is {entry.file_size:,} bytes unpacked; "
                f"the limit is {limits.max_file_bytes:,}"
            )
        if entry.file_size >= _RATIO_FLOOR and entry.file_size > limits.max_ratio * max(
            entry.compress_size, 1
        ):
            ratio = entry.file_size / max(entry.compress_size, 1)
            raise self._fail(
                f"entry '{name}' expands {ratio:,.0f} times; the limit is "
                f"{limits.max_ratio:g} (a zip bomb?)"
            )

    def _raw(self, entry: _Entry) -> Iterator[bytes]:
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
                        f"unpacks to more than {_mb(self.limits.max_total_bytes)}, "
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

    def _inflate(self, entry: _Entry) -> Iterator[bytes]:
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
        return b"".join(self.chunks(name, max_bytes))

    def prefix_digest(self, end: int) -> str:
        """SHA-256 of the file's first ``end`` bytes, as stored."""
        sha = hashlib.sha256()
        try:
            self._file.seek(0)
            left = end
            while left:
                chunk = self._file.read(min(_CHUNK, left))
                if not chunk:
                    raise self._fail("is cut short")
                sha.update(chunk)
                left -= len(chunk)
        except OSError as err:
            raise self._fail(f"cannot be read ({err.strerror or err})") from None
        return sha.hexdigest()

    def digest(self, name: str) -> str:
        sha = hashlib.sha256()
        for chunk in self.chunks(name):
            sha.update(chunk)
        return sha.hexdigest()


# --- verifying ---------------------------------------------------------------------------


def decode_signature(text: bytes, where: str) -> bytes:
    """manifest.sig as build_pack writes it: one line of base64, nothing else."""
    try:
        signature = base64.b64decode(text.removesuffix(b"\n"), validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    if not signature or base64.b64encode(signature) + b"\n" != text:
        raise PackError(f"{where}: {SIGNATURE} is not a base64 signature")
    return signature


def check_signature(
    manifest_bytes: bytes, signature: bytes, trusted_keys: Iterable[str], where: str
) -> str:
    """The key id that signed the manifest; PackError if no trusted key did."""
    trusted = list(trusted_keys)
    signer = verify(trusted, manifest_bytes, signature)
    if signer is not None:
        return signer
    claimed = _claimed_signer(manifest_bytes)
    trusted_ids = set()
    for text in trusted:
        with contextlib.suppress(SigningError):
            trusted_ids.add(key_id(text))
    if claimed and claimed in trusted_ids:
        raise PackError(
            f"{where}: the signature does not match {MANIFEST}; "
            "the pack was changed or damaged after it was signed"
        )
    who = f"an unknown key {claimed}" if claimed else "an unknown key"
    raise PackError(f"{where}: signed by {who}; trust it with 'kiosk content trust KEYFILE'")


def _claimed_signer(manifest_bytes: bytes) -> str:
    try:
        signer = json.loads(manifest_bytes.decode("utf-8")).get("signer")
    except (UnicodeDecodeError, ValueError, AttributeError):
        return ""
    return signer if isinstance(signer, str) and re.fullmatch(r"[0-9a-f]{16}", signer) else ""


def compare_files(manifest: Manifest, present: Iterable[str], where: str) -> None:
    """PackError unless ``present`` is exactly the manifest's files plus the manifest."""
    names = set(present) - {MANIFEST, SIGNATURE}
    for name in sorted(set(manifest.files) - names):
        raise PackError(f"{where}: entry '{name}' is listed in the manifest but missing")
    for name in sorted(names - set(manifest.files)):
        raise PackError(f"{where}: entry '{name}' is not listed in the manifest")


def verify_pack(
    path: Path, trusted_keys: Iterable[str], limits: Limits | None = None
) -> VerifiedPack:
    """Check a .kpack completely, in memory; raises PackError with a one-line reason."""
    with PackReader(path, limits) as reader:
        for required, what in ((MANIFEST, "manifest"), (SIGNATURE, "signature")):
            if required not in reader.entries:
                raise PackError(f"{path}: no {required} inside; the pack has no {what}")
        manifest_bytes = reader.read(MANIFEST)
        signature = decode_signature(reader.read(SIGNATURE, _MAX_SIGNATURE_BYTES), str(path))
        signer = check_signature(manifest_bytes, signature, trusted_keys, str(path))
        manifest = Manifest.from_bytes(manifest_bytes, str(path))
        compare_files(manifest, reader.entries, str(path))
        for name, expected in sorted(manifest.files.items()):
            if reader.digest(name) != expected:
                raise PackError(
                    f"{path}: entry '{name}' does not match its SHA-256 in the manifest "
                    "(changed or damaged)"
                )
        tail = list(reader.entries)[-2:]
        stored = all(reader.entries[n].method == zipfile.ZIP_STORED for n in tail)
        if tail != [MANIFEST, SIGNATURE] or not stored:
            raise PackError(
                f"{path}: {MANIFEST} and {SIGNATURE} are not where 'kiosk content build' "
                "puts them (changed after signing?)"
            )
        if reader.prefix_digest(reader.entries[MANIFEST].header_offset) != manifest.archive_sha256:
            raise PackError(
                f"{path}: the archive does not match the digest in its manifest "
                "(changed or damaged after signing)"
            )
    return VerifiedPack(path, manifest, manifest_bytes, signature, signer)


def peek_manifest(path: Path, limits: Limits | None = None) -> Manifest:
    """The manifest of a pack, NOT verified: only for choosing among packs."""
    return peek_signed_manifest(path, (), limits)[0]


def peek_signed_manifest(
    path: Path, trusted_keys: Iterable[str], limits: Limits | None = None
) -> tuple[Manifest, bool]:
    """The manifest of a pack, and whether a trusted key signed it. Its files are NOT
    checked: only for choosing among packs (the install verifies everything)."""
    with PackReader(path, limits) as reader:
        if MANIFEST not in reader.entries:
            raise PackError(f"{path}: no {MANIFEST} inside; the pack has no manifest")
        manifest_bytes = reader.read(MANIFEST)
        manifest = Manifest.from_bytes(manifest_bytes, str(path))
        keys = list(trusted_keys)
        if not keys or SIGNATURE not in reader.entries:
            return manifest, False
        try:
            signature = decode_signature(reader.read(SIGNATURE), str(path))
            check_signature(manifest_bytes, signature, keys, str(path))
        except PackError:
            return manifest, False
        return manifest, True


# --- building ----------------------------------------------------------------------------


def _ignored(name: str) -> bool:
    return (
        name.startswith(".")
        or name.endswith("~")
        or (name.startswith("#") and name.endswith("#"))
        or name in _IGNORED_NAMES
    )


def _content_files(content_dir: Path, skip: Path, problems: list[Problem]) -> list[Path]:
    """Every file of the content folder an administrator put there, sorted."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(content_dir, followlinks=False):
        base = Path(folder)
        kept_dirs = []
        for name in sorted(dirs):
            if _ignored(name):
                continue
            if (base / name).is_symlink():
                ProblemList(problems, str(base / name)).error(
                    0, "is a link; copy the real folder into the content folder"
                )
                continue
            kept_dirs.append(name)
        dirs[:] = kept_dirs
        for name in sorted(files):
            path = base / name
            if _ignored(name) or path.absolute() == skip:
                continue
            if path.is_symlink() or not path.is_file():
                ProblemList(problems, str(path)).error(
                    0, "is a link or a special file; copy the real file into the content folder"
                )
                continue
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(content_dir).as_posix())


def _zip_info(name: str, when: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.create_system = 3  # Unix, so the file type bits below are read
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info


def _compression_for(data: bytes, limits: Limits) -> int:
    """Deflate, unless the entry would compress past the ratio a kiosk accepts."""
    if len(data) < _RATIO_FLOOR:
        return zipfile.ZIP_DEFLATED
    packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    size = len(packer.compress(data)) + len(packer.flush())
    # Keep a margin: zip's own compressor may do a little better than this estimate.
    return zipfile.ZIP_STORED if len(data) > limits.max_ratio * size / 2 else zipfile.ZIP_DEFLATED


def build_pack(
    content_dir: Path,
    out_path: Path,
    private_key_path: Path,
    now: datetime | None = None,
    *,
    report: Callable[[Problem], None] | None = None,
) -> Manifest:
    """Check, index, sign and write a content folder as one .kpack file.

    Raises BuildError (with every problem) if the content has errors, SigningError
    for a bad key, OSError if the output cannot be written. ``report`` receives the
    warnings of a pack that builds.
    """
    # Only building reads Markdown; a kiosk that verifies and installs packs never does.
    from kiosk.core.content import catalogue
    from kiosk.core.content.loader import load_pack
    from kiosk.core.search.index import SearchIndex

    limits = Limits()
    result = load_pack(content_dir)
    problems = list(result.problems)
    out_path = out_path.absolute()
    if result.pack is not None and out_path.resolve().is_relative_to(content_dir.resolve()):
        ProblemList(problems, str(out_path)).error(
            0, "the .kpack must be written outside the content folder"
        )
    files = _content_files(content_dir, out_path, problems) if result.pack else []
    names = [CONTENT_PREFIX + p.relative_to(content_dir).as_posix() for p in files]
    for path, name in zip(files, names, strict=True):
        reason = entry_name_problem(name)
        if reason:
            ProblemList(problems, str(path)).error(0, f"the file name {reason}; rename it")
        elif path.stat().st_size > limits.max_file_bytes:
            ProblemList(problems, str(path)).error(
                0, f"file is larger than {_mb(limits.max_file_bytes)}, the limit for a pack"
            )
    extra = len(_TOP_LEVEL) + 2  # and the manifest and its signature
    if len(files) + extra > limits.max_files:
        ProblemList(problems, str(content_dir)).error(
            0, f"{len(files):,} files; a pack holds at most {limits.max_files - extra:,}"
        )
    if result.pack is None or has_errors(problems):
        errors = sum(1 for p in problems if p.severity is Severity.ERROR)
        raise BuildError(
            f"{content_dir}: {errors} error{'s' if errors != 1 else ''}; nothing was built",
            sorted(problems),
        )
    if report:
        for problem in problems:
            report(problem)
    private = load_private_key(private_key_path)
    signer = key_id(public_key_text(private))
    when = (now or datetime.now(UTC)).astimezone(UTC)
    version = build_number(when)
    built = when.strftime("%Y-%m-%dT%H:%M:%SZ")

    digests: dict[str, str] = {}
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(
        dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".tmp"
    )
    temp = Path(temp_name)
    try:
        with (
            tempfile.TemporaryDirectory(prefix="kiosk-build-") as work,
            os.fdopen(fd, "wb") as raw,
        ):
            index_path, catalogue_path = Path(work) / INDEX, Path(work) / CATALOGUE
            SearchIndex.build(result.pack, index_path).close()
            catalogue.write_file(
                catalogue_path,
                (a for by_slug in result.pack.articles.values() for a in by_slug.values()),
            )
            built_files = [(INDEX, index_path), (CATALOGUE, catalogue_path)]
            total = 0
            with zipfile.ZipFile(raw, "w") as archive:
                for name, path in [*zip(names, files, strict=True), *built_files]:
                    data = path.read_bytes()
                    total += len(data)
                    if len(data) > limits.max_file_bytes or total > limits.max_total_bytes:
                        why = (
                            f"{len(data) / 1e6:.1f} MB; a kiosk accepts files up to "
                            f"{limits.max_file_bytes / 1e6:.0f} MB and packs up to "
                            f"{limits.max_total_bytes / 1e6:.0f} MB in all"
                        )
                        raise BuildError(
                            f"{path}: the pack would be larger than a kiosk accepts",
                            [Problem(str(path), 0, Severity.ERROR, f"too large: {why}")],
                        )
                    digests[name] = hashlib.sha256(data).hexdigest()
                    archive.writestr(
                        _zip_info(name, when), data, compress_type=_compression_for(data, limits)
                    )
                raw.flush()
                prefix = _prefix_digest(temp, raw.tell())
                manifest = Manifest(
                    result.pack.info.id,
                    result.pack.info.version,
                    version,
                    built,
                    signer,
                    MappingProxyType(dict(digests)),
                    prefix,
                )
                manifest_bytes = manifest.to_bytes()
                signature = sign(private, manifest_bytes)
                for name, data in (
                    (MANIFEST, manifest_bytes),
                    (SIGNATURE, base64.b64encode(signature) + b"\n"),
                ):
                    # Stored as they are: their bytes are the signed bytes.
                    archive.writestr(_zip_info(name, when), data, compress_type=zipfile.ZIP_STORED)
            raw.flush()
            os.fsync(raw.fileno())
        temp.chmod(0o644)
        temp.replace(out_path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(out_path.parent)
    return manifest


def _prefix_digest(path: Path, end: int) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as file:
        sha.update(file.read(end))
    return sha.hexdigest()


def _fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable. Windows cannot open a folder to do so (nor
    needs to: NTFS journals its names), and has no O_DIRECTORY."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def sha256_file(path: Path, max_bytes: int | None = None) -> str:
    """SHA-256 of a file on disk; PackError if it grows past ``max_bytes``."""
    sha = hashlib.sha256()
    count = 0
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            count += len(chunk)
            if max_bytes is not None and count > max_bytes:
                raise PackError(f"{path}: larger than the limit of {_mb(max_bytes)}")
            sha.update(chunk)
    return sha.hexdigest()
