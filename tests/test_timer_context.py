"""A deferred call never reaches a widget that has gone.

``QTimer.singleShot(ms, self.method)`` holds a Python callable with no Qt receiver: when the
widget is deleted before the timer fires (the idle reset rebuilds screens, a test closes
the window), the call lands on a deleted C++ object and raises "Internal C++ object already
deleted" in the event loop. The overload with a context object, ``singleShot(ms, self,
self.method)``, drops the call with its receiver. CI caught both kinds (settings after a
font change, the crisis banner after its placement was asked for).
"""

from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

ROOT = Path(__file__).resolve().parent.parent


def _names_self(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "self" for n in ast.walk(node))


def _unguarded_timers() -> list[str]:
    """``path:line`` of each two-argument singleShot whose callable reaches ``self``."""
    found = []
    for path in sorted((ROOT / "kiosk").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "singleShot"
                and len(node.args) == 2
                and _names_self(node.args[1])
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_deferred_call_on_a_widget_names_the_widget_as_its_receiver() -> None:
    # benchhook reports once per run on the app's lifetime objects, never a screen.
    allowed = {"kiosk/ui/system/benchhook.py"}
    offenders = [f for f in _unguarded_timers() if f.split(":")[0] not in allowed]
    assert not offenders, "use QTimer.singleShot(ms, self, self.method): " + ", ".join(offenders)


def test_a_settings_screen_deleted_after_a_text_size_change_raises_nothing(qtbot: QtBot) -> None:
    from kiosk.ui.screens.crisis_banner import CrisisBanner
    from kiosk.ui.screens.settings import SettingsPanel

    made = [SettingsPanel(("en", "es")), CrisisBanner()]
    for widget in made:  # not qtbot.addWidget: it would close them after they have gone
        widget.show()
        QApplication.sendEvent(widget, QEvent(QEvent.Type.FontChange))
        widget.deleteLater()
    # deleteLater first, then the timers: pytest-qt fails the test on any exception here.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.wait(50)
