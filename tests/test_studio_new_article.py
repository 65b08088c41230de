"""A new article made by the studio passes `kiosk content validate` with no further edit
(kiosk.core.studio.new_article), in English and Spanish, whatever staff typed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core.content.loader import load_pack
from kiosk.core.content.pack import Kind
from kiosk.core.studio.new_article import NewArticleError, new_article, slug_for

REPO = Path(__file__).resolve().parents[1]

# Words as staff write them, with what YAML and Markdown treat specially.
_WORDS = st.sampled_from(
    [
        "Heat",
        "stroke",
        "golpe",
        "de",
        "calor",
        "día",
        "niño",
        "agua",
        "Call",
        "911:",
        "#1",
        "'cool'",
        '"shade"',
        "[rest]",
        "& drink",
        "50%",
        "¿Qué",
        "es?",
        "-",
        "a:b",
    ]
)
_TITLE = st.lists(_WORDS, min_size=1, max_size=5).map(" ".join)
_SUMMARY = st.lists(_WORDS, min_size=3, max_size=12).map(lambda w: " ".join(w) + ".")


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pack") / "content"
    shutil.copytree(REPO / "content", folder)
    return folder


def test_slugs_are_file_names_patients_never_see() -> None:
    assert slug_for("Heat Stroke") == "heat-stroke"
    assert slug_for("Golpe de calor: ¿qué es?") == "golpe-de-calor-que-es"
    with pytest.raises(NewArticleError, match="gives no file name"):
        slug_for("¿?!")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(title=_TITLE, summary=_SUMMARY, kind=st.sampled_from(list(Kind)))
def test_a_new_article_and_its_translation_pass_the_validator(
    pack: Path, title: str, summary: str, kind: Kind
) -> None:
    today = date(2026, 12, 3)
    slug = slug_for("Heat stroke " + title)
    folder = "topics" if kind is Kind.TOPIC else "terms"
    written = []
    for locale, text in (
        ("en", "Heat stroke is when your body gets too hot. Move to shade and drink water."),
        ("es", "El golpe de calor es cuando su cuerpo se calienta mucho. Busque sombra."),
    ):
        path = pack / locale / folder / f"{slug}.md"
        path.write_text(
            new_article(title=title, kind=kind, summary=summary, text=text, today=today),
            encoding="utf-8",
        )
        written.append(path)
    try:
        result = load_pack(pack, today=today)
        mine = [p for p in result.problems if Path(p.file).name == f"{slug}.md"]
        assert mine == []
        assert result.ok
        [article] = [a for a in result.articles if a.slug == slug and a.locale == "en"]
        assert article.title == title.strip() and article.summary == summary
        assert article.review_due == date(2027, 12, 3)
    finally:
        for path in written:
            path.unlink()


def test_the_real_validate_command_accepts_a_new_article(pack: Path) -> None:
    made = {
        "en": new_article(
            title="Heat Stroke",
            kind=Kind.TOPIC,
            summary="Too hot for too long.",
            text="Heat stroke is an emergency. Call 911.",
            today=date(2026, 12, 3),
        ),
        "es": new_article(
            title="Golpe de calor",
            kind=Kind.TOPIC,
            summary="Demasiado calor por mucho tiempo.",
            text="El golpe de calor es una emergencia. Llame al 911.",
            today=date(2026, 12, 3),
        ),
    }
    for locale, file in made.items():
        (pack / locale / "topics" / "heat-stroke.md").write_text(file, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", "content", "validate", str(pack)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 errors, 0 warnings" in run.stdout


def test_a_form_without_a_title_or_text_says_what_is_missing() -> None:
    with pytest.raises(NewArticleError, match="give the article a title"):
        new_article(title=" ", kind=Kind.TERM, summary="", text="x", today=date(2026, 1, 1))
    with pytest.raises(NewArticleError, match="first paragraph"):
        new_article(title="x", kind=Kind.TERM, summary="", text="\n", today=date(2026, 1, 1))


def test_a_review_due_a_year_after_29_february_is_28_february() -> None:
    file = new_article(
        title="Leap", kind=Kind.TERM, summary="", text="Text.", today=date(2028, 2, 29)
    )
    assert "review_due: 2029-02-28\n" in file
