"""Alembic environment: the URL comes from `certify.store.migrate`, never from a file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool
from sqlmodel import SQLModel

import certify.store.tables  # noqa: F401  (registers the tables on the metadata)

url: str = context.config.attributes["database_url"]
engine = create_engine(url, poolclass=pool.NullPool)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
