"""HTML articles: the main text and metadata of a news page, found by trafilatura.

Paragraphs, headings, lists, quotes and tables of the article body are kept as blocks separated by a
blank line, so the paragraph structure of the page survives into ``Article.text``.
"""

from __future__ import annotations

import codecs
import copy
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import trafilatura
from trafilatura.settings import Document
from trafilatura.xml import xmltotxt

from parley.errors import InputError
from parley.ingest.text import (
    UTF8_BOM,
    check_not_blank,
    check_text_bytes,
    decode_utf8,
    normalise_newlines,
    read_document,
)
from parley.model import Article, stable_id

# Browsers look for a <meta charset> in the first 1024 bytes; a little more tolerates long heads.
_CHARSET_WINDOW = 4096
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)

# Labels as browsers read them (WHATWG Encoding Standard). Pages labelled Latin-1 or ASCII are full
# of Windows-1252 curly quotes, which Latin-1 would make control characters; a UTF-16 label in a
# <meta> cannot be true, since the ASCII markup around it was readable.
_BROWSER_CHARSETS = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "utf-16": "utf-8",
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
}

# Without these, htmldate guesses a date from free text and boilerplate (a "© 2024" footer becomes
# 2024-01-01) and prefers the last-modified date; an article's date is the day it was published.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def url_id(url: str) -> str:
    """Return the stable id of the article at ``url``: the same page always gets the same id."""
    return stable_id("art", "url", url)


def declared_charset(data: bytes) -> str | None:
    """Return the codec name of the charset an HTML page declares in a <meta>, or None.

    A label Python does not know counts as no declaration.
    """
    match = _META_CHARSET.search(data[:_CHARSET_WINDOW])
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    return _BROWSER_CHARSETS.get(name, name)


def decode_html(data: bytes, source: str | Path) -> str:
    """Return the markup of an HTML file as text: UTF-8 unless the page declares another charset.

    Raises:
        InputError: when the file is empty, binary, or not valid in its charset.
    """
    check_text_bytes(data, source)
    return check_not_blank(_decode(data, source), source)


def _decode(data: bytes, source: str | Path) -> str:
    if data.startswith(UTF8_BOM):
        return decode_utf8(data[len(UTF8_BOM) :], source, offset=len(UTF8_BOM))
    charset = declared_charset(data)
    if charset is None or charset == "utf-8":
        return decode_utf8(data, source)
    try:
        return data.decode(charset)
    except UnicodeDecodeError as error:
        raise InputError(source, f"invalid {charset} at byte {error.start}") from None


def _body_text(document: Document) -> str:
    """Return the blocks of the extracted body as text, one blank line between blocks.

    trafilatura's own ``text`` joins blocks with a single newline, the character a <br> becomes
    too, so paragraph boundaries cannot be recovered from it; the body tree still has them.
    """
    if document.body is None:
        return ""
    pieces = [piece for block in document.body for piece in _split_at_blank_lines(block)]
    blocks = [xmltotxt(piece, False).strip() for piece in pieces]
    blocks = [normalise_newlines(block) for block in blocks if block]
    # The headline is usually repeated as the body's first heading; it is kept once, as the title.
    if blocks and document.title and _same_words(blocks[0], document.title):
        blocks = blocks[1:]
    return "\n\n".join(blocks)


def _split_at_blank_lines(block: Any) -> list[Any]:
    """Return copies of a body block cut where two line breaks meet (``<lb/><lb/>``).

    Pages that build paragraphs from ``<br><br>`` inside one element come out of trafilatura as one
    block; its text conversion folds the blank line away, so the cut is made in the tree.
    """
    try:
        pieces = [block.makeelement(block.tag, block.attrib)]
        pieces[0].text = block.text
        after_break = False
        for child in block:
            if child.tag == "lb" and after_break:
                pieces[-1].remove(pieces[-1][-1])
                pieces.append(block.makeelement(block.tag, block.attrib))
                pieces[-1].text = child.tail
                after_break = False
                continue
            pieces[-1].append(copy.deepcopy(child))
            after_break = child.tag == "lb" and not (child.tail or "").strip()
    except ValueError:
        # lxml refuses to copy some attribute names trafilatura keeps ("terms.<"): keep the block whole.
        return [block]
    return pieces


def _same_words(first: str, second: str) -> bool:
    return first.split() == second.split()


def _published(document: Document) -> dt.date | None:
    if not document.date:
        return None
    try:
        return dt.date.fromisoformat(document.date[:10])
    except ValueError:
        # htmldate's output format is YYYY-MM-DD; anything else is not a date we can stand behind.
        return None


def parse_html(data: bytes, source: str | Path) -> Article:
    """Return the article in the bytes of an HTML page; ``source`` names it in errors.

    The article has the page's main text (blocks separated by ``"\\n\\n"``), title, site name as
    ``outlet``, publication date and canonical url where the page gives them. Its id is
    :func:`url_id` of the url when there is one, else a hash of the text.

    Raises:
        InputError: when the file is empty, binary, not valid in its charset, holds no article
            text, or has markup the HTML parser refuses.
    """
    markup = decode_html(data, source)
    try:
        extracted = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=_DATE_PARAMS,
        )
        # bare_extraction returns a dict only when asked to (as_dict=True); None when it finds nothing.
        document = extracted if isinstance(extracted, Document) else None
        text = _body_text(document) if document is not None else ""
    except ValueError as err:
        # lxml refuses some markup trafilatura builds (an attribute named "terms.<", found by fuzzing).
        raise InputError(source, f"the HTML parser failed on the page: {err}") from None
    if document is None or not text:
        raise InputError(source, "no article text found in HTML")
    url = document.url or None
    return Article(
        id=url_id(url) if url else Article.content_id(text),
        text=text,
        url=url,
        outlet=document.sitename or None,
        title=document.title or None,
        published=_published(document),
        language=document.language or "en",
        source=str(source),
    )


def read_html(path: Path) -> Iterator[Article | InputError]:
    """Yield the article in the HTML file at ``path``, or one InputError saying why not."""
    return read_document(path, parse_html)
