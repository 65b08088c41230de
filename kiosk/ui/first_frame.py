"""`kiosk run`'s first frame: the welcome screen alone, painted before the rest exists.

A kiosk starts after a power cut with nobody in front of it. What the welcome screen
needs (the window, its session, the interface's words, the pack's languages) is made
and painted first; the kiosk's parts (kiosk.ui.assembly: navigation, read aloud, staff
mode, speech mode, the idle policy) are made in the warm-up's first step, once it has
painted, and the pages and tables after them (kiosk.ui.controllers.warm_up). Making and
importing the parts before the first frame was about a third of a cold start
(BENCHMARKS.md, "Where the start goes").

Nobody can be let down in between: the first key, click or touch that comes before the
parts exist makes them at once, then goes on to them (``_FirstInput``). A patient's
first tap on Start reaches Home, and a keypad's first key starts speech mode.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject
from PySide6.QtWidgets import QWidget

from kiosk.core.config import KioskConfig
from kiosk.core.content.pack import Pack
from kiosk.ui.controllers.warm_up import WarmUp
from kiosk.ui.i18n import Translations
from kiosk.ui.session import Session
from kiosk.ui.window import MainWindow

if TYPE_CHECKING:
    from kiosk.core.search.index import SearchIndex
    from kiosk.ui.assembly import KioskParts

log = logging.getLogger("kiosk.ui")

PARTS = "kiosk parts"  # the warm-up's first step: kiosk.ui.assembly's parts, wired


class FirstFrame:
    """The welcome screen of a kiosk whose parts come once it has painted.

    ``window``, ``session`` and ``warm_up`` exist from the start; ``parts`` is None
    until the warm-up's first step (or the first input) has made them. ``assembly``:
    the keyword arguments of kiosk.ui.assembly.assemble_kiosk."""

    def __init__(
        self,
        pack: Pack,
        index: SearchIndex,
        config: KioskConfig,
        locale: str,
        *,
        failed: Callable[[], object] | None = None,
        **assembly: Any,
    ) -> None:
        """``failed``: called when the warm-up could not make the parts (a bug, logged
        with its stack): a kiosk without them can do nothing, and ends (kiosk.ui.app)."""
        self.session = Session(locale)
        self.window = MainWindow(pack.info, self.session, config)
        self.warm_up = WarmUp(self.window)
        self.translations = Translations(self.window)
        self.parts: KioskParts | None = None
        self._made: list[Callable[[KioskParts], object]] = []
        self._make = (pack, index, config, assembly)
        self._failed = failed
        # The words and languages of the welcome screen, as the parts' first showing
        # sets them (kiosk.ui.assembly._show_first): nothing moves when they come.
        self.translations.use(locale)
        self.window.setLocale(QLocale(locale))
        self.window.top_bar.retranslate()
        self.window.top_bar.hide()  # as on every welcome screen (the navigator's rule)
        self.window.attract.show_locales(pack.info.locales)
        self.window.attract.setFocus()  # a keypad's first Enter starts (the navigator's rule)
        self._first_input = _FirstInput(self)
        self.warm_up.add([(PARTS, self._make_parts)])
        self.warm_up.start_after_paint(self.window.attract)

    def when_made(self, then: Callable[[KioskParts], object]) -> None:
        """Call ``then`` with the parts once they exist (at once if they do)."""
        if self.parts is not None:
            then(self.parts)
        else:
            self._made.append(then)

    def assemble(self) -> KioskParts:
        """The kiosk's parts, made now if they are not yet."""
        if self.parts is None:
            from kiosk.ui.assembly import assemble_kiosk  # after the first frame

            pack, index, config, assembly = self._make
            try:
                self.parts = assemble_kiosk(pack, index, config, first=self, **assembly)
            finally:
                self._first_input.remove()  # made or not, input goes its usual way
            for then in self._made:
                then(self.parts)
            self._made.clear()
        return self.parts

    def _make_parts(self) -> None:
        try:
            self.assemble()
        except Exception:
            if self._failed is None:
                raise
            log.critical("the kiosk could not start", exc_info=True)
            self._failed()


# What a patient does first: a key, or a press of a mouse or a finger (no widget of the
# welcome screen takes touch events, so Qt makes a mouse press of a touch).
_INPUT = frozenset(
    {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick}
)


class _FirstInput(QObject):
    """Makes the parts when input comes before them, then gives the input to them.

    The parts watch input through filters on the application (speech mode's keys, its
    touch exploration), and a filter installed while Qt passes an event through the
    filters does not see that event. So the event is passed again from the start
    (QCoreApplication.sendEvent), and the first passing ends here."""

    def __init__(self, first: FirstFrame) -> None:
        super().__init__(first.window)
        self._first = first
        self._app = QCoreApplication.instance()
        if self._app is not None:
            self._app.installEventFilter(self)

    def remove(self) -> None:
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._app is None or not isinstance(watched, QWidget) or event.type() not in _INPUT:
            return False  # a window's own events come to its widgets next
        self._first.warm_up.run_early(PARTS)  # removes this filter
        QCoreApplication.sendEvent(watched, event)  # to the widget and, unless taken, up
        # The passing above went up through the parents already: accepted, this one
        # goes no further (Qt passes an event nobody accepted on to the parent).
        event.accept()
        return True
