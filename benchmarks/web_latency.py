"""Latency of the web UI's pages over a store grown to a million statements (prints JSON).

1. A base store of real statements: ``--base DB`` (a store made by ``parley ingest``), or the
   articles of ``--corpus`` ingested here (the first ``--articles`` of each file).
2. The benchmark store: the base copied ``K`` times into ``--out`` with new ids (``ID~k``), each copy
   published ``30 * k`` days later, until it holds ``--statements`` statements. Copies are made in
   SQL (``INSERT ... SELECT`` from the attached base, records rewritten with ``json_set``), so the
   full-text index is filled by the store's own triggers. The store's own indexes only: the UI opens
   the file read-only and cannot add any.
3. The store opened once with the library (which applies pending migrations) and its stored shifts
   refreshed (:func:`parley.runs.refresh_shifts`, what an ingest ends with), timed; ``--as-is``
   skips this and serves the file as it is (a schema-1 store: the UI finds shifts on demand).
4. ``parley serve`` over it in a subprocess (``--cold``: the same app without making the most
   active actors' pages when it starts), and ``--requests`` sequential HTTP requests per page,
   cycling through URLs drawn with a fixed seed (articles, actors, dates, search words and filters).
   The first request of each page is reported apart (``first_ms``): it fills the per-version caches
   (corpus counts, most active actors, outlets, latest shifts).

    python benchmarks/web_latency.py --base parley.db --out /tmp/web-1m.db [--statements 1000000]
    python benchmarks/web_latency.py --corpus ../shared/data/primary --articles 200 --out /tmp/web-1m.db

An existing ``--out`` with enough statements is reused (``--rebuild`` to start over).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from parley.ingest import read_paths
from parley.model import Article
from parley.runs import ingest_items, refresh_shifts
from parley.store import Store

SEARCH_WORDS = ["Ukraine", "peace", "ceasefire", "security guarantees", "NATO", "territory", "referendum"]
COPY_DAYS = 30


def base_store(args: argparse.Namespace) -> Path:
    """Return the path of the base store, ingesting ``--corpus`` when no ``--base`` is given."""
    if args.base is not None:
        return Path(args.base)
    base = Path(str(args.out) + ".base.db")
    if base.exists():
        return base
    picked: list[Article] = []
    per_file: dict[str, int] = {}
    for item in read_paths([Path(p) for p in args.corpus]):
        if isinstance(item, Article):
            source = item.source or ""
            if per_file.get(source, 0) < args.articles:
                per_file[source] = per_file.get(source, 0) + 1
                picked.append(item)
    with Store(base) as store:
        ingest_items(picked, store, lambda error: print(error, file=sys.stderr))
    return base


def grow(base: Path, out: Path, target: int) -> dict[str, Any]:
    """Write ``out``: the base store copied until it holds at least ``target`` statements."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    with Store(out):
        pass  # creates the schema and its indexes, triggers and FTS table
    conn = sqlite3.connect(out, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("ATTACH DATABASE ? AS base", (str(base),))
    per_copy = conn.execute("SELECT count(*) FROM base.statements").fetchone()[0]
    copies = math.ceil(target / per_copy)
    for k in range(copies):
        tag, days = f"~{k}", f"+{COPY_DAYS * k} days"
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO articles (id, content_hash, url, outlet, title, published, language, source,"
            " text, ingested_at) SELECT id || ?1, content_hash || ?1, url, outlet, title,"
            " date(published, ?2), language, source, text, ingested_at FROM base.articles",
            (tag, days),
        )
        conn.execute(
            "INSERT INTO statements (id, article_id, kind, speaker_text, speaker_actor, cue, content,"
            ' venue, retrospective, said_on, start, "end", record)'
            " SELECT id || ?1, article_id || ?1, kind, speaker_text, speaker_actor, cue, content, venue,"
            ' retrospective, date(said_on, ?2), start, "end",'
            " json_set(record, '$.id', id || ?1, '$.article_id', article_id || ?1,"
            " '$.said_on', date(said_on, ?2)) FROM base.statements ORDER BY pk",
            (tag, days),
        )
        conn.execute(
            "INSERT INTO events (id, article_id, type, mode, modality, actors, recipients, statement_id,"
            ' cameo, start, "end", record)'
            " SELECT id || ?1, article_id || ?1, type, mode, modality, actors, recipients,"
            ' statement_id || ?1, cameo, start, "end",'
            " json_set(record, '$.id', id || ?1, '$.article_id', article_id || ?1,"
            " '$.statement_id', statement_id || ?1) FROM base.events",
            (tag,),
        )
        conn.execute(
            "INSERT INTO positions (id, article_id, actor, issue, stance, summary, as_of, retrospective,"
            " record) SELECT id || ?1, article_id || ?1, actor, issue, stance, summary,"
            " date(as_of, ?2), retrospective,"
            " json_set(record, '$.id', id || ?1, '$.article_id', article_id || ?1,"
            " '$.as_of', date(as_of, ?2), '$.statements',"
            " json((SELECT json_group_array(value || ?1) FROM json_each(record, '$.statements'))))"
            " FROM base.positions",
            (tag, days),
        )
        conn.execute(
            "INSERT INTO shifts (id, article_id, actor, issue, severity, direction, before_position_id,"
            " after_position_id, record) SELECT id || ?1, article_id || ?1, actor, issue, severity,"
            " direction, before_position_id || ?1, after_position_id || ?1,"
            " json_set(record, '$.id', id || ?1, '$.before.id', before_position_id || ?1,"
            " '$.after.id', after_position_id || ?1, '$.before.article_id',"
            " json_extract(record, '$.before.article_id') || ?1, '$.after.article_id',"
            " json_extract(record, '$.after.article_id') || ?1) FROM base.shifts",
            (tag,),
        )
        conn.execute("COMMIT")
    conn.execute("DETACH DATABASE base")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {"copies": copies, "build_s": round(time.perf_counter() - started, 1)}


def migrate_and_refresh(db: Path) -> dict[str, Any]:
    """Open ``db`` with the library (pending migrations applied) and refresh its stored shifts."""
    started = time.perf_counter()
    with Store(db) as store:
        migrated = time.perf_counter()
        refreshed = refresh_shifts(store)
    return {
        "migrate_s": round(migrated - started, 1),
        "timelines_refreshed": refreshed,
        "refresh_s": round(time.perf_counter() - migrated, 1),
    }


def schema_version(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return int(conn.execute("SELECT max(version) FROM schema_version").fetchone()[0])


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM statements),"
            " (SELECT count(*) FROM events), (SELECT count(*) FROM positions), (SELECT count(*) FROM shifts)"
        ).fetchone()
    return dict(zip(("articles", "statements", "events", "positions", "shifts"), row, strict=True))


def urls(db: Path, rng: random.Random) -> dict[str, list[str]]:
    """Return the URLs each page is measured with, drawn from the store with ``rng``."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        n_articles = conn.execute("SELECT max(rowid) FROM articles").fetchone()[0]
        articles = []
        while len(articles) < 20:
            row = conn.execute(
                "SELECT id FROM articles WHERE rowid = ?", (rng.randint(1, n_articles),)
            ).fetchone()
            if row is not None:
                articles.append(row[0])
        actors = [
            r[0]
            for r in conn.execute("SELECT actor FROM positions GROUP BY actor ORDER BY count(*) DESC LIMIT 5")
        ]
        speakers = [
            r[0]
            for r in conn.execute(
                "SELECT speaker_actor FROM statements WHERE speaker_actor IS NOT NULL"
                " GROUP BY speaker_actor ORDER BY count(*) DESC LIMIT 5"
            )
        ]
        first, last = conn.execute(
            "SELECT min(as_of), max(as_of) FROM positions WHERE as_of IS NOT NULL"
        ).fetchone()
        outlets = [
            r[0] for r in conn.execute("SELECT outlet FROM articles WHERE rowid <= 5000 GROUP BY outlet")
        ]
    finally:
        conn.close()
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    days = [start + dt.timedelta(days=rng.randint(0, (end - start).days)) for _ in range(10)]
    searches = []
    for word in SEARCH_WORDS:
        searches.append({"q": word})
        searches.append({"q": word, "actor": rng.choice(speakers)})
        day = rng.choice(days)
        searches.append({"q": word, "outlet": rng.choice(outlets), "since": day.isoformat()})
    searches += [{"actor": a} for a in speakers]
    searches += [{"q": "peace", "page": "3"}, {"q": "Ukraine", "page": "10"}]
    return {
        "home": ["/"],
        "articles": [f"/articles?page={p}" for p in (1, 2, 50, 500)],
        "article": [f"/articles/{quote(a)}" for a in articles],
        "actor": [f"/actors/{quote(a)}" for a in [*actors, *speakers]],
        "map": ["/map"] + [f"/map?date={d.isoformat()}" for d in days],
        "search": ["/search?" + urlencode(s) for s in searches],
        "verify": ["/verify"],
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def measure(db: Path, requests: int, seed: int, cold: bool = False) -> dict[str, Any]:
    """Serve ``db`` with ``parley serve`` and time ``requests`` requests per page; with ``cold``, the
    same app without making the most active actors' pages when it starts (``warm_actors=0``)."""
    port = free_port()
    if cold:
        command = [
            "-c",
            "import sys, uvicorn; from parley.web.app import create_app;"
            " uvicorn.run(create_app(sys.argv[1], warm_actors=0), host='127.0.0.1', port=int(sys.argv[2]),"
            " log_level='warning')",
            str(db),
            str(port),
        ]
    else:
        command = ["-c", "from parley.cli import app; app()", "serve", "--db", str(db), "--port", str(port)]
    server = subprocess.Popen(
        [sys.executable, *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ},
    )
    base = f"http://127.0.0.1:{port}"
    results: dict[str, Any] = {}
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            deadline = time.monotonic() + 120
            while True:
                try:
                    client.get("/static/app.css")
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("parley serve did not start") from None
                    time.sleep(0.2)
            for name, page_urls in urls(db, random.Random(seed)).items():
                first = page_urls[0]
                started = time.perf_counter()
                response = client.get(first)
                first_ms = (time.perf_counter() - started) * 1000
                response.raise_for_status()
                times = []
                sizes = []
                by_url: dict[str, float] = {}
                # A URL's first request fills the caches of that URL (an actor's timelines): the
                # repeats are what a reader going back and forth sees.
                repeats: list[float] = []
                seen = {first}
                for i in range(requests):
                    url = page_urls[i % len(page_urls)]
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - started) * 1000)
                    response.raise_for_status()
                    sizes.append(len(response.content))
                    by_url[url] = max(by_url.get(url, 0.0), times[-1])
                    if url in seen:
                        repeats.append(times[-1])
                    seen.add(url)
                times.sort()
                repeats.sort()
                results[name] = {
                    "urls": len(page_urls),
                    "first_ms": round(first_ms, 1),
                    "p50_ms": round(statistics.median(times), 1),
                    "p95_ms": round(times[max(0, math.ceil(0.95 * len(times)) - 1)], 1),
                    "max_ms": round(times[-1], 1),
                    "repeat_p95_ms": round(repeats[max(0, math.ceil(0.95 * len(repeats)) - 1)], 1)
                    if repeats
                    else None,
                    "kb": round(statistics.mean(sizes) / 1024, 1),
                    "slowest": [
                        [url, round(ms, 1)] for url, ms in sorted(by_url.items(), key=lambda kv: -kv[1])[:3]
                    ],
                }
                print(name, results[name], file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", help="an existing Parley store to replicate")
    parser.add_argument("--corpus", nargs="*", default=["../shared/data/primary"], help="articles to ingest")
    parser.add_argument("--articles", type=int, default=200, help="articles per corpus file to ingest")
    parser.add_argument("--out", required=True, help="the benchmark store to write (or reuse)")
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="serve without making the most active actors' pages at start (each first view pays)",
    )
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="serve --out as it is: no migration, no refresh of its stored shifts",
    )
    args = parser.parse_args()
    out = Path(args.out)
    build: dict[str, Any] = {"reused": True}
    if args.rebuild or not out.exists() or counts(out)["statements"] < args.statements:
        base = base_store(args)
        build = {"base": str(base), "base_counts": counts(base), **grow(base, out, args.statements)}
    if not args.as_is:
        build.update(migrate_and_refresh(out))
    build["schema_version"] = schema_version(out)
    load_before = os.getloadavg()
    pages = measure(out, args.requests, args.seed, cold=args.cold)
    report = {
        "store": str(out),
        "size_mb": round(out.stat().st_size / 2**20),
        "counts": counts(out),
        "build": build,
        "requests_per_page": args.requests,
        "warm_actors": not args.cold,
        "pages": pages,
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "sqlite": sqlite3.sqlite_version,
            # Other work on the machine slows every page alike: the load before and after says how much.
            "load_average_1min": [round(load_before[0], 1), round(os.getloadavg()[0], 1)],
        },
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
