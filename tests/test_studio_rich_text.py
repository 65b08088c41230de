"""The studio's formatted text and its Markdown (kiosk.ui.studio.rich_text,
markdown_writer): every article reads in and writes back byte for byte; a change
rewrites only its own block; whatever staff type or format reads back as they made it."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import (
    QFont,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextListFormat,
)
from pytestqt.qtbot import QtBot

from kiosk.core.content.markdown_engine import MARKDOWN
from kiosk.core.errors import UnreadableFileError
from kiosk.core.studio.articles import open_article
from kiosk.core.studio.document import ArticleDocument
from kiosk.ui.studio import markdown_writer, text_actions
from kiosk.ui.studio.rich_text import ALT, KEPT, SourceMap, build, heading_format, link_format

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[1]
FONT = QFont("DejaVu Sans", 11)

EVERYTHING = """\
An opening paragraph with **bold**, *italics* and a [link](heart-attack)
that goes on over a second line.

## When to get help now

- Chest pain
- Pain in the **arm**, jaw or back
  - on the left side
  - or both

### For children

1. Sit down.
2. Call 911.

3. A loose item after a blank line.

![A healthy heart](../images/heart.png)

| Number | What it means |
|--------|---------------|
| 120/80 | Normal        |

    code kept as written

> A quote

Line one\\
line two, after a hard break. A star \\* and 5 \\< 6 &amp; `code`.

* a star list

---
"""


def articles() -> list[Path]:
    """Every bundled article and every fixture the studio can open (one that is not
    UTF-8 gets the validator's message instead: tests/test_studio_files.py)."""
    found = sorted(REPO.glob("content/*/*/*.md"))
    found += sorted((REPO / "tests" / "fixtures").glob("**/*.md"))
    return [path for path in found if _opens(path)]


def _opens(path: Path) -> bool:
    try:
        open_article(path)
    except UnreadableFileError:
        return False
    return True


def loaded(body: str) -> tuple[QTextDocument, SourceMap]:
    document = QTextDocument()
    source = build(body, document, FONT)
    markdown_writer.remember(document, source)
    return document, source


def html(markdown: str) -> str:
    """What the kiosk makes of ``markdown``, paragraphs in list items aside (a list
    written afresh is tight)."""
    rendered = re.sub(r"\s*</?p>\s*", " ", MARKDOWN.render(markdown))
    return re.sub(r"\s+", " ", rendered).replace("<li> ", "<li>").replace(" </li>", "</li>").strip()


@pytest.mark.parametrize("path", articles(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_article_reads_in_and_writes_back_byte_for_byte(qtbot: QtBot, path: Path) -> None:
    body = ArticleDocument(open_article(path)).body.replace("\r\n", "\n")
    document, source = loaded(body)
    assert markdown_writer.write(document, source) == body
    # Written afresh, every block: the kiosk reads the same article.
    assert html(markdown_writer.write(document)) == html(body)


def test_every_kind_of_block_reads_in_and_writes_back(qtbot: QtBot) -> None:
    document, source = loaded(EVERYTHING)
    assert markdown_writer.write(document, source) == EVERYTHING
    assert html(markdown_writer.write(document)) == html(EVERYTHING)
    kept = [b.text() for b in blocks(document) if b.blockFormat().property(KEPT)]
    assert [k.split("\u2028")[0] for k in kept] == [
        "| Number | What it means |",
        "    code kept as written",
        "> A quote",
        "---",
    ]
    headings = [(b.blockFormat().headingLevel(), b.text()) for b in blocks(document)]
    assert (2, "When to get help now") in headings and (3, "For children") in headings
    picture = next(b for b in blocks(document) if b.text() == "\ufffc")
    ranges = picture.textFormats()  # kept: the formats live as long as the list
    image = ranges[0].format.toImageFormat()
    assert image.name() == "../images/heart.png" and image.property(ALT) == "A healthy heart"


def test_changing_one_paragraph_rewrites_only_its_lines(qtbot: QtBot) -> None:
    document, source = loaded(EVERYTHING)
    cursor = QTextCursor(document.find("Pain in the "))
    cursor.setPosition(cursor.selectionStart())
    cursor.insertText("Sudden ")
    after = markdown_writer.write(document, source)
    changed = [
        line
        for line in difflib.ndiff(EVERYTHING.splitlines(), after.splitlines())
        if line[:2] in ("- ", "+ ")
    ]
    assert changed == [
        "- - Pain in the **arm**, jaw or back",
        "+ - Sudden Pain in the **arm**, jaw or back",
    ]
    cursor = QTextCursor(document.find("An opening paragraph"))
    cursor.setPosition(cursor.selectionStart())
    cursor.insertText("Hello. ")
    changed = [
        line
        for line in difflib.ndiff(
            after.splitlines(), markdown_writer.write(document, source).splitlines()
        )
        if line[:2] in ("- ", "+ ")
    ]
    # A changed paragraph is written on one line: the kiosk joins its lines anyway.
    assert sorted(changed) == [
        "+ Hello. An opening paragraph with **bold**, *italics* and a [link](heart-attack) "
        "that goes on over a second line.",
        "- An opening paragraph with **bold**, *italics* and a [link](heart-attack)",
        "- that goes on over a second line.",
    ]


def test_a_split_paragraph_becomes_two(qtbot: QtBot) -> None:
    document, source = loaded("One. Two.\n\nThree.\n")
    cursor = QTextCursor(document.find("Two."))
    cursor.setPosition(cursor.selectionStart())
    cursor.insertBlock()
    assert markdown_writer.write(document, source) == "One. \n\nTwo.\n\nThree.\n".replace(
        "One. \n", "One.\n"
    )


# What staff may type: every character Markdown reads as syntax among them.
_PLAIN = st.text(alphabet="abcXYZ 019.,;:!?'\"()/*_[]<>#-+=~`|\\&", min_size=1, max_size=24)
# Bold and italic words: a formatting mark next to punctuation can read differently
# (CommonMark 6.2 flanking), so they begin and end with a letter, as words do.
_WORDS = st.from_regex(r"[A-Za-z](?:[A-Za-z0-9 ,.']{0,20}[A-Za-z])?", fullmatch=True)
_SLUG = st.from_regex(r"[a-z][a-z0-9-]{0,12}[a-z0-9]", fullmatch=True)


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""


# Formatted words end in a space, as words do: a change of look inside a word
# ("A" bold then "A" italic, no space) can read otherwise (CommonMark 6.2).
_SPACED = _WORDS.map("{} ".format)
_RUN = st.one_of(
    _PLAIN.map(Run),
    st.builds(Run, _SPACED, st.booleans(), st.booleans()),
    st.builds(Run, _SPACED, st.just(False), st.just(False), _SLUG),
)
_BLOCK = st.tuples(
    st.sampled_from(["paragraph", "heading", "bullet", "number"]),
    st.lists(_RUN, min_size=1, max_size=5),
)


def blocks(document: QTextDocument) -> list[QTextBlock]:
    found = []
    block = document.begin()
    while block.isValid():
        found.append(block)
        block = block.next()
    return found


Look = tuple[bool, bool, str]  # bold, italic, link


def seen(document: QTextDocument) -> list[tuple[str, int, str, list[Look | None]]]:
    """Each block with words, as a patient would notice it: its kind, heading level,
    its words, and each character's look (None for a space: its look is not seen)."""
    out = []
    for block in blocks(document):
        text = block.text()
        if not text.strip():
            continue
        listed = block.textList()
        heading = block.blockFormat().headingLevel()
        looks: list[Look | None] = []
        for part in block.textFormats():
            fmt: QTextCharFormat = part.format
            look = (
                not heading and fmt.fontWeight() >= QFont.Weight.Bold.value,
                fmt.fontItalic(),
                fmt.anchorHref() if fmt.isAnchor() else "",
            )
            for char in text[part.start : part.start + part.length]:
                looks.append(None if char.isspace() else look)
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        kind = str(listed.format().style()) if listed is not None else "text"
        out.append((kind, heading, text[start:end], looks[start:end]))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_BLOCK, min_size=1, max_size=6))
def test_what_staff_make_reads_back_as_they_made_it(
    made: list[tuple[str, list[Run]]],
) -> None:
    """Blocks typed and formatted as the toolbar does, written as Markdown and read
    back: the same blocks, words and looks."""
    written = _write_made(made)
    again, _ = loaded(written)
    assert seen(again) == _seen_made(made), written


def _made(made: list[tuple[str, list[Run]]]) -> QTextDocument:
    """A document with ``made``'s blocks, typed and formatted as the toolbar does."""
    document = QTextDocument()
    document.setDefaultFont(FONT)
    cursor = QTextCursor(document)
    for index, (kind, runs) in enumerate(made):
        if index:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        for run in runs:
            chars = heading_format(FONT, 2) if kind == "heading" else QTextCharFormat()
            if run.bold:
                chars.setFontWeight(QFont.Weight.Bold)
            chars.setFontItalic(run.italic)
            if run.href:
                chars = link_format(chars, run.href)
            cursor.insertText(run.text, chars)
        if kind == "heading":
            fmt = cursor.blockFormat()
            fmt.setHeadingLevel(2)
            cursor.setBlockFormat(fmt)
        elif kind in ("bullet", "number"):
            style = text_actions.BULLETS if kind == "bullet" else text_actions.NUMBERS
            before = cursor.block().previous().textList()
            if before is not None and before.format().style() == style:
                before.add(cursor.block())
            else:
                listed = QTextListFormat()
                listed.setStyle(style)
                listed.setIndent(1)
                cursor.createList(listed)
    return document


_KEEP: list[QTextDocument] = []  # the last document made, alive while it is compared


def _write_made(made: list[tuple[str, list[Run]]]) -> str:
    _KEEP[:] = [_made(made)]
    return markdown_writer.write(_KEEP[0])


def _seen_made(made: list[tuple[str, list[Run]]]) -> list[tuple[str, int, str, list[Look | None]]]:
    """What a patient notices of the document ``_write_made(made)`` made."""
    return seen(_KEEP[0])


TYPED = [
    "# not a heading",
    "###### nor this",
    "- not a list",
    "+ nor this",
    "* nor this",
    "1. not a numbered list",
    "2) nor this",
    "---",
    "===",
    "***",
    "~~~ not code",
    "``` nor this",
    "> not a quote",
    "a *star* and _underscores_ typed",
    "[not a link](heart-attack) and ![not a picture](a.png)",
    "&amp; &#35; &copy; stay as typed",
    "<b>not bold</b> <https://example.org>",
    "| a | b |",
    "a back\\slash and a last one\\",
    "`not code`",
    "a heading ending in #",
]


@pytest.mark.parametrize("kind", ["paragraph", "heading", "bullet", "number"])
@pytest.mark.parametrize("typed", TYPED)
def test_what_looks_like_markdown_is_kept_as_typed(qtbot: QtBot, typed: str, kind: str) -> None:
    """Staff type words, not syntax: each of these reads back as the same words, in the
    same kind of block, plain."""
    made = [(kind, [Run(typed)])]
    written = _write_made(made)
    again, _ = loaded(written)
    assert seen(again) == _seen_made(made), written


def test_a_font_sized_in_pixels_gives_headings_their_size(qtbot: QtBot) -> None:
    """The kiosk's theme sizes fonts in pixels (point size -1): headings once asked Qt
    for a point size of -1.45 (a warning, and body-sized headings)."""
    font = QFont("DejaVu Sans")
    font.setPixelSize(20)
    document = QTextDocument()
    source = build(EVERYTHING, document, font)
    heading = next(b for b in blocks(document) if b.blockFormat().headingLevel() == 2)
    ranges = heading.textFormats()
    size = ranges[0].format.intProperty(QTextFormat.Property.FontPixelSize)
    assert size == 29  # 20 px x 1.45
    markdown_writer.remember(document, source)
    assert markdown_writer.write(document, source) == EVERYTHING


def test_a_link_definition_between_blocks_stays_whatever_changes_around_it(
    qtbot: QtBot,
) -> None:
    """``[p]: poison-control`` is no block of its own (the parser gives it no token):
    edits next to it once wrote it away, and a link using it showed its brackets."""
    body = "Call the [poison line][p] now.\n\n[p]: poison-control\n\nThen rest.\n"
    for changed in ("Call the ", "Then rest."):
        document, source = loaded(body)
        cursor = QTextCursor(document.find(changed))
        cursor.setPosition(cursor.selectionStart())
        cursor.insertText("Please ")
        written = markdown_writer.write(document, source)
        assert "\n[p]: poison-control\n" in written, written
        links = [
            child.attrGet("href")
            for token in MARKDOWN.parse(written)
            for child in token.children or []
            if child.type == "link_open"
        ]
        assert links == ["poison-control"], written


def test_a_line_break_at_the_end_of_a_paragraph_shows_no_backslash(qtbot: QtBot) -> None:
    document, source = loaded("Call 911.\n\nNext.\n")
    cursor = QTextCursor(document.find("Call 911."))
    cursor.setPosition(cursor.selectionEnd())
    cursor.insertText("\u2028")  # Shift+Enter
    written = markdown_writer.write(document, source)
    assert written == "Call 911.\n\nNext.\n"
    assert "\\" not in html(written)
