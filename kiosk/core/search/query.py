"""The query side: FTS5 match expressions with synonyms, and ranking what they find.

Ranking puts what a patient meant first: an exact title or alias, then a title or
alias that starts with the query, then near-spellings of a title or alias
(kiosk.core.search.names), then articles that only mention the words in their text.
Scores are 0-100: names 80-100, near-spellings 55-80, mentions under 50.
"""

from __future__ import annotations

import sqlite3

from kiosk.core.search.damage import check_row
from kiosk.core.search.folding import fold, fold_word, without_s
from kiosk.core.search.names import NameTables, keep_best, name_score

# bm25 weights for title, aliases, summary, body: a name hit outranks a mention.
_BM25 = "bm25(fts, 10.0, 8.0, 3.0, 1.0)"
_SHORT_QUERY = 3  # a word shorter than this is matched whole in the text, not as a prefix
_CANDIDATES = 60
# The most of a query searched: the on-screen box holds this many (a patient types a
# few words), and a query's cost grows faster than its length (5,000 characters of
# one-letter words took 235 ms, 120,000 through `kiosk search` 279 s).
QUERY_MAX_CHARS = 60
# Of those, the words searched: a patient types a few; repeated ones add nothing. 30
# one-letter words ("a a a ...") with synonyms made a keystroke take 5 to 10 s.
QUERY_MAX_WORDS = 8
# Ways the query is compared with each candidate's names (the query itself, without a
# plural "s", with a synonym swapped in): each costs candidates x names comparisons
# (60 x 21 at the limits), about 5 ms a way on a 2-core kiosk.
_VARIANTS_MAX = 4


class TextQuery:
    """Scores the articles of one index for a query (words already normalized)."""

    def __init__(self, db: sqlite3.Connection, tables: NameTables) -> None:
        self._db = db
        self._tables = tables

    def scores(self, words: list[str], locale: str, limit: int) -> dict[int, float]:
        """doc id -> score for the articles ``words`` find in ``locale``."""
        scores: dict[int, float] = {}
        letters = len("".join(words))
        if letters < _SHORT_QUERY:
            # One letter browses names, as the A-Z list does; two may also be a whole
            # word of the text ("tb"), listed after the names, unless it is a common
            # word ("to", "he"): that is no term, and ranking it costs milliseconds.
            self._score_name_prefixes(" ".join(words), locale, scores)
            if letters > 1 and not self._common(words, locale):
                docs = self._matches(words, locale, names_only=False)
                self._score_rows(docs, words, locale, scores)
        else:
            self._score_full_text(words, locale, scores, limit)
            if not scores:
                # No article has every word: probably a misspelling. (Where one has
                # them all, "vitamin d" is not a near-spelling of "Vitamins".)
                self._tables.score_fuzzy(" ".join(words), locale, scores)
        return scores

    def _score_name_prefixes(self, text: str, locale: str, scores: dict[int, float]) -> None:
        prefix = fold(text, locale)
        rows = self._db.execute(
            "SELECT doc, folded, is_title FROM names WHERE locale = ? AND folded >= ? "
            "AND folded < ? LIMIT 500",
            (locale, prefix, prefix + "\U0010ffff"),
        )
        for doc, folded, is_title in rows:
            check_row((doc, folded, is_title), (int, str, int))
            keep_best(scores, doc, name_score(prefix, folded, bool(is_title)))

    def _score_full_text(
        self, words: list[str], locale: str, scores: dict[int, float], limit: int
    ) -> None:
        # Names first: cheap, and usually what a patient is typing towards.
        self._score_rows(self._matches(words, locale, names_only=True), words, locale, scores)
        strong = sum(1 for s in scores.values() if s >= 80)
        if strong >= limit:
            return  # enough names already
        self._score_rows(self._matches(words, locale, names_only=False), words, locale, scores)

    def _matches(self, words: list[str], locale: str, *, names_only: bool) -> list[int]:
        if names_only:
            match = "{title aliases}: (" + self.match_expression(words, locale) + ")"
        else:
            # In the text, a one- or two-letter word is matched whole: "vitamin d" finds
            # "vitamin D", where "d" as a prefix would match most words of every article.
            match = self.match_expression(words, locale, whole_short_words=True)
        rows = self._db.execute(
            f"SELECT fts.rowid FROM fts JOIN docs ON docs.id = fts.rowid "
            f"WHERE fts MATCH ? AND docs.locale = ? ORDER BY {_BM25} LIMIT ?",
            (match, locale, _CANDIDATES),
        )
        return [doc for (doc,) in rows]

    def _score_rows(
        self, docs: list[int], words: list[str], locale: str, scores: dict[int, float]
    ) -> None:
        variants = self._query_variants(words, locale)
        for position, doc in enumerate(docs):
            best = max(
                (
                    name_score(q, n.folded, n.is_title) - penalty
                    for q, penalty in variants
                    for n in self._tables.doc_names.get(doc, [])
                ),
                default=0.0,
            )
            # Mentions in the text rank below any name hit, in bm25 order.
            keep_best(scores, doc, best if best > 0 else 50.0 - position * 0.5)

    def _common(self, words: list[str], locale: str) -> bool:
        """True if more articles have these (short) words than a search lists."""
        match = self.match_expression(words, locale, whole_short_words=True)
        rows = self._db.execute(
            # CROSS JOIN keeps the text index the outer loop (SQLite would walk every
            # article of the language otherwise).
            "SELECT 1 FROM fts CROSS JOIN docs ON docs.id = fts.rowid "
            "WHERE fts MATCH ? AND docs.locale = ? LIMIT ?",
            (match, locale, _CANDIDATES + 1),
        ).fetchall()
        return len(rows) > _CANDIDATES

    def match_expression(
        self, words: list[str], locale: str, *, whole_short_words: bool = False
    ) -> str:
        """An FTS5 MATCH expression: every word (as typed, folded, without a plural s,
        or a synonym), or all the words run together."""
        synonyms = self._tables.synonyms.get(locale, {})

        def alternatives(word: str) -> str:
            folded = fold_word(word, locale)
            star = "" if whole_short_words and len(word) < _SHORT_QUERY else "*"
            options = [f'"{f}"{star}' for f in sorted({word, folded})]
            base = without_s(word, locale)
            if base:  # whole, not a prefix: "news" must not find "newborn"
                options += [f'"{f}"' for f in sorted({base, fold_word(base, locale)})]
            options += [f'"{m}"' for m in synonyms.get(folded, [])]
            return "(" + " OR ".join(options) + ")"

        every_word = " AND ".join(alternatives(w) for w in words)
        if len(words) == 1:
            return every_word
        # "hammer toe" should also find "hammertoe".
        return f"({every_word}) OR {alternatives(''.join(words))}"

    def _query_variants(self, words: list[str], locale: str) -> list[tuple[str, float]]:
        """The folded query, and the query with each synonym swapped in (ranked a bit lower)."""
        folded = [fold_word(w, locale) for w in words]
        variants = [(" ".join(folded), 0.0)]
        for i, word in enumerate(words):  # "parkinsons disease" names "Parkinson disease"
            base = without_s(word, locale)
            if base:
                variants.append(
                    (" ".join([*folded[:i], fold_word(base, locale), *folded[i + 1 :]]), 1.0)
                )
        synonyms = self._tables.synonyms.get(locale, {})
        for i, word in enumerate(folded):
            for meaning in synonyms.get(word, []):
                variants.append((" ".join([*folded[:i], meaning, *folded[i + 1 :]]), 2.0))
        return list(dict(reversed(variants)).items())[::-1][:_VARIANTS_MAX]
