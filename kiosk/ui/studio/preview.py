"""The studio's live preview: the kiosk's own reader and cards, on the card being edited.

A real kiosk (kiosk.ui.assembly, the same composition root as `kiosk run`) is made off
screen at a kiosk's size, landscape or portrait, with its look on its own window (not
on the studio), and fed the pack the validator made of the unsaved texts
(kiosk.core.studio.checking). After every check it opens the article, shows the card
the cursor is in, and its picture, scaled, is what staff see: what a patient will see,
at 100% or 200% text, in standard or high contrast, in either language. A text with
errors makes no pack: the last good picture stays, and says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.config import KioskConfig
from kiosk.core.content.pack import Pack
from kiosk.core.patient import DisplaySettings
from kiosk.core.search.index import SearchIndex
from kiosk.core.studio.statuses import language_name
from kiosk.ui.assembly import KioskParts, assemble_kiosk

# A kiosk's screen: 1080p, the most common touchscreen panel, either way up.
SCREENS = {"Landscape": QSize(1920, 1080), "Portrait": QSize(1080, 1920)}
TEXT_SIZES = {"100%": 1.0, "150%": 1.5, "200%": 2.0}
SETTLE_MS = 250  # the picture again once the kiosk's pages have arranged themselves
# No reset while staff look: the preview's kiosk is nobody's session.
_CONFIG = KioskConfig(idle_timeout=3600, idle_warning=300, admin_idle_timeout=3600)


@dataclass(frozen=True)
class Shown:
    """What the preview is asked to show."""

    locale: str
    slug: str
    card: int  # from 0


class StudioPreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parts: KioskParts | None = None
        self._pack: Pack | None = None  # the last without errors
        self._shown: Shown | None = None
        self.text_size = _choice(self, "Text size", TEXT_SIZES)
        self.screen_shape = _choice(self, "Screen", SCREENS)
        self.contrast = QCheckBox("High contrast", self)
        # The article's own language, or another of the pack's: its translation.
        self.language = _choice(self, "Language", {"Its language": ""})
        self.picture = QLabel(self)
        self.picture.setAccessibleName("What patients will see")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        # Until the first check: with no article chosen, what to do; with one, the check
        # is on its way (it shows once the article has no errors).
        self.note = QLabel(
            "Choose an article in the list: it shows here as patients will see it.", self
        )
        self.note.setWordWrap(True)
        row = QHBoxLayout()
        for widget in (self.text_size, self.screen_shape, self.language, self.contrast):
            row.addWidget(widget)
        column = QVBoxLayout(self)
        column.addLayout(row)
        column.addWidget(self.picture, 1)
        column.addWidget(self.note)
        self.text_size.activated.connect(self._again)
        self.screen_shape.activated.connect(self._again)
        self.contrast.toggled.connect(self._again)
        self.language.activated.connect(self._again)

    def show_pack(self, pack: Pack | None, index: SearchIndex | None, shown: Shown) -> None:
        """``shown`` in ``pack`` (None: the text has errors; the last picture stays)."""
        self._shown = shown
        if pack is None or index is None:
            self.note.setText(
                "The text has errors: this is the last version without."
                if self.parts is not None
                else "The preview shows once the article has no errors (see the problems)."
            )
            return
        if self.parts is None:
            self.parts = assemble_kiosk(pack, index, _CONFIG, locale=shown.locale, own_look=True)
            window = self.parts.window
            window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
            # Shown off screen, it counts as a window: closing the studio must end it.
            window.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
            window.show()
        else:
            self.parts.navigator.replace_content(pack, index)
        self._pack = pack
        if self.language.count() == 1:
            for locale in pack.info.locales:
                self.language.addItem(language_name(locale), locale)
        self._again()

    def close_kiosk(self) -> None:
        """The preview's kiosk goes with the studio."""
        if self.parts is not None:
            self.parts.window.close()
            self.parts.window.deleteLater()
            self.parts = None

    def show_card(self, shown: Shown) -> None:
        """Another card (the cursor moved to it) of the pack shown now."""
        if shown != self._shown:
            self._shown = shown
            self._again()

    def _again(self) -> None:
        parts, shown = self.parts, self._shown
        if parts is None or shown is None:
            return
        parts.window.resize(self.screen_shape.currentData())
        session = parts.session
        locale = self.language.currentData() or shown.locale
        if self._pack is not None and shown.slug not in self._pack.articles.get(locale, {}):
            self.picture.clear()
            self.note.setText(f"There is no {language_name(locale)} version of this article yet.")
            return
        self.note.setText("What patients will see.")
        if session.locale != locale:
            session.set_locale(locale)
        settings = DisplaySettings(
            text_scale=self.text_size.currentData(), high_contrast=self.contrast.isChecked()
        )
        if session.settings != settings:
            session.set_settings(settings)
        parts.navigator.open_article(shown.slug)
        reader = parts.window.reader
        article = reader.article
        if article is not None and article.slug == shown.slug:
            reader.show_card(min(shown.card, len(article.sections) - 1))
        # The layout at the new size and look (posted events only: staff's keys and
        # clicks wait their turn, never handled in the middle of this).
        QCoreApplication.sendPostedEvents()
        self._grab()
        # Pages arrange themselves a turn or two after a change (a new text size reflows
        # the card): taken only now, the picture showed the card cut at its old size.
        QTimer.singleShot(SETTLE_MS, self, self._grab)

    def _grab(self) -> None:
        if self.parts is None:
            return
        self.picture.setPixmap(
            self.parts.window.grab().scaled(
                self.picture.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )


def _choice(parent: QWidget, name: str, values: Mapping[str, object]) -> QComboBox:
    box = QComboBox(parent)
    box.setAccessibleName(name)
    for label, value in values.items():
        box.addItem(label, value)
    return box
