"""The content studio's windows for tests: what staff answer, a studio on a copy of the
bundled content, and choosing an article in its list (tests/conftest.py's fixtures)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QListWidgetItem
from pytestqt.qtbot import QtBot

from kiosk.core.studio.drafts import Draft, Drafts
from kiosk.ui.studio.editing import offer_drafts
from kiosk.ui.studio.window import StudioWindow

MakeStudio = Callable[..., StudioWindow]


class Answers:
    """What staff answer, and what they were asked."""

    def __init__(self, restore: bool = True, reload: bool = False) -> None:
        self._restore, self._reload = restore, reload
        self.asked: list[str] = []
        self.passphrases: list[str] = []  # given in turn when asked
        self.lose = False

    def restore(self, draft: Draft) -> bool | None:
        self.asked.append(f"restore {draft.article.name}")
        return self._restore

    def reload(self, path: Path) -> bool:
        self.asked.append(f"reload {path.name}")
        return self._reload

    def passphrase(self, problem: str) -> str | None:
        self.asked.append(problem)
        return self.passphrases.pop(0) if self.passphrases else None

    def lose_unsaved(self) -> bool:
        self.asked.append("lose unsaved")
        return self.lose

    # The text toolbar's questions: set what staff will answer before they are asked.
    article: str | None = None
    picture: Path | None = None
    description: str | None = None

    def choose_article(self, choices: list[tuple[str, str]], linked: str) -> str | None:
        self.asked.append(f"link ({len(choices)} articles, now {linked or 'none'})")
        return self.article

    def choose_picture(self) -> Path | None:
        self.asked.append("picture")
        return self.picture

    def describe_picture(self, name: str) -> str | None:
        self.asked.append(f"describe {name}")
        return self.description


def studios_on(qtbot: QtBot, tmp_path: Path) -> Iterator[MakeStudio]:
    """Studio windows on one drafts folder, as one staff account's."""
    made: list[StudioWindow] = []

    def make(
        folder: Path, answers: Answers | None = None, autosave_ms: int = 60_000
    ) -> StudioWindow:
        window = StudioWindow(
            folder,
            Drafts(tmp_path / "drafts"),
            questions=answers or Answers(),
            autosave_ms=autosave_ms,
        )
        qtbot.addWidget(window)
        window.show()
        offer_drafts(window)  # as run_studio does, once the window is up
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()
        window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def choose(window: StudioWindow, relative: Path) -> None:
    for row in range(window.articles.count()):
        item: QListWidgetItem = window.articles.item(row)
        if Path(item.data(Qt.ItemDataRole.UserRole)).as_posix().endswith(relative.as_posix()):
            window.articles.setCurrentItem(item)
            return
    raise AssertionError(f"{relative} is not in the list")
