"""What patients see of an article whose review date has passed (pack policy).

``show`` shows it as usual, ``flag`` shows it with a note that it is due for review,
``hide`` keeps it out of every list, search and link until it is reviewed.
"""

from __future__ import annotations

from datetime import date

from kiosk.core.content.catalogue import Catalogue, Listed
from kiosk.core.content.pack import Article, Kind, OverduePolicy, Pack


def is_hidden(pack: Pack, article: Article, today: date) -> bool:
    return pack.info.on_review_overdue is OverduePolicy.HIDE and article.is_overdue(today)


def is_flagged(pack: Pack, article: Article, today: date) -> bool:
    return pack.info.on_review_overdue is OverduePolicy.FLAG and article.is_overdue(today)


def overdue(pack: Pack, today: date) -> list[Article]:
    """Every article past its review date, in every language, for staff."""
    return sorted(
        (a for by_slug in pack.articles.values() for a in by_slug.values() if a.is_overdue(today)),
        key=lambda a: (a.review_due or today, a.locale, a.slug),
    )


class PatientView:
    """The pack as patients may see it on one day: overdue articles per the policy.

    Lists come from the catalogue, ordered and limited in SQLite, so a list of 16 words
    costs the same in a pack of 14 articles as in one of 10,000.
    """

    def __init__(self, pack: Pack, catalogue: Catalogue, today: date) -> None:
        self.pack = pack
        self.today = today
        self._catalogue = catalogue
        hide = pack.info.on_review_overdue is OverduePolicy.HIDE
        self._hide_due_before = today if hide else None

    def listing(
        self, locale: str, *, kind: Kind | None = None, initial: str = "", limit: int = -1
    ) -> list[Listed]:
        return self._catalogue.listing(
            locale, kind=kind, initial=initial, limit=limit, hide_due_before=self._hide_due_before
        )

    def initials(self, locale: str) -> set[str]:
        return self._catalogue.initials(locale, hide_due_before=self._hide_due_before)

    def articles(self, locale: str) -> list[Article]:
        """Every article a patient may see in a language, by title (for checks and tools)."""
        found = (self.pack.article(locale, listed.slug) for listed in self.listing(locale))
        return [article for article in found if article is not None]

    def titled(self, locale: str, slugs: list[str]) -> list[tuple[str, str]]:
        """(slug, title) for those of ``slugs`` a patient may see, in their order.

        For search hits: the index ranks, but what a result says comes from the
        catalogue, which was checked before the pack was shown.
        """
        titles = self._catalogue.titles(locale, slugs)
        return [
            (slug, titles[slug])
            for slug in slugs
            if slug in titles
            and (self._hide_due_before is None or self.article(locale, slug) is not None)
        ]

    def article(self, locale: str, slug: str) -> Article | None:
        found = self.pack.article(locale, slug)
        return None if found is None or is_hidden(self.pack, found, self.today) else found

    def flagged(self, article: Article) -> bool:
        return is_flagged(self.pack, article, self.today)
