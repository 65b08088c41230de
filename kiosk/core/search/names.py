"""What the index holds in memory: articles, their names, the pack's synonyms, and
near-spelling (fuzzy) matching over the names.

Loaded from the index at the first search (or when the kiosk warms up), so a misspelt
query costs under a millisecond at 10,000 articles. rapidfuzz is imported inside the
functions that use it: the kiosk's first frame never loads it.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from kiosk.core.search.damage import check_row
from kiosk.core.search.folding import fold

_FUZZY_CUTOFF = 78.0
_FUZZY_WORD_LETTERS = 5  # words of names this long or longer are matched on their own
_CLOSEST_CUTOFF = 60.0  # below this a suggestion is noise; browsing A-Z serves better


@dataclass(frozen=True)
class Name:
    """A title or alias of the article ``doc``, folded (kiosk.core.search.folding)."""

    doc: int
    folded: str
    is_title: bool
    # One word of a longer name, for near-spellings of one word: "alzeimer" is far from
    # "alzheimers disease" as a whole, near "alzheimers" (newcomer's review).
    word_of: str = ""


# Per (locale, first letter): the names' lengths, the folded names, the names, sorted
# by length, so a fuzzy match can bisect to the lengths that could reach the cutoff.
_Bucket = tuple[list[int], list[str], list[Name]]


class NameTables:
    """The index's docs, names and synonyms, in memory; empty until ``load``."""

    def __init__(self) -> None:
        # doc id -> (slug, title, kind)
        self.docs: dict[int, tuple[str, str, str]] = {}
        self.names: dict[str, list[Name]] = {}  # per locale
        self.doc_names: dict[int, list[Name]] = {}
        # locale -> folded word -> the folded words it also means
        self.synonyms: dict[str, dict[str, list[str]]] = {}
        # Names per (locale, first letter) sorted by length, so fuzzy matching compares
        # only names that could reach the cutoff. Typos rarely hit the first letter, and
        # this keeps a misspelt query under a millisecond at 10,000 articles.
        self._fuzzy_buckets: dict[tuple[str, str], _Bucket] = {}

    def load(self, db: sqlite3.Connection) -> None:
        """Read the tables; raises sqlite3.DatabaseError or IndexDamageError
        (kiosk.core.search.damage) on a damaged index, after which ``clear``."""
        for doc, slug, title, kind in db.execute("SELECT id, slug, title, kind FROM docs"):
            check_row((doc, slug, title, kind), (int, str, str, str))
            self.docs[doc] = (slug, title, kind)
        for doc, locale, folded, is_title in db.execute(
            "SELECT doc, locale, folded, is_title FROM names"
        ):
            check_row((doc, locale, folded, is_title), (int, str, str, int))
            name = Name(doc, folded, bool(is_title))
            self.names.setdefault(locale, []).append(name)
            self.doc_names.setdefault(doc, []).append(name)
        self._sort_into_buckets()
        for locale, word, means in db.execute("SELECT locale, word, means FROM synonyms"):
            check_row((locale, word, means), (str, str, str))
            self.synonyms.setdefault(locale, {}).setdefault(word, []).append(means)

    def _sort_into_buckets(self) -> None:
        buckets: dict[tuple[str, str], list[Name]] = {}
        for locale, names in self.names.items():
            for name in names:
                buckets.setdefault((locale, name.folded[:1]), []).append(name)
                words = name.folded.split()
                for word in words if len(words) > 1 else ():
                    if len(word) >= _FUZZY_WORD_LETTERS:
                        part = Name(name.doc, word, name.is_title, word_of=name.folded)
                        buckets.setdefault((locale, word[:1]), []).append(part)
        for key, names in buckets.items():
            ordered = sorted(names, key=lambda n: len(n.folded))
            self._fuzzy_buckets[key] = (
                [len(n.folded) for n in ordered],
                [n.folded for n in ordered],
                ordered,
            )

    def clear(self) -> None:
        """Forget everything (a damaged index then finds nothing)."""
        self.docs.clear()
        self.names.clear()
        self.doc_names.clear()
        self._fuzzy_buckets.clear()
        self.synonyms.clear()

    def score_fuzzy(self, text: str, locale: str, scores: dict[int, float]) -> None:
        """Add near-spellings of a title or alias to ``scores`` (doc -> score): 60 and
        up for a whole name, 55 and up for one word of a name; a mention scores 50."""
        from rapidfuzz import fuzz, process

        query = fold(text, locale)
        bucket = self._fuzzy_buckets.get((locale, query[:1]))
        if bucket is None:
            return
        lengths, folded, names = bucket
        # ratio = 2*matches/(len_a+len_b) >= cutoff needs the shorter string to be at
        # least cutoff/(200-cutoff) of the longer one.
        reach = _FUZZY_CUTOFF / (200.0 - _FUZZY_CUTOFF)
        low = bisect_left(lengths, int(len(query) * reach))
        high = bisect_right(lengths, int(len(query) / reach) + 1)
        matches = process.extract(
            query,
            folded[low:high],
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=_FUZZY_CUTOFF,
            limit=10,
        )
        for _choice, similarity, index in matches:
            name = names[low + index]
            # A near-spelling of a name outranks a mere mention in some text (50); of
            # one word of a name, a little less than of the whole name.
            base = 55.0 if name.word_of else 60.0
            keep_best(scores, name.doc, base + (float(similarity) - _FUZZY_CUTOFF) * 0.9)

    def closest(self, query: str, locale: str, limit: int) -> list[tuple[int, float]]:
        """The docs whose titles or aliases are most like ``query`` (rapidfuzz WRatio,
        0-100, at least 60), best first, at most ``limit``."""
        from rapidfuzz import fuzz, process  # imported by warm() before any patient types

        query_folded = fold(query, locale)
        names = self.names.get(locale, [])
        if len(query_folded) < 2 or not names:
            return []
        matches = process.extract(
            query_folded,
            [n.folded for n in names],
            scorer=fuzz.WRatio,
            processor=None,
            score_cutoff=_CLOSEST_CUTOFF,
            limit=limit * 4,
        )
        best: dict[int, float] = {}
        for _choice, score, i in matches:
            if names[i].doc in self.docs:
                keep_best(best, names[i].doc, float(score))
        return sorted(best.items(), key=lambda kv: -kv[1])[:limit]


def name_score(query: str, name: str, is_title: bool) -> float:
    """How well a folded query names an article; 0 when it does not."""
    bonus = 1.0 if is_title else 0.0
    if name == query:
        return 99.0 + bonus
    if name.startswith(query):
        return 90.0 + bonus - min(5.0, (len(name) - len(query)) / 10)
    name_words = name.split()
    query_words = query.split()
    if all(any(n.startswith(q) for n in name_words) for q in query_words):
        return 80.0 + bonus
    if name.replace(" ", "").startswith(query.replace(" ", "")):
        return 85.0 + bonus  # "hammer toe" -> "hammertoe"
    return 0.0


def keep_best(scores: dict[int, float], doc: int, score: float) -> None:
    """Raise ``scores[doc]`` to ``score`` if that is higher."""
    if score > scores.get(doc, 0.0):
        scores[doc] = score
