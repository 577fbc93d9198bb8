"""Alembic environment: runs on the connection Docket hands over (see ``store.engine``)."""

from __future__ import annotations

from alembic import context

from docket.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # plain `alembic` command line: build an engine from the ini URL
    from sqlalchemy import create_engine

    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
