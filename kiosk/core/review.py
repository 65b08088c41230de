"""What patients see of an article whose review date has passed (pack policy).

``show`` shows it as usual, ``flag`` shows it with a note that it is due for review,
``hide`` keeps it out of every list, search and link until it is reviewed.
"""

from __future__ import annotations

from datetime import date

from kiosk.core.pack import Article, OverduePolicy, Pack


def is_hidden(pack: Pack, article: Article, today: date) -> bool:
    return pack.info.on_review_overdue is OverduePolicy.HIDE and article.is_overdue(today)


def is_flagged(pack: Pack, article: Article, today: date) -> bool:
    return pack.info.on_review_overdue is OverduePolicy.FLAG and article.is_overdue(today)


def visible_articles(pack: Pack, locale: str, today: date) -> list[Article]:
    """The articles a patient may see in a language, sorted by title."""
    return [a for a in pack.articles_in(locale) if not is_hidden(pack, a, today)]


def overdue(pack: Pack, today: date) -> list[Article]:
    """Every article past its review date, in every language, for staff."""
    return sorted(
        (a for by_slug in pack.articles.values() for a in by_slug.values() if a.is_overdue(today)),
        key=lambda a: (a.review_due or today, a.locale, a.slug),
    )


class PatientView:
    """The pack as patients may see it on one day: overdue articles per the policy."""

    def __init__(self, pack: Pack, today: date) -> None:
        self.pack = pack
        self.today = today

    def articles(self, locale: str) -> list[Article]:
        return visible_articles(self.pack, locale, self.today)

    def article(self, locale: str, slug: str) -> Article | None:
        found = self.pack.article(locale, slug)
        return None if found is None or is_hidden(self.pack, found, self.today) else found

    def flagged(self, article: Article) -> bool:
        return is_flagged(self.pack, article, self.today)
