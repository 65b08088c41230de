"""When code fails, the patient sees a calm screen and staff get a log; never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.ui.assembly import KioskParts
from kiosk.ui.screens.calm import OneMomentOverlay, OutOfOrderPage
from kiosk.ui.system.crash import install_excepthook, setup_logging, stop_logging
from kiosk.ui.theme import Theme
from kiosk.ui.window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def restore_hooks() -> Iterator[None]:
    hook = sys.excepthook
    yield
    sys.excepthook = hook
    stop_logging()


def test_an_error_in_a_slot_is_logged_shown_calmly_and_resets(
    qtbot: QtBot, window: MainWindow, parts: KioskParts, tmp_path: Path, restore_hooks: None
) -> None:
    log_file = setup_logging(tmp_path)
    calm = OneMomentOverlay(window, seconds=1)
    calm.finished.connect(window.session.reset)
    install_excepthook(calm.begin)
    window.session.open_home()
    parts.navigator.open_article("heartburn")

    def broken_slot() -> None:
        raise RuntimeError("simulated bug in a slot")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(calm.isVisible, timeout=3000)
    with qtbot.waitSignal(window.session.reset_done, timeout=3000):
        pass
    assert window.stack.currentWidget() is window.attract  # the app is still alive
    logged = log_file.read_text("utf-8")
    assert "simulated bug in a slot" in logged and "Traceback" in logged
    assert (tmp_path / "crash.log").exists()  # faulthandler's file, kept open


def test_out_of_order_screen_tells_staff_what_is_wrong(qtbot: QtBot, theme: Theme) -> None:
    page = OutOfOrderPage(["content/pack.toml: error: no pack.toml here"])
    qtbot.addWidget(page)
    page.show()
    texts = " ".join(label.text() for label in page.findChildren(QLabel))
    assert "front desk" in texts and "no pack.toml here" in texts


def test_the_log_file_opened_after_the_first_frame_holds_what_came_before(
    tmp_path: Path, restore_hooks: None
) -> None:
    """`kiosk run` opens its log file after the welcome screen paints (its module is
    2 MB): nothing is written before, and then every line kept meanwhile, in order."""
    import logging

    from kiosk.ui.system.crash import open_log_file

    log_file = setup_logging(tmp_path, file_later=True)
    logging.getLogger("kiosk.test").info("before the first frame")
    assert not log_file.exists()
    open_log_file()
    logging.getLogger("kiosk.test").info("after it")
    open_log_file()  # once open, a second call changes nothing
    lines = log_file.read_text("utf-8").splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == ["before the first frame", "after it"]


def test_a_crash_before_the_log_file_opens_still_reaches_it(
    tmp_path: Path, restore_hooks: None
) -> None:
    log_file = setup_logging(tmp_path, file_later=True)
    install_excepthook(lambda: None)
    try:
        raise RuntimeError("a bug before the first frame")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # as Python calls it for an uncaught error
    assert "a bug before the first frame" in log_file.read_text("utf-8")
