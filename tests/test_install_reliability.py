"""Installing a pack is safe against damage, kills, a full disk, a read-only store,
hostile archives and bad downloads: ``current`` always names a complete, verified pack.

The packs are real builds of the bundled content. Wherever the process boundary matters
(a kill, a resource limit, another user, a download) the install runs through the real
CLI, ``python -m kiosk content install``, in a subprocess.

``make stress`` runs the kill test with 2000 trials (``KIOSK_STRESS_TRIALS``); the random
delays are seeded (``KIOSK_STRESS_SEED``) so a failing run can be repeated.
"""

from __future__ import annotations

import contextlib
import http.server
import io
import os
import random
import resource
import shutil
import signal
import socket
import stat
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from loopback import LoopbackServer, serving

from kiosk.core.packs.build import build_pack
from kiosk.core.packs.format import PackError
from kiosk.core.packs.integrity import verify_installed
from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
from kiosk.core.packs.status import StoreError
from kiosk.core.packs.store import Store

from conftest import CONTENT

NOBODY = 65534
SEED = int(os.environ.get("KIOSK_STRESS_SEED", "20240611"))
KILL_TRIALS = int(os.environ.get("KIOSK_STRESS_TRIALS", "200"))
FOLLOW_UP_EVERY = 20  # every so many kill trials, a normal install follows
SPREAD_POSITIONS = 300  # evenly spread byte positions flipped over the whole .kpack
CLI_TIMEOUT_S = 120


# --- the packs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Kit:
    """Three builds of the bundled content (a < b < c), a stranger's, a store with a."""

    root: Path  # readable by everyone: the read-only test runs the CLI as nobody
    key: str  # the trusted public key text
    a: Path
    b: Path
    c: Path
    stranger: Path
    versions: dict[str, int]
    template: Path  # a store with pack a installed; tests copy it

    @property
    def a_folder(self) -> str:
        return (self.template / "current").readlink().name


def _when(day: int) -> datetime:
    return datetime(2025, 3, day, 9, 30, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def kit() -> Iterator[Kit]:
    # Not tmp_path: pytest's temporary folders are private to root, and one test runs
    # the CLI as nobody, which must be able to read the pack and the config.
    root = Path(tempfile.mkdtemp(prefix="kiosk-reliability-"))
    root.chmod(0o755)
    try:
        content = shutil.copytree(CONTENT, root / "content")
        private, _ = generate_keypair(root / "key")
        stranger_private, _ = generate_keypair(root / "stranger-key")
        key = public_key_text(load_private_key(private))
        versions = {}
        for day, name in enumerate(("a", "b", "c"), start=1):
            versions[name] = build_pack(
                content, root / f"{name}.kpack", private, _when(day)
            ).version
        build_pack(content, root / "stranger.kpack", stranger_private, _when(9))
        assert versions["a"] < versions["b"] < versions["c"]
        template = root / "template-store"
        Store(template).install(root / "a.kpack", [key])
        yield Kit(
            root,
            key,
            root / "a.kpack",
            root / "b.kpack",
            root / "c.kpack",
            root / "stranger.kpack",
            versions,
            template,
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --- helpers -----------------------------------------------------------------------------


def _new_store(kit: Kit, where: Path) -> tuple[Store, Path]:
    """A copy of the template store (pack a is current) and a config file naming it."""
    where.mkdir(parents=True, exist_ok=True)
    shutil.copytree(kit.template, where / "store", symlinks=True)
    config = where / "kiosk.toml"
    config.write_text(
        f'store = "{where / "store"}"\nstate = "{where / "state"}"\ntrusted_keys = ["{kit.key}"]\n',
        encoding="utf-8",
    )
    return Store(where / "store"), config


Snapshot = dict[str, tuple[int, int, int, str]]


def _snapshot(root: Path) -> Snapshot:
    """Every entry below ``root``: type and mode, and size, mtime and target of files and links.

    Folder times are left out: an install that fails after taking the lock makes and
    removes its incoming folder, which touches ``packs/`` without changing anything in it.
    """
    found: Snapshot = {}
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            info = path.lstat()
            if stat.S_ISDIR(info.st_mode):
                found[str(path.relative_to(root))] = (info.st_mode, 0, 0, "")
            else:
                target = str(path.readlink()) if stat.S_ISLNK(info.st_mode) else ""
                found[str(path.relative_to(root))] = (
                    info.st_mode,
                    info.st_size,
                    info.st_mtime_ns,
                    target,
                )
    return found


def _assert_current_is_a(kit: Kit, store: Store) -> None:
    current = store.current_pack_dir()
    assert current is not None, f"{store.root}: current is missing"
    assert current.name == kit.a_folder
    assert verify_installed(current, [kit.key]).version == kit.versions["a"]


def _assert_untouched(kit: Kit, store: Store, before: Snapshot) -> None:
    after = _snapshot(store.root)
    added, removed = sorted(set(after) - set(before)), sorted(set(before) - set(after))
    changed = sorted(k for k in set(after) & set(before) if after[k] != before[k])
    assert (added, removed, changed) == ([], [], []), "the store changed"
    _assert_current_is_a(kit, store)


def _child_env(temp: Path | None = None) -> dict[str, str]:
    """No proxies, no bytecode writes; ``temp`` for what a killed install leaves in TMPDIR."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if temp is not None:
        temp.mkdir(exist_ok=True)
        env["TMPDIR"] = str(temp)
    return env


def _install_cmd(source: str | Path, config: Path, *extra: str) -> list[str]:
    command = [sys.executable, "-m", "kiosk", "content", "install", str(source)]
    return [*command, "--config", str(config), *extra]


def _run_install(
    source: str | Path, config: Path, *extra: str, preexec_fn: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _install_cmd(source, config, *extra),
        capture_output=True,
        text=True,
        env=_child_env(),
        timeout=CLI_TIMEOUT_S,
        check=False,
        preexec_fn=preexec_fn,
    )


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single line a failed install prints; fails unless that is all it printed."""
    assert result.returncode != 0, f"the install should have failed: {result.stdout}"
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stderr == lines[0] + "\n", result.stderr
    assert lines[0].startswith("kiosk: "), lines[0]
    return lines[0]


# --- 1. tampering ------------------------------------------------------------------------

_LOCAL = struct.Struct("<4s5H3L2H")
_END = struct.Struct("<4s4H2LH")


def _regions(data: bytes) -> list[tuple[int, int, str]]:
    """(start, end, what) for every part of a .kpack: headers, entry data, directory."""
    regions = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            at = info.header_offset
            fields = _LOCAL.unpack_from(data, at)
            data_at = at + _LOCAL.size + fields[9] + fields[10]
            regions.append((at, data_at, f"local header of {info.filename}"))
            regions.append((data_at, data_at + info.compress_size, f"data of {info.filename}"))
    _, _, _, _, _, cd_size, cd_offset, _ = _END.unpack_from(data, len(data) - _END.size)
    regions.append((cd_offset, cd_offset + cd_size, "central directory"))
    regions.append((len(data) - _END.size, len(data), "end record"))
    return regions


def _region_of(regions: list[tuple[int, int, str]], position: int) -> str:
    for start, end, what in regions:
        if start <= position < end:
            return f"{what} +{position - start}"
    return "outside every region"


def _region(regions: list[tuple[int, int, str]], what: str) -> range:
    (start, end) = next((s, e) for s, e, w in regions if w == what)
    return range(start, end)


@pytest.mark.slow
def test_every_flipped_byte_is_refused_before_anything_is_written(kit: Kit, tmp_path: Path) -> None:
    original = kit.b.read_bytes()
    regions = _regions(original)
    positions = sorted(
        {
            *_region(regions, "data of manifest.json"),
            *_region(regions, "data of manifest.sig"),
            *(i * (len(original) - 1) // (SPREAD_POSITIONS - 1) for i in range(SPREAD_POSITIONS)),
            # Every byte of the zip's own bookkeeping: the headers, the directory, the end.
            *(p for s, e, w in regions if not w.startswith("data of ") for p in range(s, e)),
        }
    )
    tampered = tmp_path / "tampered.kpack"
    tampered.write_bytes(original)
    store, _ = _new_store(kit, tmp_path / "target")
    before = _snapshot(store.root)
    rng = random.Random(SEED)
    problems: list[str] = []
    echoed: list[str] = []
    started = time.monotonic()
    fd = os.open(tampered, os.O_RDWR)
    try:
        for n, position in enumerate(positions):
            where = f"byte {position} ({_region_of(regions, position)})"
            os.pwrite(fd, bytes([original[position] ^ rng.randrange(1, 256)]), position)
            try:
                store.install(tampered, [kit.key])
            except (PackError, StoreError) as err:
                message = str(err)
                if _echoes_a_control_character(message):
                    echoed.append(where)  # refused all the same; see the BUG test below
                elif not message or "\n" in message or str(tampered) not in message:
                    problems.append(f"{where}: unclear error {message!r}")
            except Exception as err:
                problems.append(f"{where}: {type(err).__name__} instead of one line: {err}")
            else:
                problems.append(f"{where}: the tampered pack was installed")
            finally:
                os.pwrite(fd, original[position : position + 1], position)
            if _snapshot(store.root) != before:
                problems.append(f"{where}: the store changed")
                shutil.rmtree(tmp_path / "target")
                store, _ = _new_store(kit, tmp_path / "target")
            elif n % 50 == 0:
                _assert_current_is_a(kit, store)
    finally:
        os.close(fd)
    elapsed = time.monotonic() - started
    print(
        f"\ntamper sweep: {len(positions)} positions in {elapsed:.1f} s; "
        f"{len(echoed)} refusals echoed a control character, such as {echoed[:3]}"
    )
    assert not problems, f"{len(problems)} of {len(positions)} flips:\n" + "\n".join(problems[:40])
    _assert_untouched(kit, store, before)
    # The untampered pack still installs: the refusals were about the flips.
    assert store.install(tampered, [kit.key]).manifest.version == kit.versions["b"]


def _echoes_a_control_character(message: str) -> bool:
    """A refusal whose only flaw is the flipped entry name, control character and all."""
    return "contains a control character" in message and not message.isprintable()


@pytest.mark.parametrize("name", ["content/en/topics/a\nb.md", "content/\x1b[2J.md"])
def test_an_entry_name_with_a_control_character_gives_one_clean_line(
    kit: Kit, tmp_path: Path, name: str
) -> None:
    pack = tmp_path / "control.kpack"
    _pack_plus(kit, pack, (_entry(name), b"x"), {})
    store, config = _new_store(kit, tmp_path / "target")
    before = _snapshot(store.root)
    result = _run_install(pack, config)
    _assert_untouched(kit, store, before)  # refused, and nothing was written: that part works
    line = _one_line_error(result)
    assert line.isprintable(), f"raw control character in {line!r}"
    assert "contains a control character" in line


def test_a_pack_signed_by_an_unknown_key_is_refused(kit: Kit, tmp_path: Path) -> None:
    store, config = _new_store(kit, tmp_path)
    before = _snapshot(store.root)
    with pytest.raises(PackError, match="signed by an unknown key") as caught:
        store.install(kit.stranger, [kit.key])
    assert "\n" not in str(caught.value)
    _assert_untouched(kit, store, before)
    line = _one_line_error(_run_install(kit.stranger, config))
    assert str(kit.stranger) in line and "unknown key" in line
    _assert_untouched(kit, store, before)


# --- 2. kill at any moment ---------------------------------------------------------------


@dataclass
class _Trial:
    index: int
    delay: float
    killed: bool = False
    outcome: str = ""  # "a" or "b": the pack current names after the kill
    phase: str = ""  # how far the install got, read from what it left behind
    problem: str = ""


def _phase(kit: Kit, store: Store, killed: bool) -> str:
    if not killed:
        return "finished"
    current = store.current_pack_dir()
    if current is not None and current.name != kit.a_folder:
        return "after the switch"
    names = {p.name for p in store.packs.iterdir()} if store.packs.is_dir() else set()
    roots = {p.name for p in store.root.iterdir()}
    if {"current.new", "previous.new"} & roots or (store.root / "previous").is_symlink():
        return "moving the links"
    if any(n.startswith(".incoming-") for n in names):
        return "unpacking"
    if names - {kit.a_folder}:
        return "unpacked"
    return "before writing"


def _kill_trial(kit: Kit, base: Path, trial: _Trial) -> _Trial:
    where = base / f"trial-{trial.index}"
    try:
        store, config = _new_store(kit, where)
        process = subprocess.Popen(
            _install_cmd(kit.b, config),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=_child_env(where / "tmp"),
        )
        try:
            process.wait(timeout=trial.delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            trial.killed = True
        _, stderr = process.communicate(timeout=CLI_TIMEOUT_S)
        if not trial.killed:
            assert process.returncode == 0, stderr.decode()
        trial.phase = _phase(kit, store, trial.killed)
        current = store.current_pack_dir()
        assert current is not None, "current is missing"
        version = verify_installed(current, [kit.key]).version
        by_version = {kit.versions["a"]: "a", kit.versions["b"]: "b"}
        assert version in by_version, f"current is version {version}"
        trial.outcome = by_version[version]
        assert trial.killed or trial.outcome == "b"
        previous = store.previous_pack_dir()
        if previous is not None:
            assert verify_installed(previous, [kit.key]).version == kit.versions["a"]
        if trial.index % FOLLOW_UP_EVERY == 0:
            result = _run_install(kit.c, config)
            assert result.returncode == 0, result.stderr
            current, previous = store.current_pack_dir(), store.previous_pack_dir()
            assert current is not None and previous is not None
            assert verify_installed(current, [kit.key]).version == kit.versions["c"]
            assert verify_installed(previous, [kit.key]).version == kit.versions[trial.outcome]
            left = {p.name for p in store.packs.iterdir()} - {current.name, previous.name}
            assert not left, f"leftovers after the next install: {left}"
            assert not {"current.new", "previous.new"} & {p.name for p in store.root.iterdir()}
    except Exception as err:  # collected, so that one run reports every failing trial
        trial.problem = f"{type(err).__name__}: {err}".strip()
    finally:
        shutil.rmtree(where, ignore_errors=True)
    return trial


def _install_duration(kit: Kit, base: Path, workers: int) -> float:
    """How long one normal CLI install takes while ``workers`` of them run at once."""

    def once(index: int) -> float:
        _, config = _new_store(kit, base / f"calibrate-{index}")
        started = time.monotonic()
        result = _run_install(kit.b, config)
        elapsed = time.monotonic() - started
        assert result.returncode == 0, result.stderr
        shutil.rmtree(base / f"calibrate-{index}")
        return elapsed

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(once, range(workers)))  # warm up: the first installs read a cold cache
        return statistics.median(pool.map(once, range(workers, 3 * workers)))


@pytest.mark.slow
@pytest.mark.timeout(120 + KILL_TRIALS // 2)  # about 0.1 s a trial on two cores
def test_a_kill_at_any_moment_leaves_current_complete(kit: Kit, tmp_path: Path) -> None:
    workers = max(2, min(8, 2 * (os.cpu_count() or 1)))
    started = time.monotonic()
    duration = _install_duration(kit, tmp_path, workers)
    rng = random.Random(SEED)
    trials = [_Trial(i, rng.uniform(0, 1.2 * duration)) for i in range(KILL_TRIALS)]
    with ThreadPoolExecutor(workers) as pool:
        done = list(pool.map(lambda t: _kill_trial(kit, tmp_path, t), trials))
    elapsed = time.monotonic() - started
    failed = [t for t in done if t.problem]
    phases = Counter(t.phase for t in done)
    outcomes = Counter(t.outcome for t in done)
    print(
        f"\nkill test: {len(done)} trials, {workers} at a time, install {duration:.3f} s, "
        f"seed {SEED}, {elapsed:.1f} s in all; current after: {dict(outcomes)}; "
        f"phases: {dict(phases)}"
    )
    assert not failed, f"{len(failed)} of {len(done)} trials failed (seed {SEED}):\n" + "\n".join(
        f"trial {t.index} (kill after {t.delay:.3f} s, {t.phase or '?'}): {t.problem}"
        for t in failed[:20]
    )
    if len(done) >= 100:  # the delays really did span the install, from before to after
        assert outcomes["a"] and outcomes["b"], dict(outcomes)
        assert phases["unpacking"] + phases["unpacked"] + phases["moving the links"], dict(phases)


# --- 3. disk full ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "limit", [1_000, 100_000], ids=["fails-at-the-first-file", "fails-at-the-search-index"]
)
def test_a_full_disk_fails_with_one_line_and_keeps_current(
    kit: Kit, tmp_path: Path, limit: int
) -> None:
    store, config = _new_store(kit, tmp_path)
    before = _snapshot(store.root)

    def small_files() -> None:  # in the child: writes past ``limit`` bytes fail with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = _run_install(kit.b, config, preexec_fn=small_files)
    line = _one_line_error(result)
    assert line.startswith(f"kiosk: cannot write to the store at {store.root}"), line
    assert "too large" in line, line
    _assert_untouched(kit, store, before)


# --- 4. read-only store -----------------------------------------------------------------

# The user is changed inside the interpreter, after it has started and imported the CLI:
# the interpreter itself may live where nobody cannot read (such as /root/.pyenv), so
# a preexec_fn that changes user before exec would fail to start Python at all.
_AS_NOBODY = f"""\
import os, sys
# This python lives under /root, which nobody cannot read: import all that the command
# imports on its way (commands import their tools lazily) before dropping to nobody.
import gettext, locale, kiosk.cli, kiosk.cli_packs, kiosk.cli_stats, kiosk.core.packs.fetch
gettext.translation("argparse", fallback=True)
os.setgroups([])
os.setgid({NOBODY})
os.setuid({NOBODY})
sys.argv[0] = "kiosk"
raise SystemExit(kiosk.cli.main(sys.argv[1:]))
"""


def _install_as_nobody(kit: Kit, config: Path) -> subprocess.CompletedProcess[str]:
    command = _install_cmd(kit.b, config)
    assert command[1:3] == ["-m", "kiosk"]
    return subprocess.run(
        [sys.executable, "-c", _AS_NOBODY, *command[3:]],
        capture_output=True,
        text=True,
        env=_child_env(),
        cwd=kit.root,
        timeout=CLI_TIMEOUT_S,
        check=False,
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run the install as nobody")
@pytest.mark.parametrize("lock_file", [True, False], ids=["lock-file-present", "no-lock-file"])
def test_a_read_only_store_fails_with_one_line_and_keeps_current(kit: Kit, lock_file: bool) -> None:
    where = Path(tempfile.mkdtemp(prefix="read-only-", dir=kit.root))
    try:
        where.chmod(0o755)
        store, config = _new_store(kit, where)
        if not lock_file:
            (store.root / ".lock").unlink()
        info = store.root.stat()
        assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (0, 0o755)
        before = _snapshot(store.root)
        line = _one_line_error(_install_as_nobody(kit, config))
        assert line == f"kiosk: cannot write to the store at {store.root}: permission denied"
        _assert_untouched(kit, store, before)

        # The same install as nobody works once nobody owns the store: the refusal
        # above was about the permissions, nothing else.
        for folder, dirs, files in os.walk(store.root):
            for path in [Path(folder), *(Path(folder) / n for n in [*dirs, *files])]:
                os.chown(path, NOBODY, NOBODY, follow_symlinks=False)
        result = _install_as_nobody(kit, config)
        assert result.returncode == 0, result.stderr
        current = store.current_pack_dir()
        assert current is not None
        assert verify_installed(current, [kit.key]).version == kit.versions["b"]
    finally:
        shutil.rmtree(where, ignore_errors=True)


# --- 5. corrupt and hostile archives ----------------------------------------------------


def _entry(name: str, mode: int = stat.S_IFREG | 0o644) -> zipfile.ZipInfo:
    """A zip entry made the way build_pack makes them."""
    info = zipfile.ZipInfo(name, date_time=_when(1).timetuple()[:6])
    info.create_system = 3
    info.external_attr = mode << 16
    return info


def _pack_plus(
    kit: Kit, out: Path, first: tuple[zipfile.ZipInfo, bytes] | None, swap: dict[str, bytes]
) -> None:
    """Pack b with one more entry in front, or with some entries' data swapped."""
    with zipfile.ZipFile(kit.b) as source, zipfile.ZipFile(out, "w") as archive:
        if first:
            archive.writestr(first[0], first[1], compress_type=zipfile.ZIP_DEFLATED)
        for info in source.infolist():
            data = swap.get(info.filename, source.read(info))
            archive.writestr(_entry(info.filename), data, compress_type=info.compress_type)


_BOMB_BYTES = 60_000_000


def _lying_bomb(kit: Kit, out: Path) -> None:
    """The search index swapped for 60 MB of zeros whose headers both claim 1,000 bytes."""
    _pack_plus(kit, out, None, {"search.sqlite": bytes(_BOMB_BYTES)})
    data = bytearray(out.read_bytes())
    _, _, _, _, count, _, at, _ = _END.unpack_from(data, len(data) - _END.size)
    for _ in range(count):  # the central directory records
        name_len, extra_len, comment_len = struct.unpack_from("<3H", data, at + 28)
        if data[at + 46 : at + 46 + name_len] == b"search.sqlite":
            local = struct.unpack_from("<L", data, at + 42)[0]
            struct.pack_into("<L", data, at + 24, 1_000)  # the central record's size
            struct.pack_into("<L", data, local + 22, 1_000)  # the local header's
            break
        at += 46 + name_len + extra_len + comment_len
    else:
        raise AssertionError("no search.sqlite in the central directory")
    out.write_bytes(bytes(data))


HOSTILE: dict[str, tuple[Callable[[Kit, Path], object], str]] = {
    "cut-in-half": (
        lambda kit, out: out.write_bytes(kit.b.read_bytes()[: kit.b.stat().st_size // 2]),
        "not a .kpack file",
    ),
    "not-a-zip": (
        lambda kit, out: out.write_bytes(random.Random(SEED).randbytes(100_000)),
        "not a .kpack file",
    ),
    "path-traversal": (
        lambda kit, out: _pack_plus(kit, out, (_entry("content/../../evil"), b"evil\n"), {}),
        "entry 'content/../../evil' contains '..'",
    ),
    "absolute-path": (
        lambda kit, out: _pack_plus(kit, out, (_entry(f"{out.parent}/evil"), b"evil\n"), {}),
        "is an absolute path",
    ),
    "symlink": (
        lambda kit, out: _pack_plus(
            kit,
            out,
            (_entry("content/en/topics/evil.md", stat.S_IFLNK | 0o777), b"/etc/shadow"),
            {},
        ),
        "entry 'content/en/topics/evil.md' is a symbolic link",
    ),
    "zip-bomb": (
        lambda kit, out: _pack_plus(kit, out, (_entry("content/bomb"), bytes(_BOMB_BYTES)), {}),
        "entry 'content/bomb' expands 1,029 times; the limit is 100 (a zip bomb?)",
    ),
    "zip-bomb-that-lies-about-its-size": (
        _lying_bomb,
        "entry 'search.sqlite' holds more data than it declares",
    ),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_corrupt_or_hostile_archive_fails_with_one_line(
    kit: Kit, tmp_path: Path, kind: str
) -> None:
    make, expected = HOSTILE[kind]
    pack = tmp_path / f"{kind}.kpack"
    make(kit, pack)
    store, config = _new_store(kit, tmp_path / "target")
    before = _snapshot(store.root)
    line = _one_line_error(_run_install(pack, config))
    assert line.startswith(f"kiosk: {pack}: "), line
    assert expected in line, line
    _assert_untouched(kit, store, before)
    assert not list(tmp_path.rglob("evil*")), "something was unpacked"


# --- 6. downloads -------------------------------------------------------------------------


class _Server(LoopbackServer):
    routes: dict[str, Callable[[_Handler], None]]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        with contextlib.suppress(OSError):
            route(self)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _send(body: bytes, *, length: bool = True) -> Callable[[_Handler], None]:
    def route(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/octet-stream")
        if length:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for at in range(0, len(body), 64 * 1024):
            handler.wfile.write(body[at : at + 64 * 1024])

    return route


def _stall(handler: _Handler) -> None:
    """Headers, then nothing: the connection stays open until the test ends."""
    handler.send_response(200)
    handler.send_header("Content-Length", "123456")
    handler.end_headers()
    handler.wfile.flush()
    handler.server.stop.wait(60)


@pytest.fixture
def web(kit: Kit) -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), _Handler)
    big = random.Random(SEED).randbytes(3_000_000)
    server.routes = {
        "/pack.kpack": _send(kit.b.read_bytes()),
        "/stall.kpack": _stall,
        "/big.kpack": _send(big),
        "/big-no-length.kpack": _send(big, length=False),
    }
    with serving(server) as address:
        yield address


def test_a_download_installs_through_the_cli(kit: Kit, tmp_path: Path, web: str) -> None:
    store, config = _new_store(kit, tmp_path)
    result = _run_install(f"{web}/pack.kpack", config)
    assert result.returncode == 0, result.stderr
    assert f"from {web}/pack.kpack" in result.stdout
    current = store.current_pack_dir()
    assert current is not None
    assert verify_installed(current, [kit.key]).version == kit.versions["b"]


def test_a_stalled_download_times_out_with_one_line(kit: Kit, tmp_path: Path, web: str) -> None:
    store, config = _new_store(kit, tmp_path)
    before = _snapshot(store.root)
    started = time.monotonic()
    result = _run_install(f"{web}/stall.kpack", config, "--timeout", "2")
    elapsed = time.monotonic() - started
    line = _one_line_error(result)
    assert line == f"kiosk: no data from {web}/stall.kpack for 2 s", line
    assert 2 <= elapsed < 10, f"took {elapsed:.1f} s"
    _assert_untouched(kit, store, before)


@pytest.mark.parametrize("path", ["/big.kpack", "/big-no-length.kpack"])
def test_a_download_over_the_limit_fails_with_one_line(
    kit: Kit, tmp_path: Path, web: str, path: str
) -> None:
    store, config = _new_store(kit, tmp_path)
    before = _snapshot(store.root)
    line = _one_line_error(_run_install(f"{web}{path}", config, "--max-mb", "1"))
    assert line == f"kiosk: {web}{path}: download is larger than the limit of 1 MB", line
    _assert_untouched(kit, store, before)


def test_a_missing_download_fails_with_one_line(kit: Kit, tmp_path: Path, web: str) -> None:
    store, config = _new_store(kit, tmp_path)
    before = _snapshot(store.root)
    line = _one_line_error(_run_install(f"{web}/missing.kpack", config))
    assert line == f"kiosk: {web}/missing.kpack: the server answered 404 Not Found", line
    _assert_untouched(kit, store, before)


def test_an_unreachable_server_fails_with_one_line(kit: Kit, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a loopback port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store, config = _new_store(kit, tmp_path)
    before = _snapshot(store.root)
    line = _one_line_error(_run_install(f"http://127.0.0.1:{port}/pack.kpack", config))
    assert line.startswith(f"kiosk: cannot reach http://127.0.0.1:{port}/pack.kpack: "), line
    _assert_untouched(kit, store, before)
