"""What the validator tells an administrator: a file, a line, and what to fix."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity.value}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "severity": self.severity.value,
            "message": self.message,
        }


class ProblemList:
    """Collects problems for one file, so callers need not repeat its name."""

    def __init__(self, sink: list[Problem], file: str) -> None:
        self._sink = sink
        self.file = file

    def error(self, line: int, message: str) -> None:
        self._sink.append(Problem(self.file, line, Severity.ERROR, message))

    def warning(self, line: int, message: str) -> None:
        self._sink.append(Problem(self.file, line, Severity.WARNING, message))


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)
