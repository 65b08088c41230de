"""What failed around the kiosk, besides its store, as the admin panel lists it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.core.stats import UsageCounts
from kiosk.ui.controllers.read_aloud import ReadAloud
from kiosk.ui.system.crash import log_file_problem

if TYPE_CHECKING:  # a screen made when the admin panel is (kiosk.ui.window.LATER_PAGES)
    from kiosk.ui.screens.staff import Fault


def surroundings_faults(read_aloud: ReadAloud, usage: UsageCounts | None) -> tuple[Fault, ...]:
    """What failed around the kiosk, besides its store: for the admin panel."""
    from kiosk.ui.screens.staff import Fault, Part

    faults: list[Fault] = []
    read_aloud.find_engine()  # if the warm-up has not looked yet: staff may be quicker
    if (problem := log_file_problem()) is not None:
        faults.append(Fault(Part.LOG, problem))
    if usage is not None and (problem := usage.problem) is not None:
        faults.append(Fault(Part.USAGE, problem))
    if read_aloud.missing:
        faults.append(Fault(Part.SPEECH_MISSING, read_aloud.missing))
    speaker = read_aloud.speaker
    if speaker is not None and speaker.failure:
        faults.append(
            Fault(Part.SPEECH if speaker.recovered else Part.SPEECH_FAILED, speaker.failure)
        )
    return tuple(faults)
