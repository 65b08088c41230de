"""Text folding for search, so "haemorrhage" finds "hemorrhage" and "anaesthetise" finds
"anesthetize".

Folding is applied to both the index and the query. Because a patient types one letter
at a time, the index keeps every word as written *and* its folded form: a partial word
like "haem" then still prefix-matches "haemolysis" while "hem" matches "hemolysis".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^\w]+|_")
_SUFFIX_Z = re.compile(r"is(e|ed|es|ing|ation|ations)$")
_SUFFIX_OR = re.compile(r"(?<=..)our(s?)$")


def normalize(text: str) -> str:
    """Lower-case, strip accents, keep letters and digits separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", bare).split())


@lru_cache(maxsize=65_536)  # bounded; a pack's vocabulary is far smaller than this
def fold_word(word: str) -> str:
    """The UK/US-neutral form of one normalized word."""
    folded = word.replace("ae", "e").replace("oe", "e")
    folded = _SUFFIX_Z.sub(r"iz\1", folded)
    return _SUFFIX_OR.sub(r"or\1", folded)


def fold(text: str) -> str:
    """Normalized text with every word folded; used for matching whole names."""
    return " ".join(fold_word(w) for w in normalize(text).split())


def index_text(text: str) -> str:
    """Normalized text plus the folded form of each word that folding changes."""
    words = normalize(text).split()
    present = set(words)
    extra = dict.fromkeys(f for f in map(fold_word, words) if f not in present)
    return " ".join([*words, *extra])
