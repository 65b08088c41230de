"""Pack text is shown as typed, never as markup, and validate names markup with file:line.

The outcome a patient would notice: a pack title with a ``<font color=red>`` tag must
not turn Home red, and an ``<img>`` in a banner must not draw a picture from outside
the pack. Both are measured on rendered pixels, on a pack whose strings were made
hostile after loading (the validator would refuse them, which is tested below).
"""

from __future__ import annotations

import itertools
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.content.invisible import BIDI_CONTROLS, char_name
from kiosk.core.content.linebreaks import line_breaks, longest_run
from kiosk.core.content.loader import load_pack
from kiosk.core.content.pack import Pack
from kiosk.core.content.plaintext import find_markup
from kiosk.core.content.problems import Severity
from kiosk.ui.assembly import KioskParts
from kiosk.ui.theme import Theme
from kiosk.ui.window import MainWindow

from conftest import CONTENT, make_kiosk, validate_folder

RED = "#ff0000"


def _red_pixels(widget: QWidget) -> int:
    image = widget.grab().toImage()
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            count += c.red() > 200 and c.green() < 60 and c.blue() < 60
    return count


@pytest.fixture
def red_picture(tmp_path: Path) -> Path:
    from PySide6.QtGui import QColor, QImage

    image = QImage(200, 200, QImage.Format.Format_RGB32)
    image.fill(QColor(RED))
    path = tmp_path / "outside.png"
    image.save(str(path))
    return path


def _hostile(pack: Pack, red_picture: Path) -> Pack:
    font = '<font color=red size=7>Hacked</font> kiosk <b style="color:red">!</b>'
    image = f'<img src="{red_picture}" width=200 height=200>Call <b>now</b>'
    info = replace(
        pack.info,
        title=font,
        titles={loc: font for loc in pack.info.locales},
        crisis_banner={loc: image for loc in pack.info.locales},
    )
    articles = {
        locale: {
            slug: replace(a, title=f"<font color=red size=7>{a.title}</font>", summary=image)
            for slug, a in by_slug.items()
        }
        for locale, by_slug in pack.articles.items()
    }
    return replace(pack, info=info, articles=articles)


def test_markup_in_pack_text_is_shown_as_typed_on_every_screen(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str, red_picture: Path
) -> None:
    from kiosk.ui.widgets.labels import Label

    hostile = _hostile(bundled_pack, red_picture)
    parts = make_kiosk(qtbot, hostile, theme, pin_hash)
    window = parts.window
    go: Callable[[], None]
    for name, go in (
        ("welcome", lambda: None),
        ("home", window.session.open_home),
        ("terms", parts.navigator.open_terms),
        ("reader", lambda: parts.navigator.open_article("harm-reduction-therapy")),
    ):
        go()
        qtbot.wait(10)
        assert _red_pixels(window) == 0, f"markup rendered as colour on {name}"
    # The tags are on screen as text, which is what a tester would see and report.
    window.session.open_home()
    shown = [label.text() for label in window.findChildren(Label) if label.isVisible()]
    assert any("<font color=red size=7>Hacked</font>" in text for text in shown)


def test_every_label_of_every_screen_is_plain_text(
    window: MainWindow, parts: KioskParts, qtbot: QtBot
) -> None:
    """A QLabel made anywhere without the kiosk's Label would guess rich text again."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from kiosk.ui.screens.calm import OneMomentOverlay, OutOfOrderPage

    screens = [window, OneMomentOverlay(), OutOfOrderPage(["x.md:3: error: <b>bad</b>"])]
    window.session.open_home()
    parts.navigator.open_terms()
    parts.navigator.open_article("heart-attack")
    article = window.reader.article
    assert article is not None
    window.reader.show_card(len(article.sections) - 1)
    parts.navigator.open_settings()
    window.idle_overlay.begin()
    labels = [label for screen in screens for label in screen.findChildren(QLabel)]
    assert len(labels) > 20
    rich = [
        (label.objectName() or label.text()[:30])
        for label in labels
        if label.textFormat() != Qt.TextFormat.PlainText
    ]
    assert rich == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("<font color=red>Hacked</font>", "<font color=red>"),
        ("Call 911 <b>now</b>", "<b>"),
        ("<img src=/etc/a.png>", "<img src=/etc/a.png>"),
        ("Tom &amp; Jerry", "&amp;"),
        ("&#60;script", "&#60;"),
        ("<!-- hidden", "<!--"),
        ("Children (<5 years) & adults", None),
        ("a < b and c > d", None),
        ("Heart attack", None),
    ],
)
def test_find_markup(text: str, found: str | None) -> None:
    assert find_markup(text) == found


_validate = validate_folder


def test_validate_names_markup_in_pack_toml_and_front_matter_with_file_and_line(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    toml = folder / "pack.toml"
    text = toml.read_text("utf-8")
    text = text.replace('en = "Health information"', 'en = "<font color=red size=7>Hacked</font>"')
    toml.write_text(text, "utf-8")
    title_line = text.splitlines().index('en = "<font color=red size=7>Hacked</font>"') + 1
    article = folder / "en" / "terms" / "heart-attack.md"
    lines = article.read_text("utf-8").splitlines()
    summary_at = next(i for i, line in enumerate(lines) if line.startswith("summary:"))
    lines[summary_at] = 'summary: "Call <b>911</b> now."'
    article.write_text("\n".join(lines) + "\n", "utf-8")
    run = _validate(folder)
    assert run.returncode == 1, run.stdout
    assert (
        f"{toml}:{title_line}: error: title.en contains markup '<font color=red size=7>'"
        in run.stdout
    )
    assert run.stdout.count("contains markup") == 1  # named once, not as title and title.en
    shutil.copy(CONTENT / "pack.toml", toml)  # validate reads articles once pack.toml is usable
    run = _validate(folder)
    assert run.returncode == 1, run.stdout
    assert f"{article}:{summary_at + 1}: error: 'summary' contains markup '<b>'" in run.stdout
    assert "Traceback" not in run.stderr


# --- characters that turn text around --------------------------------------------------

BIDI = sorted(BIDI_CONTROLS)
# Each place a patient sees or hears text, as {name}: where each is on its file's line.
ARTICLE_TEMPLATE = """---
title: Heart rate
summary: "Dial {summary} now."
kind: term
urgent: "Dial {urgent} now."
aliases: [pulse, "Dial {aliases} now"]
sources: ["NHS", "Dial {sources} now"]
---
Dial {intro} now.

## Dial {heading} now

- Dial {item} now
  Dial {item_second_line} now

| Number | What |
|---|---|
| Dial {cell} now | Call |

### Dial {sub_heading} now

See [Dial {link} now](heart-rate) and `Dial {code_inline} now`.

```
Dial {fence} now
```

![Dial {alt} now](../images/heart.png)
"""
PACK_TEMPLATE = """id = "t"
version = 1
locales = ["en"]
default_locale = "en"

[title]
en = "Dial {pack_title} now"

[crisis.overdose]
en = "Dial {crisis} now"

[crisis_banner]
en = "Dial {banner} now"
"""
ARTICLE_PLACES = re.findall(r"\{(\w+)\}", ARTICLE_TEMPLATE)
PACK_PLACES = re.findall(r"\{(\w+)\}", PACK_TEMPLATE)
# Where an escape reaches the text: YAML's and TOML's double quotes, Markdown's &#x...;
# outside code (code shows an escape as typed).
YAML_QUOTED = ARTICLE_PLACES[:4]
CODE = ("code_inline", "fence")


def _line_of_place(template: str, place: str) -> int:
    return next(i for i, line in enumerate(template.splitlines(), 1) if f"{{{place}}}" in line)


def _filled(template: str, places: list[str], odd: str | None = None, text: str = "") -> str:
    return template.format(**{place: text if place == odd else "119" for place in places})


def _bidi_pack(root: Path, place: str, text: str) -> Path:
    (root / "en" / "terms").mkdir(parents=True)
    (root / "en" / "images").mkdir()
    Image.new("RGB", (8, 8)).save(root / "en" / "images" / "heart.png")
    (root / "pack.toml").write_text(_filled(PACK_TEMPLATE, PACK_PLACES, place, text), "utf-8")
    article = _filled(ARTICLE_TEMPLATE, ARTICLE_PLACES, place, text)
    (root / "en" / "terms" / "heart-rate.md").write_text(article, "utf-8")
    return root


def _errors(root: Path) -> list[tuple[str, int, str]]:
    result = load_pack(root)
    return [
        (Path(p.file).name, p.line, p.message)
        for p in result.problems
        if p.severity is Severity.ERROR
    ]


@settings(max_examples=120, deadline=None)
@given(
    place=st.sampled_from(ARTICLE_PLACES + PACK_PLACES),
    control=st.sampled_from(BIDI),
    escaped=st.booleans(),
)
def test_a_bidi_control_anywhere_patients_see_text_is_an_error_at_its_line(
    place: str, control: str, escaped: bool
) -> None:
    """The issue: U+202E in urgent:, summary:, aliases:, sources:, the body, a ## heading
    or crisis text validated, and Qt shows "Dial \\u202e119\\u202c now" as "Dial 911 now"."""
    in_pack = place in PACK_PLACES
    if escaped and place in CODE:
        escaped = False  # code shows "&#x202E;" as typed: nothing to turn around
    if not escaped:
        text = f"{control}119\u202c"
    elif in_pack or place in YAML_QUOTED:
        text = f"\\u{ord(control):04X}119\\u202C"
    else:
        text = f"&#x{ord(control):04X};119&#x202C;"
    with tempfile.TemporaryDirectory() as folder:
        found = _errors(_bidi_pack(Path(folder), place, text))
    template = PACK_TEMPLATE if in_pack else ARTICLE_TEMPLATE
    [(file, line, message)] = found
    assert file == ("pack.toml" if in_pack else "heart-rate.md")
    assert line == _line_of_place(template, place), message
    assert f"an invisible character ({char_name(control)}), right after '" in message
    assert "Dial', that turns the text around on screen (119 can show as 911)" in message
    assert message.endswith("; delete it") and not BIDI_CONTROLS & set(message)


@pytest.mark.parametrize(
    "text",
    [
        "اتصل بالرقم \u200f119\u200f الآن",  # Arabic, with right-to-left marks
        "اتصل \u061c119 الآن",  # the Arabic letter mark
        "התקשרו \u200e119\u200e עכשיו",  # Hebrew, with left-to-right marks
    ],
)
def test_direction_marks_in_arabic_and_hebrew_are_allowed(tmp_path: Path, text: str) -> None:
    article = ARTICLE_TEMPLATE.format(**dict.fromkeys(ARTICLE_PLACES, text))
    root = _bidi_pack(tmp_path, "", "")
    (root / "en" / "terms" / "heart-rate.md").write_text(article, "utf-8")
    toml = root / "pack.toml"
    toml.write_text(PACK_TEMPLATE.format(**dict.fromkeys(PACK_PLACES, text)), "utf-8")
    assert _errors(root) == []


def test_the_issue_s_crisis_text_stops_the_pack_at_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    toml = folder / "pack.toml"
    text = toml.read_text("utf-8").replace('en = "Call 911', 'en = "Call \\u202E119\\u202C', 1)
    toml.write_text(text, "utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "\\u202E119" in t)
    run = _validate(folder)
    assert run.returncode == 1, run.stdout
    assert (
        f"{toml}:{line}: error: crisis.overdose.en holds an invisible character "
        "(U+202E RIGHT-TO-LEFT OVERRIDE), right after 'Call', that turns the text around "
        "on screen (119 can show as 911); delete it"
    ) in run.stdout


# --- runs of text no line can break --------------------------------------------------------


def _qt_breaks(text: str) -> set[int]:
    """Where Qt may start a new line in ``text`` (the card's and every label's breaker)."""
    from PySide6.QtCore import QTextBoundaryFinder

    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, text)
    found = set()
    at = finder.toNextBoundary()
    while 0 < at < len(text):
        found.add(at)
        at = finder.toNextBoundary()
    return found


# Letters of several scripts (Hebrew, which Qt keeps with a hyphen or slash before it),
# digits, the spaces Qt breaks at and those it never does, hyphens (the non-breaking one
# too), slashes and the punctuation around them. All in the BMP, where Qt's positions are
# Python's. Not Thai, Lao, Khmer or Myanmar: Qt breaks them with a dictionary.
_ALPHABET = (
    "aZéß1ªʰ \t\n\u3000\u2003\u1680\u2028\u00a0\u202f\u2007\u200b\u2060"
    "-\u2010\u2011\u2013\u2014\u00ad/.,:;!?()[]{}'\"%*#$+=<>|~`^&@_"
    "\u2019\u201c\u201d\u00ab\u00bb\u20ac\u3001\u300c\u300d\u0301\u0300"
    "\u05d0\u05d1\u4e00\u30a2\u3042\uac00\u0410\u0627\u0660"
)


@settings(max_examples=2000, deadline=None)
@given(st.text(st.sampled_from(_ALPHABET), max_size=12))
def test_the_check_breaks_a_line_only_where_qt_does(text: str) -> None:
    """Never a missed warning: each place the check counts as a break, Qt breaks."""
    assert set(line_breaks(text)) <= _qt_breaks(text)


@settings(max_examples=2000, deadline=None)
@given(st.text(st.sampled_from(_ALPHABET), max_size=40))
def test_the_longest_run_is_the_longest_between_two_breaks(text: str) -> None:
    """longest_run finds the common breaks at once (a 1 MB article is read in 0.1 s), and
    the same runs as line_breaks."""
    cuts = [0, *line_breaks(text), len(text)]
    no_break = "\x1c\x1d\x1e\x1f\xa0\u2007\u202f"  # separators and no-break spaces
    spaces = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in no_break)
    spaces += "\u200b"
    runs = [text[a:b].strip(spaces) for a, b in itertools.pairwise(cuts)]
    assert len(longest_run(text)) == max(map(len, runs))


_WORD = st.text(st.sampled_from("abcxyzéßنش一ЖΩ"), min_size=1, max_size=8)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(_WORD, st.sampled_from(["-", "/", "\u2010", " ", "//"])), min_size=1))
def test_words_joined_by_hyphens_or_slashes_break_where_qt_breaks_them(
    parts: list[tuple[str, str]],
) -> None:
    """ "heart-rate-and-blood-pressure", "and/or", an address's path: no false warning."""
    text = "".join(word + joint for word, joint in parts) + "end"
    qt = {at for at in _qt_breaks(text) if text[at - 1] in "-/\u2010 "}
    assert qt <= set(line_breaks(text)) <= _qt_breaks(text)


def _long_run_pack(root: Path, front: str, body: str) -> Path:
    (root / "en" / "terms").mkdir(parents=True)
    (root / "pack.toml").write_text(PACK_TEMPLATE.format(**dict.fromkeys(PACK_PLACES, "119")))
    (root / "en" / "terms" / "heart-rate.md").write_text(
        f"---\n{front}kind: term\n---\n{body}", "utf-8"
    )
    return root


def _run_warnings(root: Path) -> list[tuple[int, str]]:
    problems = load_pack(root).problems
    return [(p.line, p.message) for p in problems if " has a run of " in p.message]


RUN = "Pneumonoultramicroscopicsilicovolcanoconiosis" + "x" * 15  # 60 letters


@pytest.mark.parametrize("key", ["title", "summary", "urgent"])
def test_a_long_run_in_a_shown_front_matter_text_is_a_warning_at_its_line(
    tmp_path: Path, key: str
) -> None:
    texts = {"title": "Heart rate", "summary": "A heart.", "urgent": "Call 911."}
    texts[key] = f"It is {RUN} here"
    front = "".join(f"{k}: {v}\n" for k, v in texts.items())
    [(line, message)] = _run_warnings(_long_run_pack(tmp_path, front, "Some words.\n"))
    assert line == 2 + list(texts).index(key)
    assert message == (
        f"'{key}' has a run of 60 characters with no space, hyphen or slash to break the "
        f"line at ('{RUN[:30]}...'); patients see it broken across lines. Add spaces"
    )


def test_a_long_run_in_a_card_is_a_warning_at_its_own_line(tmp_path: Path) -> None:
    body = "Intro.\n\n## Signs\n\nOne line.\nAnother line.\n\n- An item\n- It is " + RUN + "\n"
    [(line, message)] = _run_warnings(_long_run_pack(tmp_path, "title: Heart rate\n", body))
    assert line == 13 and message.startswith("section 'Signs' has a run of 60 characters")


def test_runs_a_line_breaks_at_hyphens_or_slashes_are_no_warning(tmp_path: Path) -> None:
    joined = "-".join(["heart"] * 15) + "/" + "/".join(["rate"] * 15)
    address = "https://www.example.org/" + "/".join(["health-information"] * 6)
    front = f"title: Heart rate\nsummary: {joined}\nurgent: {joined}\n"
    body = f"## Signs\n\n{joined}\n\nSee {address} now.\n"
    assert _run_warnings(_long_run_pack(tmp_path, front, body)) == []


@pytest.mark.parametrize("char", ["&", '"', "<", ">"])
def test_a_long_run_of_characters_html_escapes_breaks_like_any_other(char: str) -> None:
    """Escaping made '&' five characters ('&amp;') and the breaks stopped at '&' and ';':
    3,900 of them held a card 115 ms at 200% text (issue 13, F14). Breaks are put in the
    text as patients see it, then it is escaped, so no break lands inside an entity."""
    from kiosk.core.content.markdown import parse
    from kiosk.core.content.packpaths import PackPaths
    from kiosk.core.content.problems import ProblemList

    source = f"---\ntitle: A\nkind: term\n---\nSome words. {char * 3900}\n"
    root = Path(tempfile.gettempdir())
    rendered = parse(source, PackPaths(root, root / "a.md"), ProblemList([], "a.md"))
    html = rendered.sections[0].html
    runs = re.findall(r"[^ \u200b]+", re.sub(r"&[a-z]+;|&#\d+;", "x", html))
    assert max(len(run) for run in runs) <= 40, max(runs, key=len)[:80]
    assert html.count("\u200b") >= 3900 // 24
    assert not re.search(r"&[a-z]*\u200b", html)  # never inside an entity
