"""Split an article's tokens at its H2 headings: each ``## `` heading starts a card.

The text before the first H2 is the article's first card (a chunk with no title).
Plain text for speech, search and reading-grade checks is taken from the same
tokens (``plain_text``), so the words a patient hears are the words on the card.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from markdown_it.token import Token


@dataclass
class Chunk:
    """One card's tokens before rendering: its title ("" for the first card), the
    1-based line of its heading (0 if none), and the tokens under the heading."""

    title: str
    title_line: int
    tokens: list[Token]


def split_sections(tokens: list[Token]) -> list[Chunk]:
    """The chunks of an article's body, in order; the first is the untitled one."""
    chunks = [Chunk("", 0, [])]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open" and tok.tag == "h2":
            inline = tokens[i + 1]
            line = (tok.map[0] + 1) if tok.map else 0
            chunks.append(Chunk(inline_text(inline), line, []))
            i += 3  # heading_open, inline, heading_close
            continue
        chunks[-1].tokens.append(tok)
        i += 1
    return chunks


def has_body(tokens: Sequence[Token]) -> bool:
    """Whether a chunk has anything to show: words, code, a rule or a table."""
    return any(
        (t.type == "inline" and t.content.strip())
        or t.type in ("fence", "code_block", "hr", "table_open")
        for t in tokens
    )


def first_line(tokens: Sequence[Token]) -> int:
    """The 1-based source line of the first token that has one, else 0."""
    return next(((t.map[0] + 1) for t in tokens if t.map), 0)


def inline_text(inline: Token) -> str:
    """The words of an inline token, breaks as spaces, markup left out."""
    return _words(inline.children or []).strip()


def picture_description(image: Token) -> str:
    """What a picture (an ``image`` token) shows, in words: its description as the card
    shows it when the picture cannot, and as read aloud, searched and given to screen
    readers. Markup left out and entities decoded: ``![A **healthy** heart &amp; lungs]``
    is "A healthy heart & lungs" (read aloud was "A star star healthy...": the token's
    ``content`` is the text as typed)."""
    return _words(image.children or [])


def _words(children: Sequence[Token]) -> str:
    # A picture's description is part of what a card says, so speech and search
    # include it.
    return "".join(
        c.content
        if c.type in ("text", "code_inline")
        else picture_description(c)
        if c.type == "image"
        else " "
        if c.type in ("softbreak", "hardbreak")
        else ""
        for c in children
    )


def text_lines(chunk: Chunk) -> Iterator[tuple[int, str]]:
    """Each line of a card's words with its 1-based file line: the heading, then each
    line of its paragraphs, items, cells and headings (links' words and pictures'
    descriptions in their place), and of its code."""
    if chunk.title:
        yield chunk.title_line, chunk.title
    line = chunk.title_line
    for tok in chunk.tokens:
        line = (tok.map[0] + 1) if tok.map else line
        if tok.type == "inline":
            words: list[str] = []
            for child in tok.children or []:
                if child.type in ("softbreak", "hardbreak"):
                    yield line, "".join(words)
                    words, line = [], line + 1
                elif child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type == "image":  # its description as shown: &#...; decoded
                    words.append(picture_description(child))
            yield line, "".join(words)
        elif tok.type in ("fence", "code_block"):
            first = line + (tok.type == "fence")  # a fence's code starts under its ```
            for number, text in enumerate(tok.content.splitlines()):
                yield first + number, text


# --- plain text: for speech, search and reading-grade checks --------------------------

_BLOCK_ENDS = frozenset(
    {"paragraph_close", "heading_close", "list_item_close", "th_close", "td_close"}
)


def plain_text(title: str, tokens: Sequence[Token]) -> str:
    """A card's words: its title, then one block per paragraph, item, cell or code
    block, separated by blank lines."""
    blocks: list[str] = [title] if title else []
    current: list[str] = []
    for tok in tokens:
        if tok.type == "inline":
            current.append(inline_text(tok))
        elif tok.type in ("fence", "code_block"):
            current.append(tok.content.strip())
        if tok.type in _BLOCK_ENDS or tok.type in ("fence", "code_block"):
            text = " ".join(p for p in current if p).strip()
            if text:
                blocks.append(text)
            current = []
    return "\n\n".join(blocks)
