"""Earcons: short sounds for what happened in speech mode, before the words come.

Screen readers and the Trace Center's EZ Access use a few short sounds so a patient
knows at once that the highlight moved, that a thing was chosen, that the list ended
or that nothing is there, without waiting for the sentence (issue 15). The sounds are
made here, as a few sine tones, and written as WAV files: nothing comes from the
network, and staff can listen to them in the earcons folder.

They are played by speech-dispatcher as "sound icons" (SSIP ``SOUND_ICON``), so they
reach the same output as the speech, at its place in the queue: its espeak-ng module
plays a file of that name from the folder named by ``EspeakSoundIconFolder`` in its
configuration (``modules/espeak-ng.conf`` beside the kiosk user's ``speechd.conf``,
which deploy/setup-kiosk.sh writes). Where that folder is not this one, the module
would speak an icon's name instead ("kiosk-move.wav"): ``folder_configured`` tells, and
the kiosk then plays none.
"""

from __future__ import annotations

import io
import math
import re
import struct
from enum import StrEnum
from pathlib import Path

RATE_HZ = 22_050  # espeak-ng's own rate: no resampling on the way out
PEAK = 0.25  # of full scale (-12 dBFS): under the voice, which peaks near full scale
FADE_S = 0.005  # a tone starts and ends on a 5 ms slope: no click


class Earcon(StrEnum):
    """A sound and the file it is played from (its SSIP sound icon name)."""

    MOVE = "kiosk-move.wav"  # the highlight moved to another thing
    CHOOSE = "kiosk-choose.wav"  # a thing was chosen
    END = "kiosk-end.wav"  # past the last thing, back to the first (or the other way)
    NOTHING = "kiosk-nothing.wav"  # nothing here, nothing to choose, nothing happened


# Each sound as (frequency Hz, seconds) tones in turn, 0 Hz a pause. Rising: something
# happens; falling and low: it does not. Short enough not to delay the words (< 0.25 s).
TONES: dict[Earcon, tuple[tuple[float, float], ...]] = {
    Earcon.MOVE: ((1_320.0, 0.03),),
    Earcon.CHOOSE: ((660.0, 0.06), (990.0, 0.08)),
    Earcon.END: ((523.0, 0.05), (0.0, 0.03), (523.0, 0.05), (0.0, 0.03), (392.0, 0.08)),
    Earcon.NOTHING: ((330.0, 0.09), (247.0, 0.12)),
}


def samples(tones: tuple[tuple[float, float], ...]) -> list[int]:
    """16-bit samples at RATE_HZ of ``tones`` ((Hz, seconds), 0 Hz silence), each faded
    in and out over FADE_S."""
    out: list[int] = []
    fade = int(FADE_S * RATE_HZ)
    for frequency, seconds in tones:
        count = int(seconds * RATE_HZ)
        for n in range(count):
            if frequency <= 0:
                out.append(0)
                continue
            ramp = min(1.0, n / fade, (count - 1 - n) / fade)
            value = PEAK * ramp * math.sin(2 * math.pi * frequency * n / RATE_HZ)
            out.append(round(value * 32_767))
    return out


def wav_bytes(earcon: Earcon) -> bytes:
    """``earcon`` as a mono 16-bit PCM WAV file."""
    import wave  # with the first earcon: speech mode's controller names Earcon at start-up

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(RATE_HZ)
        data = samples(TONES[earcon])
        file.writeframes(struct.pack(f"<{len(data)}h", *data))
    return buffer.getvalue()


def write_earcons(folder: Path) -> None:
    """Every earcon's WAV file in ``folder`` (made if missing), each replaced in one
    step, and only if its bytes differ (a kiosk starting does not rewrite them).
    OSError if the folder cannot be made or written."""
    from kiosk.core.files import write_atomically

    folder.mkdir(parents=True, exist_ok=True)
    for earcon in Earcon:
        path, data = folder / earcon.value, wav_bytes(earcon)
        try:
            if path.read_bytes() == data:
                continue
        except FileNotFoundError:
            pass
        write_atomically(path, data)


_FOLDER_LINE = re.compile(r'^\s*EspeakSoundIconFolder\s+"([^"]*)"', re.MULTILINE)


def configured_folder(module_conf: str) -> str | None:
    """The folder an espeak-ng module configuration plays sound icons from, as written
    (its last ``EspeakSoundIconFolder "..."`` line, as speech-dispatcher reads them);
    None if it names none."""
    found = _FOLDER_LINE.findall(module_conf)
    return found[-1] if found and found[-1] else None


def folder_line(folder: Path) -> str:
    """The line that makes speech-dispatcher play sound icons from ``folder``. It joins
    the folder and an icon's name as they are, so the folder ends in "/"."""
    return f'EspeakSoundIconFolder "{folder}/"'


def folder_configured(module_conf_path: Path, folder: Path) -> bool:
    """Whether the espeak-ng module configuration at ``module_conf_path`` plays sound
    icons from ``folder`` (False if it cannot be read, or names it without the "/"
    that speech-dispatcher needs: "…/earconskiosk-move.wav" is no file, and the module
    would say the name instead)."""
    try:
        text = module_conf_path.read_text("utf-8", errors="replace")
    except OSError:
        return False
    named = configured_folder(text)
    return named is not None and named.endswith("/") and Path(named).resolve() == folder.resolve()


def module_conf(folder: Path) -> str:
    """An espeak-ng module configuration that plays the kiosk's earcons from ``folder``
    (the rest of the module's settings keep their defaults)."""
    return (
        "# The kiosk's earcons (kiosk.core.speech.earcons): speech-dispatcher's espeak-ng\n"
        "# module plays the sound icons the kiosk asks for from this folder, which the\n"
        "# kiosk fills when speech mode first starts.\n"
        f"{folder_line(folder)}\n"
        "EspeakSoundIconVolume 0\n"
    )
