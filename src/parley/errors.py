"""Typed errors: each names the input and the problem."""

from __future__ import annotations

from pathlib import Path


class ParleyError(Exception):
    """Base of every error Parley raises on purpose."""


class InputError(ParleyError):
    """An input document cannot be read: names the file, the line where known, and the problem."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


class KnowledgeError(ParleyError):
    """A knowledge data file (actors, cues, issues, PLOVER lexicon) is malformed."""


class StoreError(ParleyError):
    """The store cannot be opened or written (wrong schema version, not a Parley database, ...)."""
