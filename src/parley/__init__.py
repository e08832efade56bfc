"""Parley: who said what, to whom, when, under which conditions, and how it changed."""

from __future__ import annotations

__version__ = "0.1.0"
