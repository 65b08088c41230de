"""Speech mode starts when a patient plugs a headset in, if staff chose so (kiosk.toml's
``speech_on_headset``; docs/SPEECH.md). The socket is read from the kernel
(kiosk.core.speech.headset); a kiosk with no socket that reports a plug says so in its
log, once, and speech mode still starts from the keypad or a finger held on the screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier, Signal

from kiosk.core.speech.headset import JackSocket, jack_sockets

log = logging.getLogger("kiosk.speech")


class HeadsetWatch(QObject):
    """The headphone sockets of this machine, each read when it has news."""

    plugged_in = Signal()  # a plug went into a socket

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watched: list[tuple[JackSocket, QSocketNotifier]] = []
        self.destroyed.connect(_closer(self._watched))

    @property
    def sockets(self) -> list[JackSocket]:
        return [socket for socket, _notifier in self._watched]

    def start(self) -> None:
        """Find the sockets and follow them (a warm-up step: it opens a few files)."""
        sockets, refused = jack_sockets()
        for socket in sockets:
            self.follow(socket)
        if sockets:
            names = ", ".join(f"{s.name} ({s.path})" for s in sockets)
            log.info("speech mode starts when a headset is plugged into: %s", names)
        else:
            why = f"; not allowed to read {len(refused)} input devices" if refused else ""
            log.warning(
                "speech_on_headset is on, but no headphone socket here reports a plug%s "
                "(the kiosk user in group kiosk-headset, deploy/91-kiosk-headset.rules; "
                "docs/SPEECH.md says which hardware does)",
                why,
            )

    def follow(self, socket: JackSocket) -> None:
        """Read ``socket`` whenever it has news (closed with this watch)."""
        notifier = QSocketNotifier(socket.fd, QSocketNotifier.Type.Read, self)
        notifier.activated.connect(self._activated)
        self._watched.append((socket, notifier))

    def _activated(self) -> None:
        for socket, notifier in list(self._watched):
            if notifier is self.sender():
                self._read(socket)

    def _read(self, socket: JackSocket) -> None:
        try:
            changes = socket.changes()
        except OSError as err:  # the sound card went away (a USB one unplugged)
            log.warning("stopped following %s (%s): %s", socket.name, socket.path, err)
            self._forget(socket)
            return
        if changes and changes[-1]:
            log.info("a headset was plugged into %s", socket.name)
            self.plugged_in.emit()

    def _forget(self, socket: JackSocket) -> None:
        for entry in list(self._watched):
            if entry[0] is socket:
                entry[1].setEnabled(False)
                entry[1].deleteLater()
                self._watched.remove(entry)
                socket.close()


def _closer(watched: list[tuple[JackSocket, QSocketNotifier]]) -> Callable[[], None]:
    def close() -> None:
        for socket, _notifier in watched:
            socket.close()
        watched.clear()

    return close


class _StartUnlessStaff(QObject):
    """Speech mode started (``start``), but not on staff's screens (``staff``)."""

    def __init__(
        self, start: Callable[[], None], staff: Callable[[], bool], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._start, self._staff = start, staff

    def plugged_in(self) -> None:
        if not self._staff():
            self._start()


def follow_headset(
    start_speech_mode: Callable[[], None], parent: QObject | None, staff: Callable[[], bool]
) -> HeadsetWatch:
    """Start speech mode (``start_speech_mode``) whenever a headset is plugged in, but
    not on staff's screens (``staff``)."""
    watch = HeadsetWatch(parent)
    starter = _StartUnlessStaff(start_speech_mode, staff, watch)
    watch.plugged_in.connect(starter.plugged_in)
    watch.start()
    return watch
