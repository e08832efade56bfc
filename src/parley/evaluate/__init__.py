"""Scorers: one per extractor, reading the gold formats of the shared data and the repo dev sets."""
