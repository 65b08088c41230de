"""An article's front matter, checked key by key with the line of each key.

The YAML is read by kiosk.core.content.frontmatter_yaml (a strict loader: plain values
are text, anchors, aliases and tags refused). Dates are text there and parsed here, so
an impossible date like 2026-02-30 becomes a clear message with a line number.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kiosk.core.content.frontmatter_yaml import load_yaml
from kiosk.core.content.identifiers import https_address_problem, is_crisis_name
from kiosk.core.content.invisible import char_name, check_bidi, check_controls
from kiosk.core.content.limits import ALIASES_MAX as ALIASES_MAX
from kiosk.core.content.limits import LENGTH_LIMITS as LENGTH_LIMITS
from kiosk.core.content.limits import LINE_BREAKS, RELATED_MAX, SOURCES_MAX
from kiosk.core.content.limits import URGENT_MAX_CHARS as URGENT_MAX_CHARS
from kiosk.core.content.linebreaks import LONGEST_WORD_CHARS, long_run_message, longest_run
from kiosk.core.content.pack import SLUG_PATTERN, Kind
from kiosk.core.content.plaintext import find_markup, markup_message
from kiosk.core.content.problems import ProblemList
from kiosk.core.content.takehome import qr_problem

KNOWN_KEYS = (
    "title",
    "summary",
    "kind",
    "aliases",
    "related",
    "sensitive",
    "reviewed",
    "review_due",
    "sources",
    "url",
    "urgent",
    "crisis",
    "translated_from",
)
# The studio's own notes, which the kiosk ignores: translated_from is the version of the
# source a translation was checked against (kiosk.core.studio.translations.content_hash).
STUDIO_KEYS = ("translated_from",)
SOURCE_VERSION = re.compile(r"[0-9a-f]{12}")
# The limits (lengths, counts), with why each value: kiosk.core.content.limits.
# Texts patients see or hear (a title's hidden characters: kiosk.core.content.titles).
SHOWN_KEYS = ("summary", "urgent", "aliases", "sources")
# The texts shown on one line each (a button, a tile, a list entry): no line break.
ONE_LINE_KEYS = ("title", "summary", "urgent", "aliases", "sources")
# How to shorten each list that has a limit on its entries (kiosk.core.content.limits).
COUNT_LIMITS = {
    "aliases": (ALIASES_MAX, "keep the names patients really type and remove the rest"),
    "sources": (SOURCES_MAX, "keep the main ones; the rest belong in your own notes"),
    "related": (RELATED_MAX, "they show as buttons under the last card: keep the closest"),
}


@dataclass
class FrontMatter:
    title: str = ""
    summary: str = ""
    kind: Kind | None = None
    kind_line: int = 0
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    related_lines: dict[str, int] = field(default_factory=dict)
    sensitive: bool = False
    sensitive_line: int = 0
    reviewed: date | None = None
    review_due: date | None = None
    review_due_line: int = 0
    sources: tuple[str, ...] = ()
    url: str | None = None
    urgent: str = ""
    crisis: str = ""
    crisis_line: int = 0
    translated_from: str = ""


def read_front_matter(text: str, first_line: int, problems: ProblemList) -> FrontMatter:
    """Check front matter that starts on file line ``first_line``; never raises."""
    loaded = load_yaml(text, first_line, problems)
    fm = FrontMatter()
    if loaded is None:
        return fm
    data, lines, item_lines = loaded.data, loaded.lines, loaded.item_lines
    checker = _Checker(data, lines, item_lines, first_line, problems)
    for key in data:
        if key not in KNOWN_KEYS:
            checker.unknown(key)
    fm.title = checker.short(checker.text("title", required=True), "title")
    fm.summary = checker.short(checker.text("summary", required=False), "summary")
    if not fm.summary and "summary" not in data:
        problems.warning(first_line, "no summary: add 'summary:' with one or two plain sentences")
    fm.kind = checker.kind()
    fm.kind_line = lines.get("kind", first_line)
    fm.aliases = checker.short_list(checker.counted("aliases"), "aliases")
    fm.related_lines = _related_lines(
        checker.counted("related"),
        item_lines.get("related", []),
        lines.get("related", first_line),
        problems,
    )
    fm.related = tuple(fm.related_lines)
    fm.sensitive = checker.flag("sensitive")
    fm.sensitive_line = lines.get("sensitive", first_line)
    fm.reviewed = checker.day("reviewed")
    fm.review_due = checker.day("review_due")
    fm.review_due_line = lines.get("review_due", first_line)
    if fm.reviewed and fm.review_due and fm.review_due < fm.reviewed:
        problems.error(fm.review_due_line, "review_due is before reviewed; check both dates")
    fm.sources = checker.short_list(checker.counted("sources"), "sources")
    fm.url = checker.url("url")
    fm.urgent = urgent = checker.text("urgent", required=False)
    if len(urgent) > URGENT_MAX_CHARS:
        fm.urgent = ""
        problems.error(
            lines.get("urgent", first_line),
            f"'urgent' is {len(urgent)} characters; keep it to one or two short "
            f"sentences (at most {URGENT_MAX_CHARS}), such as 'Call 911 now if you have "
            "chest pain.' The rest belongs in the article",
        )
    for key in ("title", "summary", "urgent"):  # shown on cards, tiles and buttons
        checker.long_run(key, getattr(fm, key))
    fm.crisis = checker.text("crisis", required=False)
    fm.crisis_line = lines.get("crisis", first_line)
    if fm.crisis and not is_crisis_name(fm.crisis):
        problems.error(
            fm.crisis_line,
            f"crisis '{fm.crisis}' is not a name; write one of the [crisis.NAME] sections "
            "of pack.toml, e.g. crisis: mental-health",
        )
        fm.crisis = ""
    fm.translated_from = checker.source_version("translated_from")
    return fm


class _Checker:
    """Type checks with messages that say what was found and what is expected."""

    def __init__(
        self,
        data: dict[str, Any],
        lines: dict[str, int],
        item_lines: dict[str, list[int]],
        first_line: int,
        problems: ProblemList,
    ) -> None:
        self._data, self._lines, self._item_lines = data, lines, item_lines
        self._first, self._problems = first_line, problems

    def _line(self, key: str) -> int:
        return self._lines.get(key, self._first)

    def unknown(self, key: str) -> None:
        close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(KNOWN_KEYS)
        self._problems.error(self._line(key), f"unknown key '{key}'; {hint}")

    def text(self, key: str, *, required: bool) -> str:
        value = self._data.get(key)
        if value is None:
            if key in self._data:
                self._problems.error(
                    self._line(key),
                    f"'{key}:' is empty (YAML reads ~ and null as nothing too); write the "
                    f"{key} after the colon, in quotes if it really is ~ or null",
                )
            elif required:
                self._problems.error(self._first, f"missing '{key}:'; every article needs one")
            return ""
        if isinstance(value, str) and not value.strip():
            self._problems.error(self._line(key), f"'{key}' is empty; write the {key}")
            return ""
        if not isinstance(value, str):
            self._problems.error(
                self._line(key),
                f"'{key}' must be text, not {_describe(value)}; if you mean those words, "
                f'put them in quotes: {key}: "{_as_written(value)}"',
            )
            return ""
        self._plain(key, value, self._line(key))
        return value.strip()

    def short(self, value: str, key: str) -> str:
        """``value`` if it is within ``LENGTH_LIMITS[key]`` characters; else "" and an
        error at the key's line."""
        limit = LENGTH_LIMITS[key]
        if len(value) <= limit:
            return value
        self._problems.error(
            self._line(key),
            f"'{key}' is {len(value):,} characters; keep it to {limit} at most "
            f"('{value[:30]}...'): it shows on buttons and cards in large text",
        )
        return ""

    def counted(self, key: str) -> tuple[str, ...]:
        """The list ``key`` (text_list) if it has at most ``COUNT_LIMITS[key]`` entries;
        else () and an error at the key's line."""
        values = self.text_list(key)
        limit, fix = COUNT_LIMITS[key]
        if len(values) <= limit:
            return values
        self._problems.error(
            self._line(key), f"'{key}' has {len(values):,} entries; at most {limit}; {fix}"
        )
        return ()

    def short_list(self, values: tuple[str, ...], key: str) -> tuple[str, ...]:
        at = self._item_lines.get(key, [])
        limit = LENGTH_LIMITS[key]
        for number, value in enumerate(values):
            if len(value) > limit:
                self._problems.error(
                    at[number] if number < len(at) else self._line(key),
                    f"'{key}' entry {number + 1} is {len(value):,} characters; keep each "
                    f"to {limit} at most ('{value[:30]}...')",
                )
                return ()
        return values

    def _plain(self, key: str, value: str, line: int) -> None:
        # Patients see pack text as typed; markup would show as tags (see plaintext).
        fragment = find_markup(value)
        if fragment is not None:
            self._problems.error(line, markup_message(f"'{key}'", fragment))
        if key in SHOWN_KEYS:
            check_bidi(f"'{key}'", value, line, self._problems)
            # Line breaks get check_one_line's message (or are a text's own).
            check_controls(f"'{key}'", value, line, self._problems, allowed=LINE_BREAKS + "\t")
        if key in ONE_LINE_KEYS:
            check_one_line(f"'{key}'", value.strip(), line, self._problems)

    def long_run(self, key: str, value: str) -> None:
        """A warning for a run of text in ``value`` that no line can break."""
        run = longest_run(value)
        if len(run) > LONGEST_WORD_CHARS:
            self._problems.warning(
                self._line(key), long_run_message(f"'{key}'", run) + ". Add spaces"
            )

    def kind(self) -> Kind | None:
        value = self._data.get("kind")
        if value is None:
            line = self._line("kind") if "kind" in self._data else self._first
            self._problems.error(line, "missing 'kind:'; write 'kind: topic' or 'kind: term'")
            return None
        try:
            return Kind(str(value))
        except ValueError:
            self._problems.error(
                self._line("kind"), f"kind '{value}' is unknown; write 'topic' or 'term'"
            )
            return None

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self._data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            if ", " in value:  # "aliases: GERD, acid reflux" is one alias to YAML
                self._problems.warning(
                    self._line(key),
                    f"'{key}' is one text, '{value[:40]}'; for several, write a list in "
                    f"brackets: {key}: [{value[:40]}]",
                )
            value = [value]
        if not isinstance(value, list):
            self._problems.error(
                self._line(key),
                f"'{key}' must be a list of text like [one, two], not {_describe(value)}",
            )
            return ()
        at = self._item_lines.get(key, [])
        for number, item in enumerate(value):
            line = at[number] if number < len(at) else self._line(key)
            if not isinstance(item, str):
                self._problems.error(
                    line,
                    f"'{key}' entry {number + 1} is {_describe(item)}; write plain text, "
                    "in quotes if it is true, false, ~ or null",
                )
                return ()
            self._plain(key, item, line)
        return tuple(v.strip() for v in value if v.strip())

    def flag(self, key: str) -> bool:
        value = self._data.get(key, False)
        if not isinstance(value, bool):
            self._problems.error(
                self._line(key), f"'{key}' must be true or false, not {_describe(value)}"
            )
            return False
        return value

    def day(self, key: str) -> date | None:
        value = self._data.get(key)
        if value is None:
            return None
        try:
            written = str(value).strip()
            # Python 3.11 also takes 20270131 and 2027-W05-1; the guide says YYYY-MM-DD.
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", written):
                raise ValueError(written)
            return date.fromisoformat(written)
        except ValueError:
            self._problems.error(
                self._line(key),
                f"'{key}: {value}' is not a real date; write it as YYYY-MM-DD, e.g. 2027-01-31",
            )
            return None

    def source_version(self, key: str) -> str:
        value = self._data.get(key, "")
        if isinstance(value, str) and (not value or SOURCE_VERSION.fullmatch(value)):
            return value
        self._problems.error(
            self._line(key),
            f"'{key}: {_as_written(value)}' is not a version the studio wrote (12 of 0-9 "
            "and a-f); delete this line, then mark the translation as checked in the studio",
        )
        return ""

    def url(self, key: str) -> str | None:
        """The take-home address: a well-formed https address that fits in the QR code
        patients scan."""
        value = self._data.get(key)
        if value is None:
            return None
        problem = https_address_problem(value)
        if problem is None and isinstance(value, str):
            problem = qr_problem(value.strip())
            if problem is None:
                return value.strip()
        self._problems.error(self._line(key), f"'{key}' {problem}")
        return None


def _related_lines(
    slugs: tuple[str, ...], at: list[int], key_line: int, problems: ProblemList
) -> dict[str, int]:
    """Each related slug once (a repeat is an error: a second button), with its line
    (``at``: each entry's; else ``key_line``); an error for an entry that is not a slug."""
    lines: dict[str, int] = {}
    for number, slug in enumerate(slugs):
        line = at[number] if number < len(at) else key_line
        if slug in lines:
            problems.error(
                line,
                f"related entry '{slug}' is listed again (first on line {lines[slug]}); "
                "list each article once; remove this one",
            )
        lines.setdefault(slug, line)
    for slug, line in lines.items():
        if not SLUG_PATTERN.match(slug):
            problems.error(
                line,
                f"related entry '{slug}' is not a slug; use the file name without .md, "
                "e.g. heart-attack",
            )
    return lines


def check_one_line(what: str, text: str, line: int, problems: ProblemList) -> bool:
    """An error if ``text``, shown on one line, holds a line break (LINE_BREAKS: a line
    end, U+2028 LINE SEPARATOR...); False if it does."""
    found = next((c for c in text if c in LINE_BREAKS), None)
    if found is None:
        return True
    problems.error(
        line,
        f"{what} breaks onto a new line at {char_name(found)}; it must be one line; "
        "delete that character, or type the text again on one line",
    )
    return False


def _as_written(value: object) -> str:
    return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (true/false)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of keys"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"'{value}'"
