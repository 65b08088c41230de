"""A pack built on a machine whose clock is wrong cannot lock a kiosk out of updates.

The kiosk refuses a downgrade by comparing build numbers (the build's UTC time). A pack
built in 2099 used to install, and then every later pack was "older". Now: a pack built
more than a day after the kiosk's clock is refused (also on a USB stick), and a kiosk
that installed one before can forget its build number with ``kiosk content
reset-version`` (a command of the kiosk user, so run as root on a deployed kiosk),
keeping the pack it shows. Everything here uses real packs and stores in tmp_path.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.core.packs.build import build_pack
from kiosk.core.packs.buildorder import (
    Floor,
    build_number,
    downgrade_problem,
    is_after,
    is_from_the_future,
    reset,
)
from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
from kiosk.core.packs.source import from_store
from kiosk.core.packs.status import StoreError
from kiosk.core.packs.store import Store

from conftest import CONTENT

FUTURE = datetime(2099, 1, 1, tzinfo=UTC)


class Kit:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = shutil.copytree(CONTENT, root / "content")
        self.private, _ = generate_keypair(root / "key")
        self.key = public_key_text(load_private_key(self.private))

    def build(self, name: str, when: datetime) -> Path:
        """The pack ``name``, built at ``when`` the first time it is asked for."""
        out = self.root / "packs" / f"{name}.kpack"
        if not out.exists():
            build_pack(self.content, out, self.private, when)
        return out


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return Kit(tmp_path_factory.mktemp("future"))


def _config(tmp_path: Path, kit: Kit) -> Path:
    config = tmp_path / "kiosk.toml"
    config.write_text(f'store = "store"\nstate = "state"\ntrusted_keys = ["{kit.key}"]\n', "utf-8")
    return config


def _kiosk(*args: str | Path) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in run.stderr, run.stderr
    return run


def _one_line(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 1, (run.returncode, run.stdout, run.stderr)
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kiosk: "), run.stderr
    return lines[0]


def _today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


# --- refusing ----------------------------------------------------------------------------


def test_a_pack_built_in_2099_is_refused_and_nothing_changes(kit: Kit, tmp_path: Path) -> None:
    pack = kit.build("future", FUTURE)
    store = Store(tmp_path / "store")
    with pytest.raises(StoreError) as caught:
        store.install(pack, [kit.key])
    message = str(caught.value)
    assert re.fullmatch(
        rf"{re.escape(str(pack))}: this pack says it was built on 2099-01-01 00:00 UTC, after "
        r"the date on this kiosk \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\); check the date on the "
        r"computer that built it, rebuild the pack, and install it again \(if this kiosk's "
        r"own date is wrong, correct it first\)",
        message,
    ), message
    assert _today() in message
    assert store.current_pack_dir() is None
    assert not (tmp_path / "store" / "state.json").exists()


def test_the_cli_refuses_it_with_one_line_even_with_allow_downgrade(
    kit: Kit, tmp_path: Path
) -> None:
    pack = kit.build("future", FUTURE)
    config = _config(tmp_path, kit)
    for extra in ((), ("--allow-downgrade",)):
        line = _one_line(_kiosk("content", "install", pack, "--config", config, *extra))
        assert line.startswith(f"kiosk: {pack}: this pack says it was built on 2099-01-01"), line
    assert not (tmp_path / "store" / "current").exists()


def test_a_day_of_clock_difference_is_tolerated(kit: Kit, tmp_path: Path) -> None:
    """Time zones set wrong (up to 14 hours) and drift are not a wrong date."""
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    store = Store(tmp_path / "store", clock=lambda: now)
    ahead = kit.build("ahead", now + timedelta(hours=23, minutes=59))
    assert store.install(ahead, [kit.key]).manifest.version == 20260602115900
    too_far = kit.build("too-far", now + timedelta(days=1, minutes=1))
    with pytest.raises(
        StoreError,
        match="built on 2026-06-02 12:01 UTC, after the date on "
        r"this kiosk \(2026-06-01 12:00 UTC\)",
    ):
        store.install(too_far, [kit.key])


def test_a_usb_stick_with_a_future_pack_installs_the_good_one(kit: Kit, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    shutil.copy(kit.build("future", FUTURE), usb / "a-future.kpack")
    good = kit.build("an-hour-ago", datetime.now(UTC) - timedelta(hours=1))
    shutil.copy(good, usb / "b-good.kpack")
    config = _config(tmp_path, kit)
    run = _kiosk("content", "install", usb, "--config", config)
    assert run.returncode == 0, run.stderr
    assert f"from {usb / 'b-good.kpack'}" in run.stdout, run.stdout


# --- recovering --------------------------------------------------------------------------


@pytest.fixture
def locked_out(kit: Kit, tmp_path: Path) -> Iterator[tuple[Store, Path, Path]]:
    """A kiosk that installed a good pack, then (before the fix, or with its clock then
    in 2099) a pack dated 2099: the store, its config, and the good pack's folder."""
    config = _config(tmp_path, kit)
    good = kit.build("three-days-ago", datetime.now(UTC) - timedelta(days=3))
    Store(tmp_path / "store").install(good, [kit.key])
    good_folder = Store(tmp_path / "store").current_pack_dir()
    assert good_folder is not None
    then = Store(tmp_path / "store", clock=lambda: FUTURE + timedelta(hours=1))
    then.install(kit.build("future", FUTURE), [kit.key])
    yield Store(tmp_path / "store"), config, good_folder


def test_a_locked_out_kiosk_says_how_to_recover(
    kit: Kit, locked_out: tuple[Store, Path, Path]
) -> None:
    _, config, _ = locked_out
    fresh = kit.build("fresh", datetime.now(UTC) - timedelta(minutes=5))
    line = _one_line(_kiosk("content", "install", fresh, "--config", config))
    assert "older than installed 20990101000000" in line, line
    assert "dated after the date on this kiosk" in line and "kiosk content reset-version" in line
    status = _kiosk("content", "status", "--config", config)
    assert "kiosk content reset-version" in status.stdout, status.stdout


def test_reset_version_keeps_the_pack_shown_and_lets_the_next_pack_install(
    kit: Kit, locked_out: tuple[Store, Path, Path]
) -> None:
    store, config, good_folder = locked_out
    shown = store.current_pack_dir()
    assert shown is not None and shown.name.startswith("20990101000000-")
    run = _kiosk("content", "reset-version", "--config", config)
    assert run.returncode == 0, run.stderr
    assert "Forgot build 20990101000000" in run.stdout, run.stdout
    # Nothing moved: the kiosk still shows the same pack, and it still opens.
    assert store.current_pack_dir() == shown and store.previous_pack_dir() == good_folder
    choice = from_store(store, (kit.key,))
    assert choice is not None and choice.folder == shown
    state = json.loads((store.root / "state.json").read_text("utf-8"))
    assert state["highest_version"] == int(good_folder.name.split("-")[0])
    # The next pack built with a right clock installs as usual, and so does the one after.
    fresh = kit.build("fresh", datetime.now(UTC) - timedelta(minutes=5))
    run = _kiosk("content", "install", fresh, "--config", config)
    assert run.returncode == 0, run.stderr
    assert "Previous: build 20990101000000" in run.stdout
    later = kit.build("later", datetime.now(UTC) - timedelta(minutes=1))
    run = _kiosk("content", "install", later, "--config", config)
    assert run.returncode == 0, run.stderr
    status = store.status()
    assert status.previous is not None and status.previous.version < status.highest_version
    assert status.highest_version == status.current_version
    state = json.loads((store.root / "state.json").read_text("utf-8"))
    assert state["highest_version"] == status.highest_version
    assert "forgiven_versions" not in state  # no link names the 2099 build any more
    # Reinstalling the 2099 pack is refused now, as any pack from the future.
    line = _one_line(
        _kiosk(
            "content",
            "install",
            kit.root / "packs" / "future.kpack",
            "--config",
            config,
            "--allow-downgrade",
        )
    )
    assert "built on 2099-01-01" in line


def test_a_pack_dated_hours_ahead_holds_nothing_back_after_reset_version(
    kit: Kit, tmp_path: Path
) -> None:
    """Within the tolerance (a clock in the wrong time zone), a pack installs; the pack
    built an hour later on a right clock is then "older", and the refusal and
    reset-version are the way out, as for a pack from 2099 (a newcomer found
    reset-version saying "Nothing to reset" here)."""
    config = _config(tmp_path, kit)
    ahead = kit.build("sixteen-hours-ahead", datetime.now(UTC) + timedelta(hours=16))
    assert _kiosk("content", "install", ahead, "--config", config).returncode == 0
    today = kit.build("built-today", datetime.now(UTC) - timedelta(minutes=2))
    line = _one_line(_kiosk("content", "install", today, "--config", config))
    assert "dated after the date on this kiosk" in line and "reset-version" in line, line
    run = _kiosk("content", "reset-version", "--config", config)
    assert run.returncode == 0 and run.stdout.startswith("Forgot build"), run.stdout
    run = _kiosk("content", "install", today, "--config", config)
    assert run.returncode == 0, run.stderr


def test_reset_version_with_nothing_to_reset_changes_nothing(kit: Kit, tmp_path: Path) -> None:
    config = _config(tmp_path, kit)
    good = kit.build("an-hour-ago", datetime.now(UTC) - timedelta(hours=1))
    assert _kiosk("content", "install", good, "--config", config).returncode == 0
    state = (tmp_path / "store" / "state.json").read_bytes()
    run = _kiosk("content", "reset-version", "--config", config)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Nothing to reset"), run.stdout
    assert (tmp_path / "store" / "state.json").read_bytes() == state


def test_a_rollback_to_the_forgiven_pack_does_not_lock_out_again(
    kit: Kit, locked_out: tuple[Store, Path, Path]
) -> None:
    store, config, _ = locked_out
    assert _kiosk("content", "reset-version", "--config", config).returncode == 0
    fresh = kit.build("fresh", datetime.now(UTC) - timedelta(minutes=5))
    store.install(fresh, [kit.key])
    store.rollback()  # back to the 2099 pack, which is still good content
    current = store.current_pack_dir()
    assert current is not None
    assert current.name.startswith("20990101000000-")
    later = kit.build("later", datetime.now(UTC) - timedelta(minutes=1))
    assert store.install(later, [kit.key]).downgrade is False


def test_a_reset_never_lowers_the_bar_below_a_build_rolled_back_from(
    kit: Kit, tmp_path: Path
) -> None:
    """A (10 days ago), B (5 days ago), roll back to A, then F (+30 days) installed while
    the kiosk's own clock was also wrong. Once the clock is right, a reset dropped the
    bar to A, and M (7 days ago, older than B) went in without --allow-downgrade
    (attacker's review). The bar is B: the highest build installed that is not from the
    future."""
    now = datetime.now(UTC)
    a = kit.build("a", now - timedelta(days=10))
    b = kit.build("b", now - timedelta(days=5))
    m = kit.build("m", now - timedelta(days=7))
    f = kit.build("f", now + timedelta(days=30))
    store = Store(tmp_path / "store")
    store.install(a, [kit.key])
    store.install(b, [kit.key])
    store.rollback()
    Store(tmp_path / "store", clock=lambda: now + timedelta(days=30)).install(f, [kit.key])
    forgotten, _ = store.reset_version()
    assert forgotten == build_number(now + timedelta(days=30))
    with pytest.raises(StoreError, match="is older than installed"):
        store.install(m, [kit.key])
    assert store.status().highest_version == build_number(now - timedelta(days=5))


def test_the_floor_decisions_without_files() -> None:
    """kiosk.core.packs.buildorder alone: what reset-version forgets, and when a forgiven
    build number is dropped (once no link names it)."""
    now = datetime(2026, 12, 1, tzinfo=UTC)
    good, future, new, newer = 20261130000000, 20990101000000, 20261201000000, 20261202000000
    # The future pack is current (or previous, after an --allow-downgrade install).
    assert reset(Floor(future), {good, future}, now) == Floor(good, frozenset({future}))
    # Only state.json says 2099 (its pack is gone from the links).
    assert reset(Floor(future), {good}, now) == Floor(good)
    assert reset(Floor(good), {good}, now) is None
    assert reset(Floor(good, frozenset({future})), {good, future}, now) is None
    floor = Floor(good, frozenset({future}))
    assert floor.bar({future}) == good and floor.blocking({future}, now) is None
    assert Floor(future).blocking({good}, now) == future
    after = floor.after_install(new, {future}, {new, future})
    assert after == Floor(new, frozenset({future}), frozenset({new}))
    assert after.after_install(newer, {new, future}, {newer, new}) == Floor(
        newer, seen=frozenset({new, newer})
    )
    # A reset falls back to the highest build ever installed that is not from the future.
    assert reset(Floor(future, seen=frozenset({good, new})), {good, future}, now) == Floor(
        new, frozenset({future}), frozenset({good, new})
    )
    # A build dated ahead but within the day's tolerance: installed, and forgotten by a
    # reset like any other, so it cannot hold today's packs back until tomorrow.
    ahead = build_number(now + timedelta(hours=16))
    assert not is_from_the_future(ahead, now) and is_after(ahead, now)
    assert Floor(ahead).blocking({good, ahead}, now) == ahead
    assert reset(Floor(ahead), {good, ahead}, now) == Floor(good, frozenset({ahead}))
    # A clock a few minutes fast is drift, not a wrong date: no warning, the usual words.
    drift = build_number(now + timedelta(minutes=5))
    assert Floor(drift).blocking({drift}, now) is None
    assert "already installed" in downgrade_problem(drift, Floor(drift), {drift}, now)
    assert is_from_the_future(build_number(now + timedelta(hours=24)), now) is False
    assert is_from_the_future(build_number(now + timedelta(hours=24, seconds=1)), now) is True
