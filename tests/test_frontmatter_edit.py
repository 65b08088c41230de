"""Changing one field of an article's front matter changes only that field's lines
(kiosk.core.content.frontmatter_edit, the content studio's way to save a form).

Over every bundled article and every fixture article whose front matter parses: set to
the value it has, the file is byte for byte the same; set to a new value (generated,
with every character YAML treats specially), the kiosk's own reader reads exactly that
value back, every other key as before, the Markdown untouched, and the only lines that
differ are that key's.
"""

from __future__ import annotations

import difflib
import re
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core.content.frontmatter import KNOWN_KEYS
from kiosk.core.content.frontmatter_edit import FieldValue, FrontMatterEditError, set_field
from kiosk.core.content.frontmatter_yaml import load_yaml
from kiosk.core.content.problems import Problem, ProblemList

REPO = Path(__file__).resolve().parents[1]
_FRONT = re.compile(r"\A(\ufeff?---[ \t]*\r?\n)(.*?)(^---[ \t]*(?:\r?\n|\Z))", re.S | re.M)


def _front(text: str) -> dict[str, Any] | None:
    """The front matter as the kiosk's validator reads it (None: it does not parse)."""
    found = _FRONT.match(text)
    if found is None:
        return None
    loaded = load_yaml(found.group(2), 2, ProblemList([], "article.md"))
    return None if loaded is None else loaded.data


def _body(text: str) -> str:
    found = _FRONT.match(text)
    assert found is not None
    return text[found.end() :]


def _parses(path: Path) -> bool:
    """Front matter the validator reads, and the editor too (not a key twice)."""
    try:
        text = path.read_text(encoding="utf-8")
        set_field(text, "title", "x")
    except (UnicodeDecodeError, FrontMatterEditError):  # not UTF-8 on purpose; a key twice
        return False
    return _front(text) is not None


def _articles() -> list[Path]:
    bundled = sorted((REPO / "content").glob("*/*/*.md"))
    fixtures = sorted((REPO / "tests" / "fixtures").rglob("*.md"))
    return [p for p in bundled + fixtures if _parses(p)]


ARTICLES = _articles()


def _as_field(value: Any) -> FieldValue:
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    assert isinstance(value, str | bool)
    return value


def test_the_articles_include_the_bundled_ones_and_fixtures() -> None:
    assert sum(1 for p in ARTICLES if "fixtures" in p.parts) >= 40
    assert sum(1 for p in ARTICLES if "fixtures" not in p.parts) >= 28


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: str(p.relative_to(REPO)))
def test_setting_every_field_to_what_it_is_changes_no_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    data = _front(text)
    assert data is not None
    for key, value in data.items():
        if key in KNOWN_KEYS and isinstance(value, str | bool | list):
            assert set_field(text, key, _as_field(value)) == text, key


# Text as staff type it, with what YAML reads specially: quotes, colons, hashes,
# brackets, commas, dashes and spaces at either end, accents, emoji.
_TEXT = st.text(
    alphabet=st.sampled_from(
        [
            *"ab yZé0:#-[]{},'\"!&*?|>%@`\\ñ¿¡😀",
            *("\t", "\x7f", "\x85", "\u2028", "\xa0", "\ud800"),
        ]
    ),
    min_size=0,
    max_size=40,
)
_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "title": _TEXT,
    "summary": _TEXT,
    "urgent": _TEXT,
    "url": _TEXT,
    "crisis": _TEXT,
    "kind": st.sampled_from(["topic", "term"]),
    "sensitive": st.booleans(),
    "reviewed": st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    "review_due": st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    "aliases": st.lists(_TEXT, min_size=0, max_size=5).map(tuple),
    "related": st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True), max_size=4).map(
        tuple
    ),
    "sources": st.lists(_TEXT, min_size=1, max_size=3).map(tuple),
}


def _read_back(value: FieldValue) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from(ARTICLES),
    key=st.sampled_from(sorted(_VALUES)),
    data=st.data(),
)
def test_a_changed_field_changes_only_its_own_lines(path: Path, key: str, data: Any) -> None:
    text = path.read_text(encoding="utf-8")
    value: FieldValue = data.draw(_VALUES[key])
    before = _front(text)
    assert before is not None
    try:
        changed = set_field(text, key, value)
    except FrontMatterEditError:
        # Refused only what no YAML file can hold: a lone surrogate (not a character).
        texts = value if isinstance(value, tuple) else (value,)
        assert any(isinstance(t, str) and "\ud800" in t for t in texts), value
        return
    after = _front(changed)
    assert after is not None, changed
    assert after[key] == _read_back(value)
    assert {k: v for k, v in after.items() if k != key} == {
        k: v for k, v in before.items() if k != key
    }
    assert _body(changed) == _body(text)
    old_lines, new_lines = text.splitlines(keepends=True), changed.splitlines(keepends=True)
    removed = [
        line
        for line in difflib.ndiff(old_lines, new_lines)
        if line.startswith("- ") and not line[2:].lstrip().startswith(("#", "-"))
    ]
    assert all(line[2:].startswith(f"{key}:") for line in removed), removed
    added = [line for line in difflib.ndiff(old_lines, new_lines) if line.startswith("+ ")]
    if changed != text:  # else it was that value already
        assert len(added) == 1 and added[0][2:].startswith(f"{key}: "), added


@pytest.mark.parametrize("path", ARTICLES[:40], ids=lambda p: str(p.relative_to(REPO)))
def test_a_removed_field_leaves_the_others(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    before = _front(text)
    assert before is not None
    for key in [k for k in before if k in KNOWN_KEYS and k != "title"]:
        after = _front(set_field(text, key, None))
        assert after is not None
        assert after == {k: v for k, v in before.items() if k != key}


def test_an_empty_value_is_filled_in_its_place() -> None:
    """'summary:' with nothing after it (YAML's null) takes a value on its own line."""
    text = "---\ntitle: Heat\nsummary:\nkind: topic\n---\nText.\n"
    assert set_field(text, "summary", "Too hot.") == (
        "---\ntitle: Heat\nsummary: Too hot.\nkind: topic\n---\nText.\n"
    )


def test_a_new_key_goes_where_the_usual_order_puts_it() -> None:
    text = "---\ntitle: Heat stroke\nkind: topic\nreviewed: 2026-01-02\n---\nText.\n"
    changed = set_field(text, "summary", "Too hot for too long.")
    assert changed.splitlines()[1:4] == [
        "title: Heat stroke",
        "summary: Too hot for too long.",
        "kind: topic",
    ]


def test_windows_line_endings_a_byte_order_mark_and_comments_are_kept() -> None:
    text = "\ufeff---\r\ntitle: Old  # staff: check\r\nkind: term\r\n---\r\nText.\r\n"
    changed = set_field(text, "title", "New")
    # Quoted now: the comment stays, and the validator no longer cuts the title at ' #'.
    assert changed == '\ufeff---\r\ntitle: "New"  # staff: check\r\nkind: term\r\n---\r\nText.\r\n'
    added = set_field(text, "sensitive", True)
    assert added.endswith("kind: term\r\nsensitive: true\r\n---\r\nText.\r\n")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("title: x\n", "does not start with a '---' line"),
        ("---\ntitle: x\n", "no closing '---' line"),
        ("---\ntitle: [x\n---\n", "not valid YAML"),
        ("---\n- a\n- b\n---\n", "not 'key: value' lines"),
    ],
)
def test_front_matter_that_cannot_be_edited_is_said_in_one_line(text: str, says: str) -> None:
    with pytest.raises(FrontMatterEditError, match=re.escape(says)) as err:
        set_field(text, "title", "New")
    assert "\n" not in str(err.value)


def test_a_key_written_twice_is_refused_with_its_lines() -> None:
    """The validator reads the second; a form cannot tell which one staff meant."""
    fixture = REPO / "tests/fixtures/bad-packs/front-matter-duplicate-key/en/terms/heart-rate.md"
    with pytest.raises(FrontMatterEditError, match=r"'summary' is written twice \(lines 3 and 5\)"):
        set_field(fixture.read_text(encoding="utf-8"), "title", "Pulse")


def test_only_front_matter_keys_can_be_set() -> None:
    with pytest.raises(FrontMatterEditError, match="'colour' is not a front matter key"):
        set_field("---\ntitle: x\n---\n", "colour", "red")


@pytest.mark.parametrize(
    "front",
    [
        "related: &a [*a]",  # an alias of itself
        "l0: &l0 [x]\nl1: &l1 [*l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0]\n"
        + "\n".join(
            f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(2, 10)
        ),  # a billion laughs
        "sensitive: !!bool true",  # a tag
    ],
)
def test_anchors_aliases_and_tags_are_refused_at_once(front: str) -> None:
    """As the validator refuses them; comparing what they expand to took seconds."""
    text = f"---\ntitle: A\nkind: topic\n{front}\n---\nText.\n"
    started = time.perf_counter()
    with pytest.raises(FrontMatterEditError, match="refuses"):
        set_field(text, "title", "B")
    assert time.perf_counter() - started < 0.5


def test_a_quoted_value_with_a_comment_stays_one_the_validator_reads_whole() -> None:
    text = '---\ntitle: "Foo" # staff: check\nkind: topic\n---\nText.\n'
    changed = set_field(text, "title", "Bar")
    assert changed.splitlines()[1] == 'title: "Bar" # staff: check'
    problems: list[Problem] = []
    front = changed.split("---\n")[1]
    loaded = load_yaml(front, 2, ProblemList(problems, "a.md"))
    assert loaded is not None and loaded.data["title"] == "Bar" and problems == []
