"""What is on the screen, in reading order, as things a patient can hear and choose.

Read from Qt's accessibility tree (QAccessible), the one a screen reader reads through
AT-SPI: what a control is called and what it is (button, link, heading) comes from one
place, and a control without a name fails the screen-reader test as it would fail here.
The order is the page first (its title, a crisis banner and an urgent callout before
the card, each paragraph and link of the card, then its buttons), then the top bar;
while an overlay (the Aa panel, the idle warning) is up, only the overlay. Siblings go
top to bottom, then left to right, as a sighted reader's eye does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, TypeGuard

from PySide6.QtCore import QCoreApplication, QPoint, QRect
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleInterface,
    QTextBlock,
)
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget

from kiosk.ui.i18n import QT_TRANSLATE_NOOP, AllLanguages
from kiosk.ui.speech_mode.reveal import revealer, shown_part

if TYPE_CHECKING:
    from kiosk.ui.widgets.textview import CardText


# A role's words, translated when said, in the thing's own language (_tr); lupdate
# finds them here.
HEADING = QT_TRANSLATE_NOOP("SpeechMode", "%1, heading")
EDIT_TEXT_HOLDING = QT_TRANSLATE_NOOP("SpeechMode", "%1, edit text, %2")
EDIT_TEXT = QT_TRANSLATE_NOOP("SpeechMode", "%1, edit text")
SELECTED = QT_TRANSLATE_NOOP("SpeechMode", "%1, selected")
NOT_SELECTED = QT_TRANSLATE_NOOP("SpeechMode", "%1, not selected")
BUTTON = QT_TRANSLATE_NOOP("SpeechMode", "%1, button")
LINK = QT_TRANSLATE_NOOP("SpeechMode", "%1, link")
UNAVAILABLE = QT_TRANSLATE_NOOP("SpeechMode", "%1, unavailable")
_LANGUAGES = AllLanguages()  # for things in another language than the patient's
ROW_TOLERANCE_PX = 12  # siblings whose tops differ by less are on one row
# Roles spoken as one thing; what is inside them is their name.
_CONTROLS = {
    QAccessible.Role.Button: "button",
    QAccessible.Role.PushButton: "button",
    QAccessible.Role.CheckBox: "check box",
    QAccessible.Role.RadioButton: "option",
    QAccessible.Role.Link: "link",
    QAccessible.Role.EditableText: "edit text",
}


@dataclass(frozen=True)
class ReadingItem:
    """One thing a patient hears: ``spoken`` (its words, its role and its state, as
    said), ``rect`` (where it is, in the window's coordinates), and ``activate`` (what
    choosing it does; None: nothing to choose). ``key`` stays the same for the same
    thing across a rebuild of the list. ``language``: the language its words are in,
    when it is not the patient's (""): a line of the welcome screen in the other
    language, the language button; its role is said in that language too."""

    spoken: str
    rect: QRect
    key: str
    activate: Callable[[], None] | None = field(default=None, compare=False)
    language: str = ""
    # Scrolls it into view when a scroll area hides some of it (``rect`` is the part
    # that shows, maybe none): kiosk.ui.speech_mode.reveal.
    reveal: Callable[[], None] | None = field(default=None, compare=False)


def reading_items(
    window: QWidget, roots: list[QWidget], skip: frozenset[QWidget] = frozenset()
) -> list[ReadingItem]:
    """The items of ``roots`` (widgets of ``window``), in this order, each in reading
    order; hidden widgets, widgets without words, and those in ``skip`` (but as a root
    of their own: the top bar's title first, and not again with the bar) left out."""
    found: list[ReadingItem] = []
    for root in roots:
        if root.isVisible():
            node = QAccessible.queryAccessibleInterface(root)
            found.extend(_items(node, window, skip - {root}))
    # Two things of one name (the reader's Home and the top bar's) are two places.
    seen: dict[str, int] = {}
    unique = []
    for item in found:
        seen[item.key] = seen.get(item.key, 0) + 1
        n = seen[item.key]
        unique.append(item if n == 1 else replace(item, key=f"{item.key}#{n}"))
    return unique


def _items(
    node: QAccessibleInterface | None, window: QWidget, skip: frozenset[QWidget]
) -> Iterator[ReadingItem]:
    if node is None or not node.isValid() or node.state().invisible:
        return
    widget = node.object()
    if widget in skip:
        return
    whole = _on_window(node.rect(), window)
    if whole.isEmpty():
        return
    if isinstance(widget, QWidget):
        rect = shown_part(widget, whole, window)
        reveal = None if rect == whole else revealer(widget, whole, window)
    else:
        rect, reveal = whole.intersected(window.rect()), None
    if rect.isEmpty() and reveal is None:
        return  # off the window, and no scroll area brings it back
    if _is_card_text(widget):
        yield from _card_items(widget, window)
        return
    role = node.role()
    name = node.text(QAccessible.Text.Name).strip()
    language = _language_of(widget, window)
    if role in _CONTROLS:
        if name or role == QAccessible.Role.EditableText:
            item = _control(node, widget, name, rect, language)
            yield replace(item, language=language, reveal=reveal)
        return  # a button's labels are its name
    if role == QAccessible.Role.StaticText and name and node.childCount() == 0:
        heading = isinstance(widget, QWidget) and _is_title(widget.property("role"))
        spoken = _fill(_tr(HEADING, language), name) if heading else name
        yield ReadingItem(spoken, rect, f"text:{name}", language=language, reveal=reveal)
        return
    children = [node.child(i) for i in range(node.childCount())]
    for child in in_reading_order([c for c in children if c is not None and c.isValid()]):
        yield from _items(child, window, skip)


def _is_title(role: object) -> bool:
    """Whether a label's style role ("hero-title", "card-title"...) makes it a heading."""
    return isinstance(role, str) and (role == "title" or role.endswith("-title"))


def _is_card_text(widget: object) -> TypeGuard[CardText]:
    # Imported here: the reader page (and its text view) comes after the first frame.
    from kiosk.ui.widgets.textview import CardText

    return isinstance(widget, CardText)


def in_reading_order(nodes: list[QAccessibleInterface]) -> list[QAccessibleInterface]:
    """Row by row, top to bottom, and left to right in a row. A row is the nodes whose
    tops are within ROW_TOLERANCE_PX of its first one's: cut into fixed bands instead
    (top // 12), two buttons 1 px apart fell in two rows, and the selected text size,
    drawn 1 px higher, was read before the others (found in a newcomer's walk)."""
    rows: list[list[QAccessibleInterface]] = []
    for node in sorted(nodes, key=lambda n: n.rect().top()):
        if rows and node.rect().top() - rows[-1][0].rect().top() < ROW_TOLERANCE_PX:
            rows[-1].append(node)
        else:
            rows.append([node])
    return [node for row in rows for node in sorted(row, key=lambda n: n.rect().left())]


def _language_of(widget: object, window: QWidget) -> str:
    """The language ``widget``'s words are in, if not the window's (the patient's,
    kiosk.ui.controllers.look): a widget given its own QLocale (QWidget.setLocale,
    inherited by its children), as the welcome screen gives each language's lines."""
    if not isinstance(widget, QWidget):
        return ""
    language = widget.locale().bcp47Name()
    return "" if language == window.locale().bcp47Name() else language


def _tr(source: str, language: str) -> str:
    """A role's words ("%1, button") in ``language`` ("": the patient's, as shown)."""
    if not language:
        return QCoreApplication.translate("SpeechMode", source)
    return _LANGUAGES.text("SpeechMode", source, language)


def _control(
    node: QAccessibleInterface, widget: object, name: str, rect: QRect, language: str = ""
) -> ReadingItem:
    role = node.role()
    state = node.state()
    if role == QAccessible.Role.EditableText:
        value = node.text(QAccessible.Text.Value) or (
            widget.text() if isinstance(widget, QLineEdit) else ""
        )
        spoken = (
            _fill(_tr(EDIT_TEXT_HOLDING, language), name, value)
            if value
            else _fill(_tr(EDIT_TEXT, language), name)
        )
        return ReadingItem(spoken, rect, f"edit:{name}")
    if state.checkable:
        words = (
            _fill(_tr(SELECTED, language), name)
            if state.checked
            else _fill(_tr(NOT_SELECTED, language), name)
        )
        spoken = _fill(_tr(BUTTON, language), words)
    elif role == QAccessible.Role.Link:
        spoken = _fill(_tr(LINK, language), name)
    else:
        spoken = _fill(_tr(BUTTON, language), name)
    if state.disabled:
        spoken = _fill(_tr(UNAVAILABLE, language), spoken)
    described = node.text(QAccessible.Text.Description).strip()
    if described:
        spoken = f"{spoken}. {described}"
    if state.disabled:
        return ReadingItem(spoken, rect, f"control:{name}")
    if isinstance(widget, QAbstractButton):
        return ReadingItem(spoken, rect, f"control:{name}", widget.click)
    return ReadingItem(spoken, rect, f"control:{name}", _press(node))


def _press(node: QAccessibleInterface) -> Callable[[], None] | None:
    """What a tap on ``node`` does, through its accessible press action, if it has one."""
    actions = node.actionInterface()
    press = QAccessibleActionInterface.pressAction()
    if actions is None or press not in actions.actionNames():
        return None
    return partial(actions.doAction, press)


def _card_items(text: CardText, window: QWidget) -> Iterator[ReadingItem]:
    """Each paragraph, list item and cell of a card, then each link in it."""
    document = text.document()
    layout = document.documentLayout()
    block = document.begin()
    while block.isValid():
        words = block.text().replace("\ufffc", " ").strip()  # U+FFFC: a picture
        if words:
            box = layout.blockBoundingRect(block).toAlignedRect()
            view = text.viewport()
            whole = box.translated(view.mapTo(window, QPoint(0, 0)))
            rect = shown_part(view, whole, window)
            reveal = None if rect == whole else revealer(view, whole, window)
            key = f"block:{block.blockNumber()}:{words[:40]}"
            yield ReadingItem(words, rect, key, reveal=reveal)
            for href, label in _links(block):
                yield ReadingItem(
                    _fill(_tr(LINK, ""), label),
                    rect,
                    f"link:{href}",
                    partial(text.open_link, href),
                    reveal=reveal,
                )
        block = block.next()


def _links(block: QTextBlock) -> list[tuple[str, str]]:
    """The links of ``block``, (address, words) each; a link whose words change style
    midway is several fragments of one address, joined."""
    found: list[tuple[str, str]] = []
    it = block.begin()
    while not it.atEnd():
        fragment = it.fragment()
        form = fragment.charFormat()
        href = form.anchorHref() if fragment.isValid() and form.isAnchor() else ""
        if href and found and found[-1][0] == href:
            found[-1] = (href, found[-1][1] + fragment.text())
        elif href:
            found.append((href, fragment.text()))
        it += 1
    return [(href, words.strip()) for href, words in found if words.strip()]


def _on_window(rect: QRect, window: QWidget) -> QRect:
    """``rect`` (screen coordinates, as QAccessible gives them) in ``window``'s."""
    return QRect(window.mapFromGlobal(rect.topLeft()), rect.size())


def _fill(text: str, *words: str) -> str:
    """``text`` (translated) with %1, %2... replaced by ``words``."""
    for n, word in enumerate(words, start=1):
        text = text.replace(f"%{n}", word)
    return text
