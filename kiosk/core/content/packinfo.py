"""``pack.toml``: what a content pack is called, its languages and its policies."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.core.content.identifiers import LOCALE_RULE, is_crisis_name, is_locale, pack_id_problem
from kiosk.core.content.limits import LOCALES_MAX, SYNONYM_MEANS_MAX, SYNONYM_WORDS_MAX
from kiosk.core.content.pack import OverduePolicy, PackInfo
from kiosk.core.content.packtexts import check_shown_texts, line_of
from kiosk.core.content.problems import ProblemList
from kiosk.resources import INTERFACE_LOCALES

PACK_FILE = "pack.toml"
_KNOWN = (
    "id",
    "title",
    "version",
    "locales",
    "default_locale",
    "crisis_banner",
    "crisis",
    "readability_limit",
    "on_review_overdue",
    "synonyms",
)
_TOML_LINE = re.compile(r"at line (\d+)")


def read_pack_info(root: Path, problems: ProblemList) -> PackInfo | None:
    """Read and check ``pack.toml``; None (with problems) if it cannot be used."""
    path = root / PACK_FILE
    if not root.is_dir():
        inside = (Path.cwd() / PACK_FILE).is_file()
        hint = (
            "you are inside the content folder already: type . instead of its name"
            if inside
            else "check its name, and run the command in the folder that holds it"
        )
        problems.error(0, f"there is no folder {root}; {hint}")
        return None
    if not path.is_file():
        problems.error(0, f"no {PACK_FILE} here; is this the content folder? (see docs/CONTENT.md)")
        return None
    return parse_pack_info(path.read_bytes(), path, problems)


def parse_pack_info(raw: bytes, path: Path, problems: ProblemList) -> PackInfo | None:
    """Check the bytes of ``pack.toml`` (``path`` names it in problems); an installed
    pack passes the bytes it checked against the signed manifest.

    Problems come in a fixed order: unknown keys, then the required keys' types
    (``_REQUIRED``), then their values (``_VALUE_CHECKS``), then the tables, the
    policies, the tables' locales and markup in any text."""
    data = _load_toml(raw, problems)
    if data is None:
        return None
    reading = _Reading(data, raw, key_lines_of(raw), problems)
    reading.check_unknown_keys()
    fields = _Fields()
    for check in (*_REQUIRED, *_VALUE_CHECKS):
        check(reading, fields)
    banner = _text_table(data, "crisis_banner", reading.lines, problems)
    crisis = _crisis(data, raw, reading.lines, problems)
    synonyms = _synonyms(data, reading.lines, problems)
    limit = _readability_limit(reading)
    policy = _overdue_policy(reading)
    if isinstance(fields.locales, list):
        tables = {"crisis_banner": banner, "synonyms": synonyms, "title": fields.titles}
        _check_table_locales(reading, fields.locales, tables, crisis)
    _check_markup(reading, fields, banner, crisis)
    title = fields.title
    if not reading.ok or banner is None or crisis is None or synonyms is None or title is None:
        return None
    return PackInfo(
        id=fields.pack_id,
        title=title,
        version=fields.version,
        locales=tuple(fields.locales),
        default_locale=fields.default_locale,
        crisis_banner=banner,
        crisis=crisis,
        readability_limit=limit,
        on_review_overdue=policy,
        synonyms=synonyms,
        titles=fields.titles,
    )


def _load_toml(raw: bytes, problems: ProblemList) -> dict[str, Any] | None:
    """The TOML document, or None (reported) if it is not UTF-8 or not TOML."""
    try:
        # Notepad's "UTF-8 with BOM" is still UTF-8; accept it as articles do.
        return tomllib.loads(raw.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.error(line, "file is not UTF-8 text; save it as UTF-8 in your editor")
        return None
    except tomllib.TOMLDecodeError as err:
        found = _TOML_LINE.search(str(err))
        problems.error(
            int(found.group(1)) if found else 0,
            f"not valid TOML ({err}); check quotes, '=' signs and [sections]",
        )
        return None


@dataclass
class _Reading:
    """``pack.toml`` being checked: its values, its bytes, the line of each top-level
    key (0 if unknown), where problems go, and whether a check failed so far."""

    data: dict[str, Any]
    raw: bytes
    lines: dict[str, int]
    problems: ProblemList
    ok: bool = True

    def error(self, key: str, message: str) -> None:
        """An error on the line of ``key``; the pack cannot be used."""
        self.problems.error(self.lines.get(key, 0), message)
        self.ok = False

    def check_unknown_keys(self) -> None:
        for key in self.data:
            if key not in _KNOWN:
                self.error(key, f"unknown key '{key}'; known keys: {', '.join(_KNOWN)}")

    def need(self, key: str, kind: type, example: str) -> Any:
        """The value of a required key, or None (reported) if missing or of another type."""
        value = self.data.get(key)
        if value is None:
            self.problems.error(0, f"missing '{key}'; add e.g. {key} = {example}")
            self.ok = False
        elif not isinstance(value, kind) or isinstance(value, bool):
            self.error(key, f"'{key}' has the wrong type; write e.g. {key} = {example}")
            value = None
        return value


@dataclass
class _Fields:
    """The required keys as read: None where missing or of the wrong type."""

    pack_id: Any = None
    title: str | None = None
    titles: dict[str, str] = field(default_factory=dict)  # [title]: one per locale
    version: Any = None
    locales: Any = None
    default_locale: Any = None


def _need_id(reading: _Reading, fields: _Fields) -> None:
    fields.pack_id = reading.need("id", str, '"clinic-health"')


def _need_title(reading: _Reading, fields: _Fields) -> None:
    if not isinstance(reading.data.get("title"), dict):
        fields.title = reading.need("title", str, '"Health information"')
        return
    # One title per language: [title] en = "Health information", es = "..."
    titles = _text_table(reading.data, "title", reading.lines, reading.problems) or {}
    default = str(reading.data.get("default_locale"))
    fields.titles = titles
    fields.title = titles.get(default, next(iter(titles.values()), None))
    if fields.title is None:
        reading.error("title", '[title] needs a text per locale, e.g. en = "..."')


def _need_version(reading: _Reading, fields: _Fields) -> None:
    fields.version = reading.need("version", int, "1")


def _need_locales(reading: _Reading, fields: _Fields) -> None:
    fields.locales = reading.need("locales", list, '["en", "es"]')


def _need_default_locale(reading: _Reading, fields: _Fields) -> None:
    fields.default_locale = reading.need("default_locale", str, '"en"')


def _check_version(reading: _Reading, fields: _Fields) -> None:
    if isinstance(fields.version, int) and fields.version < 1:
        reading.error("version", "'version' must be a whole number of 1 or more")


def _check_id(reading: _Reading, fields: _Fields) -> None:
    id_problem = pack_id_problem(fields.pack_id) if isinstance(fields.pack_id, str) else None
    if id_problem:
        reading.error("id", f"'id' {id_problem}; e.g. id = \"clinic-health\"")


def _check_locales(reading: _Reading, fields: _Fields) -> None:
    locales = fields.locales
    if not isinstance(locales, list):
        return
    bad = [loc for loc in locales if not is_locale(loc)]
    if bad or not locales:
        reading.error(
            "locales", f'locales must be two-letter codes, e.g. ["en", "es"]: {LOCALE_RULE}'
        )
    elif len(locales) > LOCALES_MAX:
        reading.error(
            "locales",
            f"locales lists {len(locales)} languages; a pack has at most {LOCALES_MAX}: "
            "make a pack for each group of languages",
        )
    elif len(set(locales)) != len(locales):
        twice = sorted({loc for loc in locales if locales.count(loc) > 1})
        reading.error("locales", f"locales lists '{twice[0]}' twice")
    else:
        for locale in (loc for loc in locales if loc not in INTERFACE_LOCALES):
            reading.problems.warning(
                reading.lines.get("locales", 0),
                f"the kiosk has no '{locale}' words for its own buttons and settings "
                f"(it has {', '.join(INTERFACE_LOCALES)}): patients reading '{locale}' "
                "see them in English",
            )
    default_locale = fields.default_locale
    if isinstance(default_locale, str) and default_locale not in locales:
        reading.error(
            "default_locale", f"default_locale '{default_locale}' is not one of locales {locales}"
        )


# The required keys, read in this order (an error for each missing or mistyped one),
# then their values checked in this order. Rules as data: the guide's list of keys is
# tested against _KNOWN.
_REQUIRED = (_need_id, _need_title, _need_version, _need_locales, _need_default_locale)
_VALUE_CHECKS = (_check_version, _check_id, _check_locales)


def _readability_limit(reading: _Reading) -> float:
    """The grade articles should read at (1 to 20); 8, reported, if it is not one."""
    limit = reading.data.get("readability_limit", 8)
    if not isinstance(limit, int | float) or isinstance(limit, bool) or not 1 <= limit <= 20:
        reading.error("readability_limit", "readability_limit must be a grade from 1 to 20, e.g. 8")
        limit = 8
    return float(limit)


def _overdue_policy(reading: _Reading) -> OverduePolicy:
    """What the kiosk does with an article past its review date; "show" if unknown."""
    policy_text = reading.data.get("on_review_overdue", "show")
    try:
        return OverduePolicy(policy_text)
    except ValueError:
        reading.error(
            "on_review_overdue",
            f'on_review_overdue \'{policy_text}\' is unknown; write "show", "flag" or "hide"',
        )
        return OverduePolicy.SHOW


def _check_table_locales(
    reading: _Reading,
    locales: list[Any],
    tables: Mapping[str, Mapping[str, object] | None],
    crisis: dict[str, dict[str, str]] | None,
) -> None:
    """Every per-locale table names only locales the pack lists."""
    for name, table in tables.items():
        for extra in sorted(set(table or {}) - set(locales)):
            reading.error(name, f"[{name}] has '{extra}', which is not in locales {locales}")
    for name, texts in (crisis or {}).items():
        for extra in sorted(set(texts) - set(locales)):
            reading.problems.error(
                line_of(reading.raw, f"crisis.{name}") or reading.lines.get("crisis", 0),
                f"[crisis.{name}] has '{extra}', which is not in locales {locales}",
            )
            reading.ok = False


def _check_markup(
    reading: _Reading,
    fields: _Fields,
    banner: dict[str, str] | None,
    crisis: dict[str, dict[str, str]] | None,
) -> None:
    """Texts patients see are plain text, never turned around (kiosk.core.content.packtexts)."""
    titles = fields.titles
    texts: list[tuple[str, object]]
    texts = [(f"title.{k}", v) for k, v in titles.items()] if titles else [("title", fields.title)]
    texts += [(f"crisis_banner.{k}", v) for k, v in (banner or {}).items()]
    texts += [
        (f"crisis.{name}.{k}", v)
        for name, table in (crisis or {}).items()
        for k, v in table.items()
    ]
    if not check_shown_texts(reading.raw, texts, reading.problems):
        reading.ok = False


def key_lines(path: Path) -> dict[str, int]:
    """Line of each top-level key or [table], for messages (tomllib keeps no positions)."""
    return key_lines_of(path.read_bytes())


def key_lines_of(raw: bytes) -> dict[str, int]:
    """Line of each top-level key or [table] in TOML bytes (pack.toml, kiosk.toml)."""
    lines: dict[str, int] = {}
    text = raw.decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"\s*\[?\s*([A-Za-z_][A-Za-z0-9_-]*)", line)
        if match:
            lines.setdefault(match.group(1), number)
    return lines


def _text_table(
    data: dict[str, Any], key: str, lines: dict[str, int], problems: ProblemList
) -> dict[str, str] | None:
    table = data.get(key, {})
    if not isinstance(table, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in table.items()
    ):
        problems.error(lines.get(key, 0), f'[{key}] must hold one text per locale, e.g. en = "..."')
        return None
    return dict(table)


def _crisis(
    data: dict[str, Any], raw: bytes, lines: dict[str, int], problems: ProblemList
) -> dict[str, dict[str, str]] | None:
    """``[crisis.NAME]`` sections: the crisis messages sensitive articles name, each with
    one text per locale."""
    table = data.get("crisis", {})
    example = '[crisis.mental-health] with one text per locale, e.g. en = "..."'
    if not isinstance(table, dict):
        problems.error(lines.get("crisis", 0), f"'crisis' must be sections like {example}")
        return None
    result: dict[str, dict[str, str]] = {}
    for name, texts in table.items():
        line = line_of(raw, f"crisis.{name}") or lines.get("crisis", 0)
        if not is_crisis_name(name):
            problems.error(
                line,
                f"crisis name '{name}' must be lowercase letters, digits and '-', "
                "e.g. mental-health",
            )
            return None
        if not isinstance(texts, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in texts.items()
        ):
            problems.error(line, f'[crisis.{name}] must hold one text per locale, e.g. en = "..."')
            return None
        result[name] = dict(texts)
    return result


def _synonyms(
    data: dict[str, Any], lines: dict[str, int], problems: ProblemList
) -> dict[str, dict[str, tuple[str, ...]]] | None:
    table = data.get("synonyms", {})
    result: dict[str, dict[str, tuple[str, ...]]] = {}
    if not isinstance(table, dict):
        problems.error(
            lines.get("synonyms", 0), '[synonyms.en] must list words, e.g. narcan = ["naloxone"]'
        )
        return None
    for locale, words in table.items():
        if not isinstance(words, dict) or not all(
            isinstance(v, list) and all(isinstance(s, str) for s in v) for v in words.values()
        ):
            problems.error(
                lines.get("synonyms", 0),
                f'[synonyms.{locale}] must list words, e.g. narcan = ["naloxone"]',
            )
            return None
        several = [k for k in words if len(k.split()) != 1]
        if several:
            problems.error(
                lines.get("synonyms", 0),
                f"synonym '{several[0]}' must be one word; for a phrase, add it to the "
                "article's aliases instead",
            )
            return None
        crowded = [k for k, v in words.items() if len(v) > SYNONYM_MEANS_MAX]
        if len(words) > SYNONYM_WORDS_MAX or crowded:
            problems.error(
                lines.get("synonyms", 0),
                f"[synonyms.{locale}] lists {len(words):,} words; the limit is "
                f"{SYNONYM_WORDS_MAX:,}: keep the words patients really type"
                if not crowded
                else f"synonym '{crowded[0]}' stands for {len(words[crowded[0]]):,} words; "
                f"the limit is {SYNONYM_MEANS_MAX}: list fewer",
            )
            return None
        result[locale] = {k.casefold(): tuple(v) for k, v in words.items()}
    return result
