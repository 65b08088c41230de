"""How much one card may hold (characters, unbroken runs, layout parts, pictures) and
one article (cards, parts, the length of each heading).

Cards a patient can read and the kiosk can lay out at once (issue 13: one 200 KB word
held the GUI thread for 10 s). The limits are quoted in the content guide, which a
test (tests/test_content_guide.py) keeps in step with these numbers.
"""

from __future__ import annotations

import re

from kiosk.core.content.limits import (
    ARTICLE_MAX_CARDS,
    ARTICLE_MAX_MARKS,
    ARTICLE_MAX_PARTS,
    HEADING_MAX_CHARS,
    LINK_STARTS_PER_RUN_MAX,
)
from kiosk.core.content.limits import CARD_LONG_CHARS as CARD_LONG_CHARS
from kiosk.core.content.limits import CARD_MAX_CHARS as CARD_MAX_CHARS
from kiosk.core.content.limits import CARD_MAX_PARTS as CARD_MAX_PARTS
from kiosk.core.content.limits import CARD_MAX_PICTURES as CARD_MAX_PICTURES
from kiosk.core.content.linebreaks import LONGEST_WORD_CHARS, long_run_message, longest_run
from kiosk.core.content.problems import ProblemList
from kiosk.core.content.sections import Chunk, first_line, text_lines

# The limits, with why each value: kiosk.core.content.limits.
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


def check_link_runs(source: str, problems: ProblemList) -> None:
    """An error at the first line with a run of text (no space) that starts more than
    LINK_STARTS_PER_RUN_MAX links: a cost markdown-it pays once per link for the whole
    run."""
    for number, line in enumerate(source.splitlines(), start=1):
        if line.count("](") <= LINK_STARTS_PER_RUN_MAX:
            continue
        # Split where markdown-it's address reading stops: ASCII space and controls
        # (a no-break space does not stop it).
        crowded = max(re.split(r"[\x00-\x20]+", line), key=lambda run: run.count("]("))
        if crowded.count("](") > LINK_STARTS_PER_RUN_MAX:
            problems.error(
                number,
                f"{crowded.count(']('):,} links start in one run of text with no space "
                f"('{crowded[:30]}...'); at most {LINK_STARTS_PER_RUN_MAX}: put a space "
                "between links",
            )
            return


def check_article_size(
    headings: list[tuple[int, str]], cards: int, parts: int, marks: int, problems: ProblemList
) -> None:
    """Errors for an article of more than ARTICLE_MAX_CARDS cards or ARTICLE_MAX_PARTS
    parts, or with a '## ' heading (``headings``: line and words) of more than
    HEADING_MAX_CHARS characters. Validate only: a kiosk showing a pack built before
    these limits still shows it."""
    for line, title in headings:
        if len(title) > HEADING_MAX_CHARS:
            problems.error(
                line,
                f"the heading '{title[:30]}...' is {len(title):,} characters; a heading is "
                f"at most {HEADING_MAX_CHARS}; shorten it and put the rest in the card's text",
            )
    if cards > ARTICLE_MAX_CARDS:
        problems.error(
            headings[ARTICLE_MAX_CARDS - 1][0] if len(headings) >= ARTICLE_MAX_CARDS else 1,
            f"the article has {cards:,} cards; an article has at most {ARTICLE_MAX_CARDS}; "
            "split it into two articles and link them with 'related:'",
        )
    if parts > ARTICLE_MAX_PARTS:
        problems.error(
            1,
            f"the article has {parts:,} parts (paragraphs, list items, links, bold words, "
            f"line ends...); an article has at most {ARTICLE_MAX_PARTS:,}; split it into "
            "two articles, or use less formatting",
        )
    if marks > ARTICLE_MAX_MARKS:
        problems.error(
            1,
            f"the article has {marks:,} line ends and marks Markdown reads (- : * _ [ ] < > "
            f"& ! # and the like); an article has at most {ARTICLE_MAX_MARKS:,}; split it "
            "into two articles, or write fewer of them",
        )
