"""JSON Lines articles: one JSON object per line, ``{"id", "text"}`` plus optional metadata.

Optional keys are ``title``, ``url``, ``outlet``, ``published`` (ISO date or datetime) and
``language``; other keys are ignored. The text is taken exactly as given, since offsets into it may
come with it (gold sets, earlier runs). One bad line is reported and the next line read.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from parley.errors import InputError
from parley.ingest.text import UTF8_BOM, check_text_bytes, decode_utf8, read_bytes
from parley.model import Article

# A binary file shows itself in its first bytes; deeper down, a stray control character is one bad
# line (JSON rejects it there) and must not cost the file's other articles.
_BINARY_HEAD = 8192


def parse_published(value: str) -> dt.date:
    """Return the date of an ISO date or datetime string (its date as written, not moved to UTC).

    Raises:
        ValueError: when ``value`` is neither.
    """
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return dt.datetime.fromisoformat(value).date()


def parse_record(record: object, source: str | Path, line: int) -> Article:
    """Return the article in one decoded JSONL record, found at ``line`` of ``source``.

    Raises:
        InputError: when the record is not an object, lacks ``id`` or ``text``, or a field has the
            wrong type or an unparseable ``published``; the error names the file and the line.
    """
    try:
        return _article(record, str(source))
    except _RecordError as error:
        raise InputError(source, str(error), line=line) from None


class _RecordError(ValueError):
    """A record's problem, before it is given its file and line."""


def _article(record: object, source: str) -> Article:
    if not isinstance(record, dict):
        raise _RecordError(f"expected a JSON object, got {_json_type(record)}")

    raw_id = record.get("id")
    if raw_id is None:
        raise _RecordError("missing 'id'")
    # bool is an int to Python, but `true` is no id.
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
        raise _RecordError(f"'id' is {_json_type(raw_id)}; expected a string or an integer")
    if not str(raw_id).strip():
        raise _RecordError("'id' is empty")

    text = record.get("text")
    if text is None:
        raise _RecordError("missing 'text'")
    if not isinstance(text, str):
        raise _RecordError(f"'text' is {_json_type(text)}; expected a string")
    if not text.strip():
        raise _RecordError("'text' is empty")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # A "\ud800" escape decodes to a lone surrogate: not text any store or model can take.
        raise _RecordError("'text' contains an unpaired surrogate (invalid Unicode)") from None
    if "\x00" in text:
        # A NUL is never article text, and PostgreSQL cannot store it: refuse it on both backends.
        raise _RecordError("'text' contains a NUL character (\\u0000)")

    published = _optional_str(record, "published")
    try:
        day = parse_published(published) if published else None
    except ValueError:
        raise _RecordError(f"'published' is not an ISO date or datetime: {published!r}") from None

    return Article(
        id=str(raw_id),
        text=text,
        url=_optional_str(record, "url"),
        outlet=_optional_str(record, "outlet"),
        title=_optional_str(record, "title"),
        published=day,
        language=_optional_str(record, "language") or "en",
        source=source,
    )


def _optional_str(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _RecordError(f"'{key}' is {_json_type(value)}; expected a string")
    return value


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def parse_jsonl(data: bytes, source: str | Path) -> Iterator[Article | InputError]:
    """Yield the article on each non-blank line of JSONL bytes, or an InputError for a bad line.

    Lines are counted from 1, blank lines included. A line that is not valid UTF-8 is an error for
    that line only (the byte it names is counted from the start of the file).
    """
    try:
        check_text_bytes(data, source, head=_BINARY_HEAD)
    except InputError as error:
        yield error
        return
    offset = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    for number, raw in enumerate(data[offset:].split(b"\n"), start=1):
        start, offset = offset, offset + len(raw) + 1
        if not raw.strip():
            continue
        try:
            article = _parse_line(raw, source, number, start)
        except InputError as error:
            yield error
        else:
            yield article


def _parse_line(raw: bytes, source: str | Path, number: int, start: int) -> Article:
    text = decode_utf8(raw, source, line=number, offset=start)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(source, f"invalid JSON: {error.msg}", line=number) from None
    return parse_record(record, source, number)


def read_jsonl(path: Path) -> Iterator[Article | InputError]:
    """Yield the article on each line of the JSONL file at ``path``, or an InputError per bad line.

    An unreadable, empty or binary file gives a single InputError.
    """
    try:
        data = read_bytes(path)
    except InputError as error:
        yield error
        return
    yield from parse_jsonl(data, str(path))
