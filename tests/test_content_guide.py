"""docs/CONTENT.md says what the software does: each checkable claim, read from the
guide's own text (its tables, code spans and examples), is tried against the real code.

A new row in a message table, a new key in a key table or a new example is checked
without a new test; a message the software gives for a fixture pack must have a row.
"""

from __future__ import annotations

import io
import re
import shlex
import shutil
import string
import tomllib
from collections.abc import Callable
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path

import pytest
from picture_files import png_parts

from kiosk.cli import main
from kiosk.core.content import limits as lim
from kiosk.core.content.article_file import MAX_FILE_BYTES
from kiosk.core.content.cardlimits import CARD_LONG_CHARS, CARD_MAX_CHARS
from kiosk.core.content.frontmatter import KNOWN_KEYS as FRONT_MATTER_KEYS
from kiosk.core.content.frontmatter import LENGTH_LIMITS, URGENT_MAX_CHARS
from kiosk.core.content.identifiers import PACK_ID_MAX, SLUG_MAX
from kiosk.core.content.linebreaks import LONGEST_WORD_CHARS
from kiosk.core.content.loader import load_pack
from kiosk.core.content.packinfo import _KNOWN as PACK_TOML_KEYS
from kiosk.core.content.pictures import LARGE_PIXELS, MAX_PIXELS, MAX_SIDE_PX
from kiosk.core.content.problems import Problem, Severity
from kiosk.core.content.readability import crawford_grade, grade, measure
from kiosk.core.packs.folder import content_files
from kiosk.core.search.index import SearchIndex

from conftest import CONTENT, FIXTURES
from guides import (
    CONTENT_GUIDE,
    code_spans,
    fences,
    message_pattern,
    read,
    section,
    tables,
)

GUIDE = read(CONTENT_GUIDE)
TODAY = date(2027, 6, 1)  # the fixtures' review dates are judged against this day


# --- the example article and the example results --------------------------------------


def _kiosk_lines(args: list[str]) -> list[str]:
    """What the kiosk command prints for ``args``, as lines."""
    out = io.StringIO()
    with redirect_stdout(out):
        main(args)
    return out.getvalue().splitlines()


def _validate_lines(pack: Path) -> list[str]:
    """What 'kiosk content validate' prints for a pack (its paths as from its parent)."""
    lines = _kiosk_lines(["content", "validate", str(pack)])
    return [line.replace(str(pack.parent) + "/", "") for line in lines]


def _matches_with_gaps(shown: list[str], real: list[str]) -> bool:
    """Whether the guide's lines are the real ones, where a line '...' stands for any
    number of lines left out."""
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line == "..." else re.escape(line) + r"\n" for line in shown
    )
    return re.fullmatch(pattern, "".join(line + "\n" for line in real)) is not None


def _example_article() -> str:
    part = GUIDE.split("## 5. A complete example article", 1)[1]
    return fences(part, "markdown")[0]


def test_complete_example_article_passes_validation(tmp_path: Path) -> None:
    pack = shutil.copytree(CONTENT, tmp_path / "content")
    (pack / "en" / "terms" / "heat-stroke.md").write_text(_example_article(), "utf-8")
    result = load_pack(pack, today=date(2027, 1, 1))
    assert result.pack is not None, [str(p) for p in result.problems]
    article = result.pack.articles["en"]["heat-stroke"]
    assert len(article.sections) == 3
    assert article.sections[-1].take_home_urls  # the guide promises a take-home link


def test_what_the_check_says_about_the_example_is_what_it_says(tmp_path: Path) -> None:
    pack = shutil.copytree(CONTENT, tmp_path / "content")
    (pack / "en" / "terms" / "heat-stroke.md").write_text(_example_article(), "utf-8")
    part = section(GUIDE, "5. A complete example article")
    shown = fences(part.split("What the check says about it:", 1)[1], "text")[0].splitlines()
    real = [line for line in _validate_lines(pack) if "heat-stroke.md" in line]
    assert shown == real


def test_the_real_result_in_step_5_is_real(tmp_path: Path) -> None:
    """Step 5 shows a result after two mistakes in heartburn.md, which it names with
    their lines: the review_due line (line 9) and a link on line 32."""
    pack = shutil.copytree(CONTENT, tmp_path / "content")
    step = section(GUIDE, "Step 5: Read the result")
    shown = fences(step, "text")[0].splitlines()
    article = pack / "en" / "terms" / "heartburn.md"
    lines = article.read_text("utf-8").splitlines(keepends=True)
    fixes = dict(re.findall(r"- Line (\d+) (?:says|links to) `([^`]+)`", step))
    assert set(fixes) == {"9", "32"}, fixes
    assert lines[8].startswith("review_due:")
    lines[8] = fixes["9"] + "\n"
    assert lines[31].startswith("Heart attack pain")
    lines[31] = lines[31].replace("Heart attack", f"[Heart attack]({fixes['32']})", 1)
    article.write_text("".join(lines), "utf-8")
    assert _matches_with_gaps(shown, _validate_lines(pack))


def test_search_example_is_real() -> None:
    part = section(GUIDE, "Optional: try the search")
    command, answer = fences(part, "text")[:2]
    args = shlex.split(command)
    assert args[:2] == ["kiosk", "search"] and args[-2:] == ["--content", "content"], command
    assert answer.splitlines() == _kiosk_lines([*args[1:-1], str(CONTENT)])


# --- key tables -----------------------------------------------------------------------


def _key_table(heading: str) -> dict[str, tuple[str, ...]]:
    """The rows of the key table under ``heading``, by the key the code knows them by
    (``[crisis.NAME]`` is ``crisis``, ``[title]`` is ``title``)."""
    part = section(GUIDE, heading)
    (table,) = [t for t in tables(part) if t.header[0] == "Key"]
    rows: dict[str, tuple[str, ...]] = {}
    for row in table.rows:
        name = code_spans(row[0])[0]
        key = re.sub(r"\.(NAME|LL)$", "", name.removeprefix("[").removesuffix("]"))
        rows[key] = (*rows.get(key, ()), *row)
    return rows


def test_front_matter_key_table_is_the_code_s_list_of_keys() -> None:
    assert set(_key_table("6. Front matter keys")) == set(FRONT_MATTER_KEYS)


def test_pack_toml_key_table_is_the_code_s_list_of_keys() -> None:
    assert set(_key_table("7. pack.toml keys")) == set(PACK_TOML_KEYS)


def test_pack_toml_key_table_shows_each_section_the_bundled_pack_uses() -> None:
    """A key written as a [section] (one text per language...) has its own row."""
    part = section(GUIDE, "7. pack.toml keys")
    (table,) = [t for t in tables(part) if t.header[0] == "Key"]
    rows = {code_spans(row[0])[0].split(".")[0].strip("[]") for row in table.rows}
    sections = {
        code_spans(row[0])[0].split(".")[0].strip("[]")
        for row in table.rows
        if code_spans(row[0])[0].startswith("[")
    }
    used = tomllib.loads((CONTENT / "pack.toml").read_text("utf-8"))
    tabled = {key for key, value in used.items() if isinstance(value, dict)}
    assert tabled <= sections <= rows


MINIMAL_PACK = """id = "test-pack"
title = "Test pack"
version = 1
locales = ["en"]
default_locale = "en"
"""

MINIMAL_ARTICLE = """---
title: Heart Rate
summary: How many times your heart beats in one minute.
kind: term
reviewed: 2026-11-27
review_due: 2027-11-27
---
Your heart rate is how many times your heart beats in one minute.

## When to get help now

Call 911 if your heart beats very fast and you feel faint.
"""


def _defaults(table: dict[str, tuple[str, ...]]) -> dict[str, object]:
    """Each "(default `X`)" the table's Required? column gives, as a value."""
    found = {}
    for key, row in table.items():
        default = re.search(r"default `([^`]+)`", row[1])
        if default:
            found[key] = tomllib.loads(f"v = {default.group(1)}")["v"]
    return found


def test_defaults_the_key_tables_give_are_the_code_s(tmp_path: Path) -> None:
    pack = tmp_path / "content"
    (pack / "en" / "terms").mkdir(parents=True)
    (pack / "pack.toml").write_text(MINIMAL_PACK, "utf-8")
    (pack / "en" / "terms" / "heart-rate.md").write_text(MINIMAL_ARTICLE, "utf-8")
    result = load_pack(pack, today=TODAY)
    assert result.pack is not None, [str(p) for p in result.problems]
    pack_defaults = _defaults(_key_table("7. pack.toml keys"))
    article_defaults = _defaults(_key_table("6. Front matter keys"))
    assert pack_defaults and article_defaults
    for key, value in pack_defaults.items():
        assert getattr(result.pack.info, key) == value, key
    article = result.pack.articles["en"]["heart-rate"]
    for key, value in article_defaults.items():
        assert getattr(article, key) == value, key


def test_the_pack_toml_shown_is_the_one_that_comes_with_the_kiosk() -> None:
    part = section(GUIDE, "7. pack.toml keys")
    shown = tomllib.loads(fences(part, "toml")[0])
    assert shown == tomllib.loads((CONTENT / "pack.toml").read_text("utf-8"))


# --- messages ---------------------------------------------------------------------------


def _guide_messages() -> list[str]:
    messages = []
    for table in tables(section(GUIDE, "10. Common errors")):
        for cell in table.column("Message"):
            messages += code_spans(cell)
    return messages


def _png(width: int, height: int, frames: int = 1) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    pictures = [Image.new("RGB", (width, height), (200, 30 * n, 30)) for n in range(frames)]
    pictures[0].save(out, format="PNG", save_all=frames > 1, append_images=pictures[1:])
    return out.getvalue()


CRISIS = """
[crisis.mental-health]
en = "Call or text 988."

[crisis.overdose]
en = "Call 911."
"""
SPANISH = 'locales = ["en", "es"]'


def _article(front: str = "", body: str = "", *, replace: str = "") -> str:
    """The minimal article with front matter lines added (or ``replace``d) and a body."""
    text = MINIMAL_ARTICLE
    if replace:
        old, new = replace.split(" => ")
        text = text.replace(old, new)
    head, rest = text.split("---\n", 2)[1:]
    return f"---\n{head}{front}---\n{rest}{body}"


# Inputs for the messages no fixture pack gives: files laid over the minimal pack (its
# pack.toml and en/terms/heart-rate.md); None removes a file. The expected messages
# are the guide's: each of its rows must match a message one of these, or a fixture in
# tests/fixtures, really gives.
ARTICLE = "en/terms/heart-rate.md"
CASES: dict[str, dict[str, str | bytes | None]] = {
    "long-title": {ARTICLE: _article(replace="title: Heart Rate => title: Heart rate " + "x" * 90)},
    "long-alias": {ARTICLE: _article("aliases: [pulse, " + "a long alias " * 8 + "]\n")},
    "related-unknown": {ARTICLE: _article("related: [zebra]\n")},
    "link-outside": {ARTICLE: _article(body="\nSee [this](../../../x.md).\n")},
    "mailto": {ARTICLE: _article(body="\nWrite to [us](mailto:desk@example.org).\n")},
    "markup-in-title": {ARTICLE: _article(replace="title: Heart Rate => title: <b>Heart</b>")},
    "mixed-alphabet": {ARTICLE: _article(replace="title: Heart Rate => title: H\u0435art Rate")},
    "yaml-colon": {ARTICLE: _article("warning: Note: this\n")},
    "empty-value": {
        ARTICLE: _article(
            replace="summary: How many times your heart beats in one minute. => summary:"
        )
    },
    "alias-false": {ARTICLE: _article("aliases: [false, pulse]\n")},
    "anchor": {ARTICLE: _article("sources: &a [NHS]\n")},
    "unknown-kind": {ARTICLE: _article(replace="kind: term => kind: termz")},
    "file-name": {"en/terms/Blood Test.md": _article()},
    "big-file": {ARTICLE: _article(body="\n" + "Rest. " * 173_650 + "\n")},
    "locales-twice": {"pack.toml": MINIMAL_PACK.replace('["en"]', '["en", "en"]')},
    "crisis-typo": {
        "pack.toml": MINIMAL_PACK + CRISIS,
        ARTICLE: _article("sensitive: true\ncrisis: mental-healht\n"),
    },
    "crisis-missing": {"pack.toml": MINIMAL_PACK + CRISIS, ARTICLE: _article("sensitive: true\n")},
    "crisis-no-spanish": {
        "pack.toml": (MINIMAL_PACK + CRISIS).replace('locales = ["en"]', SPANISH),
        "es/terms/heart-rate.md": _article("sensitive: true\ncrisis: mental-health\n"),
    },
    "crisis-not-sensitive": {
        "pack.toml": MINIMAL_PACK + CRISIS,
        ARTICLE: _article("crisis: overdose\n"),
    },
    "crisis-name": {"pack.toml": MINIMAL_PACK + '[crisis."Mental Health"]\nen = "Call 988."\n'},
    "synonyms-not-a-list": {"pack.toml": MINIMAL_PACK + '[synonyms.en]\nnarcan = "naloxone"\n'},
    "no-summary": {
        ARTICLE: _article(replace="summary: How many times your heart beats in one minute.\n => ")
    },
    "one-hash-heading": {ARTICLE: _article(body="\n# Heart rate\n\nMore text.\n")},
    "legacy-banner": {
        "pack.toml": MINIMAL_PACK.replace('locales = ["en"]', SPANISH)
        + '[crisis_banner]\nen = "Call 911."\n',
        "es/terms/heart-rate.md": _article("sensitive: true\n"),
    },
    "long-urgent": {ARTICLE: _article(f"urgent: {'Call 911 now. ' * 16}\n")},
    "not-markdown": {"en/terms/notes.txt": "notes"},
    "link-with-space": {ARTICLE: _article(body="\nSee [heart attack](Heart Attack.md).\n")},
    "long-card": {ARTICLE: _article(body="\n## Common signs\n\n" + "Rest a lot. " * 150 + "\n")},
    "too-long-card": {
        ARTICLE: _article(body="\n## Common signs\n\n" + "Rest a lot. " * 350 + "\n")
    },
    "long-run": {
        ARTICLE: _article(
            replace="one minute.\n\n## => one minute. https://www.example.org/search?q=heart"
            "%20attack%20signs%20in%20women%20and%20men\n\n##"
        )
    },
    "long-run-summary": {
        ARTICLE: _article(
            replace="summary: How => summary: Pneumonoultramicroscopicsilicovolcanoconiosis"
            + "x" * 15
        )
    },
    "title-begins-invisible": {
        ARTICLE: _article(replace="title: Heart Rate => title: \u200eHeart Rate")
    },
    "title-ends-invisible": {
        ARTICLE: _article(replace="title: Heart Rate => title: Heart Rate\u200e")
    },
    "bidi-summary": {ARTICLE: _article("summary: Dial \u202e119\u202c now.\n")},
    "bidi-body": {ARTICLE: _article(body="\nDial \u202e119\u202c now.\n")},
    "bidi-crisis": {"pack.toml": MINIMAL_PACK + '[crisis.overdose]\nen = "Call \u202e119"\n'},
    "url-space": {ARTICLE: _article("url: https://www.cdc.gov/heat health/\n")},
    "url-invisible": {ARTICLE: _article("url: https://www.cdc.gov/\u200bheat-health/\n")},
    "url-no-site": {ARTICLE: _article("url: https:///heat-health/\n")},
    "url-no-real-site": {ARTICLE: _article("url: https://www..cdc.gov/heat-health/\n")},
    "url-too-long": {ARTICLE: _article(f"url: https://www.cdc.gov/{'a' * 2476}\n")},
    "link-too-long": {ARTICLE: _article(body=f"\n[More](https://www.cdc.gov/{'a' * 2476}).\n")},
    "link-invisible": {ARTICLE: _article(body="\n[More](https://www.c\u200bdc.gov/).\n")},
    "no-description": {
        ARTICLE: _article(body="\n![](../images/heart.png)\n"),
        "en/images/heart.png": _png(20, 20),
    },
    "svg-as-png": {
        ARTICLE: _article(body="\n![A heart](../images/heart.png)\n"),
        "en/images/heart.png": b'<svg xmlns="http://www.w3.org/2000/svg"/>',
    },
    "huge-picture": {
        ARTICLE: _article(body="\n![A heart](../images/heart.png)\n"),
        "en/images/heart.png": _png(MAX_SIDE_PX + 1, 8),
    },
    "large-picture": {
        ARTICLE: _article(body="\n![A heart](../images/heart.png)\n"),
        "en/images/heart.png": _png(3000, 2000),
    },
    "animation": {
        ARTICLE: _article(body="\n![A heart](../images/heart.png)\n"),
        "en/images/heart.png": _png(20, 20, frames=2),
    },
    "cut-short": {
        ARTICLE: _article(body="\n![A heart](../images/heart.png)\n"),
        "en/images/heart.png": _png(200, 200)[:60],
    },
    "sixteen-bit": {
        ARTICLE: _article(body="\n![A heart](../images/heart.png)\n"),
        "en/images/heart.png": png_parts(3000, 3000, depth=16),
    },
    "no-palette": {
        ARTICLE: _article(body="\n![A heart](../images/heart.png)\n"),
        "en/images/heart.png": png_parts(8, 8, colour=3),
    },
    "linked-picture": {
        ARTICLE: _article(body="\n![A heart](../images/link.png)\n"),
        "en/images/heart.png": _png(20, 20),
        "en/images/link.png": "-> heart.png",
    },
    "many-pictures": {
        ARTICLE: _article(body="\n## Pictures\n\n" + "![A heart](../images/heart.png)\n" * 13),
        "en/images/heart.png": _png(20, 20),
    },
    "picture-with-a-space": {
        ARTICLE: _article(body="\n![The sun](../images/my sun.png)\n"),
        "en/images/my sun.png": _png(20, 20),
    },
    "unused-picture": {"en/images/spare.png": b"\xff\xd8\xff" + _png(8, 8)[3:]},
    "long-list": {ARTICLE: _article(body="\n## Doses\n\n" + "- one\n" * 160)},
    "many-aliases": {
        ARTICLE: _article("aliases: [" + ", ".join(f"a{i}" for i in range(25)) + "]\n")
    },
    "many-related": {
        ARTICLE: _article("related: [" + ", ".join(f"r{i}" for i in range(8)) + "]\n")
    },
    "related-twice": {ARTICLE: _article("related: [heart-rate, heart-rate]\n")},
    "line-separator": {
        ARTICLE: _article(
            replace="summary: How many times your heart beats in one minute. => "
            'summary: "One.\\u2028Two."'
        )
    },
    "long-heading": {ARTICLE: _article(body="\n## " + "Signs " * 23 + "\n\nRest.\n")},
    "many-cards": {ARTICLE: _article(body="\n## Card\n\nRest.\n" * 31)},
    "many-parts": {
        ARTICLE: _article(body="".join(f"\n## C{i}\n\n" + "Rest.\n\n" * 60 for i in range(7)))
    },
    "many-marks": {ARTICLE: _article(body="\nRest " + "a-b " * 1000 + "\n")},
    "big-picture-file": {
        ARTICLE: _article(body="\n![A heart](../images/heart.png)\n"),
        "en/images/heart.png": _png(20, 20) + b"\0" * 5_000_000,
    },
    "url-userinfo": {ARTICLE: _article("url: https://www.cdc.gov@evil.example/\n")},
    "long-pack-title": {"pack.toml": MINIMAL_PACK.replace("Test pack", "Pack " * 19)},
    "long-crisis": {
        "pack.toml": MINIMAL_PACK + CRISIS.replace("Call 911.", "Call 911 now. " * 32),
        ARTICLE: _article("sensitive: true\ncrisis: overdose\n"),
    },
    # What validate checks of every file a build packs (kiosk/core/packs/folder.py).
    "control-in-name": {"en/notes\x1b[2J.txt": "notes"},
    "names-differ-in-case": {"en/notes.txt": "notes", "en/NOTES.txt": "NOTES"},
    "linked-file": {"en/copy.toml": "-> ../pack.toml"},
    "linked-folder": {"en/pictures": "-> terms"},
}


def _case_pack(root: Path, files: dict[str, str | bytes | None]) -> Path:
    pack = root / "content"
    (pack / "en" / "terms").mkdir(parents=True)
    (pack / "pack.toml").write_text(MINIMAL_PACK, "utf-8")
    (pack / ARTICLE).write_text(MINIMAL_ARTICLE, "utf-8")
    for name, data in files.items():
        path = pack / name
        if data is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str) and data.startswith("-> "):  # a link to another file
            path.symlink_to(data.removeprefix("-> "))
        elif isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, "utf-8")
    return pack


@pytest.fixture(scope="module")
def real_messages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every message the check really gives for the fixture packs and for CASES: the
    message, and where it came from."""
    found: dict[str, str] = {}
    for folder in (FIXTURES / "bad-packs", FIXTURES / "warning-packs"):
        for pack in sorted(p for p in folder.iterdir() if p.is_dir()):
            for problem in _validate(pack):
                found.setdefault(problem.message, f"tests/fixtures/{folder.name}/{pack.name}")
    for name, files in CASES.items():
        pack = _case_pack(tmp_path_factory.mktemp(name), files)
        for problem in _validate(pack):
            found.setdefault(problem.message, f"CASES[{name!r}]")
    return found


def _validate(pack: Path) -> list[Problem]:
    """What 'kiosk content validate' reports: the loader's problems and the folder's."""
    problems = list(load_pack(pack, today=TODAY).problems)
    content_files(pack, problems)
    return problems


@pytest.mark.parametrize("message", _guide_messages())
def test_each_message_in_the_guide_is_one_the_check_gives(
    message: str, real_messages: dict[str, str]
) -> None:
    pattern = message_pattern(message)
    assert any(pattern.fullmatch(real) for real in real_messages), (
        f"no pack gives {message!r}: fix the row, or add the input that gives it to CASES"
    )


def test_each_fixture_s_message_has_a_row_in_the_guide() -> None:
    patterns = [message_pattern(m) for m in _guide_messages()]
    missing = []
    for folder in (FIXTURES / "bad-packs", FIXTURES / "warning-packs"):
        for pack in sorted(p for p in folder.iterdir() if p.is_dir()):
            expected = tomllib.loads((pack / "expected.toml").read_text("utf-8"))["message"]
            for problem in load_pack(pack, today=TODAY).problems:
                if expected in problem.message and not any(
                    p.fullmatch(problem.message) for p in patterns
                ):
                    missing.append(f"{pack.name}: {problem.message}")
    assert not missing, "docs/CONTENT.md section 10 has no row for:\n" + "\n".join(missing)


# --- what the guide says about the format ----------------------------------------------


def test_pack_toml_and_articles_saved_with_a_bom_pass(tmp_path: Path) -> None:
    """Step 3: "UTF-8" or "UTF-8 with BOM" (Notepad's choice), for articles and pack.toml."""
    step = section(GUIDE, "Step 3: Save the file as UTF-8")
    assert "either one is fine" in step
    pack = _case_pack(tmp_path, {})
    for name in ("pack.toml", ARTICLE):
        (pack / name).write_bytes(b"\xef\xbb\xbf" + (pack / name).read_bytes())
    result = load_pack(pack, today=TODAY)
    assert result.pack is not None and not result.problems, [str(p) for p in result.problems]


def test_values_are_kept_as_written(tmp_path: Path) -> None:
    """Section 6's examples of values: each `key: value` span followed by 'gives ...'."""
    part = section(GUIDE, "Writing values correctly")
    claims = re.findall(
        r"`(\w+: \[[^`]+\])` gives the \w+ \w+ ((?:\"[^\"]*\"(?:, | and )?)+)", part
    )
    assert claims
    for line, gives in claims:
        pack = _case_pack(tmp_path / line.split(":")[0], {ARTICLE: _article(line + "\n")})
        result = load_pack(pack, today=TODAY)
        assert result.pack is not None, [str(p) for p in result.problems]
        key = line.split(":")[0]
        value = getattr(result.pack.articles["en"]["heart-rate"], key)
        assert list(value) == re.findall(r'"([^"]*)"', gives)


def test_an_unquoted_hash_after_a_space_is_an_error_not_a_dropped_word(tmp_path: Path) -> None:
    """The guide said the rest is silently dropped; now the check says so, at the line."""
    pack = _case_pack(tmp_path, {ARTICLE: _article(replace="title: Heart Rate => title: Heart #1")})
    result = load_pack(pack, today=TODAY)
    assert result.pack is None
    said = [p.message for p in result.problems if p.severity is Severity.ERROR]
    assert any(m.startswith("the text after ' #' in 'title: Heart #1' is dropped") for m in said)
    assert "the text after ' #' in\n    'title: Heart #1' is dropped" in GUIDE


# Each limit the guide gives, in the words it uses, and the code's number for it.
LIMITS = [
    (r"at most (\d+) characters \(a file name", SLUG_MAX),
    (r"starting with a letter or digit, at most (\d+) characters", PACK_ID_MAX),
    (r"Files bigger than ([\d,]+) bytes", MAX_FILE_BYTES),
    (r"one or two short sentences \(at most (\d+) characters\)", URGENT_MAX_CHARS),
    (r"a card of more than ([\d,]+) characters \(", CARD_LONG_CHARS),
    (r"a card of more than ([\d,]+) characters is an error", CARD_MAX_CHARS),
    (r"a run of more than (\d+) characters with no space, hyphen or slash", LONGEST_WORD_CHARS),
    (r"at most (\d+) pixels on each side", MAX_SIDE_PX),
    (r"pixels on each side, and (\d+) megapixels", MAX_PIXELS // 1_000_000),
    (r"Above (\d+ x \d+) pixels you get a warning", LARGE_PIXELS),
    # The limits table (section 9): kiosk.core.content.limits.
    (r"the pack's title \| at most (\d+) characters", lim.PACK_TITLE_MAX_CHARS),
    (r"at most (\d+) aliases", lim.ALIASES_MAX),
    (r"at most (\d+) sources", lim.SOURCES_MAX),
    (r"at most (\d+) related articles", lim.RELATED_MAX),
    (r"heading \| at most (\d+) characters", lim.HEADING_MAX_CHARS),
    (r"at most (\d+) cards;", lim.ARTICLE_MAX_CARDS),
    (r"cards; ([\d,]+) bytes;", lim.MAX_FILE_BYTES),
    (r"bytes; ([\d,]+) parts", lim.ARTICLE_MAX_PARTS),
    (r"([\d,]+) line ends and marks Markdown reads \(`", lim.ARTICLE_MAX_MARKS),
    (r"at most (\d+) characters \| Shown in a banner", lim.CRISIS_MAX_CHARS),
    (r"Articles in one language \| at most ([\d,]+) articles", lim.ARTICLES_MAX),
    (r"aliases in one language \| at most ([\d,]+) names", lim.NAMES_MAX),
    (r"at most (\d+) links in one run of text", lim.LINK_STARTS_PER_RUN_MAX),
    (r"\(`locales`\) \| at most (\d+) languages", lim.LOCALES_MAX),
    (r"at most ([\d,]+) bytes, 4096 pixels", lim.PICTURE_MAX_BYTES),
    (r"at most (\d+) words in each language", lim.SYNONYM_WORDS_MAX),
    (r"each standing for at most (\d+) words", lim.SYNONYM_MEANS_MAX),
    (r"an address of more than (\d+) characters is an error", lim.TAKE_HOME_MAX_CHARS),
    (
        r"`url` \| No \| one web address, starting `https://`, with no spaces, at most (\d+)",
        lim.TAKE_HOME_MAX_CHARS,
    ),
    (r"in the text\) \| at most (\d+) characters", lim.TAKE_HOME_MAX_CHARS),
]


@pytest.mark.parametrize(("words", "limit"), LIMITS)
def test_limits_the_guide_gives_are_the_code_s(words: str, limit: int) -> None:
    found = re.findall(words, re.sub(r"\s+", " ", GUIDE))
    assert found, words
    for number in found:
        width, _, height = number.replace(",", "").partition(" x ")
        assert int(width) * int(height or 1) == limit, words


def test_lengths_in_the_front_matter_key_table_are_the_code_s() -> None:
    """Each "at most N characters" in the Type column is the code's limit for that key,
    and each key the code limits says so there."""
    limits = {**LENGTH_LIMITS, "urgent": URGENT_MAX_CHARS, "url": lim.TAKE_HOME_MAX_CHARS}
    said = {}
    for key, row in _key_table("6. Front matter keys").items():
        found = re.search(r"at most (\d+) characters", row[2])
        if found:
            said[key] = int(found.group(1))
    assert said == limits


# --- reading grades ---------------------------------------------------------------------


FORMULAS: dict[str, Callable[[str], float]] = {
    "Flesch-Kincaid": lambda text: measure(text).grade,
    "Crawford": crawford_grade,
}
SAMPLE = "Heart rate is how many times your heart beats in one minute. Rest, then count."


def test_reading_grade_languages_are_the_code_s() -> None:
    """Section 8's table: which formula each language gets, and none for the others."""
    (table,) = [t for t in tables(section(GUIDE, "Reading grade")) if t.header[0] == "Language"]
    named: dict[str, str] = {}
    for language, formula in table.rows:
        codes = code_spans(language)
        if codes:
            named[codes[0]] = formula.split(" (")[0]
        else:
            assert formula.startswith("none"), formula
    every_code = [a + b for a in string.ascii_lowercase for b in string.ascii_lowercase]
    graded = {code for code in every_code if grade(SAMPLE, code) is not None}
    assert graded == set(named)
    for code, formula in named.items():
        assert grade(SAMPLE, code) == FORMULAS[formula](SAMPLE), code


def test_before_and_after_grades_are_the_formula_s() -> None:
    (table,) = [t for t in tables(section(GUIDE, "Reading grade")) if "Before" in t.header[0]]
    for heading, text in zip(table.header, table.rows[0], strict=True):
        claimed = re.search(r"grade (about )?(-?\d+)", heading)
        assert claimed, heading
        assert abs(measure(text).grade - int(claimed.group(2))) <= 0.5, heading


def test_grade_lines_printed_for_english_and_spanish() -> None:
    lines = _validate_lines(CONTENT)
    graded = {line.split("/")[1] for line in lines if ", reading grade " in line}
    assert graded == {"en", "es"}


# --- search and synonyms -----------------------------------------------------------------


def test_what_the_guide_says_about_synonyms(tmp_path: Path) -> None:
    """Section 7: one word on the left, one letter does not work, two letters do, a phrase
    on the right works, and tylenol finds nothing until an article says acetaminophen."""
    pack = shutil.copytree(CONTENT, tmp_path / "content")
    toml = pack / "pack.toml"
    base = toml.read_text("utf-8")
    extra = 'z = ["stomach"]\nzz = ["stomach"]\nfentanyl = ["opioid overdose"]\n'
    toml.write_text(base.replace("[synonyms.en]\n", "[synonyms.en]\n" + extra), "utf-8")
    result = load_pack(pack)
    assert result.pack is not None, [str(p) for p in result.problems]
    index = SearchIndex.build(result.pack)
    assert index.search("z", "en") == []
    assert index.search("zz", "en")
    assert [h.slug for h in index.search("fentanyl", "en")] == ["harm-reduction-therapy"]
    assert index.search("tylenol", "en") == []
    toml.write_text(base.replace("[synonyms.en]\n", '[synonyms.en]\n"water pill" = ["x"]\n'))
    assert load_pack(pack).pack is None
