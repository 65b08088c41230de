"""The earcons as speech-dispatcher's sound icons (kiosk.core.speech.earcons says why).

The speech channel (kiosk.core.speech.channel) sends an earcon as a sound icon on the
connection that sends the words, just before them: same priority, same queue, so it
is played first, through the same output, and a stop silences both.

``EarconSounds`` names no sound, and logs why once, where speech-dispatcher's espeak-ng
module would speak the sound's name instead: its configuration does not name the
earcons folder. It writes the files there the first time.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import platformdirs

from kiosk.core.config import APP_NAME
from kiosk.core.speech.earcons import Earcon, folder_configured, folder_line, write_earcons

log = logging.getLogger("kiosk.speech")


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


class EarconSounds:
    """Earcons from ``folder`` (None: earcons_folder()), checked against ``module_conf``
    (None: module_conf_path()); the speech channel sends them as sound icons."""

    def __init__(self, folder: Path | None = None, module_conf: Path | None = None) -> None:
        self._folder = folder or earcons_folder()
        self._module_conf = module_conf or module_conf_path()
        self._usable: bool | None = None  # None: not checked yet

    @property
    def usable(self) -> bool:
        """Whether earcons can be heard here (checked, and the files written, once)."""
        if self._usable is None:
            self._usable = self._prepare()
        return self._usable

    def _prepare(self) -> bool:
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
        return True

    def sound_icon(self, earcon: Earcon) -> str | None:
        """The sound icon to send before the words (SSIP SOUND_ICON), or None where the
        module would speak its name instead."""
        return earcon.value if self.usable else None
