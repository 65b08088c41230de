"""The administrator's guide must not lie: its complete example really validates."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

from kiosk.core.loader import load_pack

from conftest import CONTENT, REPO

GUIDE = REPO / "docs" / "CONTENT.md"


def test_complete_example_article_passes_validation(tmp_path: Path) -> None:
    section = GUIDE.read_text("utf-8").split("## 5. A complete example article", 1)[1]
    example = re.search(r"```markdown\n(.*?)```", section, re.S)
    assert example, "section 5 must hold the example in a ```markdown block"
    pack = tmp_path / "content"
    shutil.copytree(CONTENT, pack)
    (pack / "en" / "terms" / "heat-stroke.md").write_text(example.group(1), "utf-8")
    result = load_pack(pack, today=date(2027, 1, 1))
    assert result.pack is not None, [str(p) for p in result.problems]
    article = result.pack.articles["en"]["heat-stroke"]
    assert len(article.sections) == 3
    assert article.sections[-1].take_home_urls  # the guide promises a take-home link


def test_guide_names_every_front_matter_key() -> None:
    from kiosk.core.frontmatter import KNOWN_KEYS

    text = GUIDE.read_text("utf-8")
    for key in KNOWN_KEYS:
        assert f"`{key}`" in text, key
