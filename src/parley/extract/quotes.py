"""Quotation marks: find quoted stretches of text, whatever the mark style.

Works on characters, not tokens, so that an article whose marks do not pair is never dropped: an
unclosed quote ends at its paragraph (or continues, by news convention, when the next paragraph opens
with a quotation mark again).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Opening mark -> the marks that may close it. „ closes with “ in German style, ” in others.
_PAIRS: dict[str, str] = {
    "“": "”",
    "„": "“”",
    "«": "»",
    "‹": "›",
    "‘": "’",
    '"': '"',
    "'": "'",
    "”": "”",  # some outlets use the same curly mark on both sides
}
_SINGLE = frozenset("‘'’‹›")
_OPEN_BEFORE = frozenset(" \t\n([{—–-/:")
_PARAGRAPH = re.compile(r"\n\s*")


@dataclass(frozen=True)
class Quote:
    """A quoted stretch: its content parts (one per paragraph it covers) as character offsets."""

    parts: tuple[tuple[int, int], ...]
    mark: str
    closed: bool

    @property
    def start(self) -> int:
        """Offset of the first content character."""
        return self.parts[0][0]

    @property
    def end(self) -> int:
        """Offset just after the last content character."""
        return self.parts[-1][1]


def _is_opener(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isspace():
        return False
    if text[i] in "'’”":
        # Only at a word's start: "'" inside "don't" or "Kyiv's" is an apostrophe.
        return before in _OPEN_BEFORE
    return True


def _is_closer(text: str, i: int) -> bool:
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] in "'’":
        # An apostrophe inside a word ("Kyiv’s") does not close a single-quoted stretch.
        return not after.isalpha()
    return True


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    # The comma before a closing mark belongs to the reporting sentence ("peace," he said).
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def find_quotes(text: str) -> list[Quote]:
    """Return the quoted stretches of ``text`` in order; nested quotes stay inside the outer one.

    Never raises on unbalanced marks: an unclosed quote ends at its paragraph unless the next
    paragraph opens with a mark of the same kind (a quote continued across paragraphs).
    """
    paragraphs: list[tuple[int, int]] = []
    pos = 0
    for m in _PARAGRAPH.finditer(text):
        paragraphs.append((pos, m.start()))
        pos = m.end()
    paragraphs.append((pos, len(text)))

    quotes: list[Quote] = []
    mark: str | None = None
    parts: list[tuple[int, int]] = []
    content_start = 0

    def finish(closed: bool) -> None:
        nonlocal mark, parts
        kept = tuple(p for p in parts if p[1] > p[0])
        if kept and mark is not None:
            quotes.append(Quote(kept, mark, closed))
        mark, parts = None, []

    for p_start, p_end in paragraphs:
        i = p_start
        if mark is not None:
            if p_start < p_end and text[p_start] in (mark + _PAIRS[mark]) and _is_opener(text, p_start):
                content_start, i = p_start + 1, p_start + 1
            else:
                finish(closed=False)
        while i < p_end:
            ch = text[i]
            if mark is None:
                if ch in _PAIRS and _is_opener(text, i):
                    mark, content_start = ch, i + 1
            elif ch in _PAIRS[mark] and _is_closer(text, i):
                parts.append(_trimmed(text, content_start, i))
                finish(closed=True)
            elif ch in _PAIRS and ch not in _SINGLE and mark in _SINGLE and _is_opener(text, i):
                # A double mark opening inside a single-quoted stretch means the single mark was an
                # apostrophe after all: restart from the double mark.
                mark, parts, content_start = ch, [], i + 1
            i += 1
        if mark is not None:
            parts.append(_trimmed(text, content_start, p_end))
    if mark is not None:
        finish(closed=False)
    return quotes
