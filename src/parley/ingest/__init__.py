"""Reading articles from files: plain text, HTML pages and JSON Lines.

Readers yield an :class:`~parley.errors.InputError` for a document they cannot read instead of
raising it, so that one bad file (or one bad line of a JSONL file) never stops a batch.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from parley.errors import InputError
from parley.ingest.html import read_html
from parley.ingest.jsonl import read_jsonl
from parley.ingest.text import read_text
from parley.model import Article

__all__ = ["READERS", "read_path", "read_paths"]

Reader = Callable[[Path], Iterator[Article | InputError]]

READERS: Mapping[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
}


def read_path(path: Path) -> Iterator[Article | InputError]:
    """Yield the articles in the file or directory at ``path``, and an InputError per bad document.

    The reader is chosen by the file's suffix (case does not matter): ``.txt``/``.text`` plain text,
    ``.html``/``.htm`` HTML, ``.jsonl``/``.ndjson`` JSON Lines. A directory is read as
    :func:`read_paths` reads it. A missing path or an unsupported suffix gives one InputError;
    nothing is raised for bad input.
    """
    path = Path(path)
    if path.is_dir():
        yield from _read_directory(path)
        return
    if not path.exists():
        yield InputError(path, "no such file or directory")
        return
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        kind = f"unsupported file type {path.suffix!r}" if path.suffix else "no file suffix"
        yield InputError(path, f"{kind}; expected one of {', '.join(READERS)}")
        return
    yield from reader(path)


def read_paths(paths: Iterable[Path]) -> Iterator[Article | InputError]:
    """Yield the articles in each of ``paths`` in order, and an InputError per bad document.

    A directory is walked recursively in sorted order, reading only files with a supported suffix
    and skipping hidden files and directories; a file named directly is always read (see
    :func:`read_path`).
    """
    for path in paths:
        yield from read_path(path)


def _read_directory(directory: Path) -> Iterator[Article | InputError]:
    for path in _walk(directory):
        yield from read_path(path)


def _walk(directory: Path) -> Iterator[Path]:
    """Yield the supported files under ``directory``, depth first, each level in sorted order."""
    # os.walk does not follow links to directories, so a link loop cannot make the walk endless.
    for root, dirs, files in os.walk(directory):
        # Hidden directories hold tool state (.git, .ipynb_checkpoints copies), not a corpus.
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in READERS:
                yield Path(root, name)
