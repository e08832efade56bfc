"""Size limits on what one document may be, checked before any parsing.

Two limits, for two costs:

- :data:`MAX_DOCUMENT_BYTES` (16 MiB) bounds the bytes of one document: a ``.txt`` or ``.html`` file,
  or one page in a WARC. The largest real news pages, inline scripts and all, are a few MB; past the
  limit a file is refused from its size alone, without being read, so a 50 MB upload costs nothing.
- :data:`MAX_ARTICLE_CHARS` (1,000,000) bounds an article's text, whatever it came from (a JSONL line,
  a feed entry, an extracted page). It is spaCy's own ``max_length``: the parser needs memory in
  proportion to a doc's length and spaCy refuses longer texts; refusing them here names the input
  and the limit instead of failing inside the pipeline.

Files that hold many documents (JSONL, feeds, WARC) have no limit as a whole: each of their documents
is checked.
"""

from __future__ import annotations

from pathlib import Path

from parley.errors import InputError
from parley.model import Article

__all__ = ["MAX_ARTICLE_CHARS", "MAX_DOCUMENT_BYTES", "check_article", "check_document_size"]

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
MAX_ARTICLE_CHARS = 1_000_000


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_document_size(size: int, source: str | Path) -> None:
    """Return None when a document of ``size`` bytes is within :data:`MAX_DOCUMENT_BYTES`.

    Raises:
        InputError: naming the size and the limit, when it is larger.
    """
    if size > MAX_DOCUMENT_BYTES:
        raise InputError(
            source,
            f"document is {_megabytes(size)}; the limit for one document is {_megabytes(MAX_DOCUMENT_BYTES)}"
            " (split it, or ingest it as JSONL with one article per line)",
        )


def check_article(article: Article) -> Article | InputError:
    """Return ``article`` when its text is within :data:`MAX_ARTICLE_CHARS`, else the InputError."""
    if len(article.text) <= MAX_ARTICLE_CHARS:
        return article
    return InputError(
        article.source or article.id,
        f"article {article.id} is {len(article.text):,} characters; the limit is {MAX_ARTICLE_CHARS:,}"
        " (spaCy's max_length): split it into several articles",
    )
