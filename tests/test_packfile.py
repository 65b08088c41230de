"""The .kpack format: building, and refusing every archive that must not be unpacked."""

from __future__ import annotations

import json
import re
import shutil
import stat
import tempfile
import unicodedata
import warnings
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from picture_files import png_parts

from kiosk.core.content.packpaths import left_out_of_pack
from kiosk.core.content.problems import Problem
from kiosk.core.packs.build import build_pack
from kiosk.core.packs.folder import content_files
from kiosk.core.packs.format import BuildError, Limits, PackError, entry_name_problem
from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
from kiosk.core.packs.verify import peek_manifest, verify_pack
from kiosk.core.packs.zipdir import read_directory

from conftest import CONTENT, FIXTURES

WHEN = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """(private key path, its public key text, another key's public text)."""
    folder = tmp_path_factory.mktemp("keys")
    private_path, _ = generate_keypair(folder / "a")
    other, _ = generate_keypair(folder / "b")
    return (
        private_path,
        public_key_text(load_private_key(private_path)),
        public_key_text(load_private_key(other)),
    )


@pytest.fixture(scope="module")
def kpack(tmp_path_factory: pytest.TempPathFactory, keys: tuple[Path, str, str]) -> Path:
    work = tmp_path_factory.mktemp("pack")
    shutil.copytree(CONTENT, work / "content")
    out = work / "clinic.kpack"
    build_pack(work / "content", out, keys[0], WHEN)
    return out


def canonical(name: str) -> zipfile.ZipInfo:
    """An entry with the header fields build_pack writes, so only its name is wrong."""
    info = zipfile.ZipInfo(name, date_time=(2030, 1, 2, 3, 4, 4))
    info.create_system = 3
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def rezip(
    src: Path,
    dst: Path,
    change: Callable[[zipfile.ZipInfo, bytes], list[tuple[zipfile.ZipInfo, bytes]]] | None = None,
    extra: list[tuple[zipfile.ZipInfo | str, bytes]] | None = None,
) -> Path:
    """Copy a zip entry by entry; ``change`` maps each entry to what to write instead."""
    with (
        zipfile.ZipFile(src) as old,
        zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")  # "Duplicate name" is what some tests want
        for info in old.infolist():
            data = old.read(info)
            for new_info, new_data in change(info, data) if change else [(info, data)]:
                new.writestr(new_info, new_data)
        for name, data in extra or []:
            new.writestr(canonical(name) if isinstance(name, str) else name, data)
    return dst


def test_build_writes_signed_manifest_of_every_file(
    kpack: Path, keys: tuple[Path, str, str]
) -> None:
    verified = verify_pack(kpack, [keys[2], keys[1]])
    manifest = verified.manifest
    assert manifest.pack_id == "clinic-health"
    assert manifest.content_version == 1
    assert manifest.version == 20300102030405
    assert manifest.built == "2030-01-02T03:04:05Z"
    assert manifest.signer == verified.signer
    expected = {
        "content/" + p.relative_to(CONTENT).as_posix() for p in CONTENT.rglob("*") if p.is_file()
    }
    assert set(manifest.files) == expected | {"search.sqlite", "catalogue.sqlite"}
    with zipfile.ZipFile(kpack) as archive:
        names = archive.namelist()
        raw = archive.read("manifest.json")
        methods = {i.filename: i.compress_type for i in archive.infolist()}
    assert names[-2:] == ["manifest.json", "manifest.sig"]  # stored: their bytes are signed
    assert methods.pop("manifest.json") == methods.pop("manifest.sig") == zipfile.ZIP_STORED
    assert set(methods.values()) == {zipfile.ZIP_DEFLATED}
    assert sorted(names) == sorted([*manifest.files, "manifest.json", "manifest.sig"])
    data = json.loads(raw)
    assert set(data) == {
        "format",
        "pack_id",
        "content_version",
        "version",
        "built",
        "signer",
        "files",
        "archive_sha256",
    }
    assert data["format"] == 1 and verified.manifest_bytes == raw
    assert peek_manifest(kpack).version == manifest.version
    assert [p.name for p in kpack.parent.iterdir() if p.name.startswith(".")] == []


def test_build_ignores_hidden_files_and_editor_backups(
    tmp_path: Path, keys: tuple[Path, str, str]
) -> None:
    content = shutil.copytree(CONTENT, tmp_path / "content")
    for name in (".DS_Store", "en/topics/.#lock", "en/terms/heparin.md~", ".git/config"):
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text("x")
    manifest = build_pack(content, tmp_path / "out" / "p.kpack", keys[0], WHEN)
    assert not any("~" in n or "/." in n for n in manifest.files)
    # and the two files a build adds: the search index and the catalogue
    assert len(manifest.files) == sum(1 for p in CONTENT.rglob("*") if p.is_file()) + 2


def test_build_refuses_broken_content_with_its_problems(
    tmp_path: Path, keys: tuple[Path, str, str]
) -> None:
    out = tmp_path / "bad.kpack"
    with pytest.raises(BuildError) as caught:
        build_pack(FIXTURES / "bad-packs" / "yaml-broken", out, keys[0], WHEN)
    messages = [str(p) for p in caught.value.problems]
    assert any("heart-rate.md:3: error: front matter is not valid YAML" in m for m in messages)
    assert not out.exists()


def test_build_refuses_output_inside_the_content_folder(
    tmp_path: Path, keys: tuple[Path, str, str]
) -> None:
    content = shutil.copytree(CONTENT, tmp_path / "content")
    with pytest.raises(BuildError) as caught:
        build_pack(content, content / "p.kpack", keys[0], WHEN)
    assert "outside the content folder" in str(caught.value.problems)


def test_untrusted_key_is_named(kpack: Path, keys: tuple[Path, str, str]) -> None:
    signer = peek_manifest(kpack).signer
    with pytest.raises(PackError) as caught:
        verify_pack(kpack, [keys[2]])
    message = str(caught.value)
    assert message == (
        f"{kpack}: signed by an unknown key {signer}; trust it with 'kiosk content trust KEYFILE'"
    )
    with pytest.raises(PackError, match=r"unknown key"):
        verify_pack(kpack, [])


def test_changed_manifest_fails_its_signature(
    tmp_path: Path, kpack: Path, keys: tuple[Path, str, str]
) -> None:
    def bump(info: zipfile.ZipInfo, data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
        if info.filename == "manifest.json":
            data = data.replace(b'"version": 2030', b'"version": 2031')
        return [(info, data)]

    bad = rezip(kpack, tmp_path / "x.kpack", bump)
    with pytest.raises(PackError, match=r"signature does not match manifest.json"):
        verify_pack(bad, [keys[1]])


def test_flipped_byte_in_an_entry_is_rejected(
    tmp_path: Path, kpack: Path, keys: tuple[Path, str, str]
) -> None:
    def flip(info: zipfile.ZipInfo, data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
        if info.filename == "content/en/terms/heparin.md":
            data = data[:100] + bytes([data[100] ^ 0x20]) + data[101:]
        return [(info, data)]

    bad = rezip(kpack, tmp_path / "x.kpack", flip)
    with pytest.raises(PackError) as caught:
        verify_pack(bad, [keys[1]])
    assert str(caught.value) == (
        f"{bad}: entry 'content/en/terms/heparin.md' does not match its SHA-256 in the "
        "manifest (changed or damaged)"
    )


def test_missing_and_extra_files(tmp_path: Path, kpack: Path, keys: tuple[Path, str, str]) -> None:
    def drop(info: zipfile.ZipInfo, data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
        return [] if info.filename == "content/es/terms/heparin.md" else [(info, data)]

    missing = rezip(kpack, tmp_path / "missing.kpack", drop)
    with pytest.raises(PackError, match=r"'content/es/terms/heparin.md' is listed in the manifest"):
        verify_pack(missing, [keys[1]])
    extra = rezip(kpack, tmp_path / "extra.kpack", extra=[("content/en/terms/new.md", b"hi")])
    with pytest.raises(PackError, match=r"'content/en/terms/new.md' is not listed in the manifest"):
        verify_pack(extra, [keys[1]])
    for name in ("manifest.sig", "manifest.json"):
        gone = rezip(
            kpack,
            tmp_path / f"no-{name}.kpack",
            _without(name),
        )
        with pytest.raises(PackError, match=f"no {name} inside"):
            verify_pack(gone, [keys[1]])


def _without(name: str) -> Callable[[zipfile.ZipInfo, bytes], list[tuple[zipfile.ZipInfo, bytes]]]:
    """A change for ``rezip`` that leaves the entry ``name`` out."""

    def change(info: zipfile.ZipInfo, data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
        return [] if info.filename == name else [(info, data)]

    return change


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def _fifo(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFIFO | 0o644) << 16
    return info


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("content/../../evil.md", "contains '..'"),
        ("../evil", "contains '..'"),
        ("/etc/cron.d/evil", "is an absolute path"),
        ("content\\en\\evil.md", "contains a backslash"),
        ("C:/evil.md", "starts with a drive letter"),
        ("content//evil.md", "has an empty or '.' path part"),
        ("content/./evil.md", "has an empty or '.' path part"),
        ("content/en/", "is a folder entry, not a file"),
        (_symlink("content/en/terms/link.md"), "is a symbolic link"),
        (_fifo("content/en/terms/pipe.md"), "is not a regular file"),
    ],
)
def test_hostile_entry_names_and_types(
    tmp_path: Path,
    kpack: Path,
    keys: tuple[Path, str, str],
    entry: zipfile.ZipInfo | str,
    reason: str,
) -> None:
    bad = rezip(kpack, tmp_path / "x.kpack", extra=[(entry, b"/etc/passwd")])
    name = entry.filename if isinstance(entry, zipfile.ZipInfo) else entry
    with pytest.raises(PackError) as caught:
        verify_pack(bad, [keys[1]])
    assert str(caught.value) == f"{bad}: entry '{name}' {reason}"


def test_duplicate_names_are_rejected(
    tmp_path: Path, kpack: Path, keys: tuple[Path, str, str]
) -> None:
    twice = rezip(kpack, tmp_path / "x.kpack", extra=[("content/pack.toml", b"id = 'evil'")])
    with pytest.raises(PackError, match=r"entry 'content/pack.toml' appears twice"):
        verify_pack(twice, [keys[1]])
    cased = rezip(kpack, tmp_path / "y.kpack", extra=[("content/PACK.toml", b"x")])
    with pytest.raises(PackError, match=r"differ only in case"):
        verify_pack(cased, [keys[1]])


def test_file_that_is_also_a_folder(
    tmp_path: Path, kpack: Path, keys: tuple[Path, str, str]
) -> None:
    bad = rezip(kpack, tmp_path / "x.kpack", extra=[("content/en/terms/heparin.md/x", b"x")])
    with pytest.raises(
        PackError, match=r"'content/en/terms/heparin.md' is both a file and a folder"
    ):
        verify_pack(bad, [keys[1]])


# --- names that would be one file: one rule at validate, build and install ---------------

# Letters whose case or form folds: sharp s (ss, and its capital), the three Greek
# sigmas, dotted and dotless i, the Kelvin sign, the ligature ff, the title-case DZ with
# caron, e acute as one character and as e and a combining accent.
_LETTERS = (
    "aAsS\u00df\u1e9e\u03a3\u03c3\u03c2\u0131\u0130iIkK\u212a\ufb00f"
    "\u01c4\u01c5\u01c6e\u00e9\u00c9\u0301-_0"
)
_TWINS: list[Callable[[str], str]] = [
    str.upper,
    str.lower,
    str.swapcase,
    str.casefold,
    str.title,
    lambda s: unicodedata.normalize("NFD", s),
    lambda s: unicodedata.normalize("NFC", s),
    lambda s: unicodedata.normalize("NFD", s.upper()),
]


_DIFFER = "differ only in (case|how an accented letter is stored)"


def _usable(name: str) -> bool:
    return entry_name_problem(f"content/en/{name}") is None and not left_out_of_pack(name)


_NAMES = st.text(_LETTERS, min_size=1, max_size=10).filter(_usable)


@st.composite
def _name_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Two different names: mostly one and a case or Unicode form of it, else any two."""
    first = draw(_NAMES)
    twin = draw(st.sampled_from(_TWINS)) if draw(st.booleans()) else None
    return first, twin(first) if twin else draw(_NAMES)


def _the_folder_refuses(first: str, second: str) -> list[Problem]:
    """The problems validate and build report for a folder holding both names."""
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        (folder / "pack.toml").write_text("")
        (folder / "en").mkdir()
        for name in (first, second):
            (folder / "en" / name).write_text(name)
        problems: list[Problem] = []
        content_files(folder, problems)
        return problems


def _the_installer_refuses(first: str, second: str) -> str:
    """The installer's refusal of a .kpack holding both names, or ""."""
    with tempfile.TemporaryDirectory() as work:
        kpack = Path(work) / "two.kpack"
        with zipfile.ZipFile(kpack, "w") as archive:
            for name in (first, second):
                archive.writestr(canonical(f"content/en/{name}"), name.encode())
        with kpack.open("rb") as file:
            try:
                read_directory(file, kpack, Limits())
            except PackError as err:
                return str(err)
    return ""


@settings(max_examples=300, deadline=None)
@given(_name_pairs())
def test_validate_build_and_install_share_one_rule_for_names_that_collide(
    pair: tuple[str, str],
) -> None:
    """strasse.png and straße.png, notes.txt and NOTES.txt passed validate and build, got
    signed, and every kiosk refused the pack: "differ only in case". The folder check
    (validate and build) and the installer now refuse exactly the same pairs, by one rule,
    and each names both files."""
    first, second = pair
    if first == second or not _usable(second):
        return
    problems = _the_folder_refuses(first, second)
    refusal = _the_installer_refuses(first, second)
    assert bool(problems) == bool(refusal), (pair, problems, refusal)
    if problems:
        [problem] = problems
        assert problem.file.endswith(max(first, second))
        assert re.search(f"/en/{re.escape(min(first, second))} {_DIFFER}", problem.message)
        assert "rename or remove one of them" in problem.message
        both = f"'content/en/{re.escape(first)}' and 'content/en/{re.escape(second)}'"
        assert re.search(f"{both} {_DIFFER}", refusal), refusal
    if any(second == twin(first) for twin in _TWINS):
        assert problems, pair  # what a case-blind disk makes one file, refused


def test_build_refuses_names_that_differ_only_in_case(
    tmp_path: Path, keys: tuple[Path, str, str]
) -> None:
    content = shutil.copytree(CONTENT, tmp_path / "content")
    (content / "en" / "images").mkdir(exist_ok=True)
    for name in ("en/images/strasse.png", "en/images/straße.png"):
        (content / name).write_bytes(png_parts(4, 4))
    for name in ("en/notes.txt", "en/NOTES.txt"):
        (content / name).write_text("x")
    out = tmp_path / "p.kpack"
    with pytest.raises(BuildError) as caught:
        build_pack(content, out, keys[0], WHEN)
    messages = sorted(str(p) for p in caught.value.problems)
    assert messages == [
        f"{content}/en/images/straße.png: error: this name and {content}/en/images/strasse.png "
        "differ only in case; a kiosk refuses a pack with both (Windows and macOS would make "
        "them one file): rename or remove one of them",
        f"{content}/en/notes.txt: error: this name and {content}/en/NOTES.txt differ only in "
        "case; a kiosk refuses a pack with both (Windows and macOS would make them one file): "
        "rename or remove one of them",
    ]
    assert not out.exists()


@pytest.mark.parametrize(
    "clock",
    [datetime(1970, 1, 1, tzinfo=UTC), datetime(1979, 12, 31, 23, 59, tzinfo=UTC),
     datetime(2108, 1, 1, tzinfo=UTC)],
)  # fmt: skip
def test_a_clock_a_pack_cannot_record_asks_for_the_date_and_time(
    tmp_path: Path, keys: tuple[Path, str, str], clock: datetime
) -> None:
    """A computer with a flat clock battery says 1970: the build ended in a traceback,
    "ZIP does not support timestamps before 1980"."""
    out = tmp_path / "p.kpack"
    with pytest.raises(BuildError) as caught:
        build_pack(CONTENT, out, keys[0], clock)
    assert caught.value.problems == []
    assert str(caught.value) == (
        f"this computer's clock says {clock:%Y-%m-%d %H:%M} UTC, and a pack can only be dated "
        "from 1980 to 2107: set the computer's date and time (its clock battery may be flat), "
        "then build again"
    )
    assert not out.exists()
    first = build_pack(CONTENT, out, keys[0], datetime(1980, 1, 1, tzinfo=UTC))
    assert first.version == 19800101000000


@pytest.fixture(scope="module")
def zeros_50mb(tmp_path_factory: pytest.TempPathFactory, kpack: Path) -> Path:
    bomb = tmp_path_factory.mktemp("bomb") / "bomb.kpack"
    info = canonical("content/en/images/bomb.png")
    return rezip(kpack, bomb, extra=[(info, bytes(50_000_000))])


def test_zip_bomb_is_refused_by_declared_size(
    zeros_50mb: Path, keys: tuple[Path, str, str]
) -> None:
    assert zeros_50mb.stat().st_size < 1_000_000
    tight = Limits(max_file_bytes=20_000_000)
    with pytest.raises(
        PackError, match=r"'content/en/images/bomb.png' is 50,000,000 bytes unpacked"
    ):
        verify_pack(zeros_50mb, [keys[1]], tight)
    with pytest.raises(PackError, match="a zip bomb"):  # the default limits refuse it too
        verify_pack(zeros_50mb, [keys[1]])


def test_zip_bomb_is_refused_by_ratio_and_total(
    zeros_50mb: Path, keys: tuple[Path, str, str]
) -> None:
    roomy = Limits(max_file_bytes=100_000_000, max_total_bytes=1_000_000_000)
    with pytest.raises(PackError, match=r"'content/en/images/bomb.png' expands [\d,]+ times"):
        verify_pack(zeros_50mb, [keys[1]], roomy)
    total = Limits(max_file_bytes=100_000_000, max_total_bytes=40_000_000, max_ratio=10_000)
    with pytest.raises(PackError, match=r"unpacks to more than 40 MB"):
        verify_pack(zeros_50mb, [keys[1]], total)


def test_too_many_entries(kpack: Path, keys: tuple[Path, str, str]) -> None:
    with pytest.raises(PackError, match=r"holds 33 entries; the limit is 10"):
        verify_pack(kpack, [keys[1]], Limits(max_files=10))


def test_not_a_zip_and_truncated(tmp_path: Path, kpack: Path, keys: tuple[Path, str, str]) -> None:
    text = tmp_path / "notes.kpack"
    text.write_text("hello")
    data = kpack.read_bytes()
    cut = tmp_path / "cut.kpack"
    cut.write_bytes(data[: len(data) // 2])
    tail = tmp_path / "tail.kpack"
    tail.write_bytes(data[:-10])
    for path in (text, cut, tail):
        with pytest.raises(PackError) as caught:
            verify_pack(path, [keys[1]])
        assert str(caught.value) == f"{path}: not a .kpack file (not a zip archive, or cut short)"
    with pytest.raises(PackError, match=r"no such file"):
        verify_pack(tmp_path / "absent.kpack", [keys[1]])
    with pytest.raises(PackError, match=r"is a folder"):
        verify_pack(tmp_path, [keys[1]])


def test_damaged_compressed_data_is_a_pack_error(
    tmp_path: Path, kpack: Path, keys: tuple[Path, str, str]
) -> None:
    data = bytearray(kpack.read_bytes())
    with zipfile.ZipFile(kpack) as archive:
        info = archive.getinfo("search.sqlite")
    # Inside the compressed bytes of search.sqlite: past its local header.
    at = info.header_offset + 30 + len(info.filename) + 200
    data[at] ^= 0xFF
    broken = tmp_path / "broken.kpack"
    broken.write_bytes(bytes(data))
    with pytest.raises(PackError, match=r"'search.sqlite'"):
        verify_pack(broken, [keys[1]])


def test_same_content_packed_differently_is_rejected(
    tmp_path: Path, kpack: Path, keys: tuple[Path, str, str]
) -> None:
    """Every content digest still matches, but the archive is not the one that was signed."""

    def store(info: zipfile.ZipInfo, data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
        if info.filename.startswith("content/"):
            info.compress_type = zipfile.ZIP_STORED
        return [(info, data)]

    repacked = rezip(kpack, tmp_path / "x.kpack", store)
    with pytest.raises(PackError, match="the archive does not match the digest in its manifest"):
        verify_pack(repacked, [keys[1]])


def test_every_sampled_flipped_byte_is_rejected(
    tmp_path: Path, kpack: Path, keys: tuple[Path, str, str]
) -> None:
    data = kpack.read_bytes()
    flipped = tmp_path / "flipped.kpack"
    # A sample (the full sweep is a slow test): every 997th byte, and every 29th of the
    # tail, which holds the manifest, the signature, the directory and the end record.
    tail = len(data) - 7000
    positions = sorted({*range(0, len(data), 997), *range(tail, len(data), 29)})
    for at in positions:
        flipped.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :])
        with pytest.raises(PackError):
            verify_pack(flipped, [keys[1]])


def test_validate_keeps_room_for_the_search_index_a_build_adds(tmp_path: Path) -> None:
    """Content of 199.8 MB validated and then failed to build on the index, in a
    message naming a temporary file (issue 13's attacker)."""
    from kiosk.core.packs.folder import index_estimate
    from kiosk.core.packs.format import Limits, megabytes

    content = shutil.copytree(CONTENT, tmp_path / "content")
    files = sum(p.stat().st_size for p in content.rglob("*") if p.is_file())
    markdown = sum(p.stat().st_size for p in content.rglob("*.md"))
    room = Limits(max_total_bytes=files + index_estimate(markdown) - 1)
    found: list[Problem] = []
    content_files(content, found, limits=room)
    assert [p.message.split(";")[0] for p in found] == [
        f"the files come to {megabytes(files)}, and the search index a build adds to "
        f"about {megabytes(index_estimate(markdown))}"
    ]
    found = []
    content_files(content, found, limits=Limits(max_total_bytes=files + index_estimate(markdown)))
    assert found == []
