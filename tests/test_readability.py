"""Reading-grade formulas: counts a person can check by hand."""

from __future__ import annotations

import pytest

from kiosk.core.content.readability import (
    count_syllables,
    count_syllables_es,
    crawford_grade,
    grade,
    measure,
)


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("cat", 1),
        ("little", 2),
        ("needed", 2),
        ("used", 1),
        ("doses", 2),
        ("medicine", 3),
        ("hypertension", 4),
        ("people", 2),
    ],
)
def test_english_syllables(word: str, syllables: int) -> None:
    assert count_syllables(word) == syllables


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("poema", 3),
        ("leer", 2),
        ("día", 2),
        ("bien", 1),
        ("cuidado", 3),
        ("muy", 1),
        ("corazón", 3),
        ("insuficiencia", 5),
        ("hipertensión", 4),
    ],
)
def test_spanish_syllables(word: str, syllables: int) -> None:
    assert count_syllables_es(word) == syllables


def test_flesch_kincaid_by_hand() -> None:
    r = measure("The cat sat on the mat. It was fun.")
    assert (r.words, r.sentences, r.syllables) == (9, 2, 9)
    assert r.grade == pytest.approx(0.39 * 9 / 2 + 11.8 * 9 / 9 - 15.59)


def test_plain_text_scores_lower_than_dense_text() -> None:
    plain = "You can get help here. Ask the nurse. It is free."
    dense = (
        "Comprehensive pharmacological interventions necessitate interdisciplinary "
        "collaboration, particularly regarding contraindications and comorbidities."
    )
    assert measure(plain).grade < 4 < 12 < measure(dense).grade
    assert crawford_grade("Usted puede pedir ayuda. Es gratis.") < crawford_grade(
        "La farmacoterapia anticoagulante requiere monitorización interdisciplinaria "
        "considerando contraindicaciones y comorbilidades concomitantes."
    )


def test_grade_by_locale() -> None:
    assert grade("Hello there.", "en") is not None
    assert grade("Hola.", "es") is not None
    assert grade("Bonjour.", "fr") is None
