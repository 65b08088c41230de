"""Size limits a reader can hold in their head (issue 14, docs/ARCHITECTURE.md).

No module over 400 lines and no class over 200, in kiosk/. Function complexity is
ruff's C901 (max 12, pyproject.toml). Prints each offender as ``path:line: what`` and
exits 1 if there is one; ``--report`` lists the largest files and classes and exits 0.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

MAX_FILE_LINES = 400
MAX_CLASS_LINES = 200
ROOT = Path(__file__).resolve().parent.parent


def measure(package: Path) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(lines, "path") per module and (lines, "path:line: Class") per class."""
    files, classes = [], []
    for path in sorted(package.rglob("*.py")):
        text = path.read_text("utf-8")
        rel = path.relative_to(ROOT)
        files.append((len(text.splitlines()), str(rel)))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
                size = node.end_lineno - node.lineno + 1
                classes.append((size, f"{rel}:{node.lineno}: {node.name}"))
    return files, classes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="list the largest, exit 0")
    args = parser.parse_args(argv)
    files, classes = measure(ROOT / "kiosk")
    if args.report:
        for size, what in sorted(files, reverse=True)[:15]:
            print(f"{size:5d}  {what}")
        print()
        for size, what in sorted(classes, reverse=True)[:15]:
            print(f"{size:5d}  {what}")
        return 0
    bad = [f"{w}: {n} lines (most {MAX_FILE_LINES})" for n, w in files if n > MAX_FILE_LINES]
    bad += [f"{w}: {n} lines (most {MAX_CLASS_LINES})" for n, w in classes if n > MAX_CLASS_LINES]
    for line in bad:
        print(line, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
