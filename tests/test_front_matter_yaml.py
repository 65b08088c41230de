"""Front matter means exactly what was written (issue 13, item 1).

YAML 1.1, which PyYAML implements, turns plain values into numbers, booleans, nulls and
dates before the kiosk sees them: ``aliases: [24:7, 010]`` became ``1447, 8``. Every text
field must keep the text as written, or validate must report an error at the value's
line that says to quote it. Anchors, aliases and tags are refused at their line.
"""

from __future__ import annotations

import time

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.content.frontmatter import FrontMatter, read_front_matter
from kiosk.core.content.problems import Problem, ProblemList, Severity

FIRST_LINE = 2  # the front matter starts on the line after the opening ---

# Every implicit type of YAML 1.1 (https://yaml.org/type/): ints in each base and with
# underscores, sexagesimal ints and floats, floats, infinities, booleans, nulls' look-
# alikes that are text, dates and timestamps. Each must come back exactly as written.
IMPLICIT = [
    "24:7", "1:1", "190:20:30", "1:30.5", "010", "0123", "000", "0x1F", "0o17", "0b101",
    "1_000", "+12", "-7", "2.50", "1e3", "6.8523015e+5", ".5", ".inf", "-.Inf", ".NaN",
    "yes", "no", "Yes", "NO", "on", "off", "On", "OFF", "y", "n", "Y", "N",
    "2026-01-02", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5",
    "2002-12-14",
]  # fmt: skip


def read(front: str) -> tuple[FrontMatter, list[Problem]]:
    sink: list[Problem] = []
    fm = read_front_matter(front, FIRST_LINE, ProblemList(sink, "a.md"))
    return fm, sink


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


BASE = "kind: topic\nsummary: Short.\n"


@pytest.mark.parametrize("written", IMPLICIT)
def test_plain_values_stay_as_written_in_every_text_field(written: str) -> None:
    fm, problems = read(
        f"title: {written}\n{BASE}aliases: [{written}, A {written}]\n"
        f"urgent: {written}\nsources:\n  - {written}\n"
    )
    assert errors(problems) == []
    assert fm.title == written
    assert fm.aliases == (written, f"A {written}")
    assert fm.urgent == written
    assert fm.sources == (written,)


def test_a_related_number_names_the_article_written() -> None:
    fm, problems = read(f"title: T\n{BASE}related: [0123, 24-7, 1e3]\n")
    assert errors(problems) == []
    assert fm.related == ("0123", "24-7", "1e3")


@pytest.mark.parametrize("written", ["true", "False", "~", "null", "NULL", ""])
def test_typed_words_in_a_text_field_are_errors_that_say_to_quote(written: str) -> None:
    fm, problems = read(f"{BASE}title: {written}\n")
    [error] = errors(problems)
    assert error.line == FIRST_LINE + 2
    assert "quotes" in error.message
    assert fm.title == ""
    fm, problems = read(f'{BASE}title: "{written or "x"}"\n')
    assert errors(problems) == []
    assert fm.title == (written or "x")


@pytest.mark.parametrize("written", ['""', "''", '"   "'])
def test_an_empty_text_in_quotes_is_said_to_be_empty_not_to_need_quotes(written: str) -> None:
    """A title emptied in the studio's form is written "" (it once got the advice to
    'put it in quotes: title: ""', which it was)."""
    fm, problems = read(f"{BASE}title: {written}\n")
    [error] = errors(problems)
    assert (error.line, error.message) == (FIRST_LINE + 2, "'title' is empty; write the title")
    assert fm.title == ""


@pytest.mark.parametrize("written", ["true", "~", "null"])
def test_typed_words_in_a_list_are_errors_at_their_line(written: str) -> None:
    _, problems = read(f"title: T\n{BASE}aliases:\n  - fine\n  - {written}\n")
    [error] = errors(problems)
    assert error.line == FIRST_LINE + 5
    assert "entry 2" in error.message and "quotes" in error.message


@pytest.mark.parametrize("written", ["yes", "no", "on", "off", "1", "True ", "y"])
def test_a_flag_is_true_or_false_and_nothing_else(written: str) -> None:
    fm, problems = read(f"title: T\n{BASE}sensitive: {written}\n")
    if written.strip() == "True":
        assert errors(problems) == [] and fm.sensitive is True
        return
    [error] = errors(problems)
    assert error.line == FIRST_LINE + 3
    assert "true or false" in error.message
    assert fm.sensitive is False


@pytest.mark.parametrize(
    ("front", "line", "what"),
    [
        ("title: &t Heart\nkind: topic\n", 0, "&t"),
        ("title: T\nkind: &k topic\nsummary: *k\n", 1, "&k"),
        ("title: !!python/object:os.system x\nkind: topic\n", 0, "!!python"),
        ("title: !!str T\nkind: topic\n", 0, "!!str"),
        ("title: T\nkind: topic\naliases: !custom [a]\n", 2, "!custom"),
        ("title: T\nkind: topic\naliases:\n  - ! a\n", 3, "'!'"),
    ],
)
def test_anchors_aliases_and_tags_are_refused_at_their_line(
    front: str, line: int, what: str
) -> None:
    _, problems = read(front)
    [error] = errors(problems)
    assert error.line == FIRST_LINE + line
    assert what in error.message
    assert "not allowed" in error.message


def test_a_billion_laughs_is_one_error_not_a_memory_error() -> None:
    # Nine levels of nine aliases: 387 million strings if expanded.
    lines = ['a0: &a0 "lol"']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    front = "title: T\n" + "\n".join(lines) + "\nkind: *a9\n"
    started = time.perf_counter()
    _, problems = read(front)
    took = time.perf_counter() - started
    [error] = errors(problems)
    assert error.line == FIRST_LINE + 1
    assert "anchor" in error.message
    assert took < 1, f"took {took:.1f} s"


# The words patients' packs hold, and every character YAML gives a meaning to at the
# start or inside a plain value.
_PLAIN = st.text(
    alphabet=st.sampled_from(list("0123456789:._-+eExXoObBtrufalsyYnNO ~aéñ")),
    min_size=1,
    max_size=12,
)


@settings(max_examples=400, deadline=None)
@given(_PLAIN)
def test_any_plain_title_is_the_text_written_or_an_error_at_its_line(written: str) -> None:
    """YAML's BaseLoader reads every scalar as the text written; the front matter must
    agree with it, or say at the title's line what to do."""
    front = f"title: {written}\n{BASE}"
    try:
        as_text = yaml.load(front, Loader=yaml.BaseLoader)["title"]
    except yaml.YAMLError:
        as_text = None
    fm, problems = read(front)
    title_errors = [p for p in errors(problems) if p.line == FIRST_LINE]
    if title_errors:
        assert fm.title == ""
        assert all("quote" in p.message or "YAML" in p.message for p in title_errors)
    else:
        assert as_text is not None
        assert fm.title == as_text.strip()


@pytest.mark.parametrize(
    ("key", "limit", "line"), [("title", 80, 0), ("summary", 300, 2), ("aliases", 80, 3)]
)
def test_text_that_shows_on_buttons_has_a_length_a_screen_can_show(
    key: str, limit: int, line: int
) -> None:
    """A paragraph pasted into a title once made every screen that lists articles
    wrap it on buttons (a 40 kB title held the screen a minute)."""
    fields = {"title": "T", "summary": "S.", "aliases": "[a]"}
    for length, fine in ((limit, True), (limit + 1, False), (40_000, False)):
        value = "word " * (length // 5) + "x" * (length % 5)
        fields[key] = f"[{value}]" if key == "aliases" else value
        front = (
            f"title: {fields['title']}\nkind: topic\nsummary: {fields['summary']}\n"
            f"aliases: {fields['aliases']}\n"
        )
        _, problems = read(front)
        found = errors(problems)
        if fine:
            assert found == [], found
        else:
            [error] = found
            assert error.line == FIRST_LINE + line
            assert f"characters; keep {'each ' if key == 'aliases' else 'it '}to {limit}" in (
                error.message
            )


@pytest.mark.parametrize("written", ["20270131", "2027-W05-1", "2027-1-31", "2027-01-31T00:00"])
def test_a_date_is_written_year_month_day(written: str) -> None:
    _, problems = read(f"title: T\n{BASE}reviewed: {written}\n")
    [error] = errors(problems)
    assert error.line == FIRST_LINE + 3 and "write it as YYYY-MM-DD" in error.message


LINE_BREAKING = ["\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("char", LINE_BREAKING, ids=[f"U+{ord(c):04X}" for c in LINE_BREAKING])
@pytest.mark.parametrize("key", ["title", "summary", "urgent", "aliases", "sources"])
def test_a_line_break_in_a_one_line_text_is_an_error_at_its_line(key: str, char: str) -> None:
    """U+2028 split a title onto two lines (issue 13, F13): every character that starts
    a new line is refused in every text shown on one line, as a newline is."""
    escaped = f"\\u{ord(char):04X}" if ord(char) > 0xFF else f"\\x{ord(char):02X}"
    value = f'"Line one{escaped}Line two"'
    text = f"title: Heart\n{BASE}urgent: Now.\n"
    text = text.replace(f"{key}: ", f"{key}: {value} #", 1) if f"{key}: " in text else text
    if key in ("aliases", "sources"):
        text += f"{key}:\n  - Fine\n  - {value}\n"
    _, problems = read(text)
    found = [p for p in errors(problems) if f"'{key}' breaks onto a new line" in p.message]
    assert found, problems
    assert found[0].line == FIRST_LINE + text.splitlines().index(
        next(line for line in text.splitlines() if value in line)
    )


def test_long_urgent_repeated_related_and_too_many_entries_are_errors() -> None:
    many = ", ".join(f"a{i}" for i in range(50))
    _, problems = read(
        f"title: Heart\n{BASE}urgent: {'Call now. ' * 500}\nrelated: [heart-rate, heart-rate]\n"
        f"aliases: [{many}]\n"
    )
    messages = [p.message for p in errors(problems)]
    assert any(m.startswith("'urgent' is 4,99") or m.startswith("'urgent' is 49") for m in messages)
    assert any("related entry 'heart-rate' is listed again" in m for m in messages)
    assert any("'aliases' has 50 entries; at most" in m for m in messages)


@pytest.mark.parametrize(
    "line",
    [
        "title: Heartburn #1 cause of chest pain",
        "urgent: Call 911 if the pain spreads to your arm #or jaw, or you feel faint",
        "summary: Short. # a note",
        "aliases: [heart burn #2, reflux]",
    ],
)
def test_a_comment_after_an_unquoted_value_is_an_error_not_lost_words(line: str) -> None:
    """YAML reads ' #' as the start of a comment: the title was 'Heartburn' and the
    urgent text lost 'or jaw, or you feel faint', and validate said OK."""
    front = f"kind: topic\n{line}\n" + ("" if line.startswith("summary") else "summary: S.\n")
    _, problems = read(front)
    found = errors(problems)
    assert len(found) == 1 and found[0].line == FIRST_LINE + 1, found
    assert "is dropped (in YAML, ' #' starts a comment); put the whole value in quotes" in (
        found[0].message
    )


@pytest.mark.parametrize(
    ("line", "value"),
    [('title: "Heartburn #1"', "Heartburn #1"), ("title: C# basics", "C# basics")],
)
def test_a_hash_inside_quotes_or_a_word_is_text(line: str, value: str) -> None:
    fm, problems = read(f"{line}\n{BASE}")
    assert errors(problems) == [] and fm.title == value


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('summary: "Acid \\x07\\x1b[31m in \\x00 the \\x7f pipe."', "summary"),
        ('aliases: ["GE\\x00RD"]', "aliases"),
        ('urgent: "Call \\x1b[2J911."', "urgent"),
        ('sources: ["NHS\\x9b2J"]', "sources"),
    ],
)
def test_a_control_character_in_a_shown_text_is_an_error(line: str, key: str) -> None:
    """NUL, BEL, ESC and DEL in a summary or an alias validated and installed (issue 13's
    second attacker); a title's were refused already."""
    front = f"title: T\nkind: topic\n{line}\n" + ("" if key == "summary" else "summary: S.\n")
    _, problems = read(front)
    found = errors(problems)
    assert found and all(f"'{key}' holds a control character" in p.message for p in found[:1]), (
        found
    )


@pytest.mark.parametrize(
    "front",
    [
        "summary: Heartburn is a burning feeling\n  #1 cause is stomach acid.\n",
        "urgent: Call 911\n  #if chest pain spreads to your arm.\nsummary: S.\n",
        "aliases: [GERD,\n  #reflux,\n  acid]\nsummary: S.\n",
    ],
)
def test_a_comment_line_inside_a_value_is_an_error_not_lost_words(front: str) -> None:
    """The second line of each value was dropped without a word (issue 13's second
    attacker: the same kind as ' #' after a value)."""
    _, problems = read(f"title: T\nkind: topic\n{front}")
    found = errors(problems)
    assert len(found) == 1 and found[0].line == FIRST_LINE + 3, found
    assert "starts with '#' inside a value, and YAML drops it as a comment" in found[0].message


def test_a_list_written_without_brackets_is_a_warning_that_shows_the_brackets() -> None:
    fm, problems = read("title: T\nkind: topic\nsummary: S.\naliases: GERD, acid reflux\n")
    assert fm.aliases == ("GERD, acid reflux",)
    [warning] = [p for p in problems if p.severity is Severity.WARNING]
    assert warning.line == FIRST_LINE + 3
    assert "for several, write a list in brackets: aliases: [GERD, acid reflux]" in (
        warning.message
    )
