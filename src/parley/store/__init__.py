"""Where Parley keeps its records: an embedded SQLite store (``Store``).

Open a store with :func:`open_store`, which takes a file path (SQLite, the default) and is where other
backends plug in by URL.
"""

from __future__ import annotations

from pathlib import Path

from parley.store.sqlite import QuarantinedInput, SaveReport, Store

__all__ = ["QuarantinedInput", "SaveReport", "Store", "open_store"]


def open_store(location: str | Path) -> Store:
    """Return the store at ``location``: a SQLite file path (created if absent).

    Raises:
        StoreError: when the location cannot be opened as a Parley store.
    """
    return Store(location)
