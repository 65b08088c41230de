"""Every error type the core raises for a person's mistake derives from KioskError and
not from ValueError, so ``except KioskError`` never hides a bug and ``except ValueError``
never swallows a person's mistake as if it were a parse detail."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from kiosk.core.errors import KioskError

CORE = Path(__file__).resolve().parent.parent / "kiosk" / "core"


def _core_error_types() -> list[type[BaseException]]:
    found: list[type[BaseException]] = []
    for path in sorted(CORE.rglob("*.py")):
        parts = path.relative_to(CORE).with_suffix("").parts
        module = importlib.import_module(".".join(("kiosk", "core", *parts)))
        for _, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, Exception)
                and value.__module__ == module.__name__
                and not value.__name__.startswith("_")
            ):
                found.append(value)
    return found


def test_every_public_core_error_is_a_kiosk_error_and_not_a_value_error() -> None:
    types = _core_error_types()
    assert len(types) >= 9  # ConfigError, PackError, BuildError, SigningError, ...
    # OSError subclasses (NotARegularFileError, FolderError) are the operating system's
    # answer about a path, caught with the other OSErrors where files are opened.
    wrong = [
        t.__qualname__
        for t in types
        if not issubclass(t, OSError)
        and (not issubclass(t, KioskError) or issubclass(t, ValueError))
    ]
    assert wrong == []
