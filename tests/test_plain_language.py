"""Plain-language help (kiosk.core.studio.plain_language): the sentences flagged are the
ones that push a card's grade above the pack's limit, with the reason; fixing them as
the hint says makes the hint go; hard words get the plain word from the lists."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.core.content.loader import load_pack
from kiosk.core.content.readability import grade
from kiosk.core.studio.plain_language import (
    HintKind,
    PlainWords,
    PlainWordsError,
    hints,
    load_plain_words,
    sentences,
)
from kiosk.resources import PLAIN_WORDS, resource

REPO = Path(__file__).resolve().parents[1]
WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+")
LIMIT = 8.0
LONG = (
    "We will utilize the medicine for hypertension prior to your appointment so that the "
    "physician can determine whether the additional treatment that was recommended by "
    "the cardiologist is appropriate for individuals like you."
)
SPLIT = (
    "We will use this medicine before your visit. Then your doctor can check if more care "
    "is right for you."
)


@pytest.fixture(scope="module")
def words() -> PlainWords:
    return load_plain_words(resource(PLAIN_WORDS))


def test_the_bundled_list_has_both_languages(words: PlainWords) -> None:
    assert len(words.by_locale["en"]) >= 30 and len(words.by_locale["es"]) >= 15


def _cards() -> list[tuple[str, str]]:
    result = load_pack(REPO / "content")
    return [
        (a.locale, s.text.removeprefix(s.title).strip())
        for a in result.articles
        for s in a.sections
    ]


@pytest.mark.parametrize(("locale", "text"), _cards()[:80])
def test_each_sentence_flagged_in_the_bundled_cards_reads_above_the_limit(
    locale: str, text: str, words: PlainWords
) -> None:
    for hint in hints(text, locale, words, LIMIT):
        assert 0 <= hint.start < hint.end <= len(text)
        if hint.kind is HintKind.HARD_SENTENCE:
            level = grade(text[hint.start : hint.end], locale)
            assert level is not None and level > LIMIT
        if hint.kind is HintKind.PLAIN_WORD:
            assert hint.instead and text[hint.start : hint.end].lower() in words.by_locale[locale]


@given(st.lists(st.sampled_from(["Drink water", ".", " ", "\n\n", "- ", "Rest!", "¿Qué?", "x"])))
def test_sentences_cover_every_word_once_in_order(parts: list[str]) -> None:
    text = "".join(parts)
    spans = list(sentences(text))
    assert spans == sorted(spans)
    assert all(a < b <= c for (a, b), (c, _) in itertools.pairwise(spans))
    for start, end in spans:
        assert text[start:end] == text[start:end].strip() and WORD.search(text[start:end])
    for word in WORD.finditer(text):
        assert sum(a <= word.start() and word.end() <= b for a, b in spans) == 1


def test_a_long_sentence_is_flagged_with_its_length_and_two_short_ones_are_not(
    words: PlainWords,
) -> None:
    text = f"Drink water. {LONG} Rest now."
    [hard] = [h for h in hints(text, "en", words, LIMIT) if h.kind is HintKind.HARD_SENTENCE]
    assert text[hard.start : hard.end] == LONG
    assert "33 words" in hard.message and "20 words or fewer" in hard.message
    fixed = f"Drink water. {SPLIT} Rest now."
    assert [h for h in hints(fixed, "en", words, LIMIT) if h.kind is not HintKind.LONG_WORD] == []


def test_a_short_sentence_of_long_words_names_them(words: PlainWords) -> None:
    text = "Unexplained cardiovascular abnormalities necessitate immediate evaluation."
    [hard] = [h for h in hints(text, "en", words, LIMIT) if h.kind is HintKind.HARD_SENTENCE]
    assert "long words (" in hard.message and "cardiovascular" in hard.message


def test_list_items_of_a_few_words_get_no_reading_grade(words: PlainWords) -> None:
    """A one-word item ("Exercise") scores grade 12 by the formula; no patient trips on
    it. Five words or more are a sentence, graded."""
    for item in ("Exercise", "Fever or illness", "Some medicines"):
        assert [
            h for h in hints(item, "en", words, LIMIT) if h.kind is HintKind.HARD_SENTENCE
        ] == []
    five = "Unexplained cardiovascular abnormalities necessitate evaluation."
    assert [h.kind for h in hints(five, "en", words, LIMIT)].count(HintKind.HARD_SENTENCE) == 1


def test_hard_words_get_the_plain_one_in_the_same_case(words: PlainWords) -> None:
    text = "Utilize this prior to bed. The hipertensión arterial is not English."
    found = {text[h.start : h.end]: h.instead for h in hints(text, "en", words, 20)}
    assert found["Utilize"] == "Use" and found["prior to"] == "before"
    assert "hipertensión arterial" not in found  # the Spanish list is for Spanish
    es = "Con el fin de bajar la hipertensión arterial, tome agua."
    found_es = {es[h.start : h.end]: h.instead for h in hints(es, "es", words, 20)}
    assert found_es == {
        "Con el fin de": "Para",
        "hipertensión arterial": "presión arterial alta",  # the longer phrase first
    }


def test_a_clinic_list_adds_and_wins(tmp_path: Path) -> None:
    clinic = tmp_path / "plain-words.toml"
    clinic.write_text('[en]\nphysician = "care provider"\nNPO = "nothing to eat"\n', "utf-8")
    merged = load_plain_words(resource(PLAIN_WORDS), clinic, tmp_path / "missing.toml")
    assert merged.by_locale["en"]["physician"] == "care provider"
    assert merged.by_locale["en"]["npo"] == "nothing to eat"
    assert merged.by_locale["en"]["utilize"] == "use"


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        ("[en]\nutilize = use\n", "line 2"),
        ('en = "x"\n', "must be a [en] table"),
        ('[en]\nutilize = ""\n', "'utilize' must be given a plain word"),
        ("[en]\nutilize = 3\n", "'utilize' must be given a plain word"),
    ],
)
def test_a_list_staff_got_wrong_says_where_in_one_line(
    tmp_path: Path, toml: str, says: str
) -> None:
    bad = tmp_path / "plain-words.toml"
    bad.write_text(toml, encoding="utf-8")
    with pytest.raises(PlainWordsError) as err:
        load_plain_words(bad)
    assert str(bad) in str(err.value) and says in str(err.value)
    assert "\n" not in str(err.value)
