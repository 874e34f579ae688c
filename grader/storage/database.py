"""Where the database lives, how to connect to it, and how to run one transaction.

The embedded default is a SQLite file, ``data/grader.sqlite3`` under the project root,
created on first start. ``DATABASE_URL`` (or an explicit ``url``) points elsewhere:
``postgresql://user:pass@host/db`` is rewritten to the psycopg 3 driver, which is the one
the project installs.

SQLite is configured so that an acknowledged write survives a crash and concurrent
writers wait instead of failing:

* ``journal_mode=WAL``: readers never block the writer and a commit is one append.
* ``synchronous=FULL``: each commit is fsynced, so it survives power loss too, not only a
  killed process. Costs about a millisecond per commit here.
* ``busy_timeout``: a writer waits up to ``SQLITE_BUSY_SECONDS`` for the lock.
* ``foreign_keys=ON``: SQLite leaves them off unless asked, per connection.
* Python's sqlite3 module is told not to manage transactions (it would not ``BEGIN``
  before a ``SELECT``); we emit ``BEGIN IMMEDIATE`` for writes ourselves. Taking the write
  lock up front means a transaction that reads and then writes cannot fail half way with
  "database is locked" when another writer got in between.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy
from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from grader.storage.errors import DatabaseURLError
from grader.storage.policy import AccountPolicy

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "grader.sqlite3"
SQLITE_BUSY_SECONDS = 15.0

# Execution option that marks a connection as read-only, so SQLite starts a plain
# (deferred) transaction for it instead of taking the write lock.
_READ_ONLY = "grader_read_only"


def utc_now() -> datetime:
    """Return the current time as a timezone-aware UTC datetime."""
    return datetime.now(timezone.utc)


def resolve_url(url: str | URL | None = None, *, environ: Mapping[str, str] | None = None) -> URL:
    """Return the database URL to use: ``url``, else ``$DATABASE_URL``, else the default file.

    PostgreSQL URLs without a driver (``postgresql://``, ``postgres://``) get the psycopg 3
    driver. In-memory SQLite is refused: it would lose every submission on restart.
    """
    environ = os.environ if environ is None else environ
    raw: str | URL
    if url is not None and str(url).strip():
        raw, source = url, "the database URL"
    elif environ.get("DATABASE_URL", "").strip():
        raw, source = environ["DATABASE_URL"].strip(), "DATABASE_URL"
    else:
        return URL.create("sqlite+pysqlite", database=str(DEFAULT_SQLITE_PATH))
    try:
        parsed = make_url(raw)
    except ArgumentError as error:
        raise DatabaseURLError(
            f"{source} {str(raw)!r} is not a database URL ({error}); expected "
            "'postgresql://user:password@host:5432/dbname' or 'sqlite:///path/to/file.sqlite3'"
        ) from None
    # Split the name ourselves: asking SQLAlchemy would load the dialect, and "postgres" has none.
    backend, _, driver = parsed.drivername.partition("+")
    shown = parsed.render_as_string(hide_password=True)
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername=f"postgresql+{driver or 'psycopg'}")
    if backend == "sqlite":
        if driver not in ("", "pysqlite"):
            raise DatabaseURLError(f"{source} {shown!r} uses SQLite driver {driver!r}; use 'sqlite:///path'")
        if parsed.database in (None, "", ":memory:") or "mode=memory" in str(parsed):
            raise DatabaseURLError(
                f"{source} {shown!r} is an in-memory SQLite database, which loses every submission "
                "when the app stops; give a file path such as 'sqlite:///data/grader.sqlite3'"
            )
        return parsed.set(drivername="sqlite+pysqlite")
    raise DatabaseURLError(
        f"{source} {shown!r} names database {backend!r}, which is not supported; "
        "use 'postgresql://...' or 'sqlite:///path'"
    )


def create_engine(url: URL, **options: object) -> Engine:
    """Return an engine for a resolved ``url``, with SQLite set up as the module docstring says.

    ``options`` go to ``sqlalchemy.create_engine`` (e.g. ``poolclass``). The SQLite file's
    folder is created if missing, so the first start needs no set-up.
    """
    if url.get_backend_name() != "sqlite":
        options.setdefault("pool_pre_ping", True)
        return sqlalchemy.create_engine(url, **options)
    Path(url.database or "").expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
    engine = sqlalchemy.create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS}, **options)

    @event.listens_for(engine, "connect")
    def configure(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we send BEGIN ourselves, see below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_SECONDS * 1000)}")
        mode = _switch_to_wal(cursor)
        if mode.lower() != "wal":
            raise DatabaseURLError(
                f"SQLite refused WAL mode for {url.database!r} (got {mode!r}); put the database on a local file system"
            )
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(connection):  # type: ignore[no-untyped-def]
        read_only = connection.get_execution_options().get(_READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def _switch_to_wal(cursor: sqlite3.Cursor) -> str:
    """Put the file in WAL mode (once per file: it sticks) and return the journal mode now in force.

    Switching needs an exclusive lock for which SQLite does not wait, so when several
    processes open a new file at once, the losers retry until the winner has switched.
    """
    deadline = time.monotonic() + SQLITE_BUSY_SECONDS
    while True:
        try:
            (mode,) = cursor.execute("PRAGMA journal_mode").fetchone()
            if mode.lower() == "wal":
                return str(mode)
            (mode,) = cursor.execute("PRAGMA journal_mode = WAL").fetchone()
            return str(mode)
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@dataclass(frozen=True)
class Database:
    """An open database: the engine, the account policy, and the clock every timestamp uses.

    Create it once per process with ``open_database`` (the app keeps it in
    ``st.cache_resource``) and pass it to every storage function. ``clock`` exists so
    tests can move time forward; it must return timezone-aware UTC datetimes.
    """

    engine: Engine
    policy: AccountPolicy = field(default_factory=AccountPolicy)
    clock: Callable[[], datetime] = utc_now

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def now(self) -> datetime:
        """Return the clock's time, checked to be timezone-aware, in UTC."""
        moment = self.clock()
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"the clock returned naive datetime {moment!r}; it must be timezone-aware UTC")
        return moment.astimezone(timezone.utc)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_database(
    url: str | URL | None = None,
    *,
    policy: AccountPolicy | None = None,
    clock: Callable[[], datetime] | None = None,
    migrate: bool = True,
    **engine_options: object,
) -> Database:
    """Open the database at ``url`` (see ``resolve_url``), first migrating it to the newest schema.

    Migrating on every start is cheap when nothing is pending and safe with several
    replicas starting at once (see ``grader.storage.migration``).
    """
    resolved = resolve_url(url)
    if migrate:
        from grader.storage.migration import migrate as run_migrations

        run_migrations(resolved)
    return Database(
        engine=create_engine(resolved, **engine_options),
        policy=policy or AccountPolicy(),
        clock=clock or utc_now,
    )


@contextmanager
def writing(db: Database) -> Iterator[Connection]:
    """Run the block in one write transaction, committed at the end, rolled back on error."""
    with db.engine.begin() as connection:
        yield connection


@contextmanager
def reading(db: Database) -> Iterator[Connection]:
    """Run the block in one read transaction, so every query in it sees the same snapshot."""
    with db.engine.connect() as connection:
        options: dict[str, object] = {_READ_ONLY: True}
        if db.backend != "sqlite":
            # PostgreSQL's default READ COMMITTED gives each statement its own snapshot.
            options["isolation_level"] = "REPEATABLE READ"
        connection.execution_options(**options)
        with connection.begin():
            yield connection


@contextmanager
def single_statement(db: Database, *, write: bool) -> Iterator[Connection]:
    """Run statements that are each a transaction by themselves (one INSERT, UPDATE or SELECT).

    On PostgreSQL the connection is in autocommit mode: each statement is one round trip,
    without the ``BEGIN`` and ``COMMIT`` (or ``ROLLBACK``) round trips of ``writing`` and
    ``reading``. Use it only where every statement stands alone and correctness does not
    depend on two statements seeing the same snapshot. On SQLite it is ``writing`` (when
    ``write``) or ``reading``: there a transaction costs no round trip, and ``BEGIN
    IMMEDIATE`` keeps writers in line.
    """
    if db.backend == "sqlite":
        with (writing(db) if write else reading(db)) as connection:
            yield connection
        return
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection


def upsert_statement(connection: Connection, table: sqlalchemy.Table) -> sqlalchemy.Insert:
    """Return an INSERT for ``table`` that supports ``on_conflict_do_nothing/do_update`` on this backend.

    Both SQLite (3.24+) and PostgreSQL spell it ``ON CONFLICT``, but SQLAlchemy keeps the
    construct per dialect.
    """
    if connection.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert
    return insert(table)
