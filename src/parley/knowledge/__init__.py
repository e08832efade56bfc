"""Knowledge the extractors use: actors, attribution cues, the PLOVER lexicon, issues."""
