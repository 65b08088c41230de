"""Which shown word is the spoken one: read aloud highlights the word being read.

The card is read from its plain text for speech (Section.text) and shown from its HTML;
the words are the same, in the same order, but the shown text has more (a picture's
place, a list's bullets) and its own spacing. The words are matched in order, each
within a few shown words of the last match, so a word that is not shown (or shown
differently) is skipped rather than matched far away.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\S+")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")  # punctuation and symbols around a word
LOOKAHEAD_WORDS = 8  # how far ahead in the shown text a spoken word is looked for


def _key(word: str) -> str:
    """A word as compared: case and the punctuation around it left out."""
    return _EDGES.sub("", word).casefold()


def align_words(spoken: str, shown: str) -> dict[int, tuple[int, int]]:
    """For each word of ``spoken`` found in ``shown``: its start in ``spoken`` -> (start,
    length) in ``shown``, in characters. Words are "\\S+" runs (as the speech channel's
    marks, kiosk.core.speech.channel.ssml). A match that skips shown words must be
    followed by a match of the next word too: a lone common word ("the") ahead is not
    taken for the place the reading has reached."""
    shown_words = [(m.start(), len(m.group()), _key(m.group())) for m in _WORD.finditer(shown)]
    spoken_words = [(m.start(), _key(m.group())) for m in _WORD.finditer(spoken)]
    found: dict[int, tuple[int, int]] = {}
    at = 0  # the first shown word not matched yet
    for number, (start, key) in enumerate(spoken_words):
        if not key:
            continue
        following = spoken_words[number + 1][1] if number + 1 < len(spoken_words) else None
        for index in range(at, min(at + LOOKAHEAD_WORDS, len(shown_words))):
            if shown_words[index][2] != key:
                continue
            after = shown_words[index + 1][2] if index + 1 < len(shown_words) else None
            if index > at and following is not None and after != following:
                continue  # a skip, unconfirmed by the next word
            found[start] = shown_words[index][:2]
            at = index + 1
            break
    return found
