"""Everything one patient can change, as one value that a reset replaces whole.

Keeping this in one place is what makes the privacy promise checkable: after an idle
reset or Quick exit, the state must equal ``PatientState.fresh(...)`` exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


class Page(StrEnum):
    ATTRACT = "attract"
    HOME = "home"
    READER = "reader"
    TERMS = "terms"


@dataclass(frozen=True)
class PageRef:
    page: Page
    slug: str = ""
    card: int = 0


TEXT_SCALES = (1.0, 1.25, 1.5, 2.0)


@dataclass(frozen=True)
class DisplaySettings:
    """What the "Aa" panel changes; these defaults are every patient's start (staff
    set none of them today)."""

    text_scale: float = 1.0
    high_contrast: bool = False
    dyslexia_font: bool = False
    reduce_motion: bool = False
    read_aloud: bool = False


@dataclass(frozen=True)
class PatientState:
    history: tuple[PageRef, ...]
    locale: str
    search_text: str = ""
    letter: str = ""
    keyboard_locale: str = ""
    scroll: tuple[tuple[str, int], ...] = ()
    settings: DisplaySettings = field(default_factory=DisplaySettings)

    @classmethod
    def fresh(cls, locale: str, settings: DisplaySettings | None = None) -> PatientState:
        return cls(
            history=(PageRef(Page.ATTRACT),),
            locale=locale,
            keyboard_locale=locale,
            settings=settings or DisplaySettings(),
        )

    @property
    def current(self) -> PageRef:
        return self.history[-1]

    def opened(self, ref: PageRef) -> PatientState:
        # Home is the root of every visit: going home forgets the trail behind it, and
        # what was typed or chosen on the way ("Words starting with A" greets no one).
        if ref.page is Page.HOME:
            return replace(self, history=(ref,), search_text="", letter="")
        return replace(self, history=(*self.history, ref))

    def went_back(self) -> PatientState:
        if len(self.history) <= 1:
            return replace(self, history=(PageRef(Page.HOME),))
        return replace(self, history=self.history[:-1])

    def with_card(self, card: int) -> PatientState:
        top = replace(self.current, card=card)
        return replace(self, history=(*self.history[:-1], top))

    def with_scroll(self, key: str, value: int) -> PatientState:
        kept = tuple((k, v) for k, v in self.scroll if k != key)
        return replace(self, scroll=(*kept, (key, value)) if value else kept)

    def scroll_of(self, key: str) -> int:
        return dict(self.scroll).get(key, 0)
