"""Input problems: one value for every file or folder the build cannot use as it is.

A problem is data, not an exception: the reader collects the problems it
works around (a bad file left out, bad metadata ignored), a worker process
or a Dask worker ships them back with its topic, the cache stores them with
the topic's pages, and the build prints each as one line naming the file.
Only a problem the build cannot go on without (the seeds folder itself, output
folders that overlap it) is raised, inside :class:`Unusable`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["warning", "error"]


@dataclass(frozen=True)
class Problem:
    """``path`` (as the user named it) cannot be used as it is, and ``message`` says why and what the build did."""

    path: str
    message: str
    severity: Severity = "warning"

    @classmethod
    def at(cls, path: Path | str, message: str, severity: Severity = "warning") -> Problem:
        return cls(str(path), message, severity)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def line(self) -> str:
        """The line the build prints: ``warning: <path>: <message>`` (or ``error:``)."""
        return f"{self.severity}: {self}"


class Unusable(Exception):
    """An input the build cannot go on without; ``problem`` names it."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem

    def __reduce__(self) -> tuple[type[Unusable], tuple[Problem]]:
        return (Unusable, (self.problem,))


Warn = Callable[[Problem], None]


def ignore(problem: Problem) -> None:
    """The ``warn`` of callers that give none: problems the reader works around pass silently."""
