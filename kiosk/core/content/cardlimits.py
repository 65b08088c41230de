"""How much one card may hold: characters, unbroken runs, layout parts and pictures.

Cards a patient can read and the kiosk can lay out at once (issue 13: one 200 KB word
held the GUI thread for 10 s). The limits are quoted in the content guide, which a
test (tests/test_content_guide.py) keeps in step with these numbers.
"""

from __future__ import annotations

from kiosk.core.content.linebreaks import LONGEST_WORD_CHARS, long_run_message, longest_run
from kiosk.core.content.problems import ProblemList
from kiosk.core.content.sections import Chunk, first_line, text_lines

# A card is read on one screen, scrolled a little at 200%: the longest card of the first
# pack is 730 characters. Laying out text costs the GUI thread about 1.5 ms per 1,000
# characters (Qt rich text, measured on a 2-core machine); 900 KB held it 18 s.
CARD_MAX_CHARS = 4_000
CARD_LONG_CHARS = 1_500  # a warning: more than a screen at 200%
# A run of text no line can break: longer than LONGEST_WORD_CHARS is a warning
# (kiosk.core.content.linebreaks).


# What a card's layout holds besides its words: paragraphs, list items, table cells,
# rules, headings, pictures. A card of 4,000 characters has under 150; a table of
# 200,000 empty rows had no words at all and held the GUI thread 7 s (issue 13,
# attacker). Pictures each cost a decode and a new layout when they arrive.
CARD_MAX_PARTS = 300
CARD_MAX_PICTURES = 12
_PART_TOKENS = frozenset(
    {
        "paragraph_open",
        "list_item_open",
        "tr_open",
        "th_open",
        "td_open",
        "heading_open",
        "blockquote_open",
        "hr",
        "fence",
        "code_block",
    }
)


def _check_parts(chunk: Chunk, name: str, line: int, problems: ProblemList) -> None:
    pictures = sum(
        1
        for tok in chunk.tokens
        if tok.type == "inline"
        for child in tok.children or []
        if child.type == "image"
    )
    parts = pictures + sum(1 for tok in chunk.tokens if tok.type in _PART_TOKENS)
    if pictures > CARD_MAX_PICTURES:
        problems.error(
            line,
            f"{name} has {pictures:,} pictures; a card shows at most {CARD_MAX_PICTURES}. "
            "Split it into cards with '## ' headings",
        )
    elif parts > CARD_MAX_PARTS:
        problems.error(
            line,
            f"{name} has {parts:,} paragraphs, list items, table cells, lines and pictures; "
            f"a card holds at most {CARD_MAX_PARTS}. Split it into cards with '## ' headings",
        )


def check_card_size(chunk: Chunk, text: str, problems: ProblemList) -> None:
    """Report a card (``chunk``, whose plain text is ``text``) that is too long, has
    too many parts or pictures, or holds a run too long to wrap."""
    line = chunk.title_line or first_line(chunk.tokens)
    name = f"section '{chunk.title[:40]}'" if chunk.title else "the first card"
    _check_parts(chunk, name, line, problems)
    if len(text) > CARD_MAX_CHARS:
        problems.error(
            line,
            f"{name} is {len(text):,} characters; a card holds at most {CARD_MAX_CHARS:,}. "
            "Split it into cards with '## ' headings",
        )
    elif len(text) > CARD_LONG_CHARS:
        problems.warning(
            line,
            f"{name} is {len(text):,} characters, more than a screen at large text; "
            "split it into cards with '## ' headings",
        )
    longest, at = max(
        ((longest_run(words), number) for number, words in text_lines(chunk)),
        key=lambda found: len(found[0]),
        default=("", line),
    )
    if len(longest) > LONGEST_WORD_CHARS:
        problems.warning(
            at,
            long_run_message(name, longest)
            + ". Add spaces, or for a web address use a link: [the CDC page](https://...)",
        )
