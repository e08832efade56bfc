"""Who said what: direct quotes, reported speech and mixed quotes, with speaker, cue and venue.

The ``parley_statements`` component reads the dependency parse: a cue verb from ``cues.yaml`` whose
clausal complement is the content and whose subject is the speaker. Participle cues (", saying ...")
take the subject of the verb they hang from; pronouns and role nouns ("He", "The President") are
resolved to the most salient earlier person. Quotes no cue governs are attributed to an adjacent cue,
or continue the previous speaker's statement; short quotes with no cue are scare quotes, not statements.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from parley.extract.actors import ActorMention, mentions_of
from parley.extract.quotes import Quote, find_quotes
from parley.knowledge.actors import ActorBase, load_actors
from parley.knowledge.lexicon import Cue, CueLexicon, load_cues, load_outlets
from parley.model import Article, Mention, Statement, stable_id
from parley.model import Span as TextSpan
from parley.nlp import article_of

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_NP_LEFT = ("compound", "amod", "det", "poss", "nmod", "nummod", "case", "punct", "prep", "pobj")
_HANGING = ("advcl", "xcomp", "conj", "pcomp", "acl")
_SENTENCE_END = re.compile(r"[.!?][”\"’']?\s")
_EDGE_PUNCT = set(",;:.—–-\"'“”‘’«»„")


@dataclass
class _Draft:
    kind: str
    cue: Token | None
    subject: Token | None
    parts: list[tuple[int, int]]
    anchor: int  # character offset that orders statements in the text
    quotes: list[Quote] = field(default_factory=list)
    venue: tuple[int, int] | None = None
    venue_inferred: bool = False
    retrospective: bool = False
    speaker: ActorMention | None = None
    speaker_span: tuple[int, int] | None = None
    continues: _Draft | None = None


class StatementExtractor:
    """spaCy component: writes ``doc._.parley_statements`` in text order."""

    def __init__(self, cues: CueLexicon, base: ActorBase) -> None:
        self.cues = cues
        self.base = base

    def __call__(self, doc: Doc) -> Doc:
        article = article_of(doc)
        text = doc.text
        quotes = find_quotes(text)
        drafts = list(self._reported(doc, quotes))
        used = {id(q) for d in drafts for q in d.quotes}
        drafts += self._quoted(doc, [q for q in quotes if id(q) not in used], drafts)
        drafts.sort(key=lambda d: d.anchor)
        paragraphs = _paragraph_starts(text)
        drafts = _merge_split_quotes(drafts, text)
        _Resolver(doc, self.base, article, self.cues.pronouns).resolve(drafts)
        self._carry_venues(drafts, paragraphs)
        doc._.parley_statements = [self._record(doc, article, d) for d in drafts if d.parts]
        return doc

    # -- cues -------------------------------------------------------------------------------------

    def cue_of(self, token: Token) -> Cue | None:
        """Return the cue entry when ``token`` is a reporting verb, else None."""
        if token.pos_ not in ("VERB", "AUX"):
            return None
        cue = self.cues.verbs.get(token.lemma_.lower())
        if cue is None:
            return None
        if cue.particle and not any(c.dep_ == "prt" and c.lower_ == cue.particle for c in token.children):
            return None
        return cue

    def _reported(self, doc: Doc, quotes: list[Quote]) -> Iterator[_Draft]:
        """Statements whose content is a cue's complement (reported speech, or a quote it governs)."""
        for token in doc:
            cue = self.cue_of(token)
            if cue is None or _inside_quote(token.idx, quotes):
                continue
            subject = _subject_of(token)
            if subject is None or not self._can_speak(subject):
                continue
            if _inside_quote(subject.idx, quotes) or _hangs_from_quote(token, quotes):
                # A participle inside someone's quote is the journalist's gloss, not a new speaker.
                continue
            child = next((c for c in token.children if c.dep_ in cue.content_deps), None)
            if child is None:
                continue
            start, end = _content_range(child, quotes)
            if end <= start:
                continue
            inner = [q for q in quotes if start <= q.start and q.end <= end + 1]
            quoted = sum(e - s for q in inner for s, e in q.parts)
            draft = _Draft("indirect", token, subject, [(start, end)], anchor=token.idx)
            if inner and quoted >= 0.8 * _letters(doc.text, start, end):
                draft.kind, draft.parts = "direct", [p for q in inner for p in q.parts]
                draft.quotes = inner
            elif inner:
                draft.kind, draft.quotes = "mixed", inner
            draft.retrospective = self._retrospective(token)
            draft.venue = self._venue(token, start, end)
            yield draft
        yield from self._according_to(doc, quotes)

    def _according_to(self, doc: Doc, quotes: list[Quote]) -> Iterator[_Draft]:
        for phrase in self.cues.phrases:
            first, *rest = phrase.split()
            for token in doc:
                if token.lower_ != first or _inside_quote(token.idx, quotes):
                    continue
                last = token
                for word in rest:
                    nxt = next((c for c in last.children if c.lower_ == word), None)
                    if nxt is None:
                        break
                    last = nxt
                else:
                    speaker = next((c for c in last.children if c.dep_ == "pobj"), None)
                    clause = token.head
                    if speaker is None or clause == token or not self._can_speak(speaker):
                        continue  # "according to plan", "according to the data": no speaker
                    skip = range(token.left_edge.i, token.right_edge.i + 1)
                    parts = _ranges(doc, [t for t in clause.subtree if t.i not in skip])
                    if parts:
                        yield _Draft("indirect", token, speaker, parts, anchor=token.idx)

    def _quoted(self, doc: Doc, quotes: list[Quote], drafts: list[_Draft]) -> list[_Draft]:
        """Statements for quotes no cue governs: adjacent cue, continuation, or none (scare quote)."""
        found: list[_Draft] = []
        for quote in quotes:
            span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
            if span is None:
                continue
            words = sum(1 for t in span if not t.is_punct)
            if words < self.cues.min_quote_words:
                continue  # a scare quote ("terrible phase") or a term, not a statement
            cue = self._adjacent_cue(doc, span, quotes)
            subject = _subject_of(cue) if cue is not None else None
            if cue is not None and subject is not None and self._can_speak(subject):
                found.append(
                    _Draft(
                        "direct",
                        cue,
                        subject,
                        list(quote.parts),
                        anchor=quote.start,
                        quotes=[quote],
                        retrospective=self._retrospective(cue),
                        venue=self._venue(cue, quote.start, quote.end),
                    )
                )
                continue
            if _inside_any(quote, drafts + found):
                continue
            previous = _previous(drafts + found, quote.start)
            if previous is not None and _same_or_next_paragraph(doc.text, previous.anchor, quote.start):
                found.append(
                    _Draft(
                        "direct",
                        None,
                        None,
                        list(quote.parts),
                        anchor=quote.start,
                        quotes=[quote],
                        continues=previous,
                        retrospective=previous.retrospective,
                    )
                )
        return found

    def _adjacent_cue(self, doc: Doc, span: Span, quotes: list[Quote]) -> Token | None:
        """A cue in the quote's sentences that governs it, hangs from it, or stands next to it."""
        first, last = span[0].sent, span[-1].sent
        window = doc[first.start : last.end]
        best: tuple[int, Token] | None = None
        for token in window:
            if self.cue_of(token) is None or _inside_quote(token.idx, quotes):
                continue
            related = any(t.i in range(span.start, span.end) for t in token.ancestors) or any(
                a.i == token.i for t in span for a in t.ancestors
            )
            distance = min(abs(token.i - span.start), abs(token.i - span.end))
            if (related or distance <= 4) and (best is None or distance < best[0]):
                best = (distance, token)
        return best[1] if best else None

    def _can_speak(self, subject: Token) -> bool:
        """True when a subject can name a speaker: a name, a pronoun, a person or body noun."""
        if subject.pos_ == "PROPN" or subject.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
            return True
        word = subject.lower_
        if word in self.cues.pronouns or word in ("i", "we", "they", "you"):
            return True
        if any(m.start <= subject.i < m.end for m in mentions_of(subject.doc)):
            return True
        return word in self.cues.speaker_nouns or self.base.role_noun(word) is not None

    # -- qualifiers of a statement ----------------------------------------------------------------

    def _retrospective(self, cue: Token) -> bool:
        """True when the cue reports an earlier stance (past perfect, "previously", "in the past")."""
        children = list(cue.children)
        if (
            self.cues.past_perfect_is_retrospective
            and cue.tag_ == "VBN"
            and any(c.dep_ == "aux" and c.lower_ == "had" for c in children)
        ):
            return True
        if any(c.dep_ == "advmod" and c.lower_ in self.cues.retrospective_adverbs for c in children):
            return True
        before = cue.doc[cue.sent.start : cue.i].text.lower()
        return any(phrase in before for phrase in self.cues.retrospective_phrases)

    def _venue(self, cue: Token, content_start: int, content_end: int) -> tuple[int, int] | None:
        """The outlet, programme or occasion where the statement was made, from the cue's sentence."""
        sent = cue.sent
        outside = [t for t in sent if not content_start <= t.idx < content_end]
        for token in outside:
            lemma = token.lemma_.lower()
            preps = self.cues.venue_verb_preps.get(lemma) if token.pos_ == "VERB" else None
            preps = preps or (self.cues.venue_noun_preps.get(lemma) if token.pos_ == "NOUN" else None)
            if not preps:
                continue
            for prep in token.children:
                if prep.dep_ in ("prep", "dative") and prep.lower_ in preps:
                    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    if obj is not None:
                        return _np_chars(obj)
        if cue.lemma_.lower() in self.cues.venue_tell:
            for child in cue.children:
                if child.dep_ in ("dative", "dobj") and child.pos_ == "PROPN":
                    return _np_chars(child)
        for prep in cue.children:
            if prep.dep_ == "prep" and prep.lower_ in ("at", "during", "in", "on"):
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if obj is None:
                    continue
                phrase = cue.doc[obj.left_edge.i : obj.i + 1].text.lower()
                if any(phrase.endswith(v) for v in self.cues.venue_events):
                    return _np_chars(obj)
                if prep.lower_ == "on" and obj.pos_ == "PROPN":
                    return _np_chars(obj)
        return None

    @staticmethod
    def _carry_venues(drafts: list[_Draft], paragraphs: list[int]) -> None:
        """Carry a venue to the next statements of the same speaker in the same interview.

        The chain holds while statements follow one another (same or next paragraph, same speaker,
        none retrospective); a new venue, another speaker or an earlier stance ends it.
        """
        for prev, draft in itertools.pairwise(drafts):
            if draft.venue is not None or draft.retrospective or prev.retrospective:
                continue
            if prev.venue is None or not _same_speaker(prev, draft):
                continue
            gap = _paragraph_index(paragraphs, draft.anchor) - _paragraph_index(paragraphs, prev.anchor)
            if gap <= 1:
                draft.venue, draft.venue_inferred = prev.venue, True

    # -- records ----------------------------------------------------------------------------------

    @staticmethod
    def _record(doc: Doc, article: Article, d: _Draft) -> Statement:
        text = doc.text
        content = tuple(TextSpan.of(text, s, e) for s, e in d.parts)
        speaker = None
        if d.speaker_span is not None:
            s, e = d.speaker_span
            actor = d.speaker.actor if d.speaker else None
            speaker = (
                Mention(text[s:e], s, e)
                if actor is None
                else Mention(text[s:e], s, e, actor.id, actor.country, actor.sector)
            )
        cue = None
        if d.cue is not None:
            cue_end = d.cue.idx + len(d.cue.text)
            for c in d.cue.children:
                if c.dep_ == "prt" or (c.dep_ == "pobj" and d.cue.lower_ == "according"):
                    cue_end = max(cue_end, c.idx + len(c.text))
            if d.cue.lower_ == "according":
                cue_end = d.cue.idx + len("according to")
            cue = TextSpan.of(text, d.cue.idx, cue_end)
        venue = TextSpan.of(text, *d.venue) if d.venue else None
        points = [p for part in d.parts for p in part]
        for extra in (d.speaker_span, (cue.start, cue.end) if cue else None):
            if extra is not None:
                points += list(extra)
        evidence = TextSpan.of(text, min(points), max(points))
        return Statement(
            id=stable_id("st", article.id, d.kind, d.parts[0][0], d.parts[-1][1]),
            article_id=article.id,
            kind=d.kind,  # type: ignore[arg-type]
            speaker=speaker,
            cue=cue,
            content=content,
            evidence=evidence,
            venue=venue,
            venue_inferred=d.venue_inferred,
            said_on=None if d.retrospective else article.published,
            retrospective=d.retrospective,
        )


class _Resolver:
    """Resolves speakers in text order: names, pronouns, role nouns, groups."""

    def __init__(self, doc: Doc, base: ActorBase, article: Article, pronouns: frozenset[str]) -> None:
        self.doc = doc
        self.pronouns = pronouns
        self.base = base
        self.on = article.published
        outlet = load_outlets().get(article.outlet or "")
        self.home = outlet.country if outlet else None
        self.mentions = mentions_of(doc)
        # (character offset, mention, was a subject or a speaker): the salience list for pronouns.
        self.salient: list[tuple[int, ActorMention, bool]] = [
            (
                m.start_char,
                m,
                doc[m.end - 1].dep_ in _SUBJECTS or doc[m.end - 1].head.dep_ in _SUBJECTS,
            )
            for m in self.mentions
            if m.kind == "person"
        ]

    def resolve(self, drafts: list[_Draft]) -> None:
        for draft in drafts:
            if draft.continues is not None:
                draft.speaker, draft.speaker_span = (
                    draft.continues.speaker,
                    draft.continues.speaker_span,
                )
                draft.venue = draft.venue or draft.continues.venue
                continue
            if draft.subject is None:
                continue
            start, end = _np_tokens(draft.subject)
            span = self.doc[start:end]
            draft.speaker_span = (span.start_char, span.end_char)
            draft.speaker = self._actor_for(span, draft.subject)
            if draft.speaker is not None and draft.speaker.kind == "person":
                self.salient.append((span.start_char, draft.speaker, True))
                self.salient.sort(key=lambda s: s[0])

    def _actor_for(self, span: Span, head: Token) -> ActorMention | None:
        inside = [m for m in self.mentions if span.start <= m.start and m.end <= span.end]
        if inside:
            # Prefer the mention at the head ("Ukrainian President Volodymyr Zelenskyy" -> the person).
            inside.sort(key=lambda m: (m.end != span.end, m.kind != "person"))
            return inside[0]
        word = head.lower_
        if word in self.pronouns:
            return self._antecedent(head, None)
        title = span.text if self.base.role_noun(span.text) else None
        return self._antecedent(head, title) if title else None

    def _antecedent(self, head: Token, title: str | None) -> ActorMention | None:
        """The most salient earlier person: the latest subject, else the latest mention.

        For a role noun ("the President") only people holding that office count; when none was
        mentioned, the office holder on the article's date is taken.
        """
        earlier = [s for s in self.salient if s[0] < head.idx]
        if title is not None:
            earlier = [
                s
                for s in earlier
                if s[1].actor is not None and self.base.holds_office(s[1].actor.id, title, self.on)
            ]
            if not earlier:
                holder = self.base.office_holder(title, None, self.on)
                if holder is None and self.home is not None:
                    # "the President" on president.gov.ua is Ukraine's president.
                    holder = self.base.office_holder(title, self.home, self.on)
                if holder is None:
                    return None
                return ActorMention(
                    head.i,
                    head.i + 1,
                    head.idx,
                    head.idx + len(head.text),
                    head.text,
                    "person",
                    holder,
                )
        subjects = [s for s in earlier if s[2]]
        pool = subjects or earlier
        return pool[-1][1] if pool else None


def _subject_of(cue: Token) -> Token | None:
    """The speaker token of a cue: its subject, its passive agent, or its governor's subject."""
    for child in cue.children:
        if child.dep_ in _SUBJECTS and child.lower_ not in ("it", "this", "that", "which"):
            return child
        if child.dep_ == "agent":
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    if cue.dep_ == "relcl":
        return cue.head
    if cue.dep_ in _HANGING and cue.head != cue:
        return _subject_of(cue.head)
    return None


def _np_tokens(head: Token) -> tuple[int, int]:
    """Token range of the noun phrase a speaker heads: its name, titles and modifiers on the left."""
    start = head.i
    for left in reversed(list(head.lefts)):
        if (
            left.dep_ in ("compound", "amod", "det", "poss", "nmod", "nummod") and left.i == start - 1
        ) or left.dep_ == "poss":
            start = left.left_edge.i
    end = head.i + 1
    for right in head.rights:
        if right.dep_ in ("compound", "flat") and right.i == end:
            end = right.i + 1
    return start, end


def _np_chars(head: Token) -> tuple[int, int]:
    start, end = _np_tokens(head)
    doc = head.doc
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def _content_range(child: Token, quotes: list[Quote]) -> tuple[int, int]:
    """Character range of a cue's complement, without a leading "that" and edge punctuation.

    A clause hanging from inside a quote but standing outside it (", suggesting that ...") is the
    journalist's gloss and is cut off.
    """
    tokens = list(child.subtree)
    gloss = {
        t.i
        for g in tokens
        if not _inside_quote(g.idx, quotes) and _inside_quote(g.head.idx, quotes) and g.dep_ in _HANGING
        for t in g.subtree
    }
    if gloss:
        tokens = [t for t in tokens if t.i < min(gloss)]
    while tokens and (
        (tokens[0].dep_ == "mark" and tokens[0].lower_ in ("that", "whether", "if"))
        or tokens[0].text in _EDGE_PUNCT
    ):
        tokens.pop(0)
    while tokens and tokens[-1].text in _EDGE_PUNCT:
        tokens.pop()
    if not tokens:
        return 0, 0
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _ranges(doc: Doc, tokens: Iterable[Token]) -> list[tuple[int, int]]:
    """Contiguous character ranges covering ``tokens``, with edge punctuation trimmed."""
    ordered = sorted(tokens, key=lambda t: t.i)
    groups: list[list[Token]] = []
    for t in ordered:
        if groups and t.i == groups[-1][-1].i + 1:
            groups[-1].append(t)
        else:
            groups.append([t])
    out = []
    for g in groups:
        while g and g[0].text in _EDGE_PUNCT:
            g.pop(0)
        while g and g[-1].text in _EDGE_PUNCT:
            g.pop()
        if g:
            out.append((g[0].idx, g[-1].idx + len(g[-1].text)))
    return out


def _letters(text: str, start: int, end: int) -> int:
    return sum(1 for ch in text[start:end] if ch.isalnum() or ch.isspace())


def _inside_quote(offset: int, quotes: list[Quote]) -> bool:
    return any(s <= offset < e for q in quotes for s, e in q.parts)


def _hangs_from_quote(token: Token, quotes: list[Quote]) -> bool:
    return token.dep_ in _HANGING and _inside_quote(token.head.idx, quotes)


def _inside_any(quote: Quote, drafts: list[_Draft]) -> bool:
    return any(s <= quote.start and quote.end <= e for d in drafts for s, e in d.parts)


def _previous(drafts: list[_Draft], offset: int) -> _Draft | None:
    earlier = [d for d in drafts if d.anchor < offset]
    return max(earlier, key=lambda d: d.anchor) if earlier else None


def _same_or_next_paragraph(text: str, a: int, b: int) -> bool:
    return len(re.findall(r"\n\s*\n|\n", text[a:b])) <= 1


def _same_speaker(a: _Draft, b: _Draft) -> bool:
    if a.speaker is not None and b.speaker is not None and a.speaker.actor and b.speaker.actor:
        return a.speaker.actor.id == b.speaker.actor.id
    return False


def _merge_split_quotes(drafts: list[_Draft], text: str) -> list[_Draft]:
    """Join "“...,” he said, “...”" into one statement whose content has two parts.

    Two quotes join when one cue governs both, or when the second continues the first within the
    same sentence; a quote after a full stop is a new statement of the same speaker.
    """
    merged: list[_Draft] = []
    for d in sorted(drafts, key=lambda d: d.anchor):
        last = merged[-1] if merged else None
        if last is not None and last.kind == "direct" and d.kind == "direct":
            gap = text[last.parts[-1][1] : d.parts[0][0]]
            same_cue = d.cue is not None and last.cue is not None and d.cue.i == last.cue.i
            continues = d.continues is last and last.cue is not None
            if (same_cue or continues) and not _SENTENCE_END.search(gap):
                last.parts += d.parts
                last.quotes += d.quotes
                continue
        merged.append(d)
    return merged


def _paragraph_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\n\s*", text)]


def _paragraph_index(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset) - 1


@Language.factory(
    "parley_statements",
    assigns=["doc._.parley_statements"],
    requires=["doc._.parley_mentions", "token.dep"],
)
def make_statement_extractor(nlp: Language, name: str) -> StatementExtractor:
    """Build the statement extractor over the packaged cue lexicon and actor base."""
    return StatementExtractor(load_cues(), load_actors())
