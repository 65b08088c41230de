"""Every colour pair the style sheet draws, in every theme, meets WCAG AAA contrast.

The pairs come from the style sheet itself: each rule's text colour against its own
background, or against both page backgrounds when the rule has none; each border
against the backgrounds it sits on. Ratios use the exact formula in ACCEPTANCE.md.
"""

from __future__ import annotations

import re
import tomllib

import pytest

from kiosk.core.contrast import contrast_ratio
from kiosk.resources import THEMES

from conftest import REPO

# ${size} placeholders hold braces that would confuse the rule parser below.
QSS = re.sub(
    r"\$\{(\w+)\}", r"$\1", (REPO / "resources" / "themes" / "kiosk.qss").read_text("utf-8")
)
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
TEXT_MIN, EDGE_MIN = 7.0, 3.0
PAGES = ("background", "surface")
# Labels drawn on a coloured container rather than on a page: role -> that fill.
ON_FILL = {
    "attract-title": "primary",  # the welcome screen is the primary colour
    "attract-text": "primary",
    "entry-title": "primary",  # the "Health words A to Z" card
    "entry-text": "primary",
    "banner-text": "banner",
}


def colors(theme: str) -> dict[str, str]:
    data = tomllib.loads((REPO / "resources" / "themes" / f"{theme}.toml").read_text("utf-8"))
    found: dict[str, str] = data["colors"]
    return found


def rules() -> list[tuple[str, dict[str, str]]]:
    found = []
    for selector, body in RULE.findall(re.sub(r"/\*.*?\*/", "", QSS, flags=re.S)):
        props = {}
        for prop in ("color", "background", "border", "border-color", "border-bottom"):
            match = re.search(rf"(?<![-\w]){prop}\s*:[^;]*\$(\w+)", body)
            if match:
                props[prop] = match.group(1)
        found.append((" ".join(selector.split()), props))
    return found


def text_pairs() -> set[tuple[str, str, str]]:
    pairs = set()
    for selector, props in rules():
        if "color" not in props or ":disabled" in selector:
            continue  # WCAG exempts disabled controls; tested separately below
        role = re.search(r'role="([\w-]+)"', selector)
        if "background" in props:
            backgrounds = [props["background"]]
        elif role and role.group(1) in ON_FILL:
            backgrounds = [ON_FILL[role.group(1)]]
        else:
            backgrounds = list(PAGES)
        for background in backgrounds:
            pairs.add((selector, props["color"], background))
    return pairs


def edge_pairs() -> set[tuple[str, str, str]]:
    pairs = set()
    for selector, props in rules():
        for prop in ("border", "border-color", "border-bottom"):
            if prop in props and ":disabled" not in selector:
                for background in PAGES:
                    pairs.add((selector, props[prop], background))
    return pairs


def test_the_style_sheet_gives_pairs_to_check() -> None:
    assert len(text_pairs()) >= 20 and len(edge_pairs()) >= 8


@pytest.mark.parametrize("theme", THEMES)
def test_text_is_at_least_7_to_1(theme: str) -> None:
    palette = colors(theme)
    failing = [
        f"{sel}: {fg} on {bg} = {contrast_ratio(palette[fg], palette[bg]):.2f}"
        for sel, fg, bg in sorted(text_pairs())
        if contrast_ratio(palette[fg], palette[bg]) < TEXT_MIN
    ]
    assert failing == []


@pytest.mark.parametrize("theme", THEMES)
def test_control_edges_and_focus_ring_are_at_least_3_to_1(theme: str) -> None:
    palette = colors(theme)
    failing = [
        f"{sel}: {edge} on {bg} = {contrast_ratio(palette[edge], palette[bg]):.2f}"
        for sel, edge, bg in sorted(edge_pairs())
        if edge not in ("disabled",) and contrast_ratio(palette[edge], palette[bg]) < EDGE_MIN
    ]
    assert failing == []
    # Filled buttons are recognisable by their fill alone.
    for fill in ("primary", "danger"):
        assert contrast_ratio(palette[fill], palette["background"]) >= EDGE_MIN


@pytest.mark.parametrize("theme", THEMES)
def test_disabled_letters_stay_readable(theme: str) -> None:
    palette = colors(theme)
    assert contrast_ratio(palette["on_disabled"], palette["disabled"]) >= 4.5


def lowest_ratios() -> dict[str, float]:
    result = {}
    for theme in THEMES:
        palette = colors(theme)
        result[theme] = min(contrast_ratio(palette[fg], palette[bg]) for _, fg, bg in text_pairs())
    return result


def test_formula_matches_known_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
