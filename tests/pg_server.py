"""A throwaway PostgreSQL server for the tests, or an existing one named by an environment variable.

:func:`server` starts one server per test session, the first time a test asks for it: ``initdb``
into a fresh temporary folder, ``pg_ctl start`` listening only on a Unix socket in that folder (no
TCP port, so nothing on the machine can collide with it or reach it), stopped and deleted when the
session ends. Each test then gets a schema of its own (:meth:`PostgresServer.schema`), or a database
where it needs one.

PostgreSQL refuses to run as root, so when the tests run as root the server runs as the ``postgres``
user (``runuser -u postgres``), which owns the temporary folder; root, the client, can reach any
socket. Settings that matter for a disposable server only (``fsync = off``) make it fast.

Environment:
- ``PARLEY_TEST_POSTGRES_URL``: use this server instead of starting one (a ``postgresql://`` URL of a
  role allowed to create schemas in its database and to CREATE DATABASE); the tests create and drop
  schemas and databases named ``parley_test_*``.
- ``PARLEY_PG_BIN``: the folder with ``initdb`` and ``pg_ctl`` (default: ``pg_ctl`` on PATH, else the
  newest ``/usr/lib/postgresql/*/bin``, where Debian's ``postgresql`` package puts them).
- ``PARLEY_REQUIRE_POSTGRES=1``: fail, rather than skip, the PostgreSQL tests when no server can be
  had (for CI, where a skipped backend would pass unnoticed).
"""

from __future__ import annotations

import atexit
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import psycopg
import pytest

URL_ENV = "PARLEY_TEST_POSTGRES_URL"
BIN_ENV = "PARLEY_PG_BIN"
REQUIRE_ENV = "PARLEY_REQUIRE_POSTGRES"
SERVER_USER = "postgres"
PORT = 5432  # names the socket file only; the folder is private to this server

# A disposable server: durability does not matter, start-up and CREATE DATABASE speed does.
SETTINGS = {
    "listen_addresses": "''",
    "port": str(PORT),
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "40",
    "shared_buffers": "32MB",
    "log_min_messages": "warning",
}


def find_bin() -> Path | None:
    """Return the folder holding ``initdb`` and ``pg_ctl``, or None when PostgreSQL is not installed."""
    if os.environ.get(BIN_ENV):
        return Path(os.environ[BIN_ENV])
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).resolve().parent
    installed = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return installed[-1].parent if installed else None


class PostgresServer:
    """A PostgreSQL server the tests may create schemas and databases on, reached by ``admin_url``."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self._names = (f"parley_test_{uuid.uuid4().hex[:8]}_{n}" for n in itertools.count())

    def url(self, dbname: str | None = None, schema: str | None = None) -> str:
        """Return the URL of database ``dbname`` (default: the admin URL's), tables in ``schema``."""
        parts = urlsplit(self.admin_url)
        query = parse_qsl(parts.query)
        if schema is not None:
            query = [(k, v) for k, v in query if k != "options"] + [("options", f"-csearch_path={schema}")]
        path = parts.path if dbname is None else "/" + quote(dbname)
        return urlunsplit(parts._replace(path=path, query=urlencode(query)))

    def _admin(self, sql: str) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql.encode())

    @contextmanager
    def schema(self) -> Iterator[str]:
        """Yield the URL of a new empty schema (the store's tables go there), dropped afterwards."""
        # A schema, not a database: CREATE DATABASE takes half a second, CREATE SCHEMA nothing.
        name = next(self._names)
        self._admin(f"CREATE SCHEMA {name}")
        try:
            yield self.url(schema=name)
        finally:
            self._admin(f"DROP SCHEMA {name} CASCADE")

    @contextmanager
    def database(self, encoding: str = "UTF8") -> Iterator[str]:
        """Yield the URL of a new empty database in ``encoding``, dropped afterwards."""
        name = next(self._names)
        self._admin(f"CREATE DATABASE {name} ENCODING '{encoding}' TEMPLATE template0")
        try:
            yield self.url(dbname=name)
        finally:
            # FORCE: closes whatever connections a test left open on it.
            self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _as_server_user() -> list[str]:
    """Return the command prefix that runs a server program as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError("running as root without runuser: cannot start PostgreSQL as a plain user")
    return [runuser, "-u", SERVER_USER, "--"]


def _run(command: list[str], what: str) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RuntimeError(f"{what} failed: {exc}") from exc
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}): {done.stdout}{done.stderr}")


@contextmanager
def throwaway_server(bin_dir: Path) -> Iterator[PostgresServer]:
    """Start a PostgreSQL server in a new temporary folder; stop it and delete the folder after.

    Raises:
        RuntimeError: when initdb or pg_ctl fails (their output is in the message), or the tests
            run as root and there is no ``postgres`` user to run the server as.
    """
    prefix = _as_server_user()
    # Not pytest's tmp_path: when root runs the tests it is private to root, and the server
    # user must own its data folder.
    root = Path(tempfile.mkdtemp(prefix="parley-pg-"))
    try:
        if prefix:
            try:
                user = pwd.getpwnam(SERVER_USER)
            except KeyError:
                raise RuntimeError(
                    f"running as root and there is no {SERVER_USER!r} user to run PostgreSQL as"
                ) from None
            os.chown(root, user.pw_uid, user.pw_gid)
        data = root / "data"
        _run(
            [
                *prefix,
                str(bin_dir / "initdb"),
                "--pgdata",
                str(data),
                "--username",
                SERVER_USER,
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            "initdb",
        )
        settings = {**SETTINGS, "unix_socket_directories": f"'{root}'"}
        with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        pg_ctl = [*prefix, str(bin_dir / "pg_ctl"), "--pgdata", str(data)]
        log = root / "server.log"
        try:
            _run([*pg_ctl, "--log", str(log), "--wait", "--timeout", "60", "start"], "pg_ctl start")
        except RuntimeError as exc:
            logged = log.read_text(errors="replace") if log.exists() else "(no log)"
            raise RuntimeError(f"{exc}\nserver log:\n{logged}") from exc
        try:
            yield PostgresServer(f"postgresql://{SERVER_USER}@/postgres?host={root}&port={PORT}")
        finally:
            _run([*pg_ctl, "--mode", "immediate", "--wait", "stop"], "pg_ctl stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


_server: PostgresServer | None = None
_broken: str | None = None  # why the installed server would not start: the tests fail


def server() -> PostgresServer:
    """Return the session's PostgreSQL server, started on first use; skip the test when there is none.

    Raises:
        pytest.skip.Exception: when no PostgreSQL is installed and no URL is given (a failure
            instead when ``PARLEY_REQUIRE_POSTGRES=1``).
        pytest.fail.Exception: when PostgreSQL is installed but does not start (initdb's or
            pg_ctl's output in the message).
    """
    global _server, _broken
    if _server is not None:
        return _server
    if os.environ.get(URL_ENV):
        _server = PostgresServer(os.environ[URL_ENV])
        return _server
    bin_dir = find_bin()
    if bin_dir is None:
        missing = (
            f"PostgreSQL is not installed (no initdb/pg_ctl on PATH, in ${BIN_ENV} or in "
            f"/usr/lib/postgresql/*/bin) and ${URL_ENV} is not set; apt-get install postgresql"
        )
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {missing}")
        pytest.skip(missing)
    if _broken is None:
        started = throwaway_server(bin_dir)
        try:
            _server = started.__enter__()
        except RuntimeError as exc:
            _broken = str(exc)
        else:
            # One server for the whole session; stopped when the interpreter exits.
            atexit.register(started.__exit__, None, None, None)
            return _server
    pytest.fail(f"PostgreSQL is installed ({bin_dir}) but would not start: {_broken}")
