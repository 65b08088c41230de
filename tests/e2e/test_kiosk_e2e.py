"""The real kiosk, locked full-screen on a real X server, driven with real input.

Coordinates are those of the 1920x1080 landscape layout (see the screenshots this
test saves in build/e2e/); the window title reports where the kiosk is.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e.xserver import Desktop, missing_tools, xvfb

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "build" / "e2e"
TITLE = "Clinic kiosk"

# Where things are at 1920x1080 (measured on the screenshots).
CENTRE = (960, 540)
TOPIC_CARD = (490, 340)  # "Harm Reduction Therapy" on the home screen
TERMS_CARD = (1400, 340)  # "Health words A to Z"
CARD_TEXT_Y = 600
HOME_BUTTON = (100, 54)


@pytest.fixture(scope="module")
def desktop() -> Iterator[Desktop]:
    missing = missing_tools()
    assert not missing, f"end-to-end tests need {missing}: run 'make test' (it installs them)"
    with xvfb() as display:
        yield Desktop(display)


def kiosk_env(desktop: Desktop, tmp_path: Path) -> dict[str, str]:
    """Private folders for one run, and the real X server instead of offscreen."""
    return {
        **desktop.env,
        "QT_QPA_PLATFORM": "xcb",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }


def start_kiosk(desktop: Desktop, tmp_path: Path, *args: str) -> subprocess.Popen[bytes]:
    """The real `kiosk run --kiosk`, on the test's X server, with private folders."""
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--kiosk", *args],
        env=kiosk_env(desktop, tmp_path),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


# The kiosk's process and the folder its config and state are in.
Kiosk = tuple[subprocess.Popen[bytes], Path]


@pytest.fixture
def kiosk(desktop: Desktop, tmp_path: Path) -> Iterator[Kiosk]:
    process = start_kiosk(desktop, tmp_path)
    try:
        desktop.wait_for_title(TITLE, "attract")
        time.sleep(0.5)  # first paint
        yield process, tmp_path
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_tap_a_topic_swipe_to_the_next_card_and_go_home(desktop: Desktop, kiosk: Kiosk) -> None:
    process, _ = kiosk
    SHOTS.mkdir(parents=True, exist_ok=True)
    desktop.tap(*CENTRE)
    desktop.wait_for_title(TITLE, ": home")
    desktop.screenshot(SHOTS / "1-home.png")
    desktop.tap(*TOPIC_CARD)
    desktop.wait_for_title(TITLE, "reader harm-reduction-therapy 1/6")
    desktop.swipe(1500, CARD_TEXT_Y, 700)
    desktop.wait_for_title(TITLE, "reader harm-reduction-therapy 2/6")
    desktop.screenshot(SHOTS / "2-reader-card-2.png")
    desktop.swipe(700, CARD_TEXT_Y, 1500)
    desktop.wait_for_title(TITLE, "reader harm-reduction-therapy 1/6")
    desktop.tap(*HOME_BUTTON)
    desktop.wait_for_title(TITLE, ": home")
    assert process.poll() is None


def test_systemctl_stop_ends_the_locked_kiosk_cleanly(desktop: Desktop, kiosk: Kiosk) -> None:
    """SIGTERM, as systemd sends it: the kiosk leaves its event loop and exits 0 (what a
    patient can do never closes it; systemd can)."""
    process, tmp = kiosk
    desktop.tap(*CENTRE)
    desktop.wait_for_title(TITLE, ": home")
    process.send_signal(signal.SIGTERM)
    assert process.wait(10) == 0
    log = next((tmp / "state").rglob("kiosk.log")).read_text()
    assert "stopping: SIGTERM (" in log and "stopped (SIGTERM), exit code 0" in log


def test_locked_kiosk_ignores_every_way_out(desktop: Desktop, kiosk: Kiosk) -> None:
    process, _ = kiosk
    desktop.tap(*CENTRE)
    desktop.wait_for_title(TITLE, ": home")
    for keys in ("alt+F4", "ctrl+q", "ctrl+w", "Escape", "F11"):
        desktop.key(keys)
        time.sleep(0.3)
        assert process.poll() is None, f"{keys} closed the kiosk"
    wid = desktop.window_id(TITLE + ": home")
    desktop.close_politely(wid)  # what a window manager's close button does
    time.sleep(0.5)
    assert process.poll() is None
    desktop.wait_for_title(TITLE, ": home", timeout=2)
    assert "1920x1080" in desktop.xdotool("getwindowgeometry", wid)


def test_what_a_patient_types_and_reads_never_reaches_the_disk(
    desktop: Desktop, kiosk: Kiosk
) -> None:
    process, tmp = kiosk
    desktop.tap(*CENTRE)
    desktop.wait_for_title(TITLE, ": home")
    desktop.tap(*TERMS_CARD)
    desktop.wait_for_title(TITLE, ": terms")
    desktop.type("narcan")
    time.sleep(0.5)
    desktop.screenshot(SHOTS / "3-terms-search.png")
    desktop.tap(*HOME_BUTTON)
    desktop.wait_for_title(TITLE, ": home")
    desktop.tap(*TOPIC_CARD)
    desktop.wait_for_title(TITLE, "reader harm-reduction-therapy")
    process.send_signal(signal.SIGTERM)
    process.wait(10)
    written = [p for p in tmp.rglob("*") if p.is_file()]
    assert any(p.name == "kiosk.log" for p in written), "the kiosk should keep a log"
    # The one thing kept is how often each article was opened that day, and a
    # sensitive article like this one is not counted at all (count_sensitive_articles).
    usage = next((p for p in written if p.name == "usage.sqlite"), None)
    if usage is not None:
        with sqlite3.connect(usage) as db:
            assert db.execute("SELECT locale, slug, count FROM views").fetchall() == []
    for path in written:
        data = path.read_bytes().lower()
        for secret in (b"narcan", b"harm-reduction", b"harm reduction therapy"):
            assert secret not in data, f"{secret!r} was written to {path}"


def test_a_broken_pack_shows_a_calm_out_of_order_screen(desktop: Desktop, tmp_path: Path) -> None:
    broken = REPO / "tests" / "fixtures" / "bad-packs" / "yaml-broken"
    process = start_kiosk(desktop, tmp_path, "--content", str(broken))
    try:
        desktop.wait_for_title(TITLE, "out of order")
        time.sleep(0.5)
        desktop.screenshot(SHOTS / "4-out-of-order.png")
        assert process.poll() is None
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(10)
    log = (tmp_path / "state" / "clinic-kiosk" / "kiosk.log").read_text("utf-8")
    assert "cannot be shown" in log and "not valid YAML" in log
