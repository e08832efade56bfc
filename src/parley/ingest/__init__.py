"""Reading articles from files: plain text, HTML pages, JSON Lines, RSS/Atom feeds and WARC archives.

Readers yield an :class:`~parley.errors.InputError` for a document they cannot read instead of
raising it, so that one bad file (or one bad line of a JSONL file) never stops a batch. Documents
larger than the limits of :mod:`parley.ingest.limits` are refused here, before they are parsed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from parley.errors import InputError
from parley.ingest.feed import is_feed, read_feed
from parley.ingest.html import read_html
from parley.ingest.jsonl import read_jsonl
from parley.ingest.limits import check_article, check_document_size
from parley.ingest.text import read_text
from parley.ingest.warc import read_warc
from parley.model import Article

__all__ = ["READERS", "format_of", "read_path", "read_paths"]

Reader = Callable[[Path], Iterator[Article | InputError]]

READERS: Mapping[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": read_feed,
    ".warc": read_warc,
    ".warc.gz": read_warc,
}
# Formats of one document per file: their size is checked before they are read.
_SINGLE_DOCUMENT = frozenset({".txt", ".text", ".html", ".htm"})
# XML that is not a feed (sitemaps, data files) is left alone in a folder; named directly it is an error.
_SNIFFED = {".xml": is_feed}


def format_of(path: Path) -> str | None:
    """Return the READERS key for ``path`` (``.warc.gz`` before ``.gz``; any case), or None."""
    name = path.name.lower()
    return next((suffix for suffix in _BY_LENGTH if name.endswith(suffix)), None)


_BY_LENGTH = sorted(READERS, key=len, reverse=True)


def read_path(path: Path) -> Iterator[Article | InputError]:
    """Yield the articles in the file or directory at ``path``, and an InputError per bad document.

    The reader is chosen by the file's suffix (case does not matter): ``.txt``/``.text`` plain text,
    ``.html``/``.htm`` HTML, ``.jsonl``/``.ndjson`` JSON Lines, ``.rss``/``.atom``/``.xml`` feeds,
    ``.warc``/``.warc.gz`` web archives. A directory is read as :func:`read_paths` reads it. A missing
    path, an unsupported suffix, a one-document file over the size limit or an article over the
    length limit (:mod:`parley.ingest.limits`) gives an InputError; nothing is raised for bad input.
    """
    path = Path(path)
    if path.is_dir():
        yield from _read_directory(path)
        return
    if not path.exists():
        yield InputError(path, "no such file or directory")
        return
    suffix = format_of(path)
    if suffix is None:
        kind = f"unsupported file type {path.suffix!r}" if path.suffix else "no file suffix"
        yield InputError(path, f"{kind}; expected one of {', '.join(READERS)}")
        return
    if suffix in _SINGLE_DOCUMENT:
        try:
            check_document_size(path.stat().st_size, path)
        except InputError as error:
            yield error
            return
        except OSError:
            pass  # the reader reports an unreadable file in its own words
    for item in READERS[suffix](path):
        yield item if isinstance(item, InputError) else check_article(item)


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
            path = Path(root, name)
            suffix = format_of(path)
            if name.startswith(".") or suffix is None:
                continue
            sniff = _SNIFFED.get(suffix)
            if sniff is None or sniff(path):
                yield path
