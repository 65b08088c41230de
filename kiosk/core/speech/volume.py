"""How loud and how fast speech mode speaks, in steps a patient moves through.

EN 301 549 8.2.1 asks for a range of at least 18 dB of gain, with at least one step of
12 dB; ADA 707.5 and Section 508 ask for volume the user controls, back to the default
for the next user. The kiosk's speech engine takes a volume from 0 to 1 as a linear
amplitude (espeak-ng through speech-dispatcher), so the steps are in dB below the
loudest, turned into that amplitude.
"""

from __future__ import annotations

from dataclasses import dataclass

VOLUME_STEPS_DB = (-18.0, -12.0, -6.0, 0.0)  # 18 dB of range; 12 dB from the default up
DEFAULT_VOLUME_STEP = 1  # -12 dB: room to go 12 dB louder for a patient who needs it
RATE_STEPS = (-0.5, -0.25, 0.0, 0.25, 0.5)  # QTextToSpeech rate: -1 slowest .. 1 fastest
DEFAULT_RATE_STEP = 2


def amplitude(db: float) -> float:
    """The engine's volume (0..1) for ``db`` below the loudest (0 dB: 1.0)."""
    return min(1.0, 10 ** (db / 20))


@dataclass(frozen=True)
class Voice:
    """The volume and rate steps a patient chose (indexes into the tables above)."""

    volume_step: int = DEFAULT_VOLUME_STEP
    rate_step: int = DEFAULT_RATE_STEP

    @property
    def volume(self) -> float:
        return amplitude(VOLUME_STEPS_DB[self.volume_step])

    @property
    def rate(self) -> float:
        return RATE_STEPS[self.rate_step]

    def louder(self, by: int) -> Voice:
        """One step louder (``by`` 1) or quieter (-1); the ends stay the ends."""
        step = max(0, min(len(VOLUME_STEPS_DB) - 1, self.volume_step + by))
        return Voice(step, self.rate_step)

    def faster(self, by: int) -> Voice:
        step = max(0, min(len(RATE_STEPS) - 1, self.rate_step + by))
        return Voice(self.volume_step, step)

    @property
    def at_loudest(self) -> bool:
        return self.volume_step == len(VOLUME_STEPS_DB) - 1

    @property
    def at_quietest(self) -> bool:
        return self.volume_step == 0
