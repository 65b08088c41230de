"""`kiosk run` makes the welcome screen, paints it, and makes the rest while it shows
(kiosk.ui.first_frame, kiosk.ui.controllers.warm_up). A patient who taps Start the
moment it paints reaches Home, and waits for no other page; a keypad's first key starts
speech mode, even before the kiosk's parts exist; once the warm-up is over every page
exists and a tap makes none; the kiosk it leaves is the one made all at once (the same
focus order, the same pages)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.config import KioskConfig
from kiosk.core.content.pack import Pack
from kiosk.core.search.index import SearchIndex
from kiosk.ui.assembly import KioskParts, assemble_kiosk
from kiosk.ui.first_frame import FirstFrame
from kiosk.ui.theme import Theme
from kiosk.ui.window import LATER_PAGES, MainWindow

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton
TOPIC = "Harm Reduction Therapy"
MakeKiosk = Callable[..., KioskParts | FirstFrame]


@pytest.fixture
def kiosks(qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str) -> Iterator[MakeKiosk]:
    """Makes kiosks as the tests ask; deletes their windows through Qt afterwards."""
    made: list[MainWindow] = []

    def make(
        *, first_frame_only: bool, show: bool = True, **assembly: Any
    ) -> KioskParts | FirstFrame:
        """``first_frame_only``: as `kiosk run` makes it (its parts after the paint)."""
        index, config = SearchIndex.build(bundled_pack), KioskConfig(admin_pin_hash=pin_hash)
        parts: KioskParts | FirstFrame = (
            FirstFrame(bundled_pack, index, config, "en", **assembly)
            if first_frame_only
            else assemble_kiosk(bundled_pack, index, config, locale="en", **assembly)
        )
        made.append(parts.window)
        qtbot.addWidget(parts.window)
        parts.window.resize(1920, 1080)
        if show:
            parts.window.show()
        return parts

    yield make
    for window in made:
        window.close()
        window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def made_pages(window: MainWindow) -> list[str]:
    return [name for name in LATER_PAGES if window.is_made(name)]


def button(window: MainWindow, name: str) -> QAbstractButton:
    """The button on screen a screen reader calls ``name``."""
    return next(
        b
        for b in window.findChildren(QAbstractButton)
        if b.accessibleName() == name and b.isVisible()
    )


class _TapStartOnPaint(QObject):
    """Taps Start in the first turn of the event loop after the welcome screen paints:
    installed after the warm-up's own filter, it is asked first, so its tap is queued
    before the warm-up's first step."""

    def __init__(self, parts: KioskParts | FirstFrame) -> None:
        super().__init__(parts.window)
        self._parts = parts
        self.seen: dict[str, object] = {}
        parts.window.attract.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._tap)
        return False

    def _tap(self) -> None:
        window = self._parts.window
        self.seen["made before"] = made_pages(window)
        self.seen["warm"] = self._parts.warm_up.done
        assert isinstance(self._parts, FirstFrame)
        self.seen["parts before"] = self._parts.parts
        QTest.mouseClick(window.attract.start_button, LEFT)
        self.seen["page"] = window.stack.currentWidget()
        self.seen["made for the tap"] = made_pages(window)


def test_a_tap_on_start_as_the_welcome_screen_paints_reaches_home(
    qtbot: QtBot, kiosks: MakeKiosk
) -> None:
    parts = kiosks(first_frame_only=True, show=False)
    window = parts.window
    tapper = _TapStartOnPaint(parts)
    assert made_pages(window) == []  # the welcome screen is all there is before it paints
    window.show()
    qtbot.waitUntil(lambda: "page" in tapper.seen)
    assert tapper.seen["made before"] == [] and tapper.seen["warm"] is False
    assert tapper.seen["parts before"] is None  # the tap made them, then went to them
    assert tapper.seen["page"] is window.home
    assert tapper.seen["made for the tap"] == ["home"]  # and nothing it does not need
    assert button(window, TOPIC).isVisible()  # Home shows its articles
    qtbot.waitUntil(lambda: parts.warm_up.done, timeout=10_000)
    assert window.stack.currentWidget() is window.home
    QTest.mouseClick(button(window, TOPIC), LEFT)
    assert window.stack.currentWidget() is window.reader


def test_a_keypad_key_before_the_parts_exist_starts_speech_mode(
    qtbot: QtBot, kiosks: MakeKiosk, shared_speech_home: Path
) -> None:
    """Speech mode hears keys through a filter on the application, made with the parts:
    a blind patient's first key, pressed before them, is theirs all the same."""
    from kiosk.ui.system.speech import Speaker

    first = kiosks(first_frame_only=True, make_speaker=lambda: Speaker())
    assert isinstance(first, FirstFrame)
    assert first.parts is None  # the warm-up has not had its first turn
    QTest.keyClick(first.window.attract, Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier)
    assert first.parts is not None and first.parts.speech_mode.on
    assert first.window.stack.currentWidget() is first.window.attract


def test_a_finger_held_from_before_the_parts_exist_starts_speech_mode(
    qtbot: QtBot, kiosks: MakeKiosk, shared_speech_home: Path
) -> None:
    """The other filter the parts install (touch exploration's hold to start) sees the
    press that made them, too."""
    from kiosk.ui.speech_mode.touch import HOLD_MS
    from kiosk.ui.system.speech import Speaker

    first = kiosks(first_frame_only=True, make_speaker=lambda: Speaker())
    assert isinstance(first, FirstFrame)
    assert first.parts is None
    middle = first.window.attract.rect().center()
    QTest.mousePress(first.window.attract, LEFT, Qt.KeyboardModifier.NoModifier, middle)
    parts = first.parts
    assert parts is not None
    qtbot.waitUntil(lambda: parts.speech_mode.on, timeout=HOLD_MS + 3_000)
    QTest.mouseRelease(first.window.attract, LEFT, Qt.KeyboardModifier.NoModifier, middle)


class _GrabOnPaint(QObject):
    """The window's picture in the first turn of the event loop after the welcome
    screen paints: installed after the warm-up's filter, it is asked first, so its grab
    comes before the parts are made."""

    def __init__(self, first: FirstFrame) -> None:
        super().__init__(first.window)
        self._first = first
        self.image: QImage | None = None
        self.parts_then: object = "not yet"
        first.window.attract.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._grab)
        return False

    def _grab(self) -> None:
        self.parts_then = self._first.parts
        self.image = self._first.window.grab().toImage()


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768), (1080, 1920)])
@pytest.mark.parametrize("locale", ["en", "es"])
def test_the_welcome_screen_looks_the_same_before_and_after_the_parts_come(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    locale: str,
    size: tuple[int, int],
    tmp_path: Path,
) -> None:
    """Nothing on screen moves or changes when the parts take the welcome screen over
    (its words, languages, look): the rendered pixels are the same."""
    first = FirstFrame(
        bundled_pack, SearchIndex.build(bundled_pack), KioskConfig(admin_pin_hash=pin_hash), locale
    )
    qtbot.addWidget(first.window)
    first.window.resize(*size)
    grabbed = _GrabOnPaint(first)
    first.window.show()
    qtbot.waitUntil(lambda: grabbed.image is not None)  # the first frame, as painted
    before = grabbed.image
    assert before is not None and grabbed.parts_then is None
    qtbot.waitUntil(lambda: first.parts is not None)  # the warm-up's first step
    QCoreApplication.processEvents()
    after = first.window.grab().toImage()
    assert first.window.stack.currentWidget() is first.window.attract
    before.save(str(tmp_path / "before.png"))
    after.save(str(tmp_path / "after.png"))
    assert before == after, tmp_path
    first.window.close()


def test_parts_that_cannot_be_made_end_the_kiosk_and_input_still_goes_on(
    qtbot: QtBot, kiosks: MakeKiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug while making the parts: logged, and the kiosk told to end (systemd starts
    it again), as a bug while starting always was; a tap then is not passed round for
    ever to parts that will never come."""
    import kiosk.ui.assembly

    def broken(*args: object, **kwargs: object) -> KioskParts:
        raise RuntimeError("a bug in the assembly")

    monkeypatch.setattr(kiosk.ui.assembly, "assemble_kiosk", broken)
    ended: list[str] = []
    first = kiosks(first_frame_only=True, failed=lambda: ended.append("ended"))
    assert isinstance(first, FirstFrame)
    QTest.mouseClick(first.window.attract.start_button, LEFT)  # makes them: it fails
    assert first.parts is None and ended == ["ended"]
    QTest.mouseClick(first.window.attract.start_button, LEFT)
    qtbot.wait(50)  # the warm-up's turn: its step was taken, nothing more is tried
    assert first.parts is None and ended == ["ended"]
    assert first.window.stack.currentWidget() is first.window.attract


class _Presses(QObject):
    def __init__(self, watched: QWidget) -> None:
        super().__init__(watched)
        self.count = 0
        watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self.count += event.type() == QEvent.Type.MouseButtonPress
        return False


def test_a_first_press_that_makes_the_parts_reaches_each_widget_once(
    kiosks: MakeKiosk,
) -> None:
    """A press on the words (which do not take it) goes up to the window once, as every
    later press does: passed again for the parts, the first passing must not go on."""
    first = kiosks(first_frame_only=True)
    assert isinstance(first, FirstFrame) and first.parts is None
    line = first.window.attract.findChildren(QLabel)[0]
    at_page, at_window = _Presses(first.window.attract), _Presses(first.window)
    QTest.mousePress(line, LEFT, Qt.KeyboardModifier.NoModifier, line.rect().center())
    assert first.parts is not None
    assert (at_page.count, at_window.count) == (1, 1)
    QTest.mouseRelease(line, LEFT, Qt.KeyboardModifier.NoModifier, line.rect().center())
    QTest.mousePress(line, LEFT, Qt.KeyboardModifier.NoModifier, line.rect().center())
    assert (at_page.count, at_window.count) == (2, 2)  # as any later press


def test_after_the_warm_up_every_page_exists_and_no_tap_makes_one(
    qtbot: QtBot, kiosks: MakeKiosk
) -> None:
    parts = kiosks(first_frame_only=True)
    window = parts.window
    with qtbot.waitSignal(parts.warm_up.finished, timeout=10_000):
        pass
    assert made_pages(window) == list(LATER_PAGES)
    assert isinstance(parts, FirstFrame) and parts.parts is not None
    assert parts.parts.content is None  # no store to follow here; with one, it is now
    made: list[str] = []
    window.page_made.connect(made.append)
    QTest.mouseClick(window.attract.start_button, LEFT)
    for name, page in (
        (TOPIC, window.reader),
        ("Home", window.home),
        ("Health words A to Z", window.terms),
    ):
        QTest.mouseClick(button(window, name), LEFT)
        assert window.stack.currentWidget() is page
    QTest.mouseClick(button(window, "Text size"), LEFT)
    assert window.settings_panel.isVisible()
    assert made == []


def _chain(window: QWidget) -> list[QWidget]:
    chain: list[QWidget] = []
    widget = window.nextInFocusChain()
    while widget is not None and widget is not window:
        chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def focus_chain(window: QWidget) -> list[tuple[str, str]]:
    return [(type(w).__name__, w.accessibleName()) for w in _chain(window)]


def tab_order(window: QWidget) -> list[tuple[str, str]]:
    """What Tab goes through, in order (hidden or not)."""
    return [
        (type(w).__name__, w.accessibleName())
        for w in _chain(window)
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]


def test_the_warmed_up_kiosk_is_the_one_made_all_at_once(qtbot: QtBot, kiosks: MakeKiosk) -> None:
    at_once = kiosks(first_frame_only=False)
    later = kiosks(first_frame_only=True)
    qtbot.waitUntil(lambda: later.warm_up.done, timeout=10_000)
    assert at_once.warm_up.done
    assert focus_chain(later.window) == focus_chain(at_once.window)
    for parts in (at_once, later):
        QTest.mouseClick(parts.window.attract.start_button, LEFT)
    assert [b.text() for b in at_once.window.home.findChildren(QAbstractButton)] == [
        b.text() for b in later.window.home.findChildren(QAbstractButton)
    ]


def test_a_page_made_before_its_turn_keeps_the_tab_order(qtbot: QtBot, kiosks: MakeKiosk) -> None:
    """A patient quicker than the warm-up (the Aa panel, then A-Z, before the reader)."""
    at_once = kiosks(first_frame_only=False)
    later = kiosks(first_frame_only=True)
    later.window.make("settings_panel")
    later.window.make("terms")
    qtbot.waitUntil(lambda: later.warm_up.done, timeout=10_000)
    assert tab_order(later.window) == tab_order(at_once.window)


def test_the_tab_order_after_the_warm_up_is_the_one_after_a_reset(
    qtbot: QtBot, kiosks: MakeKiosk
) -> None:
    parts = kiosks(first_frame_only=True)
    qtbot.waitUntil(lambda: parts.warm_up.done, timeout=10_000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    fresh = tab_order(parts.window)
    QTest.mouseClick(parts.window.attract.start_button, LEFT)
    parts.session.reset()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    assert tab_order(parts.window) == fresh


def test_a_page_name_that_is_no_page_is_an_error_not_the_admin_panel(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    """A typo in a page's name opened the admin panel (the newcomer's review)."""
    from conftest import make_kiosk

    k = make_kiosk(qtbot, bundled_pack, theme, pin_hash)
    with pytest.raises(KeyError, match="no page named 'adimn'"):
        k.window.make("adimn")
