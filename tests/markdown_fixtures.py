"""Render a Markdown fixture the way the loader does, as plain data for golden files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.core.content.markdown import parse
from kiosk.core.content.packpaths import PackPaths
from kiosk.core.content.problems import Problem, ProblemList

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures" / "content"


def render_fixture(path: Path) -> dict[str, Any]:
    problems: list[Problem] = []
    rendered = parse(
        path.read_text("utf-8"), PackPaths(FIXTURE_DIR, path), ProblemList(problems, path.name)
    )
    return {
        "sections": [
            {
                "title": s.title,
                "html": s.html,
                "text": s.text,
                "links": list(s.links),
                "take_home_urls": list(s.take_home_urls),
            }
            for s in rendered.sections
        ],
        "problems": [f"{p.line}: {p.severity.value}: {p.message}" for p in problems],
    }


if __name__ == "__main__":
    # Regenerate the golden files; read every diff before committing it.
    import json

    for md in sorted(FIXTURE_DIR.glob("*.md")):
        out = md.with_suffix(".expected.json")
        out.write_text(json.dumps(render_fixture(md), indent=2, ensure_ascii=False) + "\n")
        print("wrote", out)
