"""Where Parley keeps its records: an embedded SQLite store (``Store``)."""

from __future__ import annotations

from parley.store.sqlite import QuarantinedInput, SaveReport, Store

__all__ = ["QuarantinedInput", "SaveReport", "Store"]
