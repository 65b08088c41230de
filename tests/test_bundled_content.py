"""The content that ships: the seed article and its 13 terms, as patients will read them."""

from __future__ import annotations

import re

import pytest

from kiosk.core.content.pack import Kind, Pack
from kiosk.core.content.readability import measure

TERMS = {
    "haemolysis": "Haemolysis",
    "haemorrhage": "Haemorrhage",
    "hallucination": "Hallucination",
    "hammertoe": "Hammertoe",
    "hantavirus": "Hantavirus",
    "heart-attack": "Heart Attack",
    "heart-block": "Heart Block",
    "heart-failure": "Heart Failure",
    "heart-rate": "Heart Rate",
    "heartburn": "Heartburn",
    "hematocrit": "Hematocrit",
    "heparin": "Heparin",
    "hypertension": "Hypertension",
}


def test_pack_has_the_seed_topic_and_thirteen_terms(bundled_pack: Pack) -> None:
    articles = bundled_pack.articles["en"]
    assert len(articles) == 14
    assert {s: a.title for s, a in articles.items() if a.kind is Kind.TERM} == TERMS
    assert articles["harm-reduction-therapy"].kind is Kind.TOPIC


def test_seed_article_has_intro_and_five_clean_sections(bundled_pack: Pack) -> None:
    article = bundled_pack.articles["en"]["harm-reduction-therapy"]
    assert article.sensitive
    assert article.sections[0].title == ""  # the intro card
    headings = [s.title for s in article.sections[1:]]
    assert len(headings) == 5
    assert all(h and "?" not in h for h in headings)
    for alias in ("harm reduction", "naloxone", "needle exchange"):
        assert alias in article.aliases
    assert article.related and article.summary


@pytest.mark.parametrize("slug", sorted(TERMS))
def test_term_articles_are_complete_and_plain(bundled_pack: Pack, slug: str) -> None:
    article = bundled_pack.articles["en"][slug]
    words = measure("\n".join(s.text for s in article.sections)).words
    assert 150 <= words <= 350, words
    assert article.grade is not None and article.grade <= 8.0
    assert article.summary and article.aliases and article.sources
    assert article.reviewed and article.review_due and article.review_due > article.reviewed
    text = article.plain_text.lower()
    assert "question" in text  # questions to ask the care team
    assert any(s.title.lower().startswith("when") for s in article.sections)


@pytest.mark.parametrize("slug", ["heart-attack", "haemorrhage"])
def test_emergencies_say_call_911(bundled_pack: Pack, slug: str) -> None:
    assert re.search(r"\b911\b", bundled_pack.articles["en"][slug].plain_text)


def test_everyday_names_are_aliases(bundled_pack: Pack) -> None:
    en = bundled_pack.articles["en"]
    assert "high blood pressure" in en["hypertension"].aliases
    assert "blood thinner" in en["heparin"].aliases
    assert "hemorrhage" in en["haemorrhage"].aliases


def test_every_article_exists_in_spanish_with_the_same_cards(bundled_pack: Pack) -> None:
    en, es = bundled_pack.articles["en"], bundled_pack.articles["es"]
    assert set(es) == set(en)
    for slug, article in es.items():
        assert len(article.sections) == len(en[slug].sections), slug
        assert article.related == en[slug].related and article.sensitive == en[slug].sensitive
        assert article.grade is not None and article.grade <= 8.0, slug
    assert "presión arterial alta" in es["hypertension"].aliases
    assert "infarto" in es["heart-attack"].aliases


def test_spanish_crisis_help_is_there(bundled_pack: Pack) -> None:
    assert "911" in bundled_pack.info.crisis_text("overdose", "es")
    assert "988" in bundled_pack.info.crisis_text("mental-health", "es")
