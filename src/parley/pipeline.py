"""The article-level core: ``process_batch(articles) -> analyses``, a pure function over records.

The same function runs in-process (default) and, later, in a process pool or on Ray workers; the
spaCy pipeline is loaded once per process.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc

from parley import nlp as parley_nlp
from parley.analysis.shifts import shifts_within
from parley.errors import InputError
from parley.knowledge.actors import load_actors
from parley.knowledge.lexicon import load_issues
from parley.model import Analysis, Article


def analysis_of(doc: Doc) -> Analysis:
    """Return the records Parley's components left on a processed doc."""
    article = parley_nlp.article_of(doc)
    positions = tuple(doc._.parley_positions or ())
    base = load_actors()
    shifts = shifts_within(positions, load_issues(), base.state_of)
    return Analysis(
        article=article,
        statements=tuple(doc._.parley_statements or ()),
        events=tuple(doc._.parley_events or ()),
        positions=positions,
        shifts=tuple(shifts),
    )


def process_batch(
    articles: Sequence[Article], nlp: Language | None = None, batch_size: int = 32
) -> list[Analysis]:
    """Return one analysis per article, in order.

    Raises:
        ParleyError: when the spaCy model is not installed.
    """
    pipeline = nlp or parley_nlp.load()
    docs = parley_nlp.pipe(pipeline, list(articles), batch_size=batch_size)
    return [analysis_of(doc) for doc in docs]


def analyze(text_or_article: str | Article) -> Analysis:
    """Return the analysis of one article, or of a bare text (which gets a content-hash id).

    Raises:
        InputError: when the text is not valid Unicode (a lone surrogate, which no tokenizer takes).
        ParleyError: when the spaCy model is not installed.
    """
    article = (
        text_or_article
        if isinstance(text_or_article, Article)
        else Article(id=Article.content_id(text_or_article), text=text_or_article)
    )
    try:
        article.text.encode("utf-8")
    except UnicodeEncodeError as err:
        where = article.source or article.id
        raise InputError(where, f"text is not valid Unicode at character {err.start}") from None
    return process_batch([article])[0]
