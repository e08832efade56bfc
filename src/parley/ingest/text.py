"""Plain-text articles, and the byte-level checks every reader shares.

The text of a plain-text article is kept as it is in the file, apart from a UTF-8 byte-order mark
and Windows or classic-Mac line ends: every extraction's evidence is a character offset into this
text, so anything more (trimming, re-wrapping, quote folding) would move the evidence away from the
source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from parley.errors import InputError
from parley.model import Article

UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# C0 controls and DEL, less those found in real text (tab, newlines, vertical tab, form feed).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
# `file` and git call a file binary on a single NUL; the ratio catches binary formats without NULs.
_MAX_CONTROL_RATIO = 0.1

Parse = Callable[[bytes, str], Article]


def read_bytes(path: Path) -> bytes:
    """Return the bytes of ``path``.

    Raises:
        InputError: when the file cannot be read (missing, a directory, no permission, ...).
    """
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file or directory") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from None


def check_text_bytes(data: bytes, source: str | Path, head: int | None = None) -> None:
    """Return None when ``data`` may be text; a BOM at the start is allowed.

    With ``head``, only the first ``head`` bytes are checked for binary content.

    Raises:
        InputError: ``"empty file"`` when there is nothing but whitespace,
            ``"binary file, not text"`` when there are NUL bytes or too many control characters,
            or a hint to convert when it is UTF-16.
    """
    body = data.removeprefix(UTF8_BOM)
    if not body.strip():
        raise InputError(source, "empty file")
    if body.startswith(_UTF16_BOMS):
        raise InputError(source, "UTF-16 text is not supported; convert the file to UTF-8")
    sample = body[:head]
    if b"\x00" in sample:
        raise InputError(source, "binary file, not text")
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls / len(sample) > _MAX_CONTROL_RATIO:
        raise InputError(source, "binary file, not text")


def decode_utf8(data: bytes, source: str | Path, line: int | None = None, offset: int = 0) -> str:
    """Return ``data`` decoded as strict UTF-8.

    ``offset`` is where ``data`` starts in its file, so that the byte an error names is the file's.

    Raises:
        InputError: ``"invalid UTF-8 at byte N"``, N counted from the start of the file.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        problem = f"invalid UTF-8 at byte {offset + error.start}"
        raise InputError(source, problem, line=line) from None


def normalise_newlines(text: str) -> str:
    """Return ``text`` with ``\\r\\n`` and lone ``\\r`` turned into ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_text(data: bytes, source: str | Path) -> str:
    """Return the text of a UTF-8 file: BOM stripped, newlines normalised, nothing else changed.

    Raises:
        InputError: when the file is empty, binary or not valid UTF-8 (:func:`check_text_bytes`).
    """
    check_text_bytes(data, source)
    bom = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    return check_not_blank(normalise_newlines(decode_utf8(data[bom:], source, offset=bom)), source)


def check_not_blank(text: str, source: str | Path) -> str:
    """Return ``text`` when it holds more than whitespace.

    Raises:
        InputError: ``"empty file"`` otherwise.
    """
    # Non-ASCII whitespace (no-break spaces, ideographic spaces) is only visible once decoded.
    if not text.strip():
        raise InputError(source, "empty file")
    return text


def parse_text(data: bytes, source: str | Path) -> Article:
    """Return the article held in the bytes of a plain-text file; ``source`` names it in errors.

    The article's id is a hash of its text; it has no title, url, outlet or date.

    Raises:
        InputError: when the file is empty, binary or not valid UTF-8.
    """
    text = decode_text(data, source)
    return Article(id=Article.content_id(text), text=text, source=str(source))


def read_document(path: Path, parse: Parse) -> Iterator[Article | InputError]:
    """Yield the article ``parse`` makes of the file at ``path``, or the InputError saying why."""
    try:
        article = parse(read_bytes(path), str(path))
    except InputError as error:
        yield error
    else:
        yield article


def read_text(path: Path) -> Iterator[Article | InputError]:
    """Yield the article in the plain-text file at ``path``, or one InputError saying why not."""
    return read_document(path, parse_text)
