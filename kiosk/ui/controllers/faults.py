"""What failed around the kiosk, besides its store, as the admin panel lists it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.core.stats import UsageCounts
from kiosk.ui.controllers.read_aloud import ReadAloud
from kiosk.ui.system.crash import log_file_problem

if TYPE_CHECKING:  # a screen made when the admin panel is (kiosk.ui.window.LATER_PAGES)
    from kiosk.core.freshness import Freshness
    from kiosk.ui.screens.staff import Fault


def surroundings_faults(
    read_aloud: ReadAloud,
    usage: UsageCounts | None,
    fleet: Callable[[], Freshness | None] = lambda: None,
) -> tuple[Fault, ...]:
    """What failed around the kiosk, besides its store: for the admin panel.
    ``fleet``: what the fleet last said of the content (kiosk.core.packs.source.StoreWatch)."""
    from kiosk.ui.screens.staff import Fault, Part

    faults: list[Fault] = []
    if (seen := fleet()) is not None:
        if seen.stale:
            stale = Part.STALE if seen.last_confirmed else Part.STALE_NEVER
            faults.append(Fault(stale, seen.last_confirmed))
        if seen.problem:
            faults.append(Fault(Part.FLEET_CHECK, seen.problem))
        if seen.accepted_expired:
            faults.append(Fault(Part.FLEET_ACCEPTED, seen.accepted_expired))
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
