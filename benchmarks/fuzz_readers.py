"""A long fuzz run of every reader and of ``analyze``: no input may crash them (prints JSON).

Each target gets ``--inputs`` inputs (default 10,000): real documents (the seed article as text, an
HTML page, an RSS and an Atom feed, plain and gzipped WARCs, JSON Lines of official texts) broken by
random mutations (bit flips, cut-offs, deletions, insertions of random bytes or of tokens that trip
parsers: ``]]>``, ``<!--``, NUL, a UTF-16 BOM, lone surrogates, deep nesting), spliced with each other,
or plain random bytes. ``analyze`` gets text: the decoded inputs and random Unicode with news words
mixed in, up to 2,000 characters. A reader may yield articles and InputErrors (or a one-document
parser raise an InputError); anything else is a crash, reported with its type, message and a hex
head of the input. The run is repeatable: inputs come from ``random.Random(--seed)``.

    python benchmarks/fuzz_readers.py [--inputs 10000] [--seed 8] [--targets text,html,...] [--save DIR]

Exit code 1 when any target crashed.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the tests' builders of real pages, feeds and archives

from news_pages import (  # noqa: E402
    PRIMARY,
    SEED_PARAGRAPHS,
    SEED_STORY,
    SEED_TEXT,
    Capture,
    RssItem,
    atom_feed,
    news_page,
    primary_story,
    rss_feed,
    warc_archive,
)
from parley.errors import InputError  # noqa: E402
from parley.ingest.feed import parse_feed  # noqa: E402
from parley.ingest.html import parse_html  # noqa: E402
from parley.ingest.jsonl import parse_jsonl  # noqa: E402
from parley.ingest.text import parse_text  # noqa: E402
from parley.ingest.warc import parse_warc  # noqa: E402
from parley.model import Article  # noqa: E402
from parley.pipeline import analyze  # noqa: E402

TOKENS = [
    b"]]>",
    b"<![CDATA[",
    b"<!--",
    b"-->",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xed\xa0\x80",  # a UTF-8-encoded lone surrogate
    b"&#xD800;",
    b"&amp;",
    b"&nbsp;",
    b"<div>" * 200,
    b"</p></div></body></html>",
    b'<meta charset="utf-16">',
    b'<meta charset="x-unknown">',
    b"\r\n\r\n",
    b"WARC/1.0\r\n",
    b"Content-Length: 99999999\r\n",
    b"HTTP/1.1 200 OK\r\n",
    b'{"id": 1, "text": ',
    b"\n",
    "“”‘’—…".encode(),
]
NEWS_WORDS = [
    "Zelenskyy",
    "Putin",
    "said",
    "told",
    "“",
    "”",
    '"',
    "ceasefire",
    "NATO",
    "if",
    "not",
    ".",
    "\n\n",
]


def seeds() -> dict[str, list[bytes]]:
    """Return the real documents each reader starts from."""
    page = news_page().encode("utf-8")
    stories = [primary_story(i) for i in range(3)]
    captures = [Capture(SEED_STORY.url, page), *(Capture(s.url, news_page(s).encode()) for s in stories)]
    return {
        "text": [SEED_TEXT.encode("utf-8"), *(s.body.encode() for s in stories)],
        "html": [page, *(news_page(s).encode() for s in stories)],
        "jsonl": [PRIMARY.read_bytes()],
        "feed": [
            rss_feed([RssItem(SEED_STORY), *(RssItem(s) for s in stories)]),
            atom_feed([SEED_STORY, *stories]),
        ],
        "warc": [warc_archive(captures, gzip=True), warc_archive(captures, gzip=False)],
    }


def mutate(rng: random.Random, data: bytes, others: list[bytes]) -> bytes:
    """Return ``data`` broken by one to eight random mutations."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randint(0, len(out))
        kind = rng.randrange(7)
        if kind == 0 and out:
            i = rng.randrange(len(out))
            out[i] ^= 1 << rng.randrange(8)
        elif kind == 1:
            del out[at:]
        elif kind == 2:
            del out[at : at + rng.randint(1, 512)]
        elif kind == 3:
            out[at:at] = rng.randbytes(rng.randint(1, 64))
        elif kind == 4:
            out[at:at] = rng.choice(TOKENS)
        elif kind == 5 and out:
            start = rng.randrange(len(out))
            out[at:at] = out[start : start + rng.randint(1, 2048)]
        elif kind == 6:
            other = rng.choice(others)
            cut = rng.randint(0, len(other))
            out[at:] = other[cut:]
    return bytes(out)


def inputs(rng: random.Random, target: str, count: int, corpus: dict[str, list[bytes]]) -> Iterable[bytes]:
    everything = [doc for docs in corpus.values() for doc in docs]
    for _ in range(count):
        roll = rng.random()
        if roll < 0.1:
            yield rng.randbytes(rng.randint(0, 2048))
        elif roll < 0.15:
            yield rng.choice(corpus[target])  # the untouched seeds must read cleanly every time
        else:
            yield mutate(rng, rng.choice(corpus[target]), everything)


def texts(rng: random.Random, count: int, corpus: dict[str, list[bytes]]) -> Iterable[str]:
    everything = [doc for docs in corpus.values() for doc in docs]
    for _ in range(count):
        roll = rng.random()
        if roll < 0.4:
            raw = mutate(rng, rng.choice(everything), everything)
            start = rng.randint(0, max(0, len(raw) - 1))
            yield raw[start : start + rng.randint(0, 2000)].decode("utf-8", "replace")
        elif roll < 0.7:
            yield " ".join(
                rng.choice(NEWS_WORDS) if rng.random() < 0.5 else _random_word(rng) for _ in range(80)
            )
        elif roll < 0.9:
            yield "".join(
                chr(rng.choice([rng.randint(0, 0x2FF), rng.randint(0, 0x10FFFF)])) for _ in range(300)
            )
        else:
            yield "\n\n".join(rng.sample(SEED_PARAGRAPHS, rng.randint(1, 3)))


def _random_word(rng: random.Random) -> str:
    return "".join(chr(rng.randint(0x20, 0x24F)) for _ in range(rng.randint(1, 10)))


READERS: dict[str, Callable[[bytes], Iterable[Article | InputError]]] = {
    "text": lambda data: [parse_text(data, "fuzz.txt")],
    "html": lambda data: [parse_html(data, "fuzz.html")],
    "jsonl": lambda data: parse_jsonl(data, "fuzz.jsonl"),
    "feed": lambda data: parse_feed(data, "fuzz.rss"),
    "warc": lambda data: parse_warc(io.BytesIO(data), "fuzz.warc"),
}


def check_reader(read: Callable[[bytes], Iterable[Article | InputError]], data: bytes) -> Counter[str]:
    """Return the counts of what reading ``data`` gave; raise whatever is not an InputError."""
    seen: Counter[str] = Counter()
    try:
        for item in read(data):
            if isinstance(item, InputError):
                seen["input_errors"] += 1
            elif isinstance(item, Article) and item.text.strip():
                seen["articles"] += 1
            else:
                raise AssertionError(f"reader yielded {item!r}")
    except InputError:
        seen["input_errors"] += 1
    return seen


def check_analyze(text: str) -> Counter[str]:
    """Return the counts of what analysing ``text`` gave; raise on a crash or a span off the text."""
    analysis = analyze(text)
    if analysis.article.text != text:
        raise AssertionError("the article's text is not the input")
    for statement in analysis.statements:
        for span in (statement.evidence, *statement.content):
            if not span.holds_in(text):
                raise AssertionError(f"span {span!r} does not slice the text")
    return Counter(analyses=1, statements=len(analysis.statements), events=len(analysis.events))


def run(
    target: str, count: int, seed: int, corpus: dict[str, list[bytes]], save: Path | None
) -> dict[str, Any]:
    rng = random.Random(f"{seed}:{target}")
    counts: Counter[str] = Counter()
    crashes: Counter[str] = Counter()
    examples: list[dict[str, str]] = []
    started = time.perf_counter()
    items: Iterable[Any] = (
        texts(rng, count, corpus) if target == "analyze" else inputs(rng, target, count, corpus)
    )
    for number, item in enumerate(items):
        try:
            counts += check_analyze(item) if target == "analyze" else check_reader(READERS[target], item)
        except Exception as crash:
            kind = f"{type(crash).__name__}: {str(crash)[:120]}"
            crashes[kind] += 1
            if crashes[kind] == 1:
                raw = item.encode("utf-8", "surrogatepass") if isinstance(item, str) else item
                examples.append(
                    {
                        "input": number,
                        "crash": kind,
                        "head": raw[:64].hex(),
                        "where": traceback.format_exc()[-600:],
                    }
                )
                if save is not None:
                    save.mkdir(parents=True, exist_ok=True)
                    (save / f"{target}-{number}.bin").write_bytes(raw)
    return {
        "target": target,
        "inputs": count,
        "seconds": round(time.perf_counter() - started, 1),
        **dict(counts),
        "crashes": sum(crashes.values()),
        "crash_kinds": dict(crashes),
        "examples": examples,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000, help="inputs per target")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--targets", default="text,html,jsonl,feed,warc,analyze")
    parser.add_argument("--save", type=Path, default=None, help="write each first crashing input here")
    args = parser.parse_args()
    # trafilatura logs a warning for each page it finds nothing in; that is an InputError here.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    corpus = seeds()
    results = [run(t, args.inputs, args.seed, corpus, args.save) for t in args.targets.split(",")]
    total = sum(r["crashes"] for r in results)
    print(
        json.dumps(
            {"seed": args.seed, "inputs_per_target": args.inputs, "crashes": total, "targets": results},
            indent=2,
        )
    )
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
