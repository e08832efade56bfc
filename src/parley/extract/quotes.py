"""Quoted speech on characters: quotation marks of any style, and speaker labels of transcripts.

Works on characters, not tokens, so that an article whose marks do not pair is never dropped: an
unclosed quote ends at its paragraph (or continues, by news convention, when the next paragraph opens
with a quotation mark again). Transcripts ("President of Russia Vladimir Putin: Colleagues, ...") are
quoted speech too: :func:`find_turn_labels` finds the labels, :func:`turns_of` cuts the turns.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Sequence
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
_SENTENCE_BREAK = re.compile(r"[.!?…]\s+")
# Closing marks that may have lost their opening mark in the source.
_LOST_OPENER = frozenset('"”')


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


def _closes_lost_quote(text: str, i: int) -> bool:
    """A double mark after a comma or a full stop and before a space closes a quote (or nothing)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before in ",.!?" and after.isspace()


def _sentence_start(text: str, floor: int, i: int) -> int:
    """Offset where the sentence holding ``text[i - 1]`` starts, not before ``floor``."""
    ends = [m.end() for m in _SENTENCE_BREAK.finditer(text, floor, i - 1)]
    return ends[-1] if ends else floor


def _opens_nested(text: str, i: int) -> bool:
    """A same-character mark after a space and before a word opens a nested quote, not a closing one.

    Straight double marks are written on both sides of nested quotes ("... Russia is "paving" the
    way ..."); a closing mark never stands between a space and a word.
    """
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return text[i] not in _SINGLE and before.isspace() and after.isalnum()


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
    # Depth of quotes nested with the outer quote's own mark ("... Russia is "paving" the way ...").
    nested = 0

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
        nested = 0
        while i < p_end:
            ch = text[i]
            if mark is None:
                if ch in _PAIRS and _is_opener(text, i):
                    mark, content_start = ch, i + 1
                elif ch in _LOST_OPENER and _closes_lost_quote(text, i):
                    # The source lost the opening mark ('... things," the President said'): the quote
                    # is at least the sentence before the closing mark.
                    start = _sentence_start(text, max(p_start, quotes[-1].end + 1 if quotes else 0), i)
                    quotes.append(Quote((_trimmed(text, start, i),), ch, closed=True))
            elif ch == mark and ch in _PAIRS[mark] and _opens_nested(text, i):
                nested += 1
            elif ch in _PAIRS[mark] and _is_closer(text, i):
                if nested:
                    nested -= 1
                else:
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


@dataclass(frozen=True)
class Turn:
    """One speaker's turn in a transcript: the label naming the speaker and what follows it."""

    label: tuple[int, int]
    colon: int
    content: tuple[int, int]


# A colon that introduces speech: followed by a space, a parenthesis, a quotation mark or an ellipsis.
_COLON = re.compile(r":(?=[\s(\"“«…<]|$)")
_PARENTHETICAL = re.compile(r"\s*\([^()]{0,40}\)\s*$")
_BOUNDARY_END = frozenset('.!?…"”’)]*')
_OPENING_MARKS = frozenset("\"“«„‘'")


def find_turn_labels(text: str, connectors: Collection[str], min_words_inline: int = 3) -> list[Turn]:
    """Return candidate speaker labels ("Vladimir Putin:", "Question:") with empty contents.

    A label is the longest run of capitalised words (and ``connectors`` such as "of", "the") that
    ends at a colon, stands at a sentence boundary, and is followed by speech. Labels that run on
    from a heading ("Beginning of talks President of Russia Vladimir Putin:") need at least
    ``min_words_inline`` words, so that "signed by Vladimir Putin:" is not a label. Whether the
    label names a speaker is for the caller to check; :func:`turns_of` then cuts the turns.
    """
    found: list[Turn] = []
    for m in _COLON.finditer(text):
        colon = m.start()
        window_start = max(0, colon - 240)
        window = text[window_start:colon]
        paren = _PARENTHETICAL.search(window)
        head = window[: paren.start()] if paren else window.rstrip()
        words = list(re.finditer(r"\S+", head))
        kept: list[re.Match[str]] = []
        for word in reversed(words):
            w = word.group()
            if w[-1] in '.!?…,;:"”' or not (w[0].isupper() or w in connectors):
                break
            kept.append(word)
        while kept and kept[-1].group() in connectors:
            kept.pop()  # a label starts with a capitalised word, not with "of"
        if not kept:
            continue
        start = window_start + kept[-1].start()
        end = window_start + kept[0].end()
        ordered = kept[::-1]
        for first, second in itertools.pairwise(ordered):
            if first.group() == second.group():
                # kremlin.ru glues a name tooltip to some labels ("Yury Chikhanchin Chikhanchin
                # YuryHead of ...:"): the speaker is the well-formed title and name before it.
                end = window_start + first.end()
                break
        before = text[:start].rstrip()
        if before and len(before) == start and before[-1] in _OPENING_MARKS:
            continue  # the title of a work in quotation marks ("Large Construction: Roads"), not a label
        at_boundary = not before or before[-1] in _BOUNDARY_END
        if not at_boundary and len(kept) < min_words_inline:
            continue
        after = text[m.end() :].lstrip()
        if after and not (after[0].isupper() or after[0] in '("“«-–—…<[' or after[0].isdigit()):
            continue
        found.append(Turn((start, end), colon, (m.end(), m.end())))
    return found


def turns_of(text: str, labels: Sequence[Turn], breaks: Sequence[str] = ()) -> list[Turn]:
    """Return the turns that ``labels`` open: each runs to the next label, a section break or the end.

    ``breaks`` are section separators ("* * *") after which the text is narrative again.
    """
    ordered = sorted(labels, key=lambda t: t.label[0])
    turns: list[Turn] = []
    for n, label in enumerate(ordered):
        end = ordered[n + 1].label[0] if n + 1 < len(ordered) else len(text)
        for mark in breaks:
            cut = text.find(mark, label.colon, end)
            if cut != -1:
                end = cut
        start = label.colon + 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            turns.append(Turn(label.label, label.colon, (start, end)))
    return turns
