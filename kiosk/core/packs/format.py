"""The .kpack format: its entry names, its limits, its manifest, and its errors.

A .kpack is one zip file holding a content folder, its search index, and a signed
manifest. Entries, in this order::

    content/...        every file of the content folder (pack.toml, LL/topics/*.md, images),
                       deflated
    search.sqlite      the prebuilt search index, deflated
    catalogue.sqlite   every article's details, checked at every start, deflated
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
content; with it, and the strict layout checks of kiosk/core/packs/zipdir.py, one flipped
byte anywhere is refused.

This module, the reader and the verifier never read Markdown or search: a kiosk that
installs packs needs neither (an import-linter contract in pyproject.toml keeps it so).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from kiosk.core.content.identifiers import is_pack_id
from kiosk.core.content.problems import Problem
from kiosk.core.errors import KioskError

FORMAT = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
INDEX = "search.sqlite"
CATALOGUE = "catalogue.sqlite"  # every article's details, checked at every start
TOP_LEVEL = (INDEX, CATALOGUE)  # the files a pack holds beside content/
CONTENT = "content"
CONTENT_PREFIX = CONTENT + "/"
PACK_TOML = CONTENT_PREFIX + "pack.toml"

_DRIVE = re.compile(r"^[A-Za-z]:")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_CONTROL = re.compile("[\x00-\x1f\x7f]")
# A file name that is not UTF-8 reaches Python with its bytes as these (surrogateescape).
_NOT_UTF8 = re.compile(r"[\ud800-\udfff]")


def megabytes(n: int) -> str:
    """``n`` bytes in words for a message: "200 MB"."""
    return f"{n / 1_000_000:g} MB"


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
    if _NOT_UTF8.search(name):
        return "is not UTF-8 text"
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


def name_key(name: str) -> str:
    """What two entry names are compared by: a pack never holds two names with the same
    key, as they would be one file on a disk that ignores case (Windows, macOS) or how an
    accented letter is stored (é as one character, or as e and an accent: macOS). Case
    is folded as Unicode does it ("straße" is "STRASSE") and as uppercasing does (the
    Turkish dotless i is "I", as on Windows). One rule for the installer (zipdir.py) and
    for validate and build (folder.py)."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", name).upper().casefold())


def how_names_differ(first: str, second: str) -> str:
    """In words, how two names with the same name_key differ."""
    if unicodedata.normalize("NFD", first) == unicodedata.normalize("NFD", second):
        return "differ only in how an accented letter is stored"
    return "differ only in case"


@dataclass(frozen=True)
class Manifest:
    """manifest.json: what a pack is, and the SHA-256 (64 hex digits) of each of its files."""

    pack_id: str
    content_version: int
    version: int  # the build number, YYYYMMDDHHMMSS in UTC
    built: str  # the build time, ISO 8601 in UTC ("2030-01-02T03:04:05Z")
    signer: str  # the key id of the key that signed it (16 hex digits)
    files: Mapping[str, str] = field(default_factory=dict)
    # SHA-256 of the .kpack's bytes before manifest.json: every entry as stored, headers
    # and compressed data, so not one byte of the archive goes unsigned.
    archive_sha256: str = ""
    format: int = FORMAT

    def to_bytes(self) -> bytes:
        """The manifest as build_pack writes and signs it: indented JSON, files sorted."""
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
        fields = _Fields(_json_object(data, where), where)
        pack_id, built, signer = fields.text("pack_id"), fields.text("built"), fields.text("signer")
        content_version, version = fields.number("content_version"), fields.number("version")
        files = fields.raw.get("files")
        if not isinstance(files, dict):
            raise fields.bad("files", "an object")
        archive = fields.text("archive_sha256")
        if not _HEX64.match(archive):
            raise fields.bad("archive_sha256", "a SHA-256 digest")
        if not is_pack_id(pack_id):
            raise PackError(f"{where}: {MANIFEST}: pack_id {pack_id!r} is not a valid pack id")
        if version <= 0 or content_version <= 0:
            raise PackError(f"{where}: {MANIFEST}: versions must be positive whole numbers")
        if check_entries:
            _check_files(files, where)
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


def _json_object(data: bytes, where: str) -> dict[str, Any]:
    """manifest.json as a JSON object of the format this kiosk reads, else PackError."""
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
    return raw


@dataclass(frozen=True)
class _Fields:
    """The top-level values of a manifest, each read as the type it must have."""

    raw: dict[str, Any]
    where: str

    def bad(self, key: str, kind: str) -> PackError:
        return PackError(f"{self.where}: {MANIFEST}: '{key}' is missing or not {kind}")

    def text(self, key: str) -> str:
        value = self.raw.get(key)
        if not isinstance(value, str):
            raise self.bad(key, "text")
        return value

    def number(self, key: str) -> int:
        value = self.raw.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.bad(key, "a whole number")
        return value


def _check_files(files: dict[str, object], where: str) -> None:
    """PackError unless every listed name may be an entry and has a SHA-256 digest."""
    for name, digest in files.items():
        reason = entry_name_problem(name)
        if reason is None and name not in TOP_LEVEL and not name.startswith(CONTENT_PREFIX):
            reason = f"is not under {CONTENT_PREFIX} and is not {' or '.join(TOP_LEVEL)}"
        if reason:
            raise PackError(f"{where}: {MANIFEST}: file '{name}' {reason}")
        if not isinstance(digest, str) or not _HEX64.match(digest):
            raise PackError(f"{where}: {MANIFEST}: '{name}' has no valid SHA-256 digest")
