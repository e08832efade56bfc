"""Where Parley keeps its records: a :class:`Store`, in a SQLite file or a PostgreSQL database.

Open one with :func:`open_store` (or ``Store(location)``): a file path gives the embedded SQLite
store (:class:`~parley.store.sqlite.SQLiteStore`), a ``postgresql://`` URL a shared server
(:class:`~parley.store.postgres.PostgresStore`, with the ``postgres`` extra installed). Both keep the
same records with the same guarantees; the rest of Parley only sees :class:`Store`.
"""

from __future__ import annotations

from pathlib import Path

from parley.store.base import QuarantinedInput, SaveReport, Store, TimelineState, backend_for, redact
from parley.store.sqlite import SQLiteStore

__all__ = [
    "QuarantinedInput",
    "SQLiteStore",
    "SaveReport",
    "Store",
    "TimelineState",
    "open_store",
    "redact",
]


def open_store(location: str | Path, *, timeout: float = 5.0) -> Store:
    """Return the store at ``location``, created and migrated as needed.

    ``location`` is a SQLite file path (created if absent) or a ``postgresql://`` URL of an
    existing database (its tables are created if absent). ``timeout`` is how many seconds a write
    waits for another writer before giving up.

    Raises:
        StoreError: when the location cannot be opened as a Parley store, names an unknown kind of
            store, or is a PostgreSQL URL while psycopg is not installed.
    """
    return backend_for(location)(location, timeout=timeout)
