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

from kiosk.ui.studio.rich_text import ALT, CODE, KEPT, LINE_SEPARATOR, ORIGIN, SourceMap

OBJECT = "\ufffc"  # where Qt keeps a picture in a block's text
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
    """``document`` as Markdown ("\\n" line ends); blocks unchanged since
    ``rich_text.build`` made them from ``source`` keep their own lines."""
    chunks = _chunks(document)
    source = source or SourceMap([])
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
    for index, (origin, text, in_list) in enumerate(chunks):
        if index:
            before, was_kept = chunks[index - 1][0], kept[index - 1]
            if was_kept and kept[index] and before is not None and origin == before + 1:
                gap_from, gap_to = source.spans[before][1], source.spans[origin][0]
                out.append("\n" + "".join(line + "\n" for line in lines[gap_from:gap_to]))
            else:
                out.append("\n" if in_list and chunks[index - 1][2] else "\n\n")
        if kept[index]:
            assert origin is not None
            first, last = source.spans[origin]
            out.append("\n".join(lines[first:last]))
        else:
            out.append(text)
    lead = _lead(source) if chunks and kept[0] else ""
    tail = _tail(source, chunks[-1][0]) if chunks and kept[-1] else "\n"
    return lead + "".join(out) + tail if chunks else ""


def remember(document: QTextDocument, source: SourceMap) -> None:
    """Note what each block written afresh is, as built: the test of "unchanged"."""
    source.canonical = {origin: text for origin, text, _ in _chunks(document) if origin is not None}


def _lead(source: SourceMap) -> str:
    first = source.spans[0][0] if source.spans else 0
    return "".join(line + "\n" for line in source.lines[:first])


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
    marker = f"{max(fmt.start(), 0) + listed.itemNumber(block)}. " if ordered else "- "
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
    text = block.text()
    runs: list[_Run] = []
    for part in block.textFormats():
        fmt: QTextCharFormat = part.format
        chars = text[part.start : part.start + part.length]
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
    trailing ones (a marker next to a space is not one: CommonMark 6.2)."""
    out: list[str] = []
    bold = italic = False
    pending = ""  # spaces after the last run, written once markers are closed
    for run in runs:
        if run.picture is not None:
            src, alt = run.picture
            out.append(_close(bold, italic) + pending + f"![{_escape(alt)}]({_destination(src)})")
            bold = italic = False
            pending = ""
            continue
        core = run.text.strip(" \t")
        if not core:
            pending += run.text
            continue
        lead = run.text[: len(run.text) - len(run.text.lstrip(" \t"))]
        trail = run.text[len(run.text.rstrip(" \t")) :]
        written = _code(core) if run.code else _escape(core)
        if (bold, italic) != (run.bold, run.italic):
            out.append(_close(bold, italic) + pending + lead + _open(run.bold, run.italic))
        else:
            out.append(pending + lead)
        out.append(written)
        bold, italic, pending = run.bold, run.italic, trail
    out.append(_close(bold, italic) + pending)
    return "".join(out).replace(LINE_SEPARATOR, "\n")


def _ends_in_bang(written: str) -> bool:
    """Whether ``written`` ends in a "!" that is not escaped (an even number of
    backslashes before it escape each other)."""
    if not written.endswith("!"):
        return False
    before = written[:-1]
    return (len(before) - len(before.rstrip("\\"))) % 2 == 0


def _open(bold: bool, italic: bool) -> str:
    return ("**" if bold else "") + ("*" if italic else "")


def _close(bold: bool, italic: bool) -> str:
    return ("*" if italic else "") + ("**" if bold else "")


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
