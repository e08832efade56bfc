"""Web archives (WARC, read by warcio): one article per archived HTML page.

Each ``response`` record with HTTP status 200 and an HTML body (and each ``resource`` record of type
HTML) is read by the HTML reader (:func:`parley.ingest.html.parse_html`). The article's url is the
record's ``WARC-Target-URI`` (its id follows from it, as for HTML pages) and its date the page's own,
else the day of the record's ``WARC-Date``. A charset given in the HTTP ``Content-Type`` is used when
the page declares none. Requests, metadata, redirects, errors, images and scripts are skipped.

A page that is not an article, or larger than the limit for one document, is an InputError for that
record; a WARC that breaks off (truncated download, a cut gzip member) keeps the pages before the break
and ends with an InputError. Plain and gzipped WARCs (``.warc``, ``.warc.gz``) are both read.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from parley.errors import InputError
from parley.ingest.html import declared_charset, parse_html, url_id
from parley.ingest.limits import MAX_DOCUMENT_BYTES
from parley.ingest.text import UTF8_BOM
from parley.model import Article

__all__ = ["parse_warc", "read_warc"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20
# What warcio and the gzip layer under it raise on a file that is not (or no longer) a WARC; warcio
# trips over some damaged headers with an AttributeError (a header it expected is None).
_BROKEN = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    EOFError,
    zlib.error,
    ValueError,
    OSError,
    AttributeError,
)


def parse_warc(stream: IO[bytes], source: str | Path) -> Iterator[Article | InputError]:
    """Yield the article of each HTML page archived in a WARC stream, or an InputError per bad one.

    ``stream`` must be seekable (a file opened in binary mode, a BytesIO): a gzipped WARC is checked
    for a cut-off end after its records are read. Errors name ``source`` and the record, by its
    position among the file's records (from 1) and its target URI.
    """
    pages = records = 0
    iterator = iter(ArchiveIterator(stream))
    while True:
        try:
            record = next(iterator, None)
            if record is None:
                break
            if not str(record.format).startswith("warc"):
                # warcio reads any other text as the older ARC format, header lines made of words.
                raise ArchiveLoadFailed("no WARC record header (ARC files are not read)")
            records += 1
            page = _read(record, records, source)
        except _BROKEN as err:
            yield _broken(source, records, err)
            return
        if page is not None:
            pages += 1
            yield _article(page, source)
    cut = _gzip_cut(stream)
    if cut is not None:
        yield InputError(source, f"WARC breaks off after {records} records: {cut}")
    elif pages == 0 and records == 0:
        yield InputError(source, "not a WARC file, or an empty one")
    elif pages == 0:
        yield InputError(source, f"no HTML page in its {records} records")


def read_warc(path: Path) -> Iterator[Article | InputError]:
    """Yield the article of each HTML page in the WARC file at ``path``, or an InputError per bad one."""
    try:
        stream = path.open("rb")
    except OSError as error:
        yield InputError(path, f"cannot read: {error.strerror or error}")
        return
    with stream:
        yield from parse_warc(stream, str(path))


def _broken(source: str | Path, records: int, err: BaseException) -> InputError:
    if records == 0:
        return InputError(source, f"not a WARC file: {err}")
    return InputError(source, f"WARC is broken after record {records}: {err}")


@dataclass(frozen=True)
class _Page:
    """An archived HTML page as read from its record, before the HTML reader sees it."""

    where: str
    uri: str | None
    date: str | None
    content_type: str
    data: bytes
    missing: int


def _read(record: Any, number: int, source: str | Path) -> _Page | InputError | None:
    """Return the page a record holds, an InputError for one too large, None for a record to skip."""
    content_type = _content_type(record)
    if content_type is None:
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or None
    where = f"record {number}" + (f" ({uri})" if uri else "")
    data = record.content_stream().read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        return InputError(source, f"{where}: page is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB")
    date = record.rec_headers.get_header("WARC-Date")
    # warcio stops quietly at the end of the file; what is missing is what the record declared.
    return _Page(where, uri, date, content_type, data, record.raw_stream.limit)


def _article(page: _Page | InputError, source: str | Path) -> Article | InputError:
    if isinstance(page, InputError):
        return page
    try:
        if page.missing > 0:
            raise InputError(source, f"truncated: the record ends {page.missing} bytes early")
        article = parse_html(_as_declared(page.data, page.content_type, source), source)
    except InputError as error:
        return InputError(source, f"{page.where}: {error.problem}")
    published = article.published or _warc_date(page.date)
    if page.uri is None:
        return replace(article, published=published)
    return replace(article, id=url_id(page.uri), url=page.uri, published=published)


def _content_type(record: Any) -> str | None:
    """Return the Content-Type header of an archived HTML page, or None when the record is not one."""
    if record.rec_type == "response":
        headers = record.http_headers
        if headers is None or headers.get_statuscode() != "200":
            return None
        value = headers.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        value = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None
    return value if value.split(";")[0].strip().lower() in _HTML_TYPES else None


def _as_declared(data: bytes, content_type: str, source: str | Path) -> bytes:
    """Return the page's bytes as the HTML reader will decode them right.

    The HTML reader follows a BOM or a ``<meta charset>``; when the page has neither and its HTTP
    header names a charset other than UTF-8, the page is re-encoded to UTF-8 from that charset.

    Raises:
        InputError: when the page is not valid in the charset its header names.
    """
    charset = _header_charset(content_type)
    if charset is None or charset == "utf-8" or data.startswith(UTF8_BOM) or declared_charset(data):
        return data
    try:
        return data.decode(charset).encode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(source, f"invalid {charset} at byte {error.start}") from None


def _header_charset(content_type: str) -> str | None:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            # The same labels as in a <meta>, read the way the HTML reader reads them (as browsers do).
            meta = b'<meta charset="' + value.strip().strip('"').encode("ascii", "replace") + b'">'
            return declared_charset(meta)
    return None


def _warc_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        return None


def _gzip_cut(stream: IO[bytes]) -> str | None:
    """Return why a gzipped WARC's last member is incomplete, or None when it is whole (or plain).

    warcio drops a cut-off gzip member without a word, so the file is read once more, through gzip,
    which does notice.
    """
    try:
        stream.seek(0)
        if stream.read(2) != _GZIP_MAGIC:
            return None
        stream.seek(0)
        with gzip.GzipFile(fileobj=stream) as unzipped:
            while unzipped.read(_CHUNK):
                pass
    except (EOFError, gzip.BadGzipFile, zlib.error) as err:
        return str(err)
    except (OSError, io.UnsupportedOperation) as err:
        return f"cannot be read again: {err}"
    return None
