"""Playing the earcons through speech-dispatcher (kiosk.core.speech.earcons says why).

``EarconPlayer.play`` asks speech-dispatcher to play an earcon as a sound icon, on a
connection of its own at priority "important": played at once, and the text the kiosk
sends next waits for it (a text still being read is cut short, as the keys that make
an earcon cut it anyway). It returns only once speech-dispatcher queued the sound, so
the words that follow cannot overtake it.

It plays nothing, and logs why once, where speech-dispatcher's espeak-ng module would
speak the sound's name instead: its configuration does not name the earcons folder.
A server that does not answer costs one earcon (at most SsipClient's timeout), not the
words, and no earcon is tried for QUIET_AFTER_FAILURE_S after; a connection left from
before the server restarted is made afresh at once.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import platformdirs

from kiosk.core.config import APP_NAME
from kiosk.core.speech.earcons import Earcon, folder_configured, folder_line, write_earcons
from kiosk.core.speech.ssip import SsipClient, SsipError, server_address

log = logging.getLogger("kiosk.speech")

CLIENT_NAME = "kiosk:kiosk:earcons"  # SSIP's user:application:component
QUIET_AFTER_FAILURE_S = 30


def earcons_folder() -> Path:
    """Where the kiosk writes its earcons: $XDG_DATA_HOME/clinic-kiosk/earcons (by
    default ~/.local/share/clinic-kiosk/earcons, which deploy/setup-kiosk.sh names to
    speech-dispatcher)."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "earcons"


def module_conf_path() -> Path:
    """The kiosk user's espeak-ng module configuration: speech-dispatcher reads a module's
    file from the ``modules`` folder beside the speechd.conf it reads (the user's own
    under $XDG_CONFIG_HOME, as deploy/setup-kiosk.sh writes them)."""
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "speech-dispatcher" / "modules" / "espeak-ng.conf"


class EarconPlayer:
    """Earcons on speech-dispatcher at ``address`` (None: the user's own server), from
    ``folder`` (None: earcons_folder()), checked against ``module_conf`` (None:
    module_conf_path())."""

    def __init__(
        self,
        address: Path | None = None,
        folder: Path | None = None,
        module_conf: Path | None = None,
    ) -> None:
        self._address = address or server_address()
        self._folder = folder or earcons_folder()
        self._module_conf = module_conf or module_conf_path()
        self._client: SsipClient | None = None
        self._usable: bool | None = None  # None: not checked yet
        self._quiet_until = 0.0  # time.monotonic() before which no earcon is tried

    @property
    def usable(self) -> bool:
        """Whether earcons can be heard here (checked, and the files written, once)."""
        if self._usable is None:
            self._usable = self._prepare()
        return self._usable

    def _prepare(self) -> bool:
        if self._address is None:
            log.warning("earcons are off: speech-dispatcher is not on a Unix socket here")
            return False
        if not folder_configured(self._module_conf, self._folder):
            log.warning(
                "earcons are off: %s needs the line %s (deploy/setup-kiosk.sh writes it; "
                "docs/SPEECH.md)",
                self._module_conf,
                folder_line(self._folder),
            )
            return False
        try:
            write_earcons(self._folder)
        except OSError as err:
            log.warning("earcons are off: cannot write them to %s: %s", self._folder, err)
            return False
        self._client = SsipClient(self._address, CLIENT_NAME)
        return True

    def play(self, earcon: Earcon) -> bool:
        """Queue ``earcon`` before whatever is said next; whether speech-dispatcher took it."""
        if not self.usable or self._client is None or time.monotonic() < self._quiet_until:
            return False
        # A connection from before the server restarted fails once: then a new one.
        for last_try in (not self._client.connected, True):
            try:
                return self._send(earcon)
            except SsipError as err:
                problem = str(err)
            if last_try:
                break
        # A server that does not answer would cost every key the timeout.
        self._quiet_until = time.monotonic() + QUIET_AFTER_FAILURE_S
        log.debug(
            "earcon %s not played, none for %d s: %s", earcon.name, QUIET_AFTER_FAILURE_S, problem
        )
        return False

    def _send(self, earcon: Earcon) -> bool:
        assert self._client is not None
        if not self._client.connected:
            self._client.connect()
            self._client.command("SET SELF PRIORITY important")
        self._client.command(f"SOUND_ICON {earcon.value}")
        return True

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
