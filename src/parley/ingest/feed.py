"""RSS and Atom feeds (read by feedparser): one article per entry.

An entry's text is its richest body: the full content (``content:encoded``, Atom ``<content>``) when
there is one, else its summary (``<description>``, Atom ``<summary>``). HTML bodies are read by the HTML
reader (trafilatura), so paragraphs survive as blocks separated by a blank line; a body that embeds a
whole page (``<html>...``) is read as that page. The entry gives the article's url (its link), title,
date and the feed's title as ``outlet``; the page's own metadata fills what the entry lacks.

An entry without a body, a feed that is not well-formed (truncated, say) and a feed not valid in its
declared encoding are reported as InputErrors; the entries read before a break are kept.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser

from parley.errors import InputError
from parley.ingest.html import parse_html, url_id
from parley.ingest.jsonl import parse_published
from parley.ingest.text import UTF8_BOM, check_text_bytes, normalise_newlines, read_bytes
from parley.model import Article, stable_id

__all__ = ["is_feed", "parse_feed", "read_feed"]

# The root elements of RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom, looked for in a file's head.
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.I)
_SNIFF_BYTES = 4096
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_WHOLE_PAGE = re.compile(r"<(?:html|body)\b", re.I)
_TAG = re.compile(r"<[^>]*>")
_BLOCK = re.compile(r"<(?:p|div|br|h[1-6]|ul|ol|li|blockquote|table|section|article)\b", re.I)


def is_feed(path: Path) -> bool:
    """Return True when the file at ``path`` starts like an RSS or Atom feed (its root element).

    Used to tell feeds from other XML (sitemaps, data files) in a folder; unreadable files are not
    feeds.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return False
    return _FEED_ROOT.search(head) is not None


def parse_feed(data: bytes, source: str | Path) -> Iterator[Article | InputError]:
    """Yield the article of each entry of an RSS or Atom feed, or an InputError per bad entry.

    Errors name the file, and the entry by its position (from 1) and link. A file that is not a feed,
    is not valid in its declared encoding, or is empty or binary gives a single InputError; a feed
    that breaks off (not well-formed) gives its entries before the break, then an InputError.
    """
    try:
        check_text_bytes(data, source)
    except InputError as error:
        yield error
        return
    try:
        parsed = feedparser.parse(data)
    except (UnicodeError, ValueError, LookupError) as err:
        # feedparser trips over some broken markup itself (a character reference to a surrogate).
        yield InputError(source, f"not a readable feed: {err}")
        return
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, feedparser.CharacterEncodingOverride):
        yield InputError(source, f"not valid in its declared encoding: {problem}")
        return
    entries = parsed.get("entries") or []
    if not parsed.get("version") and not entries:
        detail = f" ({problem})" if problem is not None else ""
        yield InputError(source, f"not an RSS or Atom feed{detail}")
        return
    outlet = _plain(parsed.get("feed", {}).get("title_detail")) or None
    for number, entry in enumerate(entries, start=1):
        try:
            yield _article(entry, outlet, source)
        except InputError as error:
            yield InputError(source, f"entry {number}{_named(entry)}: {error.problem}")
    if problem is not None:
        yield InputError(source, f"feed is not well-formed after {len(entries)} entries: {problem}")


def read_feed(path: Path) -> Iterator[Article | InputError]:
    """Yield the article of each entry of the feed at ``path``, or an InputError per bad entry."""
    try:
        data = read_bytes(path)
    except InputError as error:
        yield error
        return
    yield from parse_feed(data, str(path))


def _named(entry: Any) -> str:
    name = entry.get("link") or entry.get("id")
    return f" ({name})" if name else ""


def _article(entry: Any, outlet: str | None, source: str | Path) -> Article:
    body, kind = _body(entry)
    if not body.strip():
        raise InputError(source, "no text in the entry (a feed of links only: ingest the pages instead)")
    found: Article | None = None
    if kind not in _HTML_TYPES:
        text = normalise_newlines(body).strip()
    elif _WHOLE_PAGE.search(body):
        # The page is text already: the BOM makes the HTML reader take it as UTF-8 whatever charset
        # its <meta> still names.
        found = parse_html(UTF8_BOM + body.encode("utf-8"), source)
        text = found.text
    else:
        text = _fragment_text(body, source)
    url = entry.get("link") or (found.url if found else None) or None
    guid = entry.get("id")
    if url:
        article_id = url_id(url)
    elif guid:
        article_id = stable_id("art", "guid", guid)
    else:
        article_id = Article.content_id(text)
    return Article(
        id=article_id,
        text=text,
        url=url,
        outlet=outlet or (found.outlet if found else None),
        title=_plain(entry.get("title_detail")) or (found.title if found else None),
        published=_published(entry) or (found.published if found else None),
        language=(found.language if found else None) or "en",
        source=str(source),
    )


def _body(entry: Any) -> tuple[str, str]:
    """Return the richest body of an entry and its type: the longest content, else the summary."""
    contents = [c for c in entry.get("content") or () if (c.get("value") or "").strip()]
    if contents:
        best = max(contents, key=lambda c: len(c.get("value") or ""))
        return best.get("value") or "", best.get("type") or "text/html"
    detail = entry.get("summary_detail") or {}
    return entry.get("summary") or "", detail.get("type") or "text/html"


def _fragment_text(fragment: str, source: str | Path) -> str:
    """Return the text of an entry's HTML body: its blocks as the HTML reader finds them.

    A body of bare text (a one-sentence summary) is one paragraph; one too short for trafilatura to
    take for an article is read as its text without the tags.

    Raises:
        InputError: when the body holds no text at all.
    """
    inner = fragment if _BLOCK.search(fragment) else f"<p>{fragment}</p>"
    head = '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
    try:
        return parse_html(f"{head}<body><article>{inner}</article></body></html>".encode(), source).text
    except InputError:
        text = " ".join(html.unescape(_TAG.sub(" ", fragment)).split())
        if not text:
            raise
        return text


def _plain(detail: Any) -> str:
    """Return the text of a feed's text construct (a title): tags removed when it is HTML."""
    if not detail:
        return ""
    value = str(detail.get("value") or "")
    if detail.get("type") in _HTML_TYPES:
        value = html.unescape(_TAG.sub("", value))
    return " ".join(value.split())


def _published(entry: Any) -> dt.date | None:
    """Return the entry's date as written (its own offset, not moved to UTC), or None."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        try:
            return parse_published(raw)  # Atom: RFC 3339
        except ValueError:
            pass
        try:
            return email.utils.parsedate_to_datetime(raw).date()  # RSS: RFC 822
        except (TypeError, ValueError, IndexError):
            pass
        parsed = entry.get(f"{key}_parsed")
        if isinstance(parsed, time.struct_time):
            # feedparser read a date in some other format, and moved it to UTC.
            return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    return None
