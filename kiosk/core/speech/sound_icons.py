"""Playing the earcons through speech-dispatcher (kiosk.core.speech.earcons says why).

``EarconPlayer.play`` asks speech-dispatcher to play an earcon as a sound icon, on a
connection of its own at priority "important": played at once, and the text the kiosk
sends next waits for it (a text still being read is cut short, as the keys that make
an earcon cut it anyway). It returns only once speech-dispatcher queued the sound, so
the words that follow cannot overtake it.

It plays nothing, and logs why once, where speech-dispatcher's espeak-ng module would
speak the sound's name instead: its configuration does not name the earcons folder.
A server that is not running yet (Qt's engine starts it) or stops answering costs one
earcon, not the words; the next earcon tries again.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import platformdirs

from kiosk.core.config import APP_NAME
from kiosk.core.speech.earcons import Earcon, folder_configured, write_earcons
from kiosk.core.speech.ssip import SsipClient, SsipError, server_address

log = logging.getLogger("kiosk.speech")

CLIENT_NAME = "kiosk:kiosk:earcons"  # SSIP's user:application:component


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
                "earcons are off: %s does not name %s as EspeakSoundIconFolder "
                "(deploy/setup-kiosk.sh writes it; see docs/SPEECH.md)",
                self._module_conf,
                self._folder,
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
        if not self.usable or self._client is None:
            return False
        try:
            if not self._client.connected:
                self._client.connect()
                self._client.command("SET SELF PRIORITY important")
            self._client.command(f"SOUND_ICON {earcon.value}")
        except SsipError as err:
            log.debug("earcon %s not played: %s", earcon.name, err)
            return False
        return True

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
