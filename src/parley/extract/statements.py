"""Who said what: direct quotes, reported speech and mixed quotes, with speaker, cue and venue.

The ``parley_statements`` component reads the dependency parse: a cue verb from ``cues.yaml`` whose
clausal complement is the content and whose subject (or passive agent) is the speaker. Participle
cues (", saying ...") take the subject of the verb they hang from; inverted and parenthetical cues
(", said the President", "As the Head of State said, ...") take the clause they hang from; an
anaphoric passive ("This was stated by ...") takes the sentence before. Quotes no cue governs are
attributed to an adjacent cue, or continue the previous speaker's statement; short quotes with no cue
are scare quotes, not statements. Transcripts ("Vladimir Putin: ...") give one direct statement per
turn, and "I"/"we" inside a turn are its speaker. Pronouns, role nouns ("the President", "the Head
of State", "the minister") and written messages are resolved to the most salient earlier person.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from parley.extract.actors import ActorMention, mentions_of
from parley.extract.quotes import Quote, Turn, find_quotes, find_turn_labels, turns_of
from parley.knowledge.actors import ActorBase, load_actors
from parley.knowledge.lexicon import Cue, CueLexicon, load_cues, load_outlets
from parley.model import Actor, Article, Mention, Statement, stable_id
from parley.model import Span as TextSpan
from parley.nlp import article_of

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_HANGING = ("advcl", "xcomp", "conj", "pcomp", "acl")
_SENTENCE_END = re.compile(r"[.!?][”\"’']?\s")
_EDGE_PUNCT = set(",;:.—–-\"'“”‘’«»„")
# "X is convinced that ...": an adjective of conviction reports its that-clause.
_ADJECTIVE_CUE = Cue("convinced", None, "attitude", "asserted", ("ccomp",))
# How a quote hangs from the cue that introduces it.
_QUOTE_DEPS = ("ccomp", "xcomp", "dobj", "parataxis", "conj", "advcl", "dep", "attr", "oprd", "npadvmod")
_NOT_SPEAKERS = ("it", "this", "that", "which", "what", "there")
# Dependency labels of the words a speaker's noun phrase keeps on its left ("Ukrainian President").
_NP_LEFT = ("compound", "amod", "det", "poss", "nmod", "nummod", "case")
_NAME_WORD = re.compile(r"[A-Z][a-zà-ÿ]+(?:[-'’][A-Z]?[a-zà-ÿ]+)*")


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
    cue_span: tuple[int, int] | None = None  # a cue that is no token: a transcript label's colon
    label: tuple[int, int] | None = None  # the speaker label of a transcript turn
    outer: _Draft | None = None  # the turn or quote whose speaker this statement's "I" or "we" is
    glossed: Quote | None = None  # the quote a participle cue hangs from: its speaker is the quote's


@dataclass
class _Page:
    """What one doc's statements are read from, computed once per doc."""

    doc: Doc
    text: str
    quotes: list[Quote]
    turns: list[Turn]
    mention_tokens: frozenset[int]
    reported: list[tuple[int, int]] = field(default_factory=list)  # contents found so far, in order

    def claimed_until(self, offset: int) -> int:
        """End of the latest content already reported before ``offset`` (0 when none)."""
        ends = [e for s, e in self.reported if e <= offset]
        return max(ends, default=0)

    def turn_at(self, offset: int) -> Turn | None:
        """The turn whose content holds ``offset``."""
        for turn in self.turns:
            if turn.content[0] <= offset < turn.content[1]:
                return turn
        return None


class StatementExtractor:
    """spaCy component: writes ``doc._.parley_statements`` in text order."""

    def __init__(self, cues: CueLexicon, base: ActorBase) -> None:
        self.cues = cues
        self.base = base

    def __call__(self, doc: Doc) -> Doc:
        article = article_of(doc)
        # Doc.text joins every token anew on each access: read it once.
        text = article.text if len(article.text) == len(doc.text) else doc.text
        mentions = mentions_of(doc)
        page = _Page(
            doc,
            text,
            find_quotes(text),
            [],
            frozenset(i for m in mentions for i in range(m.start, m.end)),
        )
        page.turns = self._turns(page, mentions)
        drafts = list(self._reported(page))
        drafts += self._according_to(page)
        drafts += self._in_opinion(page)
        drafts += self._nominal(page)
        used = {id(q) for d in drafts for q in d.quotes}
        drafts += self._quoted(page, [q for q in page.quotes if id(q) not in used], drafts)
        drafts = self._place_in_turns(page, drafts)
        drafts.sort(key=lambda d: d.anchor)
        drafts = _merge_split_quotes(drafts, text)
        _Resolver(page, self.base, article, self.cues).resolve(drafts)
        self._carry_venues(drafts, _paragraph_starts(text))
        # Two drafts can reach the same content by two routes (a cue and an adjacent quote): keep the
        # first, so that ids stay unique in the article.
        unique: dict[str, Statement] = {}
        for draft in drafts:
            if draft.parts:
                record = self._record(text, article, draft)
                unique.setdefault(record.id, record)
        doc._.parley_statements = list(unique.values())
        return doc

    # -- cues -------------------------------------------------------------------------------------

    def cue_of(self, token: Token) -> Cue | None:
        """Return the cue entry when ``token`` is a reporting verb (or adjective), else None."""
        if token.pos_ == "ADJ" and token.dep_ == "acomp" and token.lower_ in self.cues.adjectives:
            return _ADJECTIVE_CUE  # "is convinced that ..."
        if token.pos_ not in ("VERB", "AUX"):
            return None
        cue = self.cues.verbs.get(token.lemma_.lower())
        if cue is None:
            return None
        children = list(token.children)
        if cue.particle and not any(c.dep_ == "prt" and c.lower_ == cue.particle for c in children):
            return None
        if cue.preps and not any(c.dep_ in ("prep", "prt") and c.lower_ in cue.preps for c in children):
            return None  # "called the decision a mistake" names; "called on X to ..." demands
        if cue.companion and not any(c.lower_ == cue.companion for c in children):
            return None
        return cue

    def _reported(self, page: _Page) -> Iterator[_Draft]:
        """Statements whose content is a cue's complement (reported speech, or a quote it governs).

        A cue inside a quote whose subject is inside the same quote is a report nested in the quote
        ("“As soon as Russia says publicly that ...”").
        """
        doc, quotes = page.doc, page.quotes
        for token in doc:
            cue = self.cue_of(token)
            if cue is None:
                continue
            around = _quote_at(token.idx, quotes)
            glossed = None if around is not None else _glossed_quote(token, quotes)
            subject = _subject_of(token, quotes)
            if glossed is not None and not self.cues.quote_glosses:
                continue  # read as the journalist's gloss on the quote (cues.yaml: quote_glosses)
            if glossed is not None:
                # '..., stating, "We need to do this," underscoring the desire to ...': a participle
                # hung on a quote continues the quote's speaker (resolved with the quote's statement).
                subject = None
            elif subject is None or not self._can_speak(page, subject):
                continue
            elif around is not None and _quote_at(subject.idx, quotes) is not around:
                continue  # a cue inside a quote with its subject outside: a misparse
            elif around is None and _inside_quote(subject.idx, quotes):
                continue
            if _in_question(token, quotes) or (subject is not None and self._not_a_report(token, subject)):
                continue
            if token.dep_ == "xcomp" and self.cue_of(token.head) is not None:
                continue  # "agreed to instruct X to ...": the act agreed on, reported with "agreed"
            found = self._content(page, token, cue)
            if found is None:
                continue
            start, end = found
            if around is not None:
                start, end = max(start, around.start), min(end, around.end)
                inner: list[Quote] = []
            else:
                start, end = _widen_to_quotes(start, end, quotes)
                inner = [q for q in quotes if start <= q.start and q.end <= end + 1]
            if end <= start:
                continue
            quoted = sum(e - s for q in inner for s, e in q.parts)
            draft = _Draft("indirect", token, subject, [(start, end)], anchor=token.idx, glossed=glossed)
            if inner and quoted >= 0.8 * _letters(page.text, start, end):
                draft.kind, draft.parts = "direct", [p for q in inner for p in q.parts]
                draft.quotes = inner
            elif inner:
                draft.kind, draft.quotes = "mixed", inner
            draft.retrospective = self._retrospective(token)
            draft.venue = self._venue(token, start, end)
            page.reported.append((start, end))
            yield draft

    def _not_a_report(self, cue: Token, subject: Token) -> bool:
        """True for reports that are not made: negated, hypothetical, or the speaker's performative.

        "had not mentioned", "what would they say" report nothing; "I think that ...", "I would
        like to stress that ..." are the current speaker speaking, not a report of earlier words.
        """
        chain = [cue]
        while chain[-1].dep_ == "xcomp" and chain[-1].head != chain[-1]:
            chain.append(chain[-1].head)  # "would like to stress": the modal sits on "like"
        for verb in chain:
            for child in verb.children:
                if child.dep_ == "neg" or (
                    child.dep_ == "aux" and child.lower_ in self.cues.blocking_auxiliaries
                ):
                    return True
        if subject.lower_ not in self.cues.first_person:
            return False
        # Present tense (or "let me say") is the speaker speaking now; past tense reports earlier words.
        top = chain[-1]
        perfect = any(c.dep_ == "aux" and c.lemma_ == "have" for c in top.children)
        return top.tag_ not in ("VBD", "VBN") or (top.tag_ == "VBN" and not perfect)

    def _content(self, page: _Page, cue_token: Token, cue: Cue) -> tuple[int, int] | None:
        """Character range of what a cue reports, or None when it reports nothing here."""
        found = self._complement(cue_token, cue)
        if found is not None:
            child, tokens = found
            if cue.marks and not _has_mark(child, cue.marks) and not _that_before(child, cue.marks):
                return None
            if child.dep_ == "ccomp" and self._wh_topic(child, cue):
                return None
            if any(
                c.dep_ in _SUBJECTS and c.lower_ in ("that", "which", "who") and c.i < cue_token.i
                for c in child.children
            ):
                return None  # "proposals that he believes reflect ...": a relative clause, not his words
            if child.dep_ in ("xcomp", "acl"):
                # "agreed to continue ...": the act, without the infinitive's "to"
                tokens = [t for t in tokens if not (t.dep_ == "aux" and t.lower_ == "to" and t.head == child)]
            joined = [t for t in tokens if t.dep_ == "conj" and t.i > child.i and self.cue_of(t) is not None]
            if joined:
                # "noted that the sanctions complicate this and noted the importance of ...": the
                # parser hangs the second report inside the first one's content.
                cut = min(t.left_edge.i for t in joined)
                tokens = [t for t in tokens if t.i < cut]
                while tokens and tokens[-1].dep_ == "cc":
                    tokens.pop()
            start, end = _content_range(tokens, page.quotes)
            return (start, end) if end > start else None
        if any(
            (c.dep_ == "nsubjpass" and c.lower_ in self.cues.anaphoric_subjects)
            or (c.dep_ == "dobj" and c.lower_ in self.cues.anaphoric_objects)
            for c in cue_token.children
        ):
            # "... This was stated by Volodymyr Zelenskyy", "... Zelenskyy said this during a
            # conversation with students": the content is the sentence before.
            return _previous_sentence(cue_token, page.claimed_until(cue_token.idx), self.cues.lead_sentences)
        head = cue_token.head
        if head == cue_token or not _is_clause(head):
            return None
        inverted = cue_token.dep_ in ("conj", "parataxis", "ccomp") and any(
            c.dep_ in _SUBJECTS and c.i > cue_token.i for c in cue_token.children
        )
        # "As the Head of State said, ..." is set off by a comma; "such agreements as Ukraine has
        # proposed" is not a report of the clause around it.
        parenthetical = (
            cue_token.dep_ == "advcl"
            and any(c.dep_ == "mark" and c.lower_ == "as" for c in cue_token.children)
            and (
                cue_token.left_edge.i == cue_token.sent.start or cue_token.left_edge.nbor(-1).text in ",(—–-"
            )
        )
        if not (inverted or parenthetical):
            return None
        # ", said President Zelenskyy" / "As the Head of State said, ...": the clause it hangs from.
        skip = range(cue_token.left_edge.i, cue_token.right_edge.i + 1)
        tokens = [t for t in head.subtree if t.i not in skip]
        if inverted:
            tokens = [t for t in tokens if t.i < cue_token.i]
        start, end = _content_range(tokens, page.quotes)
        return (start, end) if end > start else None

    def _complement(self, cue_token: Token, cue: Cue) -> tuple[Token, list[Token]] | None:
        """The token heading what a cue reports and the tokens of it, by the cue's content relations.

        A noun object counts through its that-clause or to-infinitive ("recalled the fact that ...",
        "expressed willingness to ...") and, for demands and offers, by itself ("demanded the
        withdrawal of troops"); a companion word leads to its clause ("made it clear that ...");
        "as" gives a naming act its content ("described the statements as lies").
        """
        children = list(cue_token.children)
        if cue.companion:
            word = next(c for c in children if c.lower_ == cue.companion)
            clause = next((t for t in word.subtree if t != word and _has_mark(t, ("that",))), None)
            # "made clear that ...": the parser may hang the clause on the verb itself
            clause = clause or next(
                (c for c in children if c.dep_ == "ccomp" and _has_mark(c, ("that",))), None
            )
            return None if clause is None else (clause, list(clause.subtree))
        if "as" in cue.content_preps:
            # "described X as Y": the parser may hang "as" inside X ("statements about fighting
            # Nazism in Ukraine as lies"): X from its start to the end of the "as" phrase.
            thing = next((c for c in children if c.dep_ == "dobj"), None)
            named = next((t for t in (thing.subtree if thing is not None else ()) if t.lower_ == "as"), None)
            if thing is not None and named is not None and thing.lower_ not in self.cues.wh_words:
                return thing, [t for t in cue_token.doc[thing.left_edge.i : named.right_edge.i + 1]]
        for dep in (*cue.content_deps, "dobj"):
            for child in children:
                if dep == "pobj" and child.dep_ in ("prep", "prt") and child.lower_ in cue.content_preps:
                    obj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
                    if obj is None:
                        continue
                    if child.lower_ == "as":
                        # "described X as Y": X and Y; "what he described as Y": Y
                        thing = next((c for c in children if c.dep_ == "dobj"), None)
                        if thing is not None and thing.lower_ not in self.cues.wh_words:
                            return obj, [*thing.subtree, *child.subtree]
                        return obj, list(child.subtree)[1:]
                    return obj, list(obj.subtree)
                if child.dep_ != dep:
                    continue
                if dep == "dobj":
                    clause = next(
                        (
                            c
                            for c in child.children
                            if c.dep_ in ("acl", "ccomp", "relcl")
                            and (
                                _has_mark(c, ("that",))
                                or (_to_infinitive(c) and child.lemma_.lower() in self.cues.stance_nouns)
                            )
                        ),
                        None,
                    )
                    if clause is not None:
                        # The parser often hangs the clause's object on the noun: take the noun's
                        # words from the clause on ("willingness to cede occupied territories").
                        return clause, [t for t in child.subtree if t.i >= clause.left_edge.i]
                    if dep in cue.content_deps and cue.cue_class in ("demand", "offer", "promise"):
                        return child, list(child.subtree)
                    continue
                if dep in ("ccomp", "xcomp") and not _is_clause(child):
                    continue
                return child, list(child.subtree)
        return None

    def _wh_topic(self, clause: Token, cue: Cue) -> bool:
        """True when a complement is a wh-topic ("explained why ...") rather than a statement."""
        if cue.lemma in self.cues.question_cues:
            return False
        first = clause.left_edge
        return first.lower_ in self.cues.wh_words

    def _nominal(self, page: _Page) -> Iterator[_Draft]:
        """Nominal cues with a possessor and a clause: "Mr Patrushev's proposal that ...",
        "our persistent requests to preserve ...", "the government's promise was to resolve ...".
        """
        quotes = page.quotes
        for token in page.doc:
            if token.pos_ != "NOUN" or token.lemma_.lower() not in self.cues.nouns:
                continue
            if token.dep_ == "dobj" and self.cue_of(token.head) is not None:
                continue  # "expressed his willingness to ...": the verb's statement already
            owner = next((c for c in token.children if c.dep_ == "poss"), None)
            if owner is None or not self._can_speak(page, owner) or _inside_quote(token.idx, quotes):
                continue
            clause = next(
                (
                    c
                    for c in token.children
                    if c.dep_ in ("acl", "ccomp") and (_has_mark(c, ("that",)) or _to_infinitive(c))
                ),
                None,
            )
            if clause is None and token.dep_ == "nsubj" and token.head.lemma_ == "be":
                # "the promise was to resolve ...": the clause is the copula's complement
                clause = next((c for c in token.head.children if c.dep_ in ("xcomp", "ccomp")), None)
            if clause is None:
                continue
            tokens = [
                t for t in clause.subtree if not (t.dep_ == "aux" and t.lower_ == "to" and t.head == clause)
            ]
            start, end = _content_range(tokens, quotes)
            if end <= start:
                continue
            inner = [q for q in quotes if start <= q.start and q.end <= end + 1]
            yield _Draft("mixed" if inner else "indirect", token, owner, [(start, end)], token.idx, inner)

    def _according_to(self, page: _Page) -> Iterator[_Draft]:
        doc, quotes = page.doc, page.quotes
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
                    if speaker is None or clause == token:
                        continue
                    if not (self._can_speak(page, speaker) or speaker.lower_ in self.cues.according_sources):
                        continue  # "according to plan", "according to schedule": no source
                    skip = range(token.left_edge.i, token.right_edge.i + 1)
                    parts = _ranges([t for t in clause.subtree if t.i not in skip])
                    if parts:
                        draft = _Draft("indirect", token, speaker, parts, anchor=token.idx)
                        start, end = parts[0][0], parts[-1][1]
                        inner = [q for q in quotes if start <= q.start and q.end <= end + 1]
                        if inner:
                            draft.kind, draft.quotes = "mixed", inner
                        yield draft

    def _in_opinion(self, page: _Page) -> Iterator[_Draft]:
        """Statements opened by a possessed opinion: "In his opinion, ...", "In the view of X, ...".

        The phrase must open its sentence or follow a comma; its holder is the possessor or the object
        of "of", and the content is the clause the phrase hangs from, without the phrase.
        """
        doc, quotes = page.doc, page.quotes
        for token in doc:
            if token.lower_ != "in" or token.dep_ != "prep" or _inside_quote(token.idx, quotes):
                continue
            if token.i != token.sent.start and doc[token.i - 1].text != ",":
                continue
            noun = next((c for c in token.children if c.dep_ == "pobj"), None)
            if noun is None or noun.lemma_.lower() not in self.cues.opinion_nouns:
                continue
            holder = next((c for c in noun.children if c.dep_ == "poss"), None) or _of_object(noun)
            clause = token.head
            if (
                holder is None
                or clause == token
                or not _is_clause(clause)
                or not self._can_speak(page, holder)
                # "in my opinion" is the current speaker speaking, not a report (as "I think that")
                or holder.lower_ in self.cues.first_person
            ):
                continue
            skip = range(token.left_edge.i, token.right_edge.i + 1)
            parts = _ranges([t for t in clause.subtree if t.i not in skip])
            if not parts:
                continue
            start, end = parts[0][0], parts[-1][1]
            inner = [q for q in quotes if start <= q.start and q.end <= end + 1]
            draft = _Draft(
                "mixed" if inner else "indirect", token, holder, parts, anchor=token.idx, quotes=inner
            )
            page.reported.append((start, end))
            yield draft

    def _quoted(self, page: _Page, quotes: list[Quote], drafts: list[_Draft]) -> list[_Draft]:
        """Statements for quotes no cue governs: adjacent cue, continuation, or none (scare quote)."""
        doc = page.doc
        found: list[_Draft] = []
        for quote in quotes:
            span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            words = sum(1 for t in span if not t.is_punct)
            if words < self.cues.min_quote_words:
                continue  # a scare quote ("terrible phase") or a term, not a statement
            claimed = {d.cue.i for d in drafts + found if d.cue is not None and d.quotes}
            cue = self._adjacent_cue(page, span, claimed)
            subject = _subject_of(cue, page.quotes) if cue is not None else None
            if cue is not None and subject is not None and self._can_speak(page, subject):
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
            if _inside_any(quote, drafts + found) or page.turn_at(quote.start) is not None:
                continue  # inside a turn, an uncued quote is the turn's own speech
            holder = self._fragment_speaker(page, span)
            if holder is not None:
                # '... which is especially important "in the context of a critical escalation"': a
                # fragment of the source's words in a clause about them, not after a reporting verb.
                found.append(
                    _Draft("mixed", None, holder, list(quote.parts), anchor=quote.start, quotes=[quote])
                )
                continue
            previous = _previous(drafts + found, quote.start)
            if (
                previous is not None
                and previous.parts[-1][1] <= quote.start
                and _SENTENCE_END.search(page.text, previous.anchor, quote.start) is not None
                and _same_or_next_paragraph(page.text, previous.parts[-1][1], quote.start)
                and quote.start - previous.parts[-1][1] <= self.cues.continuation_max_chars
            ):
                # A quote with no cue of its own after a statement is more of the same source's
                # words: a further part of that statement (which becomes mixed if it was reported).
                previous.parts += list(quote.parts)
                previous.quotes.append(quote)
                if previous.kind == "indirect":
                    previous.kind = "mixed"
        return found

    def _fragment_speaker(self, page: _Page, span: Span) -> Token | None:
        """The subject of the clause a quoted fragment stands in, when it can be the fragment's source.

        Titles in quotation marks ("Diplomacy 30. Strategy of Strong State") are names, not words
        of a source: a fragment has lowercase words.
        """
        words = [t for t in span if t.is_alpha]
        if not words or sum(1 for t in words if t.is_lower) * 2 < len(words):
            return None
        # Climb from the quote to the clauses around it: the nearest one whose subject can speak
        # ("the command allegedly decided to "reduce hostilities"": the command, not "I" of "I'm sure").
        inside = range(span.start, span.end)
        node = next((t for t in span if t.head.i not in inside or t.head == t), span.root)
        while node.head != node:
            node = node.head
            if (
                _inside_quote(node.idx, page.quotes)
                or node.pos_ not in ("VERB", "AUX")
                or node.dep_ == "relcl"
            ):
                continue  # a relative clause ("which is important "...""): its antecedent is no speaker
            subject = _subject_of(node, page.quotes)
            if subject is None or subject.lower_ in ("which", "who", "that"):
                continue
            if _inside_quote(subject.idx, page.quotes) or not self._can_speak(page, subject):
                return None
            return subject
        return None

    def _adjacent_cue(self, page: _Page, span: Span, claimed: set[int]) -> Token | None:
        """A cue in the quote's sentences that governs it, hangs from it, or stands next to it.

        A quote after a colon takes the last cue before the colon ("The message reads, in part:").
        Between two cues as near, the one no other quote has taken wins ('"A," he said. "B," said X').
        """
        doc, quotes = page.doc, page.quotes
        first, last = span[0].sent, span[-1].sent
        # The parser sometimes ends the sentence at the closing mark ('... propaganda / ," he said.'):
        # look a few tokens past the quote's sentences too.
        after = doc[min(span.end + 1, len(doc) - 1)].sent  # the sentence that starts at the closing mark
        window = doc[max(0, min(first.start, span.start - 6)) : max(last.end, span.end + 6, after.end)]
        best: tuple[int, Token] | None = None
        inside = range(span.start, span.end)
        colon = _colon_before(span)
        for token in window:
            if token.pos_ not in ("VERB", "AUX") or self.cue_of(token) is None:
                continue
            if _inside_quote(token.idx, quotes) or _in_question(token, quotes):
                continue
            # The cue hangs from the quote (", he said") or the quote is its complement; a quote deeper
            # in the cue's clause ("at the "Ukraine 30" Forum") is a name, not what was said.
            related = any(t.i in inside for t in token.ancestors) or any(
                t.head.i == token.i and t.dep_ in _QUOTE_DEPS for t in span
            )
            distance = min(abs(token.i - span.start), abs(token.i - span.end))
            subject = _subject_of(token, quotes)
            if subject is not None and token.i > span.end and 0 <= subject.left_edge.i - span.end <= 3:
                # '"... will be Ukraine!" the Deputy Prime Minister - Minister for ... stressed': the
                # speaker, however long, follows the quote at once.
                related = True
            if colon is not None and token.sent == colon.sent and token.i < colon.i:
                related, distance = True, colon.i - token.i
            rank = 2 * distance + (token.i in claimed)
            if (related or distance <= 4) and (best is None or rank < best[0]):
                best = (rank, token)
        return best[1] if best else None

    def _can_speak(self, page: _Page, subject: Token) -> bool:
        """True when a subject can name a speaker: a name, a pronoun, a person or body noun."""
        if subject.pos_ == "PROPN" or subject.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
            return True
        word = subject.lower_
        if word in self.cues.pronouns or word in self.cues.first_person or word in ("they", "you"):
            return True
        if subject.i in page.mention_tokens or word in self.cues.document_nouns:
            return True
        # "presidents", "leaders": plurals count through their lemma
        return any(
            w in self.cues.speaker_nouns or self.base.role_noun(w) is not None
            for w in {word, subject.lemma_.lower()}
        )

    # -- transcripts ------------------------------------------------------------------------------

    def _turns(self, page: _Page, mentions: list[ActorMention]) -> list[Turn]:
        """The turns of a transcript: labels that name a person (or a generic "Question")."""
        rules = self.cues.transcripts
        candidates = find_turn_labels(page.text, rules.connectors, rules.min_words_inline)
        if not candidates:
            return []
        people = [(m.start_char, m.end_char) for m in mentions if m.kind == "person"]
        people += [(e.start_char, e.end_char) for e in page.doc.ents if e.label_ == "PERSON"]
        labels = []
        for turn in candidates:
            start, end = turn.label
            words = page.text[start:end].split()
            generic = len(words) == 1 and words[0].lower() in rules.generic_labels
            if generic or any(start <= s and e <= end for s, e in people) or self._name_shaped(page, words):
                labels.append(turn)
        # A label already seen at a sentence boundary is a label wherever it stands before a colon:
        # kremlin.ru sometimes drops the full stop before it ("Thank you Vladimir Putin: ...").
        taken = {t.colon for t in labels}
        for name in {page.text[t.label[0] : t.label[1]] for t in labels}:
            for m in re.finditer(re.escape(name) + r"(?=\s*:\s)", page.text):
                colon = page.text.index(":", m.end())
                if colon not in taken and (m.start() == 0 or not page.text[m.start() - 1].isalnum()):
                    labels.append(Turn((m.start(), m.end()), colon, (colon + 1, colon + 1)))
                    taken.add(colon)
        return turns_of(page.text, labels, rules.section_breaks)

    def _name_shaped(self, page: _Page, words: list[str]) -> bool:
        """True when a label ends in a name the NER missed ("Kassym-Jomart Tokayev": tagged ORG).

        Two capitalised words that are not a place or a body the actor base knows.
        """
        if len(words) < 2 or not all(_NAME_WORD.fullmatch(w) for w in words[-2:]):
            return False
        known = self.base.lookup(" ".join(words[-2:])) or self.base.lookup(words[-1])
        return known is None or known.kind == "person"

    def _place_in_turns(self, page: _Page, drafts: list[_Draft]) -> list[_Draft]:
        """Add a statement per turn and keep the others inside theirs; link "I" and "we" to their voice.

        A first-person speaker inside a turn is the turn's speaker; inside a quote, the quote's.
        """
        labels = [t.label[0] for t in page.turns]
        turn_drafts = {
            t.label: _Draft(
                "direct",
                None,
                None,
                [t.content],
                anchor=t.label[0],
                label=t.label,
                cue_span=(t.colon, t.colon + 1),
            )
            for t in page.turns
        }
        kept: list[_Draft] = []
        for draft in drafts:
            if labels:
                draft.parts = _cut_at(draft.parts, draft.anchor, labels, page.text)
            if not draft.parts:
                continue
            kept.append(draft)
        every = kept + list(turn_drafts.values())
        for draft in kept:
            if draft.glossed is not None:
                quote = draft.glossed
                draft.outer = next((d for d in every if d is not draft and quote in d.quotes), None)
                if draft.outer is None:
                    draft.parts = []  # a gloss on a quote nobody is known to have said: no statement
                continue
            if draft.subject is None or draft.subject.lower_ not in self.cues.first_person:
                continue
            offset = draft.subject.idx
            holders = [
                d
                for d in every
                if d is not draft and d.quotes and any(s <= offset < e for q in d.quotes for s, e in q.parts)
            ]
            turn = page.turn_at(offset)
            if holders:
                draft.outer = holders[0]
            elif turn is not None:
                draft.outer = turn_drafts[turn.label]
        return every

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
    def _record(text: str, article: Article, d: _Draft) -> Statement:
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
                if c.dep_ == "prt":
                    cue_end = max(cue_end, c.idx + len(c.text))
            if d.cue.lower_ == "according":
                cue_end = d.cue.idx + len("according to")
            elif d.cue.lower_ == "in":
                # "In his opinion": the phrase up to its noun
                noun = next((c for c in d.cue.children if c.dep_ == "pobj"), d.cue)
                cue_end = noun.idx + len(noun.text)
            cue = TextSpan.of(text, d.cue.idx, cue_end)
        elif d.cue_span is not None:
            cue = TextSpan.of(text, *d.cue_span)
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
    """Resolves speakers in text order: labels, names, pronouns, role nouns, groups."""

    def __init__(self, page: _Page, base: ActorBase, article: Article, cues: CueLexicon) -> None:
        self.doc = page.doc
        self.text = page.text
        self.cues = cues
        self.base = base
        self.on = article.published
        outlet = load_outlets().get(article.outlet or "")
        self.home = outlet.country if outlet else None
        self.voice = outlet.voice if outlet else None
        self.page = page
        self.mentions = mentions_of(page.doc)
        doc = page.doc
        self.title_vocabulary = base.title_words()
        # (character offset, mention, was a subject or a speaker): the salience list for pronouns; a
        # capitalised title the NER took for a name ("the Adviser") is no one.
        self.salient: list[tuple[int, ActorMention, bool]] = [
            (
                m.start_char,
                m,
                doc[m.end - 1].dep_ in _SUBJECTS or doc[m.end - 1].head.dep_ in _SUBJECTS,
            )
            for m in self.mentions
            if m.kind == "person" and not self._title_only(m)
        ]
        # The title words written before each person ("Foreign Minister Sergei Lavrov"), so that a
        # later "the minister" finds them even when the actor base does not know the person.
        self.titles: dict[int, set[str]] = {m.start_char: _title_words(doc, m.start) for m in self.mentions}
        # People the actor base does not know, introduced as speaking for a body ("Member of the Ukrainian
        # delegation Oleksandr Chalyi"): their surname -> the body, so that "said Oleksandr Chalyi" later
        # is the body's too.
        self.members: dict[str, ActorMention] = {}

    def resolve(self, drafts: list[_Draft]) -> None:
        """Give each draft its speaker span and actor; "I" and "we" after the voice they belong to."""
        first = [d for d in drafts if d.outer is None]
        # A nested "I" takes its quote's or turn's speaker, so those are resolved first.
        later = sorted((d for d in drafts if d.outer is not None), key=_depth)
        for draft in first + later:
            if draft.label is not None:
                draft.speaker_span = draft.label
                draft.speaker = self._label_actor(*draft.label)
            elif draft.subject is None:
                if draft.outer is not None:
                    # One speaker span serves several statements ("X stated, "...," underlining that").
                    draft.speaker, draft.speaker_span = draft.outer.speaker, draft.outer.speaker_span
                continue
            else:
                start, end = _np_tokens(draft.subject, self.cues.title_heads)
                span = self.doc[start:end]
                draft.speaker_span = (span.start_char, span.end_char)
                draft.speaker = self._member(span, draft.subject, self._actor_for(span, draft.subject, draft))
            if draft.speaker is not None and draft.speaker.kind == "person":
                self.salient.append((draft.speaker_span[0], draft.speaker, True))
                self.salient.sort(key=lambda s: s[0])

    def _member(self, span: Span, head: Token, found: ActorMention | None) -> ActorMention | None:
        """The speaker of a phrase that names one person speaking for a body, else ``found``.

        "Member of the Ukrainian delegation Oleksandr Chalyi", "Oleksandr Chalyi, a member of the
        Ukrainian delegation", "a representative of the Russian delegation" (``member_nouns`` in
        ``cues.yaml``): a person the actor base knows, named at the head or in apposition, is the
        speaker; otherwise the body the member noun names (its state or government, as for group
        speakers) is, as a person, so that a later "he" is the body too; the unknown person's name is
        remembered for later mentions.
        """
        doc = head.doc
        appositions = [c for c in head.children if c.dep_ == "appos"]
        # "Adviser to President Zelenskyy, Oleksandr Chalyi, said": the name in apposition is the speaker.
        named_apart = [
            m
            for m in self.mentions
            if m.kind == "person" and any(m.start <= c.i < m.end for c in appositions)
        ]
        if found is not None and found.actor is not None and found.kind == "person" and not named_apart:
            return found
        phrase = set(range(span.start, span.end))
        for child in appositions:
            # The apposition's own clauses ("who heads the legal group") are not the phrase.
            phrase.update(
                t.i for t in child.subtree if t.dep_ not in ("relcl", "acl") and t.head.dep_ != "relcl"
            )
        named = [m for m in self.mentions if m.start in phrase or m.end - 1 in phrase]
        names = {head.i, *(c.i for c in appositions)}
        known = [
            m
            for m in named
            if m.kind == "person" and m.actor is not None and any(m.start <= i < m.end for i in names)
        ]
        if known:
            return known[0]
        members = [
            doc[i]
            for i in sorted(phrase)
            if doc[i].lower_ in self.cues.member_nouns and doc[i].tag_ in ("NN", "NNP")
        ]
        # Where the body is named: the member noun's modifiers ("Ukrainian negotiator") and the noun
        # phrase of its "of" ("member of the Ukrainian delegation"), not a place further in ("member of
        # the National Scout Organization of Ukraine").
        near: set[int] = set()
        for member in members:
            owner = _of_object(member)
            if (
                owner is not None
                and owner.pos_ != "PROPN"
                and owner.lemma_.lower() not in self.cues.speaker_nouns
            ):
                continue  # "the head of the Ukrainian state" is its president, not a member of a body
            near.add(member.i)
            for word in (member, owner):
                if word is not None:
                    near.update(t.i for c in word.lefts for t in c.subtree)
                    near.add(word.i)
        bodies = [m for m in named if m.kind != "person" and m.actor is not None and m.start in near]
        for m in named:
            # "Ukrainian delegation Oleksandr Chalyi" as one unknown person with the country's code.
            state = self.base.state_for(m.codes()[0]) if m.kind == "person" else None
            if state is not None and near.intersection(range(m.start, m.end)):
                bodies.append(replace(m, actor=state))
        if not bodies:
            if named_apart:
                return self._known(named_apart[0])
            if found is None and head.pos_ == "PROPN":
                # The NER missed the name this time ('..., Oleksandr Chalyi said').
                return self.members.get(_surname(span.text))
            return self._known(found)
        bodies.sort(key=lambda m: m.start)
        body = replace(bodies[0], kind="person")
        for person in named:
            if person.kind == "person":
                self.members[_surname(person.text)] = body
        return body

    def _title_only(self, mention: ActorMention) -> bool:
        """True for an unknown "person" whose words are all title words ("Adviser", "the Head")."""
        if mention.actor is not None or mention.kind != "person":
            return False
        words = mention.text.casefold().split()
        return bool(words) and all(w in self.title_vocabulary for w in words)

    def _known(self, mention: ActorMention | None) -> ActorMention | None:
        """An unknown person introduced earlier as speaking for a body is that body (see :meth:`_member`)."""
        if mention is None or mention.actor is not None or mention.kind != "person":
            return mention
        return self.members.get(_surname(mention.text), mention)

    def _label_actor(self, start: int, end: int) -> ActorMention | None:
        """The actor a transcript label names: the person mentioned in it, else its office."""
        inside = [m for m in self.mentions if start <= m.start_char and m.end_char <= end]
        people = [m for m in inside if m.kind == "person"]
        if people:
            return people[0]
        words = self.text[start:end]
        names = words.split()
        for size in (len(names), 3, 2):
            # A label glued to its colon ("Vladimir Putin:(Addressing ...)") escapes the matcher.
            known = self.base.lookup(" ".join(names[-size:]))
            if known is not None and known.kind == "person":
                return _as_mention(self.doc, start, end, known)
        if self.base.role_noun(words) is not None:
            holder = self.base.office_holder(words, None, self.on)
            if holder is not None:
                return _as_mention(self.doc, start, end, holder)
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is not None and any(t.ent_type_ == "PERSON" for t in span):
            # An unknown person: a mention without an actor keeps pronouns from jumping past them.
            return ActorMention(span.start, span.end, start, end, words, "person", None)
        return None

    def _actor_for(self, span: Span, head: Token, draft: _Draft) -> ActorMention | None:
        word = head.lower_
        if draft.outer is not None:
            return draft.outer.speaker
        if word in self.cues.first_person:
            return self._voice(head)
        if word in self.cues.pronouns:
            return self._antecedent(head, None)
        inside = [m for m in self.mentions if span.start <= m.start and m.end <= span.end]
        # The NER takes a capitalised title for a name ("said the Adviser to ..."): a title, not a person.
        inside = [m for m in inside if not self._title_only(m)]
        at_head = [m for m in inside if m.start <= head.i < m.end]
        if at_head:
            # "Ukrainian President Volodymyr Zelenskyy" -> the person named at the head.
            at_head.sort(key=lambda m: m.kind != "person")
            return at_head[0]
        title = self._title(span)
        if title is not None:
            known = {i for m in inside for i in range(m.start, m.end)}
            if any(t.ent_type_ in ("GPE", "NORP") and t.i not in known for t in span):
                return None  # "the President of Kazakhstan": an office of a country the base lacks
            # "the Russian President" names its country; a bare "the President", or one whose words name
            # only the outlet's own country ("the Adviser to the Head of the President's Office"), is the
            # outlet's.
            foreign = [m for m in inside if m.codes()[0] != self.home or m.codes()[0] is None]
            return self._antecedent(head, title, home=not foreign)
        if word in self.cues.document_nouns:
            # "The President's message reads": the author; "The message reads": the text's subject.
            people = [m for m in inside if m.kind == "person"]
            # No author in the text (a greeting whose sender is only in the title): the site's voice.
            return people[0] if people else self._antecedent(head, None) or self._voice(head)
        owners = [m for m in inside if any(self.doc[i].dep_ == "poss" for i in range(m.start, m.end))]
        if owners:
            return None  # "Putin's aides": not Putin himself
        if inside:
            # "Ukrainian officials" -> the state; a body named by its country, which a long title
            # names last ("Minister for ... the Temporarily Occupied Territories of Ukraine").
            inside.sort(key=lambda m: (m.kind != "person", -m.start))
            return inside[0]
        if span.text.lower().split()[0:1] == ["the"] and len(span) == 2:
            return self._titled(head)
        return None

    def _title(self, span: Span) -> str | None:
        """The span as a title the actor base knows ("the Head of State" -> "the president")."""
        words = span.text.lower()
        for alias in sorted(self.cues.title_aliases, key=len, reverse=True):
            if alias in words:
                words = words.replace(alias, self.cues.title_aliases[alias])
        return words if self.base.role_noun(words) is not None else None

    def _voice(self, head: Token) -> ActorMention | None:
        """Whose "I" a first-person subject outside quotes and turns is: the outlet's own voice.

        On president.gov.ua, an address in the first person is the President speaking.
        """
        if self.voice is None:
            return None
        holder = self.base.office_holder(self.voice, self.home, self.on)
        return None if holder is None else _as_mention(self.doc, head.idx, head.idx + len(head.text), holder)

    def _titled(self, head: Token) -> ActorMention | None:
        """The latest earlier person with ``head`` in their title ("the minister" -> the minister)."""
        word = head.lower_
        for offset, mention, _ in reversed(self.salient):
            if offset >= head.idx:
                continue
            titles = self.titles.get(mention.start_char, set())
            actor = mention.actor
            if actor is not None:
                titles = titles | {
                    w for r in actor.roles if r.holds_on(self.on) for w in r.title.lower().split()
                }
            if word in titles:
                return mention
        return None

    def _antecedent(self, head: Token, title: str | None, home: bool = True) -> ActorMention | None:
        """The most salient earlier person: the latest subject, else the latest mention.

        For a role noun ("the President") only people holding that office count; when none was
        mentioned, the office holder on the article's date is taken (with ``home``, the office of
        the outlet's country when the title names none).
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
                if holder is None and home and self.home is not None:
                    # "the President" on president.gov.ua is Ukraine's president.
                    holder = self.base.office_holder(title, self.home, self.on)
                if holder is None:
                    return self._titled(head)
                return _as_mention(self.doc, head.idx, head.idx + len(head.text), holder)
        subjects = [s for s in earlier if s[2]]
        pool = subjects or earlier
        return self._known(pool[-1][1]) if pool else None


def _of_object(word: Token) -> Token | None:
    """The object of a noun's "of" ("member of the delegation" -> "delegation"), if any."""
    of = next((c for c in word.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    return next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None


def _surname(name: str) -> str:
    """The last word of a person's name, lower-cased ("Oleksandr Chalyi" -> "chalyi")."""
    words = name.split()
    return words[-1].casefold().rstrip(".,") if words else ""


def _as_mention(doc: Doc, start: int, end: int, actor: Actor) -> ActorMention:
    span = doc.char_span(start, end, alignment_mode="expand")
    first, last = (span.start, span.end) if span is not None else (0, 0)
    return ActorMention(
        first, last, start, end, doc.text[start:end] if span is None else span.text, "person", actor
    )


def _title_words(doc: Doc, start: int) -> set[str]:
    """The capitalised title words just before token ``start`` ("Foreign Minister" Sergei Lavrov)."""
    words: set[str] = set()
    i = start - 1
    while i >= 0 and start - i <= 4 and doc[i].is_title and doc[i].dep_ in ("compound", "amod", "nmod"):
        words.add(doc[i].lower_)
        i -= 1
    return words


def _subject_of(cue: Token, quotes: list[Quote] | None = None) -> Token | None:
    """The speaker token of a cue: its subject, its passive agent, or its governor's subject.

    With ``quotes``, a subject inside a quote the cue is outside of is passed over: the parser takes
    the quote's last sentence for a second subject of "said" ('... to the Constitution," said X').
    """
    outside = quotes is not None and not _inside_quote(cue.idx, quotes)
    for child in cue.children:
        if outside and quotes is not None and _inside_quote(child.idx, quotes):
            continue
        if child.dep_ in _SUBJECTS and child.lower_ not in _NOT_SPEAKERS:
            return child
        if child.dep_ == "agent":
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    if cue.dep_ == "relcl":
        return cue.head
    if cue.dep_ == "acomp":
        return _subject_of(cue.head, quotes)  # "X is convinced that ..."
    if cue.dep_ == "pcomp" and cue.head.dep_ == "prep":
        return _subject_of(cue.head.head, quotes)  # "responded by saying that ..."
    if cue.dep_ in _HANGING and cue.head != cue:
        return _subject_of(cue.head, quotes)
    return None


def _is_clause(token: Token) -> bool:
    """True when a complement is a clause ("that the talks failed"), not a noun ("about the talks")."""
    return token.pos_ in ("VERB", "AUX") or any(c.dep_ in _SUBJECTS for c in token.children)


def _has_mark(token: Token, marks: Iterable[str]) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in marks for c in token.children)


def _that_before(child: Token, marks: Iterable[str]) -> bool:
    """True when one of ``marks`` opens the complement even if the parser hung it elsewhere."""
    first = child.left_edge
    return first.i > 0 and (first.lower_ in marks or first.nbor(-1).lower_ in marks)


def _in_question(token: Token, quotes: list[Quote] | None = None) -> bool:
    """True when the cue's sentence asks: it ends in "?" outside quotes ('they asked: "Do you ...?"'
    reports a question; "Do you think that ...?" asks one)."""
    sent = token.sent
    last = sent[-1]
    while last.i > sent.start and (last.is_space or (last.is_punct and last.text != "?")):
        last = last.nbor(-1)
    if last.text != "?":
        return False
    return quotes is None or not _inside_quote(max(last.idx - 1, 0), quotes)


def _previous_sentence(token: Token, floor: int, most: int) -> tuple[int, int] | None:
    """The sentences before the cue's: the one right before, and up to ``most`` in all while they
    start after character ``floor`` (the end of the previous statement's content).

    A readout's lead ("Zelenskyy has approved ... The Armed Forces are resisting ... This was
    announced by ...") may take more than one sentence; the sentence right before is taken even
    when it is a report of its own ("Ukraine proposes to ... This was stated by ...").
    """
    doc = token.doc
    sent = token.sent
    if sent.start == 0:
        return None
    start = doc[sent.start - 1].sent.start
    for _ in range(most - 1):
        if start == 0:
            break
        earlier = doc[start - 1].sent
        if earlier.start_char < floor:
            break
        start = earlier.start
    found = _ranges(doc[start : sent.start])
    return (found[0][0], found[-1][1]) if found else None


def _colon_before(span: Span) -> Token | None:
    """The colon that introduces a quote ("reads, in part:" + quote), if one stands just before it."""
    i = span.start - 1
    while i >= 0 and (span.doc[i].is_space or span.doc[i].text in "\"“«„'‘"):
        i -= 1
    return span.doc[i] if i >= 0 and span.doc[i].text == ":" else None


def _np_tokens(head: Token, title_heads: frozenset[str] = frozenset()) -> tuple[int, int]:
    """Token range of the noun phrase a speaker heads: its name, titles and modifiers.

    Titles written with a preposition are kept ("the Head of State", "President of Ukraine Volodymyr
    Zelenskyy", "the Agency for Development and Cooperation") when every word after it is capitalised,
    or when the head is one of ``title_heads`` ("the head of government").
    """
    start = head.i
    for left in reversed(list(head.lefts)):
        if (left.dep_ in _NP_LEFT and left.right_edge.i == start - 1) or left.dep_ == "poss":
            start = min(start, left.left_edge.i)
    end = head.i + 1
    for right in head.rights:
        if right.i != end:
            break
        if right.dep_ in ("compound", "flat"):
            end = right.right_edge.i + 1
        elif right.dep_ == "prep" and right.lower_ in ("of", "for", "to", "on"):
            words = [t for t in right.subtree if t.i > right.i]
            titled = head.is_title and all(t.is_title or t.lower_ in ("the", "of", "and") for t in words)
            if words and (titled or (head.lower_ in title_heads and right.lower_ == "of")):
                end = right.right_edge.i + 1
        else:
            break
    return start, end


def _np_chars(head: Token) -> tuple[int, int]:
    start, end = _np_tokens(head)
    doc = head.doc
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def _content_range(tokens: list[Token], quotes: list[Quote]) -> tuple[int, int]:
    """Character range of a complement, without a leading "that" and edge punctuation.

    A clause hanging from inside a quote but standing outside it (", suggesting that ...") is the
    journalist's gloss and is cut off.
    """
    gloss = {
        t.i
        for g in tokens
        if not _inside_quote(g.idx, quotes) and _inside_quote(g.head.idx, quotes) and g.dep_ in _HANGING
        for t in g.subtree
    }
    if gloss:
        tokens = [t for t in tokens if t.i < min(gloss)]
    tokens = sorted(tokens, key=lambda t: t.i)
    while tokens and (
        (tokens[0].dep_ in ("mark", "dobj") and tokens[0].lower_ in ("that", "whether"))
        or tokens[0].text in _EDGE_PUNCT
        or tokens[0].is_space
    ):
        tokens.pop(0)
    while tokens and (tokens[-1].text in _EDGE_PUNCT or tokens[-1].is_space):
        tokens.pop()
    if not tokens:
        return 0, 0
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _widen_to_quotes(start: int, end: int, quotes: list[Quote]) -> tuple[int, int]:
    """Widen a content range that begins or ends inside a quote to the whole quote.

    The parser often takes the last sentence of a quote for the cue's complement; the statement is
    the whole quote.
    """
    for q in quotes:
        if q.start < start < q.end or q.start < end < q.end:
            start, end = min(start, q.start), max(end, q.end)
    return start, end


def _ranges(tokens: Iterable[Token]) -> list[tuple[int, int]]:
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
        while g and (g[0].text in _EDGE_PUNCT or g[0].is_space):
            g.pop(0)
        while g and (g[-1].text in _EDGE_PUNCT or g[-1].is_space):
            g.pop()
        if g:
            out.append((g[0].idx, g[-1].idx + len(g[-1].text)))
    return out


def _cut_at(parts: list[tuple[int, int]], anchor: int, labels: list[int], text: str) -> list[tuple[int, int]]:
    """Cut content parts at the first transcript label after ``anchor``: the next speaker's words."""
    at = bisect.bisect_right(labels, anchor)
    if at == len(labels):
        return parts
    limit = labels[at]
    out = []
    for s, e in parts:
        if s >= limit:
            break
        e = min(e, limit)
        while e > s and (text[e - 1].isspace() or text[e - 1] in _EDGE_PUNCT):
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _letters(text: str, start: int, end: int) -> int:
    return sum(1 for ch in text[start:end] if ch.isalnum() or ch.isspace())


def _inside_quote(offset: int, quotes: list[Quote]) -> bool:
    return any(s <= offset < e for q in quotes for s, e in q.parts)


def _quote_at(offset: int, quotes: list[Quote]) -> Quote | None:
    return next((q for q in quotes if any(s <= offset < e for s, e in q.parts)), None)


def _to_infinitive(token: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def _glossed_quote(token: Token, quotes: list[Quote]) -> Quote | None:
    """The quote a participle cue hangs from inside ('"... peace," suggesting that ...'), if any."""
    return _quote_at(token.head.idx, quotes) if token.dep_ in _HANGING else None


def _inside_any(quote: Quote, drafts: list[_Draft]) -> bool:
    return any(s <= quote.start and quote.end <= e for d in drafts for s, e in d.parts)


def _previous(drafts: list[_Draft], offset: int) -> _Draft | None:
    earlier = [d for d in drafts if d.anchor < offset]
    return max(earlier, key=lambda d: d.anchor) if earlier else None


def _same_or_next_paragraph(text: str, a: int, b: int) -> bool:
    return text.count("\n", a, b) <= 1 or len(re.findall(r"\n\s*\n|\n", text[a:b])) <= 1


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
        if last is not None and last.kind == "direct" and d.kind == "direct" and last.label is None:
            gap = text[last.parts[-1][1] : d.parts[0][0]]
            same_cue = d.cue is not None and last.cue is not None and d.cue.i == last.cue.i
            if same_cue and not _SENTENCE_END.search(gap):
                last.parts += d.parts
                last.quotes += d.quotes
                continue
        merged.append(d)
    return merged


def _depth(draft: _Draft) -> int:
    depth, outer = 0, draft.outer
    while outer is not None and depth < 8:
        depth, outer = depth + 1, outer.outer
    return depth


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
