"""Runs of text no line can break: where Qt may start a new line, without Qt.

A run of more than LONGEST_WORD_CHARS characters with nowhere to break cannot wrap, so
validate warns about it (the card breaks it anyway, anywhere: plaintext.breakable).
Where Qt may start a new line is Unicode's line breaking (UAX #14) as Qt applies it;
this module follows it in the cases patients' text has, always erring towards "no
break here", so that no run too long to wrap goes without a warning. The rule the
check always had, extended: after spaces (those Qt breaks at, never U+00A0, U+2007 or
U+202F) or a zero-width space, at a letter or digit; and after a hyphen or a slash at
a letter ("heart-rate", "and/or", "cdc.gov/heat-health"). tests/test_plain_text.py
holds it against Qt's own line breaker, in every script but those Qt breaks with a
dictionary (Thai, Lao, Khmer, Myanmar): there no break is counted but at spaces between
other letters, as before.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from kiosk.core.content.limits import LONGEST_WORD_CHARS as LONGEST_WORD_CHARS

_SPACES = (
    "\t\n\x0b\x0c\r \x85\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a"
    "\u2028\u2029\u205f\u3000"
)
_BREAKING = frozenset(_SPACES + "\u200b")  # and the zero-width space
_SPACE = f"[{_SPACES}\u200b]"
# Scripts Qt breaks with a dictionary (UAX #14's SA: Thai, Lao, Myanmar, Khmer, Tai):
# no break is counted before their letters. Hebrew letters (HL) stay with a hyphen or
# slash before them.
_DICTIONARY = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u1950-\u19df\u1a20-\u1aaf\ua9e0-\ua9ff\uaa60-\uaadf"
)
_HEBREW = "\u0590-\u05ff\ufb1d-\ufb4f"
_LETTER = rf"(?![{_DICTIONARY}{_HEBREW}])[^\W\d_]"  # a letter a hyphen or slash lets go
# The breaks most text has, found at once: spaces between a letter, digit or ASCII
# punctuation (not "(", "[", "{" or "-") and a letter or digit.
_SURE_SPACES = re.compile(
    rf"(?:(?<=[^\W_])|(?<=[!\"#$%&')*+,./:;<=>?@\\\]^_`|}}~])){_SPACE}+"
    rf"(?=[^\W_])(?![{_DICTIONARY}])"
)
# After a hyphen that follows a letter or digit (not Hebrew), at a letter; after a slash
# at a letter, or at a digit when a letter comes before the slash: "doses/2", not "1/2".
_JOINS = re.compile(
    rf"(?<=[^\W_][-\u2010])(?<![{_HEBREW}][-\u2010])(?={_LETTER})"
    rf"|(?<=/)(?={_LETTER})|(?<=/)(?<![{_DICTIONARY}{_HEBREW}]/)(?<=[^\W\d_]/)(?=\d)"
)
_AFTER_SPACES = re.compile(rf"(?<={_SPACE})(?!{_SPACE})")


def line_breaks(text: str) -> list[int]:
    """Each index of ``text`` at which a line may start, in order (never 0)."""
    found = {m.start() for m in _JOINS.finditer(text)}
    found.update(i for i in _spaces_then(text) if i)
    return sorted(found)


def _spaces_then(text: str) -> Iterator[int]:
    """The breaks after spaces: at a letter or digit (not of a dictionary script),
    unless the last character before the spaces (past combining marks) is opening
    punctuation, an opening quote or a dash ("( 1", "« 1", "a - 1")."""
    for found in _AFTER_SPACES.finditer(text):
        i = found.start()
        char = text[i] if i < len(text) else ""
        if not char.isalnum() or re.match(f"[{_DICTIONARY}]", char):
            continue
        j = i - 1  # the spaces, then a few combining marks at most
        while j > max(0, i - 64) and (
            text[j] in _BREAKING or unicodedata.category(text[j])[0] == "M"
        ):
            j -= 1
        kind = unicodedata.category(text[j])
        if text[j] not in _BREAKING and kind[0] != "M" and kind not in ("Ps", "Pi", "Pd"):
            yield i


def longest_run(text: str) -> str:
    """The longest part of ``text`` that no line can break (spaces at its ends left
    out); "" if there is none."""
    longest = ""
    for piece in _SURE_SPACES.split(text):  # each piece searched only if it could be longer
        if len(piece) > len(longest):
            start = 0
            for end in (*line_breaks(piece), len(piece)):
                run = piece[start:end].strip(_SPACES + "\u200b")
                longest = run if len(run) > len(longest) else longest
                start = end
    return longest


def long_run_message(what: str, run: str) -> str:
    """A validate message for ``run``, the longest unbreakable run of ``what``."""
    return (
        f"{what} has a run of {len(run):,} characters with no space, hyphen or slash to "
        f"break the line at ('{run[:30]}...'); patients see it broken across lines"
    )
