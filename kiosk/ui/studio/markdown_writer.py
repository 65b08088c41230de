"""The studio's formatted text back into Markdown (kiosk.ui.studio.rich_text built it).

A block staff did not change gives back its own lines (``SourceMap``): spacing, line
breaks and the writer's own choices (``*`` or ``-``) stay as they were. A changed or new
block is written in one form: ``## `` for a card, ``- `` and ``1. `` for lists, ``**`` for
bold, ``*`` for italics, ``[words](slug)`` for a link, ``![description](picture)``; any
character Markdown would read as syntax is escaped (CommonMark 0.31, section 2.4), so
what staff typed is what patients read. The Markdown reads back to the same text and
formatting (tests/test_studio_rich_text.py checks this on generated text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtGui import QFont, QTextBlock, QTextCharFormat, QTextDocument, QTextListFormat

from kiosk.ui.studio.rich_text import (
    ALT,
    CODE,
    KEPT,
    LINE_SEPARATOR,
    LIST_MARKER,
    ORIGIN,
    SourceMap,
)

OBJECT = "\ufffc"
BOLD = "**"
ITALICS = ("*", "_")  # where Qt keeps a picture in a block's text
# Punctuation Markdown may read as syntax anywhere in a line (CommonMark 2.4: any ASCII
# punctuation may be escaped, so escaping more than needed is safe).
_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What starts a line as syntax (CommonMark 4.1-4.5, 5.2, 5.3): a heading, a list item,
# a line across or a setext underline, a code fence; a quote's > is escaped anyway.
_LINE_START = re.compile(
    r"^(?:(#{1,6}(?:\s|$))|([-+](?:\s|$))|([-=_ ]+$)|(~~~))|^(\d{1,9})([.)])(?=\s|$)"
)


@dataclass(frozen=True)
class _Run:
    """Characters with one look."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""
    code: bool = False
    picture: tuple[str, str] | None = None  # (src, alt)


def write(document: QTextDocument, source: SourceMap | None = None) -> str:
    """``document`` as Markdown ("\n" line ends); blocks unchanged since
    ``rich_text.build`` made them from ``source`` keep their own lines, and so do the
    lines between blocks that are no block of their own (a link's definition,
    ``[p]: poison-control``), whatever changed around them."""
    chunks = _chunks(document)
    if source is None:  # every block written afresh: where each came from does not count
        chunks = [(None, text, in_list) for _, text, in_list in chunks]
        source = SourceMap([])
    counts: dict[int, int] = {}
    for origin, _, _ in chunks:
        if origin is not None:
            counts[origin] = counts.get(origin, 0) + 1
    kept = [
        origin is not None and counts[origin] == 1 and source.canonical.get(origin) == text
        for origin, text, _ in chunks
    ]
    lines = source.lines
    out: list[str] = []
    passed = -1  # the last span of the source written out (its lines after it are next)
    for index, (origin, text, in_list) in enumerate(chunks):
        verbatim = kept[index] and origin == passed + 1 and (index == 0 or kept[index - 1])
        if verbatim:
            assert origin is not None
            gap_from = source.spans[passed][1] if passed >= 0 else 0
            gap = "".join(line + "\n" for line in lines[gap_from : source.spans[origin][0]])
            out.append(("\n" + gap) if index else gap)
        else:
            if index:
                out.append("\n" if in_list and chunks[index - 1][2] else "\n\n")
            if origin is not None and origin > passed:
                out.append(_between(source, passed, origin))
        if origin is not None and origin > passed:
            passed = origin
        if kept[index]:
            assert origin is not None
            first, last = source.spans[origin]
            out.append("\n".join(lines[first:last]))
        else:
            out.append(text)
    if not chunks:
        return ""
    if kept[-1] and chunks[-1][0] == passed == len(source.spans) - 1:
        return "".join(out) + _tail(source, passed)
    rest = _between(source, passed, len(source.spans))
    return "".join(out) + ("\n\n" + rest.rstrip("\n") if rest else "") + "\n"


def _between(source: SourceMap, after: int, before: int) -> str:
    """The lines with words between span ``after`` (-1: the body's start) and span
    ``before`` (len(spans): its end), as a block of their own ("" if none)."""
    start = source.spans[after][1] if after >= 0 else 0
    end = source.spans[before][0] if before < len(source.spans) else len(source.lines)
    words = [line for line in source.lines[start:end] if line.strip()]
    return "\n".join(words) + "\n\n" if words else ""


def remember(document: QTextDocument, source: SourceMap) -> None:
    """Note what each block written afresh is, as built: the test of "unchanged"."""
    source.canonical = {origin: text for origin, text, _ in _chunks(document) if origin is not None}


def _tail(source: SourceMap, origin: int | None) -> str:
    assert origin is not None
    rest = source.lines[source.spans[origin][1] :]
    return "\n" + "\n".join(rest) if rest else ""


def _chunks(document: QTextDocument) -> list[tuple[int | None, str, bool]]:
    """Each block with text: (its origin or None, its Markdown, whether in a list)."""
    chunks: list[tuple[int | None, str, bool]] = []
    block = document.begin()
    while block.isValid():
        fmt = block.blockFormat()
        origin = fmt.property(ORIGIN)
        origin = origin if isinstance(origin, int) else None
        if fmt.property(KEPT):
            text = block.text().replace(LINE_SEPARATOR, "\n").rstrip()
            if text:
                chunks.append((origin, text, False))
        elif block.text().strip():
            text = _block_markdown(block)
            chunks.append((origin, text, block.textList() is not None))
        block = block.next()
    return chunks


def _block_markdown(block: QTextBlock) -> str:
    level = block.blockFormat().headingLevel()
    inline = _inline(_runs(block, heading=level > 0))
    lines = [_escape_line_start(line.strip()) for line in inline.split("\n")]
    while lines and not lines[-1]:  # a line break at the end: "\\" there is shown as is
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    text = "\\\n".join(line for line in lines)
    if level:
        text = text.replace("\\\n", " ")
        if text.endswith("#"):
            text = text[:-1] + "\\#"  # else read as the heading's closing #s
        return "#" * level + " " + text
    listed = block.textList()
    if listed is None:
        return text
    marker, indent = _marker(block)
    return indent + marker + text.replace("\\\n", "\\\n" + " " * (len(indent) + len(marker)))


def _marker(block: QTextBlock) -> tuple[str, str]:
    """The list marker for ``block`` and the spaces before it (nested lists sit under
    their parent item's text: CommonMark 5.2)."""
    listed = block.textList()
    fmt = listed.format()
    ordered = fmt.style() in (
        QTextListFormat.Style.ListDecimal,
        QTextListFormat.Style.ListLowerAlpha,
        QTextListFormat.Style.ListUpperAlpha,
        QTextListFormat.Style.ListLowerRoman,
        QTextListFormat.Style.ListUpperRoman,
    )
    written = fmt.property(LIST_MARKER)
    own = written if isinstance(written, str) and written else ("." if ordered else "-")
    number = fmt.start() + listed.itemNumber(block)
    marker = f"{number}{own} " if ordered else f"{own} "
    indent = ""
    previous = block.previous()
    depth = fmt.indent()
    # The parent item: the nearest block before in a list one level out.
    while previous.isValid() and depth > 1:
        outer = previous.textList()
        if outer is not None and outer.format().indent() == depth - 1:
            parent_marker, parent_indent = _marker(previous)
            indent = parent_indent + " " * len(parent_marker)
            break
        previous = previous.previous()
    return marker, indent


def _runs(block: QTextBlock, *, heading: bool) -> list[_Run]:
    # Qt's positions count UTF-16 units (an emoji is two): sliced as Python's, every
    # format after an emoji moved a character ("911 n**ow**").
    units = block.text().encode("utf-16-le")
    runs: list[_Run] = []
    for part in block.textFormats():
        fmt: QTextCharFormat = part.format
        chars = units[2 * part.start : 2 * (part.start + part.length)].decode("utf-16-le")
        if fmt.isImageFormat():
            picture = fmt.toImageFormat()
            alt = picture.property(ALT)
            for _ in chars:
                runs.append(_Run(OBJECT, picture=(picture.name(), str(alt or ""))))
            continue
        runs.append(
            _Run(
                chars,
                bold=not heading and fmt.fontWeight() >= QFont.Weight.Bold.value,
                italic=fmt.fontItalic(),
                href=fmt.anchorHref() if fmt.isAnchor() else "",
                code=bool(fmt.property(CODE)),
            )
        )
    return runs


def _inline(runs: list[_Run]) -> str:
    """Runs as Markdown: links around their words, then bold and italics."""
    out: list[str] = []
    at = 0
    while at < len(runs):
        href = runs[at].href
        end = at + 1
        while end < len(runs) and runs[end].href == href:
            end += 1
        words = _emphasis(runs[at:end])
        if href and out and _ends_in_bang(out[-1]):
            out[-1] = out[-1][:-1] + "\\!"  # else "![" makes the link a picture
        out.append(f"[{words}]({_destination(href)})" if href else words)
        at = end
    return "".join(out)


def _emphasis(runs: list[_Run]) -> str:
    """Bold and italic markers opened after a run's leading spaces and closed before its
    trailing ones (a marker next to a space is not one: CommonMark 6.2), nested: a
    change of one look closes only what it must ("**a *b***", not "**a*****b***",
    which reads otherwise)."""
    out: list[str] = []
    opened: list[tuple[str, str]] = []  # (look, its marker) open now, outermost first
    pending = ""  # spaces after the last run, written once markers are closed
    for at, run in enumerate(runs):
        if run.picture is not None:
            src, alt = run.picture
            out.append(_close_to(opened, set()) + pending)
            out.append(f"![{_escape(alt)}]({_destination(src)})")
            pending = ""
            continue
        # Any space, a no-break one too: a marker next to one does not open or close.
        core = run.text.strip()
        if not core:
            pending += run.text
            continue
        lead = run.text[: len(run.text) - len(run.text.lstrip())]
        trail = run.text[len(run.text.rstrip()) :]
        wanted = {look for look, on in (("bold", run.bold), ("italic", run.italic)) if on}
        closing = _close_to(opened, wanted)
        out.append(closing + pending + lead)
        # Right after markers that close, with nothing between: the next that opens
        # must differ from them, or the run of stars reads another way.
        touching = bool(closing) and not pending and not lead
        for look in ("bold", "italic"):
            if look in wanted and look not in {o for o, _ in opened}:
                marker = _marker_for(look, runs, at, touching)
                opened.append((look, marker))
                out.append(marker)
                touching = False
        out.append(_code(core) if run.code else _escape(core))
        pending = trail
    out.append(_close_to(opened, set()) + pending)
    return "".join(out).replace(LINE_SEPARATOR, "\n")


def _marker_for(look: str, runs: list[_Run], at: int, touching: bool) -> str:
    """The marker for a ``look`` ("bold", "italic") opening at ``runs[at]``: "**" or
    "*", or "__" or "_" where it touches a "*" just closed ("***" then "**" reads as
    another run of stars) and no letter follows the span ("_" does not close inside a
    word). Inside a word both may fail: CommonMark 6.2 cannot say every mix there."""
    stars = "**" if look == "bold" else "*"
    end = next(
        (i for i in range(at, len(runs)) if not getattr(runs[i], look) or runs[i].picture),
        None,
    )
    after = runs[end].text[:1] if end is not None else ""
    return stars.replace("*", "_") if touching and not after.isalnum() else stars


def _close_to(opened: list[tuple[str, str]], wanted: set[str]) -> str:
    """Close the markers of ``opened`` from the first look not ``wanted`` inward (those
    opened inside it close first); ``opened`` is left holding the rest."""
    keep = next((i for i, (look, _) in enumerate(opened) if look not in wanted), len(opened))
    closing = "".join(marker for _, marker in reversed(opened[keep:]))
    del opened[keep:]
    return closing


def _ends_in_bang(written: str) -> bool:
    """Whether ``written`` ends in a "!" that is not escaped (an even number of
    backslashes before it escape each other)."""
    if not written.endswith("!"):
        return False
    before = written[:-1]
    return (len(before) - len(before.rstrip("\\"))) % 2 == 0


def _escape(text: str) -> str:
    return _ENTITY.sub(r"\\&", _SPECIAL.sub(r"\\\1", text))


def _escape_line_start(line: str) -> str:
    match = _LINE_START.match(line)
    if match is None:
        return line
    number = match.group(5)
    if number is None:
        return "\\" + line
    return number + "\\" + line[len(number) :]


def _code(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _destination(href: str) -> str:
    """A link's or picture's address, in <> when it has what would end it early."""
    if re.search(r"[\s()<>]", href):
        return "<" + href.replace("<", "\\<").replace(">", "\\>") + ">"
    return href
