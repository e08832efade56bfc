"""Verdicts for the verification page, computed by :mod:`parley.analysis.corroborate` off the request path.

The store does not keep verdicts, and checking every statement against every other report and
primary text takes seconds to minutes, so the UI computes them in a separate process (not a
thread: the work is pure Python and would hold the GIL, slowing every other page) and serves the
results once they are in. The process is ``python -m parley.web.verification DB``, which prints the
verdicts as JSON: a plain subprocess, so the app works whatever the main module of the process
that serves it (multiprocessing's spawn would import it again). The results belong to one version
of the database; a new ingest starts a new run. Stores with more statements than ``limit`` are not
checked here at all: the page says so instead of starting work that would not finish in a session.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from parley.analysis.corroborate import VERDICTS, Verifier
from parley.web.queries import Reader

State = Literal["idle", "computing", "ready", "failed", "too_large"]

# Beyond this many statements the page explains instead of computing (about 30 ms a statement).
DEFAULT_LIMIT = 20_000


def check_store(path: str) -> list[dict[str, Any]]:
    """Return the ``parley verify`` object of every statement of the store at ``path``, in store order.

    Raises:
        WebStoreError: when the store cannot be opened read-only.
    """
    reader = Reader(path)
    try:
        articles = reader.all_articles()
        statements = reader.all_statements()
    finally:
        reader.close()
    verifier = Verifier(articles, statements)
    return [check.to_json() for check in verifier.check_all()]


def _run_worker(path: str) -> list[dict[str, Any]]:
    """Run :func:`check_store` in a child process and return its results.

    Raises:
        RuntimeError: when the child fails, with the last line of its error output.
    """
    done = subprocess.run(
        [sys.executable, "-m", "parley.web.verification", path],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"the verification process failed (exit {done.returncode}): {last}")
    found: list[dict[str, Any]] = json.loads(done.stdout)
    return found


@dataclass
class Run:
    """One computation of every verdict, for one version of the database."""

    version: tuple[int, int]
    started: float
    future: Future[list[dict[str, Any]]] | None = None
    checks: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    finished: float | None = None


@dataclass(frozen=True)
class Status:
    """Where the verdicts stand: what the page shows."""

    state: State
    statements: int
    limit: int
    checks: list[dict[str, Any]]
    seconds: float
    error: str | None = None

    def counts(self) -> dict[str, int]:
        """Return how many statements got each verdict (every verdict listed, zeros included)."""
        found = {v: 0 for v in VERDICTS}
        for check in self.checks:
            found[check["verdict"]] = found.get(check["verdict"], 0) + 1
        return found


class Verification:
    """Starts and keeps the verdict computation for the store a :class:`Reader` reads."""

    def __init__(self, reader: Reader, limit: int = DEFAULT_LIMIT) -> None:
        """Verify the statements of ``reader``'s store when there are at most ``limit`` of them."""
        self.reader = reader
        self.limit = limit
        self._lock = threading.Lock()
        self._run: Run | None = None
        self._pool: ThreadPoolExecutor | None = None

    def status(self, start: bool = True) -> Status:
        """Return the current state; with ``start``, begin computing when nothing is under way."""
        statements = self.reader.counts().statements
        if statements > self.limit:
            return Status("too_large", statements, self.limit, [], 0.0)
        version = self.reader.version()
        with self._lock:
            run = self._run
            if run is None or run.version != version:
                if not start:
                    return Status("idle", statements, self.limit, [], 0.0)
                run = self._run = self._start(version)
            self._collect(run)
            now = run.finished or time.monotonic()
            if run.error is not None:
                return Status("failed", statements, self.limit, [], now - run.started, run.error)
            if run.finished is None:
                return Status("computing", statements, self.limit, [], now - run.started)
            return Status("ready", statements, self.limit, run.checks, now - run.started)

    def _start(self, version: tuple[int, int]) -> Run:
        if self._pool is None:
            # One thread that waits on the child process: it holds no GIL while it waits.
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parley-verify")
        run = Run(version, time.monotonic())
        run.future = self._pool.submit(_run_worker, str(self.reader.path.resolve()))
        return run

    @staticmethod
    def _collect(run: Run) -> None:
        future = run.future
        if run.finished is not None or future is None or not future.done():
            return
        run.finished = time.monotonic()
        try:
            run.checks = future.result()
        except Exception as exc:  # the worker's error, whatever it is, is shown on the page
            run.error = f"{type(exc).__name__}: {exc}"

    def wait(self, timeout: float) -> Status:
        """Start if needed and wait up to ``timeout`` seconds for the verdicts (for tests and scripts)."""
        deadline = time.monotonic() + timeout
        status = self.status()
        while status.state == "computing" and time.monotonic() < deadline:
            time.sleep(0.1)
            status = self.status()
        return status

    def close(self) -> None:
        """Stop waiting for verdicts (a running child process finishes on its own, unread)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def main(argv: list[str] | None = None) -> int:
    """Print the verdicts of the store named on the command line as one JSON array; return 0."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python -m parley.web.verification DB\n")
        return 2
    json.dump(check_store(args[0]), sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
