"""Checks across the articles of a pack, once every file is read: related entries and
links point at articles that exist, sensitive articles name crisis help the pack has,
every article is in every language, and review dates and reading grades.

Titles that look alike are kiosk.core.content.titles's.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from kiosk.core.content.article_file import ArticleDraft
from kiosk.core.content.pack import SLUG_PATTERN, PackInfo, Section
from kiosk.core.content.packinfo import PACK_FILE
from kiosk.core.content.problems import Problem, ProblemList
from kiosk.core.content.readability import grade as reading_grade

# The articles of one language, by slug.
Drafts = dict[str, ArticleDraft]


def check_references(by_slug: Drafts, present: set[str]) -> None:
    """Each related entry and link names an article of this language (``present``: the
    slug of every .md file, even one that failed)."""
    # A link to a file that exists but has its own error is not reported again.
    for draft in by_slug.values():
        for slug, line in draft.front.related_lines.items():
            if slug not in present and SLUG_PATTERN.match(slug):
                draft.problems.error(line, f"related entry '{slug}' {_missing(slug, by_slug)}")
        for ref in draft.rendered.links:
            if ref.slug not in present:
                draft.problems.error(
                    ref.line, f"link to '{ref.slug}' {_missing(ref.slug, by_slug)}"
                )


def _missing(slug: str, by_slug: Drafts) -> str:
    close = difflib.get_close_matches(slug, list(by_slug), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"points at an article that does not exist in this language{hint}"


def check_crisis(
    info: PackInfo, locale: str, by_slug: Drafts, root: Path, sink: list[Problem]
) -> None:
    """Each sensitive article names a crisis message the pack has in its language (or,
    in a pack with no named messages, the one crisis_banner serves them all)."""
    names = sorted(info.crisis)
    for draft in by_slug.values():
        article, front = draft.article, draft.front
        if article.crisis and not article.sensitive:
            draft.problems.warning(
                front.crisis_line,
                "'crisis' shows only on a sensitive article; add 'sensitive: true' "
                "or remove 'crisis:'",
            )
        if article.crisis and article.crisis not in info.crisis:
            close = difflib.get_close_matches(article.crisis, names, n=1)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else f"add a [crisis.{article.crisis}] section to pack.toml"
            )
            known = f" (pack.toml has: {', '.join(names)})" if names else ""
            draft.problems.error(
                front.crisis_line,
                f"crisis '{article.crisis}' is not in pack.toml; {hint}{known}",
            )
        elif article.crisis and locale not in info.crisis[article.crisis]:
            draft.problems.error(
                front.crisis_line,
                f"[crisis.{article.crisis}] in pack.toml has no '{locale}' text; "
                f'add {locale} = "..." under it',
            )
        elif article.sensitive and not article.crisis and info.crisis:
            draft.problems.error(
                front.sensitive_line,
                "a sensitive article must say which crisis help it shows; add 'crisis:' "
                f"with one of: {', '.join(names)}",
            )
    legacy = [d for d in by_slug.values() if d.article.sensitive and not d.article.crisis]
    if legacy and not info.crisis and locale not in info.crisis_banner:
        ProblemList(sink, str(root / PACK_FILE)).warning(
            0,
            f"sensitive articles in '{locale}' but no crisis_banner.{locale}; "
            "patients will see no crisis help text",
        )


def check_coverage(drafts: dict[str, Drafts]) -> None:
    """A warning on each article for each language it is missing from."""
    everywhere = set().union(*(set(d) for d in drafts.values())) if drafts else set()
    for locale, by_slug in drafts.items():
        for slug in sorted(everywhere - set(by_slug)):
            elsewhere = next(d for d in drafts.values() if slug in d)[slug]
            elsewhere.problems.warning(
                0,
                f"no '{locale}' version of this article; "
                f"patients reading in '{locale}' won't see it",
            )


def check_quality(info: PackInfo, drafts: dict[str, Drafts], today: date) -> None:
    """Warnings for a review date passed and for a reading grade above the pack's limit;
    each article is given its grade where its language has a formula."""
    for locale, by_slug in drafts.items():
        for slug, draft in by_slug.items():
            article = draft.article
            if article.review_due and article.review_due < today:
                draft.problems.warning(
                    draft.front.review_due_line,
                    f"review_due {article.review_due} has passed; review the article and "
                    "update reviewed and review_due",
                )
            if not article.sections:
                continue
            grade = reading_grade(graded_text(article.sections), locale)
            if grade is None:
                continue  # no readability formula for this language
            by_slug[slug].article = replace(article, grade=round(grade, 1))
            if grade > info.readability_limit:
                draft.problems.warning(
                    draft.rendered.body_start_line,
                    f"reading grade {grade:.1f} is above the pack's limit of "
                    f"{info.readability_limit:g}; use shorter sentences and everyday words",
                )


def graded_text(sections: Sequence[Section]) -> str:
    """The text a reading grade is measured on: the cards' words without their headings
    (headings are not sentences; counting them would flatter the grade)."""
    return "\n\n".join(s.text.removeprefix(s.title).strip() for s in sections)
