"""The deploy test's driver on the host: one run against one virtual machine.

Runs commands in the guest and keeps what they printed, watches the screen until it
shows a reference screen, reads systemd's view of a unit, boots, resets and powers the
machine off, and prints and keeps one line per check. Everything goes to the results
folder's log.txt; screendumps to its screens/.
"""

from __future__ import annotations

import shutil
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from machine import SCREEN, Machine, MachineError
from screens import Screens

GUEST = Path(__file__).resolve().parent / "guest"


def timespan_s(text: str) -> float:
    """systemd's way of writing a time span ("1min 30s", "15s", "500ms") in seconds."""
    units = {"ms": 0.001, "s": 1, "min": 60, "h": 3600}
    total = 0.0
    for word in text.split():
        number = word.rstrip("abcdefghijklmnopqrstuvwxyz")
        total += float(number) * units[word[len(number) :]]
    return total


class CheckFailedError(Exception):
    """A check saw something other than what it asks for."""


@dataclass
class Run:
    """One deploy test: the machine, the screens the kiosk draws, where to touch them
    (references.py's targets.json), and what the checks said and measured."""

    results: Path
    machine: Machine
    screens: Screens
    targets: dict[str, object]
    lines: list[str] = field(default_factory=list)
    boots: int = 0
    figures: dict[str, float] = field(default_factory=dict)  # reported at the end
    installed_version: int = 1  # the pack's content version the kiosk should show
    kiosk_first_frame_s: float | None = None  # power-on to the welcome screen
    retaps: list[str] = field(default_factory=list)  # screens that needed a second tap

    # --- logging and evidence ------------------------------------------------------------

    def log(self, message: str) -> None:
        line = f"[{time.strftime('%H:%M:%S')}] {message}"
        with (self.results / "log.txt").open("a") as log:
            log.write(line + "\n")

    def guest(self, command: str, timeout: float = 120, check: bool = True) -> str:
        self.log(f"guest$ {command}")
        result = self.machine.agent.run(command, timeout)
        output = (result.out + result.err).strip()
        self.log(f"  -> {result.status}: {output[-1500:]}")
        if check:
            result.check()
        return result.out

    def shot(self, name: str) -> Path:
        return self.machine.screendump(self.results / "screens" / f"{name}.png")

    def wait_for_screen(
        self,
        expected: str | tuple[str, ...],
        name: str,
        timeout: float,
        among: tuple[str, ...] | None = None,
    ) -> tuple[str, float]:
        """Screendumps every half second until the screen is one of ``expected``;
        which one, and when (seconds since the machine started)."""
        wanted = (expected,) if isinstance(expected, str) else expected
        deadline = time.monotonic() + timeout
        verdict = None
        while time.monotonic() < deadline:
            seen_at = self.machine.since_start()  # when the screendump is taken
            verdict = self.screens.identify(
                self.machine.screendump(self.results / "screens" / "poll.png"), among
            )
            if verdict.name in wanted:
                shutil.copy(
                    self.results / "screens" / "poll.png", self.results / "screens" / f"{name}.png"
                )
                self.log(f"screen {name}: {verdict.describe()} at +{seen_at:.1f}s")
                return verdict.name, seen_at
            time.sleep(0.5)
        shutil.copy(self.results / "screens" / "poll.png", self.results / "screens" / f"{name}.png")
        raise CheckFailedError(
            f"the screen did not show {' or '.join(wanted)} within {timeout:.0f} s; it shows "
            + (verdict.describe() if verdict else "nothing")
            + f" (screens/{name}.png)"
        )

    def unit(self, name: str = "kiosk.service") -> dict[str, str]:
        out = self.guest(
            f"systemctl show {name} -p ActiveState -p SubState -p Result -p NRestarts -p MainPID",
            check=False,
        )
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def unit_times(self, *properties: str, name: str = "kiosk.service") -> dict[str, float]:
        """Time properties of a unit as systemd has them (``WatchdogUSec`` ...), in s."""
        out = self.guest(f"systemctl show {name} " + " ".join(f"-p {p}" for p in properties))
        return {
            key: timespan_s(value)
            for key, value in (line.split("=", 1) for line in out.splitlines() if "=" in line)
        }

    def wait_active(self, name: str = "kiosk.service", timeout: float = 180) -> float:
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.unit(name).get("ActiveState") == "active":
                return time.monotonic() - start
            time.sleep(2)
        raise CheckFailedError(f"{name} is {self.unit(name)} after {timeout:.0f} s")

    def kiosk_pid(self) -> int:
        # The kiosk inside its unit's control group: `kiosk health export` and `kiosk
        # fleet check` run as the kiosk user too, each minute, under names of their own units.
        out = self.guest(
            "for unit in kiosk.service kiosk-x11.service; do"
            " group=$(systemctl show -p ControlGroup --value $unit);"
            ' [ -n "$group" ] || continue;'
            " for pid in $(cat /sys/fs/cgroup$group/cgroup.procs 2>/dev/null); do"
            ' [ "$(cat /proc/$pid/comm 2>/dev/null)" = kiosk ] && echo $pid;'
            " done; done; true"
        ).split()
        if len(out) != 1:
            raise CheckFailedError(f"expected one kiosk process, found {out or 'none'}")
        return int(out[0])

    def touch(self, *args: object) -> None:
        size = "{}x{}".format(*SCREEN)
        self.guest(
            f"KIOSK_TEST_SCREEN={size} python3 /run/vmtest/touch.py " + " ".join(map(str, args))
        )

    def save_journal(self, name: str) -> None:
        try:
            text = self.guest(
                "journalctl -b --no-pager -o short-monotonic", timeout=120, check=False
            )
            (self.results / f"journal-{name}.txt").write_text(text)
        except MachineError as err:
            self.log(f"no journal for {name}: {err}")

    def record(self, name: str, check: Callable[[], str]) -> bool:
        """Run one check; print and keep its one line."""
        self.log(f"=== check {name}")
        started = time.monotonic()
        try:
            detail = check()
            line = f"PASS {name}: {detail}"
        except Exception as err:  # a bug in a check fails it, and the run goes on
            line = f"FAIL {name}: {err}"
            self.log(traceback.format_exc())
        line += f" [{time.monotonic() - started:.0f} s]"
        print(line, flush=True)
        self.lines.append(line)
        self.log(line)
        return line.startswith("PASS")

    # --- the machine's life ---------------------------------------------------------------

    def reset(self) -> None:
        """A power cut: the machine starts again at once."""
        self.boots += 1
        self.machine.reset()

    def after_boot(self) -> None:
        """Wait for the guest agent; give the guest the test's tools (guest/, in /run, gone
        at the next boot) and plug in the touchscreen."""
        self.machine.agent.connect(420)
        for tool in ("touch.py", "installwatch.py", "freeze.py", "jack.py"):
            self.machine.agent.write_file(f"/run/vmtest/{tool}", (GUEST / tool).read_bytes())
        self.plug_touchscreen()

    def plug_touchscreen(self) -> None:
        """Plug the virtual touchscreen in (again, if it was): a new input device."""
        self.guest(
            "pkill -f '^python3 /run/vmtest/touch.py serve'; rm -f /run/vmtest/touch.sock; "
            "setsid python3 /run/vmtest/touch.py serve >/run/vmtest/touch.log 2>&1 </dev/null &"
        )

    def power_off(self) -> None:
        """Shut down cleanly, as `systemctl poweroff` does, and wait for it."""
        self.save_journal(f"boot{self.boots}")
        # Not waited for: the guest agent itself stops early in the shutdown.
        self.log("guest$ systemctl poweroff")
        self.machine.agent.start("systemctl poweroff")
        deadline = time.monotonic() + 180
        while self.machine.process and self.machine.process.poll() is None:
            if time.monotonic() > deadline:
                raise CheckFailedError("the VM did not power off within 180 s")
            time.sleep(1)
        self.machine.stop()

    def power_on(self) -> None:
        """Start the machine; the screen can be watched at once, the agent comes later."""
        self.boots += 1
        self.machine.start()
