"""The navigator: what a tap on an article does, checked once."""

from __future__ import annotations

import pytest

from kiosk.core.content.pack import Article
from kiosk.core.content.review import PatientView
from kiosk.core.patient import Page
from kiosk.ui.assembly import KioskParts

pytestmark = pytest.mark.gui


def test_a_tap_on_an_article_checks_it_once(
    parts: KioskParts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The article is checked before the session moves; the reader then shows what was
    checked (it was looked up, and its sections read, twice a tap)."""
    parts.session.open_home()
    looked: list[str] = []
    article = PatientView.article

    def counted(self: PatientView, locale: str, slug: str) -> Article | None:
        looked.append(slug)
        return article(self, locale, slug)

    monkeypatch.setattr(PatientView, "article", counted)
    parts.navigator.open_article("heart-attack")
    assert looked.count("heart-attack") == 1
    shown = parts.window.reader.article
    assert shown is not None and shown.slug == "heart-attack"
    assert parts.window.windowTitle().endswith(f"reader heart-attack 1/{len(shown.sections)}")


def test_back_to_an_article_checks_it_again(
    parts: KioskParts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page from the history may be gone since (a new day, a new pack): it is checked."""
    parts.session.open_home()
    parts.navigator.open_article("heart-attack")
    parts.navigator.open_terms()
    looked: list[str] = []
    article = PatientView.article

    def counted(self: PatientView, locale: str, slug: str) -> Article | None:
        looked.append(slug)
        return article(self, locale, slug)

    monkeypatch.setattr(PatientView, "article", counted)
    parts.session.back()
    assert looked.count("heart-attack") == 1
    assert parts.session.state.current.page is Page.READER


def test_an_article_missing_in_this_language_leaves_the_patient_where_they_were(
    parts: KioskParts,
) -> None:
    parts.session.open_home()
    parts.navigator.open_article("no-such-article")
    assert parts.session.state.current.page is Page.HOME
    assert parts.window.stack.currentWidget() is parts.window.home
