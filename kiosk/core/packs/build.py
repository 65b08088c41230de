"""Building a .kpack from a content folder: check, index, sign, write (kiosk content build).

The only part of the pack code that reads Markdown and builds a search index, so the
only one that imports the content loader and search: a kiosk that verifies and installs
packs never does (an import-linter contract in pyproject.toml keeps it so).
"""

from __future__ import annotations

import base64
import dataclasses
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from kiosk.core.content.problems import Problem, ProblemList, Severity, has_errors
from kiosk.core.digest import prefix_sha256, sha256_hex
from kiosk.core.files import atomic_writer
from kiosk.core.packs.buildorder import build_number
from kiosk.core.packs.folder import content_files
from kiosk.core.packs.format import (
    CATALOGUE,
    CONTENT_PREFIX,
    INDEX,
    MANIFEST,
    SIGNATURE,
    BuildError,
    Limits,
    Manifest,
)
from kiosk.core.packs.signing import key_id, load_private_key, public_key_text, sign
from kiosk.core.packs.zipdir import RATIO_FLOOR

# The years a zip entry's date can hold (zipfile raises ValueError, or struct.error,
# outside them).
_FIRST_YEAR, _LAST_YEAR = 1980, 2107

if TYPE_CHECKING:
    from kiosk.core.content.loader import LoadResult
    from kiosk.core.content.pack import Pack


def build_pack(
    content_dir: Path,
    out_path: Path,
    private_key_path: Path,
    now: datetime | None = None,
    *,
    report: Callable[[Problem], None] | None = None,
    passphrase: str | None = None,
) -> Manifest:
    """Check, index, sign and write a content folder as one .kpack file.

    Raises BuildError (with every problem) if the content has errors, SigningError
    for a bad key (PassphraseNeededError: ``passphrase`` is missing or wrong), OSError
    if the output cannot be written. ``report`` receives the warnings of a pack that
    builds."""
    # Only building reads Markdown; a kiosk that verifies and installs packs never does.
    from kiosk.core.content.loader import load_pack

    limits = Limits()
    when = _build_time(now)
    result = load_pack(content_dir)
    out_path = out_path.absolute()
    pack, files, problems = _checked_content(result, content_dir, out_path, limits)
    if report:
        for problem in problems:
            report(problem)
    private = load_private_key(private_key_path, passphrase)
    unsigned = Manifest(
        pack.info.id,
        pack.info.version,
        build_number(when),
        when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        key_id(public_key_text(private)),
    )
    names = [CONTENT_PREFIX + p.relative_to(content_dir).as_posix() for p in files]
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kiosk-build-") as work:
        built = _build_indexes(pack, Path(work))
        with atomic_writer(out_path) as raw, zipfile.ZipFile(raw, "w") as archive:
            entries = [*zip(names, files, strict=True), *built]
            digests = _write_entries(archive, entries, when, limits)
            raw.flush()
            manifest = dataclasses.replace(
                unsigned,
                files=MappingProxyType(digests),
                archive_sha256=prefix_sha256(raw, raw.tell()),
            )
            manifest_bytes = manifest.to_bytes()
            signature = base64.b64encode(sign(private, manifest_bytes)) + b"\n"
            for name, data in ((MANIFEST, manifest_bytes), (SIGNATURE, signature)):
                # Stored as they are: their bytes are the signed bytes.
                archive.writestr(_zip_info(name, when), data, compress_type=zipfile.ZIP_STORED)
    return manifest


def _build_time(now: datetime | None) -> datetime:
    """The time the pack is built (now, in UTC); BuildError, before any work, for a clock a
    pack cannot record: a zip entry is dated from 1980 to 2107, and a computer whose clock
    battery is flat says 1970."""
    when = (now or datetime.now(UTC)).astimezone(UTC)
    if not _FIRST_YEAR <= when.year <= _LAST_YEAR:
        raise BuildError(
            f"this computer's clock says {when:%Y-%m-%d %H:%M} UTC, and a pack can only be "
            f"dated from {_FIRST_YEAR} to {_LAST_YEAR}: set the computer's date and time "
            "(its clock battery may be flat), then build again",
            [],
        )
    return when


def _checked_content(
    result: LoadResult, content_dir: Path, out_path: Path, limits: Limits
) -> tuple[Pack, list[Path], list[Problem]]:
    """The loaded pack, the files to put in it (sorted) and its warnings; BuildError with
    every problem (the loader's, the folder's and these) if anything stops the build."""
    problems = list(result.problems)
    if result.pack is not None and out_path.resolve().is_relative_to(content_dir.resolve()):
        ProblemList(problems, str(out_path)).error(
            0, "the .kpack must be written outside the content folder"
        )
    # The same check validate makes (kiosk.cli): what it accepts, this builds.
    files = content_files(content_dir, problems, skip=out_path, limits=limits)
    if result.pack is None or has_errors(problems):
        errors = sum(1 for p in problems if p.severity is Severity.ERROR)
        raise BuildError(
            f"{content_dir}: {errors} error{'s' if errors != 1 else ''}; nothing was built",
            sorted(problems),
        )
    return result.pack, files, problems


def _build_indexes(pack: Pack, work: Path) -> list[tuple[str, Path]]:
    """The search index and the catalogue of ``pack``, built in ``work``, as (entry name,
    file) pairs."""
    # Only building searches or catalogues content; installing a pack never does.
    from kiosk.core.content import catalogue
    from kiosk.core.search.index import SearchIndex

    index_path, catalogue_path = work / INDEX, work / CATALOGUE
    SearchIndex.build(pack, index_path).close()
    catalogue.write_file(
        catalogue_path, (a for by_slug in pack.articles.values() for a in by_slug.values())
    )
    return [(INDEX, index_path), (CATALOGUE, catalogue_path)]


def _write_entries(
    archive: zipfile.ZipFile, entries: Sequence[tuple[str, Path]], when: datetime, limits: Limits
) -> dict[str, str]:
    """Write each (entry name, file) into ``archive``; their SHA-256 digests by entry
    name. BuildError if the pack would be larger than a kiosk accepts."""
    digests: dict[str, str] = {}
    total = 0
    for name, path in entries:
        data = path.read_bytes()
        total += len(data)
        if len(data) > limits.max_file_bytes or total > limits.max_total_bytes:
            why = (
                f"{len(data) / 1e6:.1f} MB; a kiosk accepts files up to "
                f"{limits.max_file_bytes / 1e6:.0f} MB and packs up to "
                f"{limits.max_total_bytes / 1e6:.0f} MB in all"
            )
            made = name in (INDEX, CATALOGUE)  # in a folder of the build's own: say what
            where = f"the {name} the build made" if made else str(path)
            raise BuildError(
                f"{where}: the pack would be larger than a kiosk accepts; nothing was built",
                [Problem(where, 0, Severity.ERROR, f"too large: {why}")],
            )
        digests[name] = sha256_hex(data)
        archive.writestr(_zip_info(name, when), data, compress_type=_compression_for(data, limits))
    return digests


def _zip_info(name: str, when: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.create_system = 3  # Unix, so the file type bits below are read
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info


def _compression_for(data: bytes, limits: Limits) -> int:
    """Deflate, unless the entry would compress past the ratio a kiosk accepts."""
    if len(data) < RATIO_FLOOR:
        return zipfile.ZIP_DEFLATED
    packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    size = len(packer.compress(data)) + len(packer.flush())
    # Keep a margin: zip's own compressor may do a little better than this estimate.
    return zipfile.ZIP_STORED if len(data) > limits.max_ratio * size / 2 else zipfile.ZIP_DEFLATED
