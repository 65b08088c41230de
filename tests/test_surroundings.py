"""The kiosk keeps working whatever its surroundings do (issue 13, item 6).

A store on a disk that is not mounted (a dangling link), a store path that is a file, a
read-only store, and a read-only or missing state folder: the log file, the usage counts
and the store are not needed to show the bundled content. ``kiosk run`` shows it, logs
the fault in one line (to stderr, the journal, when the log file cannot be written),
stops cleanly, and staff see the fault on the admin panel.

Each fault is real: a read-only tmpfs mounted in the test's folder (the tests run as
root, and root ignores permission bits), a dangling symbolic link, a file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk.ui.theme import Theme

from conftest import REPO, built_kiosk

pytestmark = pytest.mark.gui


@dataclass(frozen=True)
class Fault:
    """Where the store and state go, and what the log must say about it."""

    store: Path
    state: Path
    says: str  # in the one line that names the fault
    broken: str  # "store" or "state"


def _mount_read_only(folder: Path) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs (needs root): {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """An empty folder on a real read-only file system."""
    yield from _mount_read_only(tmp_path / "read-only")


def _dangling(link: Path, target: Path) -> Path:
    link.symlink_to(target)
    assert link.is_symlink() and not link.exists()
    return link


FAULTS: dict[str, Callable[[Path, Path], Fault]] = {
    "store is a dangling link": lambda tmp, ro: Fault(
        _dangling(tmp / "store", tmp / "unmounted-disk" / "store"),
        tmp / "state",
        "does not exist (is its disk mounted?)",
        "store",
    ),
    "store is a file": lambda tmp, ro: Fault(
        _file(tmp / "store"), tmp / "state", "is a file, not a folder", "store"
    ),
    "store cannot be made on a read-only disk": lambda tmp, ro: Fault(
        ro / "store", tmp / "state", "read-only file system", "store"
    ),
    "state is a read-only disk": lambda tmp, ro: Fault(
        tmp / "store", ro, "read-only file system", "state"
    ),
    "state cannot be made on a read-only disk": lambda tmp, ro: Fault(
        tmp / "store", ro / "state", "read-only file system", "state"
    ),
    "state is a dangling link": lambda tmp, ro: Fault(
        tmp / "store",
        _dangling(tmp / "state", tmp / "unmounted-disk" / "state"),
        "does not exist (is its disk mounted?)",
        "state",
    ),
}


def _file(path: Path) -> Path:
    path.write_text("not a folder\n", "utf-8")
    return path


def _config(tmp_path: Path, fault: Fault, **extra: object) -> Path:
    lines = [f"store = {json.dumps(str(fault.store))}", f"state = {json.dumps(str(fault.state))}"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in extra.items()]
    path = tmp_path / "kiosk.toml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def run_until_painted(config: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``kiosk run --windowed`` as a user starts it, quitting once its first screen has
    painted (kiosk/ui/system/benchhook.py)."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "KIOSK_BENCH_EXIT_AFTER_PAINT": "1",
        "PYTHONPATH": str(REPO),
    }
    env.pop("NOTIFY_SOCKET", None)
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--windowed", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=env,
    )


@pytest.mark.parametrize("name", list(FAULTS))
def test_kiosk_run_shows_the_bundled_content_and_names_the_fault(
    tmp_path: Path, read_only: Path, name: str
) -> None:
    fault = FAULTS[name](tmp_path, read_only)
    done = run_until_painted(_config(tmp_path, fault))
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr  # as for any stop: no segfault (-11) either
    assert done.stdout.startswith("painted "), done.stdout  # the first screen was drawn
    log = done.stderr  # what reaches the journal under systemd
    if fault.broken == "store":
        log_file = fault.state / "kiosk.log"
        log = log_file.read_text("utf-8")
    assert "showing bundled content" in log
    lines = [line for line in log.splitlines() if fault.says in line]
    assert lines, log
    assert str(fault.store if fault.broken == "store" else fault.state) in lines[0]
    assert "kiosk.toml" in lines[0] or "mount" in lines[0]  # says what to do
    assert not (tmp_path / "unmounted-disk").exists()  # nothing made through a dead link


def test_a_read_only_store_still_shows_its_pack_and_tells_staff(
    tmp_path: Path,
    qtbot: QtBot,
    theme: Theme,
    pin_hash: str,
) -> None:
    """A pack installed before the disk went read-only (a remount after disk errors)."""
    from kiosk.core.packs.build import build_pack
    from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
    from kiosk.core.packs.store import Store

    from conftest import CONTENT

    private, _ = generate_keypair(tmp_path / "keys")
    public = public_key_text(load_private_key(private))
    store = tmp_path / "store"
    build_pack(CONTENT, tmp_path / "p.kpack", private)
    Store(store).install(tmp_path / "p.kpack", (public,))
    subprocess.run(["mount", "--bind", str(store), str(store)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(store)], check=True)
        fault = Fault(store, tmp_path / "state", "read-only", "store")
        done = run_until_painted(_config(tmp_path, fault, trusted_keys=[public]))
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        log = (tmp_path / "state" / "kiosk.log").read_text("utf-8")
        assert "showing installed pack" in log
        [line] = [line for line in log.splitlines() if "read-only" in line]
        assert str(store) in line and "install" in line
        text = _admin_text(tmp_path, fault, qtbot, theme, pin_hash, trusted_keys=(public,))
        assert "read-only" in text and str(store) in text
    finally:
        subprocess.run(["umount", "-l", str(store)], check=False)


# --- what staff see: the same faults, on the admin panel of a kiosk built in-process ------


def _admin_text(
    tmp_path: Path, fault: Fault, qtbot: QtBot, theme: Theme, pin_hash: str, **config: Any
) -> str:
    from kiosk.core.config import KioskConfig
    from kiosk.ui.system.crash import setup_logging, stop_logging

    settings = KioskConfig(store=fault.store, state=fault.state, admin_pin_hash=pin_hash, **config)
    setup_logging(settings.state_dir)
    try:
        with built_kiosk(qtbot, settings, theme) as kiosk:
            assert kiosk.parts is not None
            kiosk.parts.staff_mode.unlock()
            return str(kiosk.parts.window.staff.details.text())
    finally:
        stop_logging()


STAFF_SEE = {
    "store is a dangling link": ("Installed packs cannot be used", "is its disk mounted?"),
    "store is a file": ("Installed packs cannot be used", "is a file, not a folder"),
    "store cannot be made on a read-only disk": (
        "Installed packs cannot be used",
        "read-only file system",
    ),
    "state is a read-only disk": ("The log file cannot be written", "usage counts"),
    "state cannot be made on a read-only disk": ("The log file cannot be written", "usage counts"),
    "state is a dangling link": ("The log file cannot be written", "is its disk mounted?"),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_staff_see_the_fault_on_the_admin_panel(
    tmp_path: Path,
    read_only: Path,
    name: str,
    qtbot: QtBot,
    theme: Theme,
    pin_hash: str,
) -> None:
    fault = FAULTS[name](tmp_path, read_only)
    text = _admin_text(tmp_path, fault, qtbot, theme, pin_hash)
    for words in STAFF_SEE[name]:
        assert words.lower() in text.lower(), text
    assert "Health information" in text  # and the bundled content's own lines, as ever


def test_usage_counts_that_are_a_named_pipe_never_hold_up_the_kiosk(
    tmp_path: Path,
    qtbot: QtBot,
    theme: Theme,
    pin_hash: str,
) -> None:
    """SQLite opening a named pipe waits for ever: the kiosk must not start behind it."""
    state = tmp_path / "state"
    state.mkdir()
    os.mkfifo(state / "usage.sqlite")
    fault = Fault(tmp_path / "store", state, "not a regular file", "state")
    done = run_until_painted(_config(tmp_path, fault), timeout=60)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert done.stdout.startswith("painted ")
    log = (state / "kiosk.log").read_text("utf-8")
    [line] = [line for line in log.splitlines() if "usage.sqlite" in line]
    assert "named pipe" in line and "kiosk.toml" in line
    text = _admin_text(tmp_path, fault, qtbot, theme, pin_hash)
    assert "Usage counts are not being saved" in text and "named pipe" in text
