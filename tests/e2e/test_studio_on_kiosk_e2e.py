"""The content studio on the kiosk itself, end to end: the real locked kiosk on a real X
server with a window manager, staff's corner taps and PIN, the admin panel's "Edit
articles", the studio over the kiosk, an article's title changed and published with a
USB keyboard (xdotool), installed on this kiosk, and the next patient finding it.

Objects are found as a screen reader finds them (AT-SPI, tests/e2e/atspi_where.py) and
clicked where they are: a click reaches the studio's button only if the studio's window
is on top of the kiosk's, which stays on top itself.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from e2e.test_studio_e2e import (
    REPO,
    STUDIO,
    Run,
    kiosk_command,
    run,
    wait_until,
    window_title,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

__all__ = ["run"]  # the fixture, from the studio's end-to-end test

PIN = "2468"
NEW_TITLE = "Heparin, a blood thinner"


def child_of(parent: int, command: str) -> int | None:
    """The pid of ``parent``'s child process whose command line holds ``command``."""
    found = subprocess.run(
        ["pgrep", "-P", str(parent), "-f", command], capture_output=True, text=True
    )
    pids = found.stdout.split()
    return int(pids[0]) if pids else None


def gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists() or "zombie" in _state(pid)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0]
    except (OSError, IndexError):
        return "zombie"


def test_staff_edit_an_article_on_the_kiosk_from_its_admin_panel(run: Run) -> None:
    screen, desktop = run.screen, run.screen.desktop
    env = run.home("kiosk")
    kiosk_command(env, "keygen", "--out", str(run.tmp / "keys"))
    kiosk_command(env, "content", "trust", str(run.tmp / "keys" / "kiosk-signing.pub.txt"))
    subprocess.run(
        [sys.executable, "-m", "kiosk", "set-pin"],
        input=f"{PIN}\n", env=env, cwd=REPO, check=True, capture_output=True, text=True,
    )  # fmt: skip
    kiosk = run.start(env, "run", "--kiosk").pid
    window_title(screen, kiosk, ": attract")

    for _ in range(5):  # the welcome screen's empty top-left corner
        desktop.tap(40, 40)
    window_title(screen, kiosk, ": admin pin")
    desktop.xdotool("type", "--delay", "60", PIN)
    desktop.key("Return")
    window_title(screen, kiosk, ": admin")
    screen.press(kiosk, "Edit articles (needs a keyboard)")
    wait_until("the studio started", lambda: child_of(kiosk, "studio --kiosk") is not None)
    studio = child_of(kiosk, "studio --kiosk")
    assert studio is not None
    screen.wait_for(studio, "Back to the kiosk", role="push button", window=STUDIO)
    screen.shot("kiosk-studio-1-over-the-kiosk.png", studio)

    screen.fill(studio, "Search articles", "heparin", window=STUDIO)
    screen.click(screen.wait_for(studio, "Heparin", contains=True, role="list item"))
    screen.fill(studio, "Title", NEW_TITLE, window=STUDIO)
    screen.press(studio, "Publish...", window=STUDIO)
    key = run.tmp / "keys" / "kiosk-signing.key"
    screen.fill(studio, "Signing key file", str(key), window="Publish")
    screen.wait_for(
        studio, "Since the content this kiosk came with:", contains=True, role="label",
        window="Publish", check=lambda f: NEW_TITLE in f["name"],
    )  # fmt: skip
    screen.press(studio, "Publish", window="Publish")
    deadline = time.monotonic() + 90  # a build, a signature and an install on a busy CI
    while not screen.ask({"pid": studio, "name": "Installed on this kiosk", "contains": True}):
        assert time.monotonic() < deadline, "the pack was not installed on this kiosk"
        time.sleep(0.5)
    screen.shot("kiosk-studio-2-installed.png", studio)
    screen.press(studio, "Close", window="Publish")
    screen.press(studio, "Back to the kiosk", window=STUDIO)  # reaches it: the studio is on top
    wait_until("the studio closed", lambda: gone(studio))
    window_title(screen, kiosk, ": admin")
    screen.press(kiosk, "Back to patient screen")

    log = run.tmp / "kiosk" / "state" / "clinic-kiosk" / "kiosk.log"
    wait_until("the new pack shown", lambda: "now showing installed pack" in log.read_text())
    screen.press(kiosk, "Start / Empezar")
    window_title(screen, kiosk, ": home")
    screen.press(kiosk, "Health words A to Z")
    window_title(screen, kiosk, ": terms")
    screen.type("heparin")
    screen.wait_for(kiosk, NEW_TITLE, role="push button")
    screen.shot("kiosk-studio-3-patient-finds-it.png", kiosk)
    output = run.output("run")
    assert "Traceback" not in output, output
