"""Two articles of one language never look the same in a list: no invisible character
that hides in a title or sits at either end of it, and no title equal to another's but
for case, width, invisible characters or blank-looking ones."""

from __future__ import annotations

import re
import unicodedata

from kiosk.core.content.article_file import ArticleDraft
from kiosk.core.content.invisible import (
    DIRECTION_MARKS,
    char_name,
    is_default_ignorable,
    looks_blank,
    unseen,
)
from kiosk.core.content.limits import LINE_BREAKS
from kiosk.core.content.markdown import RenderedArticle

# Invisible characters some languages need (Persian's zero-width non-joiner, the joiner
# of Indic scripts, direction marks in mixed text), the soft hyphen, and variation
# selectors (an emoji's colour form): allowed inside a title, and ignored when titles
# are compared, as every default-ignorable character is (kiosk.core.content.invisible).
_ALLOWED_INVISIBLE = frozenset({"\u200c", "\u200d", "\u00ad", *DIRECTION_MARKS})
_VARIATION_SELECTORS = frozenset(map(chr, [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]))
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


def unseen_at_an_end(title: str) -> tuple[str, str] | None:
    """("begins" or "ends", the character) if ``title`` begins or ends with a character
    nobody sees (a direction mark, a zero-width character, U+2800 BRAILLE PATTERN
    BLANK...): two titles that look the same would differ. A variation selector may end
    a title: it gives the emoji before it its colour form."""
    if title and unseen(title[0]):
        return "begins", title[0]
    if title and unseen(title[-1]) and title[-1] not in _VARIATION_SELECTORS:
        return "ends", title[-1]
    return None


# Scripts whose letters look alike (UTS #39, "confusables"): "H\u0435art" with a Cyrillic "\u0435"
# is another title than "Heart", looks the same, and is found by nobody who types it.
_LOOKALIKE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK"})
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def mixed_script_word(text: str) -> str | None:
    """The first run of letters in ``text`` that mixes Latin, Cyrillic and Greek letters
    (UTS #39's restriction: one script a word); None if there is none. Runs end at
    anything not a letter, so "β-blocker" is two runs and passes."""
    for found in _LETTER_RUN.finditer(text):
        run = found.group()
        scripts = {unicodedata.name(c, "").partition(" ")[0] for c in run}
        if len(scripts & _LOOKALIKE_SCRIPTS) > 1:
            return run
    return None


def title_key(title: str) -> str:
    """What a title looks like, for comparing: without default-ignorable characters,
    each blank-looking one a space (U+2800 as U+0020), then compatibility forms (NFKC),
    case folded and runs of spaces as one."""
    kept = "".join(" " if looks_blank(c) else "" if is_default_ignorable(c) else c for c in title)
    return " ".join(unicodedata.normalize("NFKC", kept).casefold().split())


def check_titles(by_slug: dict[str, ArticleDraft]) -> None:
    """An error at the title's line for a hidden character, an unseen one at either
    end, or a title that looks the same as an earlier one's, among the articles of one
    language."""
    seen: dict[str, ArticleDraft] = {}
    for draft in by_slug.values():
        title, line = draft.article.title, _title_line(draft.rendered)
        problem = _title_problem(title)
        if problem is not None:
            draft.problems.error(line, problem)
            continue
        first = seen.setdefault(title_key(title), draft)
        if first is not draft:
            shown = "".join(c for c in title if not is_default_ignorable(c))
            draft.problems.error(
                line,
                f"title '{shown}' looks the same as the title of {first.problems.file}; "
                "give each article its own title, or remove one of them",
            )


def _title_problem(title: str) -> str | None:
    """What is wrong with ``title`` on its own (a character nobody sees, in it or at an
    end; a word of mixed alphabets), for the error at its line; None if nothing."""
    # A line break has its own message (kiosk.core.content.frontmatter.check_one_line).
    hidden = next((c for c in title if hidden_in_title(c) and c not in LINE_BREAKS), None)
    if hidden is not None:
        return (
            f"title holds an invisible character ({char_name(hidden)}) that can hide "
            "in it or change how it shows; type the title again without it"
        )
    end = unseen_at_an_end(title)
    if end is not None:
        return (
            f"title {end[0]} with an invisible character ({char_name(end[1])}); "
            "delete it, or type the title again by hand"
        )
    mixed = mixed_script_word(title)
    if mixed is not None:
        return (
            f"title word '{mixed}' mixes letters of different alphabets (Latin, "
            "Cyrillic, Greek) that look alike; type the word again on one keyboard"
        )
    return None


def _title_line(rendered: RenderedArticle) -> int:
    """The file line of the front matter's 'title:' key (a title is one line)."""
    lines = (rendered.front_matter or "").splitlines()
    found = (i for i, text in enumerate(lines) if _TITLE_KEY.match(text))
    return rendered.front_matter_line + next(found, 0)
