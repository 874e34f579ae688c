"""Alembic's entry point: run the migrations on the connection ``grader.storage.migration`` gives.

When run by the ``alembic`` command line instead (development only), connect to the URL
from ``resolve_url`` (``DATABASE_URL`` or the default SQLite file).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.pool import NullPool

from grader.storage.database import create_engine, resolve_url
from grader.storage.schema import metadata


def run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run them against a database")

given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    engine = create_engine(resolve_url(), poolclass=NullPool)
    with engine.begin() as connection:
        run(connection)
    engine.dispose()
