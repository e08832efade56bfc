"""What the statements step adds to bare spaCy parsing, on the primary texts (prints JSON).

Same process, same texts, same docs: the spaCy model parses the articles with ``nlp.pipe`` (timed:
the baseline), then Parley's ``parley_actors`` and ``parley_statements`` components run on those docs
(timed each). The ratio is (parse + actors + statements) / parse; the issue's budget is 1.15. Times
are this process's CPU seconds, and texts are processed in chunks with the timings summed, so that
other work on the machine does not bend the ratio.

    python benchmarks/statements.py [--data ../shared/data/primary] [--every N] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import spacy

from parley import nlp as parley_nlp
from parley.extract.actors import make_actor_recognizer
from parley.extract.statements import make_statement_extractor
from parley.ingest.jsonl import parse_record
from parley.model import Article

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "primary"


def read_articles(folder: Path, every: int, limit: int | None) -> list[Article]:
    """Return every ``every``-th article of the folder's JSONL files (at most ``limit``)."""
    articles: list[Article] = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                articles.append(parse_record(json.loads(line), path, number))
    articles = articles[::every]
    return articles[:limit] if limit else articles


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its JSON; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of JSONL articles")
    parser.add_argument("--every", type=int, default=1, help="take every N-th article")
    parser.add_argument("--limit", type=int, default=None, help="at most this many articles")
    parser.add_argument("--chunk", type=int, default=32, help="articles per timed chunk")
    args = parser.parse_args(argv)

    articles = read_articles(args.data, args.every, args.limit)
    if not articles:
        print(f"no articles under {args.data}", file=sys.stderr)
        return 2
    nlp = spacy.load(parley_nlp.MODEL)
    actors = make_actor_recognizer(nlp, "parley_actors")
    statements = make_statement_extractor(nlp, "parley_statements")
    # Warm up: the first docs pay for lazy loading on both sides.
    for doc in nlp.pipe(parley_nlp.make_doc(nlp, a) for a in articles[:4]):
        statements(actors(doc))

    parse = actors_time = statements_time = 0.0
    found = resolved = 0
    for at in range(0, len(articles), args.chunk):
        chunk = [parley_nlp.make_doc(nlp, a) for a in articles[at : at + args.chunk]]
        started = time.process_time()
        docs = list(nlp.pipe(chunk))
        parse += time.process_time() - started
        started = time.process_time()
        for doc in docs:
            actors(doc)
        actors_time += time.process_time() - started
        started = time.process_time()
        for doc in docs:
            statements(doc)
        statements_time += time.process_time() - started
        for doc in docs:
            found += len(doc._.parley_statements)
            resolved += sum(1 for s in doc._.parley_statements if s.speaker and s.speaker.actor)

    report = {
        "benchmark": "statements",
        "model": parley_nlp.MODEL,
        "articles": len(articles),
        "characters": sum(len(a.text) for a in articles),
        "seconds": {
            "parse": round(parse, 3),
            "actors": round(actors_time, 3),
            "statements": round(statements_time, 3),
        },
        "ratio": round((parse + actors_time + statements_time) / parse, 4),
        "ratio_statements_only": round((parse + statements_time) / parse, 4),
        "budget": 1.15,
        "statements": found,
        "statements_with_actor": resolved,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
