"""``pack.toml``: what a content pack is called, its languages and its policies."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from kiosk.core.content.identifiers import LOCALE_RULE, is_crisis_name, is_locale, pack_id_problem
from kiosk.core.content.pack import OverduePolicy, PackInfo
from kiosk.core.content.plaintext import find_markup, markup_message
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
    pack passes the bytes it checked against the signed manifest."""
    try:
        # Notepad's "UTF-8 with BOM" is still UTF-8; accept it as articles do.
        data = tomllib.loads(raw.decode("utf-8").removeprefix("\ufeff"))
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
    lines = key_lines_of(raw)
    ok = True
    for key in data:
        if key not in _KNOWN:
            problems.error(
                lines.get(key, 0), f"unknown key '{key}'; known keys: {', '.join(_KNOWN)}"
            )
            ok = False

    def need(key: str, kind: type, example: str) -> Any:
        nonlocal ok
        value = data.get(key)
        if value is None:
            problems.error(0, f"missing '{key}'; add e.g. {key} = {example}")
            ok = False
        elif not isinstance(value, kind) or isinstance(value, bool):
            problems.error(
                lines.get(key, 0), f"'{key}' has the wrong type; write e.g. {key} = {example}"
            )
            ok = False
            value = None
        return value

    pack_id = need("id", str, '"clinic-health"')
    raw_title = data.get("title")
    titles: dict[str, str] = {}
    title: str | None
    if isinstance(raw_title, dict):
        # One title per language: [title] en = "Health information", es = "..."
        titles = _text_table(data, "title", lines, problems) or {}
        title = titles.get(str(data.get("default_locale")), next(iter(titles.values()), None))
        if title is None:
            problems.error(
                lines.get("title", 0), '[title] needs a text per locale, e.g. en = "..."'
            )
            ok = False
    else:
        title = need("title", str, '"Health information"')
    version = need("version", int, "1")
    locales = need("locales", list, '["en", "es"]')
    default_locale = need("default_locale", str, '"en"')
    if isinstance(version, int) and version < 1:
        problems.error(lines.get("version", 0), "'version' must be a whole number of 1 or more")
        ok = False
    id_problem = pack_id_problem(pack_id) if isinstance(pack_id, str) else None
    if id_problem:
        problems.error(lines.get("id", 0), f"'id' {id_problem}; e.g. id = \"clinic-health\"")
        ok = False
    if isinstance(locales, list):
        bad = [loc for loc in locales if not is_locale(loc)]
        if bad or not locales:
            problems.error(
                lines.get("locales", 0),
                f'locales must be two-letter codes, e.g. ["en", "es"]: {LOCALE_RULE}',
            )
            ok = False
        elif len(set(locales)) != len(locales):
            twice = sorted({loc for loc in locales if locales.count(loc) > 1})
            problems.error(lines.get("locales", 0), f"locales lists '{twice[0]}' twice")
            ok = False
        else:
            for locale in (loc for loc in locales if loc not in INTERFACE_LOCALES):
                problems.warning(
                    lines.get("locales", 0),
                    f"the kiosk has no '{locale}' words for its own buttons and settings "
                    f"(it has {', '.join(INTERFACE_LOCALES)}): patients reading '{locale}' "
                    "see them in English",
                )
        if isinstance(default_locale, str) and default_locale not in locales:
            problems.error(
                lines.get("default_locale", 0),
                f"default_locale '{default_locale}' is not one of locales {locales}",
            )
            ok = False
    banner = _text_table(data, "crisis_banner", lines, problems)
    crisis = _crisis(data, raw, lines, problems)
    synonyms = _synonyms(data, lines, problems)
    limit = data.get("readability_limit", 8)
    if not isinstance(limit, int | float) or isinstance(limit, bool) or not 1 <= limit <= 20:
        problems.error(
            lines.get("readability_limit", 0),
            "readability_limit must be a grade from 1 to 20, e.g. 8",
        )
        ok = False
        limit = 8
    policy_text = data.get("on_review_overdue", "show")
    try:
        policy = OverduePolicy(policy_text)
    except ValueError:
        problems.error(
            lines.get("on_review_overdue", 0),
            f'on_review_overdue \'{policy_text}\' is unknown; write "show", "flag" or "hide"',
        )
        ok = False
        policy = OverduePolicy.SHOW
    if isinstance(locales, list):
        for name, table in (("crisis_banner", banner), ("synonyms", synonyms), ("title", titles)):
            for extra in sorted(set(table or {}) - set(locales)):
                problems.error(
                    lines.get(name, 0),
                    f"[{name}] has '{extra}', which is not in locales {locales}",
                )
                ok = False
        for name, table in (crisis or {}).items():
            for extra in sorted(set(table) - set(locales)):
                problems.error(
                    _line_of(raw, f"crisis.{name}") or lines.get("crisis", 0),
                    f"[crisis.{name}] has '{extra}', which is not in locales {locales}",
                )
                ok = False
    texts = [(f"title.{k}", v) for k, v in titles.items()] if titles else [("title", title)]
    texts += [(f"crisis_banner.{k}", v) for k, v in (banner or {}).items()]
    texts += [
        (f"crisis.{name}.{k}", v)
        for name, table in (crisis or {}).items()
        for k, v in table.items()
    ]
    for what, text in texts:
        fragment = find_markup(text) if isinstance(text, str) else None
        if fragment is not None:
            problems.error(_line_of(raw, fragment), markup_message(what, fragment))
            ok = False
    if not ok or banner is None or crisis is None or synonyms is None or title is None:
        return None
    return PackInfo(
        id=pack_id,
        title=title,
        version=version,
        locales=tuple(locales),
        default_locale=default_locale,
        crisis_banner=banner,
        crisis=crisis,
        readability_limit=float(limit),
        on_review_overdue=policy,
        synonyms=synonyms,
        titles=titles,
    )


def _line_of(raw: bytes, fragment: str) -> int:
    """The first line of the file holding ``fragment`` (0 if TOML escapes hid it)."""
    for number, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), 1):
        if fragment in line:
            return number
    return 0


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
        line = _line_of(raw, f"crisis.{name}") or lines.get("crisis", 0)
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
        result[locale] = {k.casefold(): tuple(v) for k, v in words.items()}
    return result
