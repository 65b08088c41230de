"""Each article's statuses for the studio's list (kiosk.core.studio.statuses), and the
version of its source a translation was checked against (kiosk.core.studio.translations),
on copies of the bundled content that staff changed."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.core.content.frontmatter import SOURCE_VERSION
from kiosk.core.content.loader import load_pack
from kiosk.core.content.problems import Problem, Severity
from kiosk.core.packs.signing import public_key_text
from kiosk.core.studio.changes import changes
from kiosk.core.studio.publish import publish
from kiosk.core.studio.statuses import (
    ArticleRow,
    Status,
    TranslationCheck,
    article_rows,
    read_folder,
    reread,
    rows,
    search_index,
    search_places,
)
from kiosk.core.studio.translations import content_hash, mark_translation_checked

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 12, 3)  # the bundled articles are due for review on 2027-11-27
RATE = Path("en/terms/heart-rate.md")
TASA = Path("es/terms/heart-rate.md")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(REPO / "content", copy)
    return copy


def _by_path(
    folder: Path, today: date = TODAY, problems: list[Problem] | None = None
) -> dict[Path, ArticleRow]:
    return {
        row.path.relative_to(folder): row
        for row in article_rows(folder, problems or [], today=today)
    }


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def _mark_checked(folder: Path, source: Path = RATE, translation: Path = TASA) -> None:
    marked = mark_translation_checked(
        (folder / source).read_text("utf-8"), (folder / translation).read_text("utf-8")
    )
    (folder / translation).write_text(marked, "utf-8")


def test_the_bundled_articles_have_nothing_to_do_today_and_are_by_language_then_title(
    folder: Path,
) -> None:
    found = article_rows(folder, today=TODAY)
    assert len(found) == 28 and all(row.flags == () for row in found)
    assert [(r.language, r.title.casefold()) for r in found] == sorted(
        (r.language, r.title.casefold()) for r in found
    )
    rate = _by_path(folder)[RATE]
    assert (rate.language, rate.kind, rate.title, rate.slug) == (
        "en",
        "term",
        "Heart Rate",
        "heart-rate",
    )
    assert _by_path(folder)[Path("en/topics/harm-reduction-therapy.md")].kind == "topic"
    # No Spanish article says which English it was checked against: unknown, not outdated.
    # Every bundled Spanish article was checked against the English as it is.
    assert {r.translation for r in found if r.language == "es"} == {TranslationCheck.CHECKED}
    assert {r.translation for r in found if r.language == "en"} == {None}


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2027, 10, 27), set()),  # 31 days before
        (date(2027, 10, 28), {Status.REVIEW_SOON}),  # 30 days before
        (date(2027, 11, 27), {Status.REVIEW_SOON}),  # the day it is due
        (date(2027, 11, 28), {Status.REVIEW_OVERDUE}),
    ],
)
def test_review_dates_against_today(folder: Path, today: date, expected: set[Status]) -> None:
    rate = _by_path(folder, today)[RATE]
    assert rate.statuses == expected
    words = {
        Status.REVIEW_SOON: "Review due within 30 days",
        Status.REVIEW_OVERDUE: "Review overdue",
    }
    assert rate.words == tuple(words[s] for s in expected)


def test_a_reading_grade_above_the_pack_s_limit(folder: Path) -> None:
    text = (folder / RATE).read_text("utf-8")
    front = text[: text.index("---\n", 4) + 4]
    (folder / RATE).write_text(
        front + "Cardiovascular physiological measurements, particularly contemporaneous "
        "electrocardiographic characterization of ventricular depolarization frequency, "
        "necessitate methodological standardization, notwithstanding considerable "
        "interindividual variability.\n",
        "utf-8",
    )
    rate = _by_path(folder)[RATE]
    assert rate.statuses == {Status.HARD_TO_READ} and rate.words == ("Reading grade above 8",)
    # The validator says the same of it.
    warned = [p for p in load_pack(folder, today=TODAY).problems if p.file.endswith(str(RATE))]
    assert any("reading grade" in p.message for p in warned)
    # The bundled Heart Rate reads at grade 2.8: above a limit of 2.
    (folder / RATE).write_text(text, "utf-8")
    assert _by_path(folder)[RATE].statuses == set()
    _replace(folder / "pack.toml", "readability_limit = 8", "readability_limit = 2")
    assert _by_path(folder)[RATE].words == ("Reading grade above 2",)


def test_an_english_article_with_no_spanish_says_so(folder: Path) -> None:
    (folder / "es/terms/hantavirus.md").unlink()
    found = _by_path(folder)
    virus = found[Path("en/terms/hantavirus.md")]
    assert virus.statuses == {Status.TRANSLATION_MISSING} and virus.words == ("No Spanish version",)
    assert found[RATE].statuses == set()
    _replace(folder / "pack.toml", 'locales = ["en", "es"]', 'locales = ["en", "es", "fr"]')
    found = _by_path(folder)
    assert found[Path("en/terms/hantavirus.md")].words == ("No Spanish or French version",)
    assert found[RATE].words == ("No French version",)
    assert found[TASA].statuses == set()  # a translation is not asked for its own


def test_english_changed_since_the_spanish_was_checked(folder: Path) -> None:
    _mark_checked(folder)
    assert _by_path(folder)[TASA].translation is TranslationCheck.CHECKED
    _replace(folder / RATE, "Count the beats for 30 seconds.", "Count the beats for 60 seconds.")
    tasa = _by_path(folder)[TASA]
    assert tasa.statuses == {Status.TRANSLATION_OUTDATED}
    assert tasa.translation is TranslationCheck.OUTDATED
    assert tasa.words == ("English changed since the Spanish was checked",)
    assert _by_path(folder)[RATE].statuses == set()  # the English itself is fine
    _mark_checked(folder)  # checked again against the English as it is now
    assert _by_path(folder)[TASA].statuses == set()


@pytest.mark.parametrize(
    "change",
    [
        "title: Heart Rate\n->title: Pulse\n",
        "summary: Your heart rate->summary: The heart rate",
        "sources: [->urgent: Call 911 if you faint.\nsources: [",
    ],
)
def test_a_change_to_the_title_summary_or_urgent_text_is_a_change(
    folder: Path, change: str
) -> None:
    _mark_checked(folder)
    old, new = change.split("->")
    _replace(folder / RATE, old, new)
    assert _by_path(folder)[TASA].statuses == {Status.TRANSLATION_OUTDATED}


def test_line_endings_trailing_spaces_and_details_patients_do_not_see_are_no_change(
    folder: Path,
) -> None:
    _mark_checked(folder)
    english = (folder / RATE).read_text("utf-8")
    windows = "\r\n".join(line + "  " for line in english.split("\n")) + "\r\n\r\n"
    (folder / RATE).write_bytes(windows.encode("utf-8"))
    assert content_hash(windows) == content_hash(english)
    assert _by_path(folder)[TASA].translation is TranslationCheck.CHECKED
    _replace(folder / RATE, "review_due: 2027-11-27", "review_due: 2027-12-01")
    _replace(folder / RATE, "aliases: [pulse,", "aliases: [pulse, heart beat,")
    assert _by_path(folder)[TASA].statuses == set()


def test_marking_a_translation_checked_changes_only_its_own_line(folder: Path) -> None:
    from kiosk.core.content.frontmatter_edit import set_field

    never = set_field((folder / TASA).read_text("utf-8"), "translated_from", None)
    (folder / TASA).write_text(never, "utf-8")  # as before anyone marked it
    before = (folder / TASA).read_text("utf-8")
    _mark_checked(folder)
    after = (folder / TASA).read_text("utf-8")
    version = content_hash((folder / RATE).read_text("utf-8"))
    assert SOURCE_VERSION.fullmatch(version)
    changed = [
        d for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d[:2] in ("- ", "+ ")
    ]
    assert changed == [f"+ translated_from: {version}"]
    # Marked again after a change: that one line again, the file's CRLF kept.
    crlf = after.replace("\n", "\r\n")
    english = (folder / RATE).read_text("utf-8").replace("30 seconds", "60 seconds")
    again = mark_translation_checked(english, crlf)
    assert again == crlf.replace(version, content_hash(english))


def test_the_validator_accepts_the_version_and_names_a_bad_one(folder: Path) -> None:
    _mark_checked(folder)
    result = load_pack(folder, today=TODAY)
    assert result.ok and not [p for p in result.problems if p.file.endswith(str(TASA))]
    for bad in ("ABCDEF012345", "abc", "0123456789abc", "[0123456789ab]"):
        text = (folder / TASA).read_text("utf-8")
        lines = text.split("\n")
        line = lines.index(next(x for x in lines if x.startswith("translated_from")))
        written = text.split("\n")[line].split(": ", 1)[1]
        (folder / TASA).write_text(
            text.replace(f"translated_from: {written}", f"translated_from: {bad}"), "utf-8"
        )
        result = load_pack(folder, today=TODAY)
        mine = [p for p in result.problems if p.file.endswith(str(TASA))]
        assert [(p.severity, p.line) for p in mine] == [(Severity.ERROR, line + 1)], mine
        assert mine[0].message.startswith("'translated_from: ")
        assert "mark the translation as checked" in mine[0].message


def test_the_version_is_no_change_for_patients_and_a_built_pack_installs(
    folder: Path, tmp_path: Path
) -> None:
    before = load_pack(REPO / "content", today=TODAY).pack
    _mark_checked(folder)
    after = load_pack(folder, today=TODAY).pack
    assert after is not None and changes(before, after) == []
    key = Ed25519PrivateKey.generate()
    key_file = tmp_path / "signing.key"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    usb = tmp_path / "usb"
    usb.mkdir()
    pack = publish(folder, key_file, usb, now=datetime(2026, 12, 3, 15, 4, 5, tzinfo=UTC))
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'store = "{tmp_path / "store"}"\ntrusted_keys = ["{public_key_text(key)}"]\n'
    )
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", "content", "install", str(pack), "--config", str(config)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_validator_s_problems_mark_their_articles(folder: Path) -> None:
    problems = [
        Problem(str(folder / RATE), 12, Severity.WARNING, "a warning"),
        Problem(str(folder / "pack.toml"), 3, Severity.ERROR, "not an article's"),
    ]
    found = _by_path(folder, problems=problems)
    assert found[RATE].statuses == {Status.HAS_PROBLEMS} and found[RATE].words == ("Has problems",)
    assert [r for r in found.values() if r.flags and r.path != folder / RATE] == []


@pytest.mark.parametrize(
    "data",
    [b"---\ntitle: Heart Rate\n\xff\xfe not text", b"no front matter at all", b"---\ntitle: [\n"],
)
def test_a_file_the_studio_cannot_read_is_a_row_not_an_exception(folder: Path, data: bytes) -> None:
    (folder / RATE).write_bytes(data)
    rate = _by_path(folder)[RATE]
    assert rate.title == "heart-rate" and rate.language == "en"
    if data.startswith(b"---\ntitle: Heart Rate\n\xff"):
        assert rate.statuses == {Status.HAS_PROBLEMS}


def test_one_file_read_again(folder: Path) -> None:
    read = read_folder(folder)
    _replace(folder / RATE, "title: Heart Rate", "title: Pulse")
    (folder / "es/terms/hantavirus.md").unlink()
    again = reread(reread(read, folder / RATE), folder / "es/terms/hantavirus.md")
    titles = {r.path.relative_to(folder): r.title for r in rows(again, [], TODAY)}
    assert titles[RATE] == "Pulse" and len(titles) == 27
    assert [f.path for f in again.files] == sorted(f.path for f in again.files)


def test_the_kiosk_s_own_search_even_over_a_folder_with_errors(folder: Path) -> None:
    _replace(folder / RATE, "Sit still", "See [this](no-such-article). Sit still")
    assert not load_pack(folder, today=TODAY).ok  # `kiosk search` would refuse it
    index = search_index(read_folder(folder))
    assert search_places(index, ["en", "es"], "pulse") == {
        ("en", "heart-rate"): 0,
        ("es", "heart-rate"): 0,
    }
    assert next(iter(search_places(index, ["en"], "hart atack"))) == ("en", "heart-attack")
    assert ("en", "heartburn") in search_places(index, ["en"], "heart")
