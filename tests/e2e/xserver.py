"""A real X server (Xvfb) with a window manager, and xdotool to drive it like a finger."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NEEDED = ("Xvfb", "matchbox-window-manager", "xdotool", "wmctrl", "import")


def missing_tools() -> list[str]:
    return [tool for tool in NEEDED if shutil.which(tool) is None]


# The first display number tried. The fresh Debian root (tests/fresh/fresh-test.sh) runs
# its tests while this machine runs its own: it has its own /tmp, so it cannot see this
# machine's lock files, but X's abstract sockets are shared, and a client there could
# reach a server here. It starts at another number.
FIRST_DISPLAY = int(os.environ.get("KIOSK_TEST_FIRST_DISPLAY", "90"))


def _free_display() -> int:
    last = FIRST_DISPLAY + 49
    for number in range(FIRST_DISPLAY, last + 1):
        if (
            not Path(f"/tmp/.X{number}-lock").exists()
            and not Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            return number
    raise RuntimeError(f"no free X display number between :{FIRST_DISPLAY} and :{last}")


@contextmanager
def xvfb(width: int = 1920, height: int = 1080) -> Iterator[str]:
    number = _free_display()
    display = f":{number}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {**os.environ, "DISPLAY": display}
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"Xvfb {display} did not start")
            time.sleep(0.05)
        manager = subprocess.Popen(
            ["matchbox-window-manager", "-use_titlebar", "no"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            yield display
        finally:
            manager.terminate()
            manager.wait(5)
    finally:
        server.terminate()
        server.wait(5)


class Desktop:
    """xdotool and ImageMagick against one display."""

    def __init__(self, display: str) -> None:
        self.env = {**os.environ, "DISPLAY": display}

    def xdotool(self, *args: str) -> str:
        run = subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=20
        )
        return run.stdout.strip()

    def tap(self, x: int, y: int) -> None:
        self.xdotool("mousemove", str(x), str(y))
        time.sleep(0.1)
        self.xdotool("mousedown", "1")
        time.sleep(0.08)
        self.xdotool("mouseup", "1")

    def swipe(self, x0: int, y: int, x1: int, steps: int = 8) -> None:
        self.xdotool("mousemove", str(x0), str(y))
        time.sleep(0.1)
        self.xdotool("mousedown", "1")
        for i in range(1, steps + 1):
            time.sleep(0.03)
            self.xdotool("mousemove", str(x0 + (x1 - x0) * i // steps), str(y + i))
        self.xdotool("mouseup", "1")

    def key(self, keys: str) -> None:
        self.xdotool("key", keys)

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "120", text)

    def window_titles(self, pattern: str) -> list[str]:
        ids = self.xdotool("search", "--name", pattern).split()
        return [self.xdotool("getwindowname", wid) for wid in ids]

    def close_politely(self, wid: str) -> None:
        """Ask the window manager to close a window (WM_DELETE_WINDOW), as its X does."""
        subprocess.run(
            ["wmctrl", "-i", "-c", wid], env=self.env, check=True, timeout=20, capture_output=True
        )

    def window_id(self, exact_title: str) -> str:
        for wid in self.xdotool("search", "--name", exact_title).split():
            if self.xdotool("getwindowname", wid) == exact_title:
                return wid
        raise AssertionError(f"no window titled {exact_title!r}")

    def wait_for_title(self, pattern: str, contains: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        seen: list[str] = []
        while time.monotonic() < deadline:
            seen = self.window_titles(pattern)
            if any(contains in title for title in seen):
                return next(t for t in seen if contains in t)
            time.sleep(0.1)
        raise AssertionError(f"no window titled '*{contains}*' within {timeout}s; saw {seen}")

    def screenshot(self, path: Path) -> Path:
        subprocess.run(
            ["import", "-window", "root", str(path)], env=self.env, check=True, timeout=30
        )
        return path
