"""Two articles of one language never look the same in a list: no invisible character
that hides in a title, and no title equal to another's but for case, width or
invisible marks."""

from __future__ import annotations

import re
import unicodedata

from kiosk.core.content.article_file import ArticleDraft
from kiosk.core.content.markdown import RenderedArticle

# Invisible characters some languages need (Persian's zero-width non-joiner, the joiner
# of Indic scripts, direction marks in mixed text), the soft hyphen, and variation
# selectors (an emoji's colour form): allowed, and ignored when titles are compared.
_ALLOWED_INVISIBLE = "\u200c\u200d\u200e\u200f\u00ad"
_IGNORED_IN_TITLES = dict.fromkeys(
    [*map(ord, _ALLOWED_INVISIBLE), *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]
)
# Blank letters that show nothing: the combining grapheme joiner and the Hangul fillers.
_BLANK_LETTERS = frozenset("\u034f\u115f\u1160\u3164\uffa0")
_TITLE_KEY = re.compile(r"""["']?title["']?\s*:""")


def hidden_in_title(char: str) -> bool:
    """A character a title must not hold: it hides in it or changes how it shows (U+202E
    shows the rest backwards), so two titles that look the same differ. Every control
    and format character (Unicode categories Cc, Cf: zero-width space, word joiner, byte
    order mark, bidi controls, tag characters...) but those some languages need,
    unassigned and private-use code points, and blank letters."""
    if char in _ALLOWED_INVISIBLE:
        return False
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") or char in _BLANK_LETTERS


def check_titles(by_slug: dict[str, ArticleDraft]) -> None:
    """An error at the title's line for a hidden character, or for a title that looks
    the same as an earlier one's, among the articles of one language."""
    seen: dict[str, ArticleDraft] = {}
    for draft in by_slug.values():
        title, line = draft.article.title, _title_line(draft.rendered)
        hidden = next((c for c in title if hidden_in_title(c)), None)
        if hidden is not None:
            draft.problems.error(
                line,
                f"title holds an invisible character (U+{ord(hidden):04X} "
                f"{unicodedata.name(hidden, 'CONTROL')}) that can hide in it or change "
                "how it shows; type the title again without it",
            )
            continue
        shown = title.translate(_IGNORED_IN_TITLES)
        first = seen.setdefault(
            " ".join(unicodedata.normalize("NFKC", shown).casefold().split()), draft
        )
        if first is not draft:
            draft.problems.error(
                line,
                f"title '{shown}' looks the same as the title of {first.problems.file}; "
                "give each article its own title, or remove one of them",
            )


def _title_line(rendered: RenderedArticle) -> int:
    """The file line of the front matter's 'title:' key (a title is one line)."""
    lines = (rendered.front_matter or "").splitlines()
    found = (i for i, text in enumerate(lines) if _TITLE_KEY.match(text))
    return rendered.front_matter_line + next(found, 0)
