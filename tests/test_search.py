"""Search as a patient types it: misspelt, UK or US, everyday words, half a word."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.content.pack import Pack
from kiosk.core.errors import UnreadableFileError
from kiosk.core.search.index import SearchIndex


@pytest.fixture(scope="module")
def index(bundled_pack: Pack) -> SearchIndex:
    return SearchIndex.build(bundled_pack)


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("hemorrhage", "Haemorrhage"),
        ("heart atack", "Heart Attack"),
        ("high blood pressure", "Hypertension"),
        ("narcan", "Harm Reduction Therapy"),
        ("hammer toe", "Hammertoe"),
        ("hemat", "Hematocrit"),
        ("haematocrit", "Hematocrit"),
        ("hemolysis", "Haemolysis"),
        ("blood thinner", "Heparin"),
        ("hipertension", "Hypertension"),
        ("Heart Rate", "Heart Rate"),
        ("HEARTBURN", "Heartburn"),
        ("naloxone", "Harm Reduction Therapy"),
    ],
)
def test_query_finds_the_article_first(index: SearchIndex, query: str, title: str) -> None:
    hits = index.search(query, "en")
    assert hits, f"no results for {query!r}"
    assert hits[0].title == title, [h.title for h in hits]


def test_each_keystroke_narrows_to_the_article(index: SearchIndex) -> None:
    typed = "hypertension"
    for n in range(3, len(typed) + 1):
        assert index.search(typed[:n], "en")[0].title == "Hypertension", typed[:n]


def test_one_letter_lists_names_starting_with_it(index: SearchIndex) -> None:
    titles = [h.title for h in index.search("h", "en", limit=50)]
    assert len(titles) == 14
    assert all(t.lower().startswith("h") for t in titles)


def test_a_word_only_in_the_text_still_finds_the_article(index: SearchIndex) -> None:
    hits = index.search("syringes", "en")
    assert [h.slug for h in hits][:1] == ["harm-reduction-therapy"]


def test_name_hits_rank_above_mentions(index: SearchIndex) -> None:
    hits = index.search("high blood pressure", "en")
    assert hits[0].score > max(h.score for h in hits[1:])


def test_nonsense_finds_nothing(index: SearchIndex) -> None:
    assert index.search("qqqzzzxx", "en") == []


def test_each_language_searches_its_own_articles(index: SearchIndex) -> None:
    assert index.search("heart", "fr") == []
    assert index.search("corazón", "es")[0].title in {"Ataque al corazón", "Insuficiencia cardíaca"}
    assert index.search("hipertension", "es")[0].title == "Hipertensión"  # accents ignored
    assert index.search("narcan", "es")[0].slug == "harm-reduction-therapy"


@pytest.mark.parametrize("query", ["", " ", "!", "\"'*()", "心脏", "🙂", "a" * 500])
def test_odd_queries_with_no_words_of_the_pack_find_nothing(index: SearchIndex, query: str) -> None:
    assert index.search(query, "en") == []
    assert index.closest(query, "en") == []


@pytest.mark.parametrize(
    ("query", "plain"),
    [
        ("AND", "and"),  # FTS5 operators are words to search for, not operators
        ("OR NOT", "or not"),
        ("NOT heart", "not heart"),
        ("NEAR(", "near"),
        ("heart*", "heart"),
        ("^heart", "heart"),
        ("héart", "heart"),
        ("Heart-Rate!!", "heart rate"),
        ("heart's", "hearts"),
        ("HEART\u2019S", "hearts"),
    ],
)
def test_odd_queries_find_what_their_words_find(index: SearchIndex, query: str, plain: str) -> None:
    hits = index.search(query, "en")
    assert hits, f"no results for {query!r}"
    assert hits == index.search(plain, "en")


def test_odd_queries_find_the_articles_they_name(index: SearchIndex) -> None:
    assert index.search("héart", "en")[0].title.startswith("Heart")
    assert index.search("Heart-Rate!!", "en")[0].title == "Heart Rate"
    assert index.search("heart's", "en")[0].title.startswith("Heart")
    assert {h.title for h in index.search("NEAR(", "en")} >= {"Heart Attack"}


@pytest.mark.parametrize("unit", ["a b ", "heart attack ", "x", "\u2019 "])
def test_a_query_longer_than_the_box_is_searched_as_the_box_holds_it(
    index: SearchIndex, unit: str
) -> None:
    """120,000 characters through `kiosk search` took 279 s; the box holds 60."""
    from kiosk.core.search.query import QUERY_MAX_CHARS

    query = unit * (120_000 // len(unit))
    held = query[:QUERY_MAX_CHARS]
    assert index.search(query, "en") == index.search(held, "en")
    assert index.closest(query, "en") == index.closest(held, "en")
    assert index.search(("heart attack " * 9)[:QUERY_MAX_CHARS], "en")  # still finds


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_unicode_query_is_safe(index: SearchIndex, query: str) -> None:
    # Only damage to the index file is caught; a query that breaks the query builder
    # raises here.
    for hit in index.search(query, "en"):
        assert hit.slug and hit.title
    index.closest(query, "en")


def test_index_file_round_trips(bundled_pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "search.sqlite"
    SearchIndex.build(bundled_pack, path).close()
    reopened = SearchIndex.open(path)
    assert reopened.search("narcan", "en")[0].slug == "harm-reduction-therapy"


def test_opening_a_non_index_fails_clearly(tmp_path: Path) -> None:
    bogus = tmp_path / "search.sqlite"
    bogus.write_bytes(b"not a database at all" * 10)
    with pytest.raises(UnreadableFileError, match="not a search index"):
        SearchIndex.open(bogus)


def test_a_damaged_index_finds_nothing_instead_of_failing(
    tmp_path: Path, bundled_pack: Pack, caplog: pytest.LogCaptureFixture
) -> None:
    """An installed pack's index is checked in the background; until then damage
    (rows pointing nowhere, pages unreadable) must not crash the term browser, and is
    logged once as damage."""
    path = tmp_path / "search.sqlite"
    SearchIndex.build(bundled_pack, path).close()
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM docs WHERE slug = 'heparin'")  # its names stay
    db.close()
    index = SearchIndex.open(path)
    assert all(h.slug != "heparin" for h in index.closest("heparn", "en"))
    assert all(h.slug != "heparin" for h in index.search("heparin", "en"))
    with sqlite3.connect(path) as db:
        size = db.execute("PRAGMA page_size").fetchone()[0]
        roots = db.execute("SELECT rootpage FROM sqlite_master WHERE tbl_name != 'meta'")
        pages = [page for (page,) in roots if page]  # all but meta, which open() reads
    db.close()
    data = bytearray(path.read_bytes())
    for page in pages:
        data[(page - 1) * size : page * size] = b"\xff" * size
    path.write_bytes(bytes(data))
    damaged = SearchIndex.open(path)
    with caplog.at_level(logging.ERROR, logger="kiosk.search"):
        for query in ("he", "heart", "hart attak", "naloxone"):
            assert damaged.search(query, "en") == []
            assert damaged.closest(query, "en") == []
    said = [r.getMessage() for r in caplog.records if r.name == "kiosk.search"]
    assert len(said) == 1 and "the search index is damaged" in said[0], said


def test_rows_of_the_wrong_type_are_damage_too(tmp_path: Path, bundled_pack: Pack) -> None:
    path = tmp_path / "search.sqlite"
    SearchIndex.build(bundled_pack, path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE names SET folded = X'00ff' WHERE rowid = 1")
    db.close()
    index = SearchIndex.open(path)
    assert index.search("heart", "en") == []
    assert index.closest("heart", "en") == []


def test_a_newer_index_schema_is_refused(tmp_path: Path, bundled_pack: Pack) -> None:
    """An index built by another kiosk version is not read: the pack is indexed again."""
    path = tmp_path / "search.sqlite"
    SearchIndex.build(bundled_pack, path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '4' WHERE key = 'schema'")
    db.close()
    with pytest.raises(UnreadableFileError, match="schema"):
        SearchIndex.open(path)
