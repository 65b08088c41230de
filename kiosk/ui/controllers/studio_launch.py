"""The admin panel's "Edit articles": the content studio on this kiosk, as a program of
its own (``kiosk studio --kiosk``, kiosk.ui.studio.on_kiosk).

A process of its own, not a window of the kiosk's: the kiosk's look (the patient's text
size and contrast) is its application's and must not dress a staff tool; a fault in the
studio must not take the kiosk down; and what the studio holds in memory goes when it
closes. Once its window is up, the kiosk hides its own (which stays on top, so the
studio's dialogs would come up under it), and shows it again when the studio ends.

The unlocked panel is never left without a clock: its quiet clock runs until the
studio's window is up (and if it runs out first, the studio is stopped as it appears);
a studio that does not open within START_LIMIT_MS is stopped; once up, the studio has
its own quiet clock and says it is alive every HEARTBEAT_MS, and one that falls silent
for SILENCE_LIMIT_MS (frozen, or stopped) is killed, so the kiosk comes back. When it
ends the panel is back, with its clock, or, if the studio closed because staff left it
alone, the kiosk goes straight back to patients.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QProcessEnvironment, QTimer, Signal

from kiosk.ui.controllers.staff_mode import StaffMode

if TYPE_CHECKING:  # a screen made when the admin panel is (kiosk.ui.window.LATER_PAGES)
    from kiosk.ui.screens.staff import StaffSection

log = logging.getLogger("kiosk.studio")

EXIT_IDLE = 3  # kiosk.ui.studio.on_kiosk.EXIT_IDLE (not imported: it loads the studio)
# The line the studio prints once its window is on screen (kiosk.ui.studio.app): the
# kiosk then steps aside (hides its window), so the studio and its dialogs are the only
# windows, under cage and under the X11 fallback's window manager alike.
WINDOW_SHOWN = "studio window shown"
ALIVE = "studio alive"  # printed every HEARTBEAT_MS from the studio's GUI thread
HEARTBEAT_MS = 10_000
# Its work (building and signing a pack, installing it) runs off its GUI thread: a
# minute without a heartbeat is a studio that will not answer staff again.
SILENCE_LIMIT_MS = 60_000
# A kiosk's slow disk and the preview's first kiosk take seconds, not minutes.
START_LIMIT_MS = 90_000
STOP_WAIT_MS = 10_000  # the studio keeps its drafts, then ends
# What the studio is not given: systemd's notify socket and watchdog are the kiosk's
# (NotifyAccess=all would let a studio speak for the kiosk).
_NOT_PASSED_ON = ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID")


def studio_command(config: Path | None) -> tuple[str, list[str]]:
    """The program and arguments that start the studio on this kiosk: the bundle's own
    executable when frozen (PyInstaller), else this Python with ``-m kiosk``."""
    arguments = ["studio", "--kiosk"]
    if config is not None:
        arguments += ["--config", str(config)]
    if getattr(sys, "frozen", False):
        return sys.executable, arguments
    return sys.executable, ["-m", "kiosk", *arguments]


class StudioLauncher(QObject):
    """Starts the studio and says when it ends: ``ended(left_alone, detail)``, where
    ``detail`` says why it failed, as logged ("" when it closed as it should)."""

    started = Signal()
    shown = Signal()  # the studio's window is on screen
    ended = Signal(bool, str)

    def __init__(self, config: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._config = config
        self._process: QProcess | None = None
        self._last = ""  # the studio's last line of output: what went wrong, if it failed
        self._up = False  # its window came up
        self._froze = False  # it stopped answering with its window up
        self.staff: StaffMode | None = None  # told when the window is up (offer_studio)
        self._silence = QTimer(self)  # no window in time, or no heartbeat: it is stuck
        self._silence.setSingleShot(True)
        self._silence.timeout.connect(self._stuck)
        app = QCoreApplication.instance()
        if app is not None:  # the kiosk closing (staff, systemd) closes the studio first
            app.aboutToQuit.connect(self.stop)

    @property
    def running(self) -> bool:
        return self._process is not None

    def start(self) -> None:
        """Start the studio, unless it runs already."""
        if self._process is not None:
            return
        process = QProcess(self)
        # Its messages join the kiosk's (the journal under systemd); its last lines say
        # what went wrong if it fails.
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        process.readyReadStandardOutput.connect(self._relay)
        process.finished.connect(self._finished)
        process.errorOccurred.connect(self._failed)
        environment = QProcessEnvironment.systemEnvironment()
        for name in _NOT_PASSED_ON:
            environment.remove(name)
        process.setProcessEnvironment(environment)
        program, arguments = studio_command(self._config)
        self._process = process
        self._last, self._up, self._froze = "", False, False
        log.info("starting the studio: %s %s", program, " ".join(arguments))
        self.started.emit()  # before start: a failure to start is said after it
        self._silence.start(START_LIMIT_MS)
        process.start(program, arguments)

    def stop(self) -> None:
        """End the studio (the kiosk is closing): asked first, so it keeps its drafts;
        waits for it (at most twice STOP_WAIT_MS)."""
        process = self._process
        if process is None:
            return
        process.terminate()
        if not process.waitForFinished(STOP_WAIT_MS):
            process.kill()
            process.waitForFinished(STOP_WAIT_MS)

    def step_aside(self) -> None:
        """The studio's window is up: the kiosk steps aside, unless the panel's clock ran
        out while it opened (patients have the kiosk again): then it is stopped."""
        if self.staff is not None and not self.staff.studio_shown():
            self.stop_soon("the admin panel closed while it opened")

    def stop_soon(self, why: str) -> None:
        """Ask the studio to end (it keeps its drafts), and kill it if it has not
        within STOP_WAIT_MS; the kiosk goes on meanwhile. ``why``: for the log."""
        process = self._process
        if process is None:
            return
        log.warning("stopping the studio: %s", why)
        process.terminate()
        QTimer.singleShot(STOP_WAIT_MS, process, process.kill)

    def _stuck(self) -> None:
        if self._process is None:
            return
        log.error("the studio stopped answering (no window or heartbeat in time): killed")
        self._last = "it stopped answering"
        # Frozen with its window up, it kept the kiosk covered for a minute: staff may
        # have gone, so the kiosk goes back to patients, as for a studio left alone.
        self._froze = self._up
        self._process.kill()

    def _relay(self) -> None:
        if self._process is None:
            return
        text = bytes(self._process.readAllStandardOutput().data()).decode("utf-8", "replace")
        for line in text.splitlines():
            if line.strip():
                if line.rstrip().endswith(ALIVE):
                    self._silence.start(SILENCE_LIMIT_MS)
                    continue  # not logged: one every few seconds says nothing
                level, said = _studio_line(line)
                log.log(level, "studio: %s", said)
                self._last = said
                if line.rstrip().endswith(WINDOW_SHOWN):
                    self._silence.start(SILENCE_LIMIT_MS)
                    self._up = True
                    self.shown.emit()

    def _finished(self, code: int, status: QProcess.ExitStatus) -> None:
        self._relay()
        self._end(code, status == QProcess.ExitStatus.CrashExit)

    def _failed(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and self._process is not None:
            self._last = self._process.errorString()
            self._end(-1, crashed=True)

    def _end(self, code: int, crashed: bool) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        self._silence.stop()
        process.deleteLater()
        left_alone = (code == EXIT_IDLE and not crashed) or self._froze
        detail = ""
        if crashed or code not in (0, EXIT_IDLE):
            detail = self._last or f"exit status {code}"
            log.error("studio ended: exit status %s, crashed %s: %s", code, crashed, self._last)
        self.ended.emit(left_alone, detail)


def offer_studio(studio: StudioLauncher | None, staff: StaffMode, section: StaffSection) -> None:
    """The admin panel's "Edit articles" starts ``studio``; with none (a kiosk that is
    not `kiosk run`'s: the studio's preview, a test's), it is there but greyed out, so
    the panel is laid out as on a kiosk."""
    if studio is None:
        section.studio_button.setEnabled(False)
        return
    section.studio_button.setEnabled(True)
    section.studio_requested.connect(studio.start)
    studio.started.connect(staff.studio_opened)
    studio.staff = staff
    studio.shown.connect(studio.step_aside)
    studio.ended.connect(staff.studio_closed)


_LOGGED = re.compile(r"(DEBUG|INFO|WARNING|ERROR|CRITICAL) [\w.]+: (.*)")


def _studio_line(line: str) -> tuple[int, str]:
    """The level and words of a line the studio printed: its log lines come as
    "WARNING kiosk.studio: ..." (kiosk.cli's format), which the kiosk's journal would
    otherwise show after its own level and name."""
    found = _LOGGED.fullmatch(line.strip())
    if found is None:
        return logging.INFO, line.strip()
    level = logging.getLevelNamesMapping()[found[1]]
    return level, str(found[2])
