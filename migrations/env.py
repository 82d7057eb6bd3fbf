"""Alembic environment of the store: run by ``store.migrate`` (programmatic config, no alembic.ini needed).

The engine comes from ``config.attributes["connection"]`` (``store.migrate`` passes one) or from
``sqlalchemy.url``; the target schema is every table the product owns, the one ``MetaData`` of ``store/schema.py``
— see ``migrations/README.md`` for adding a migration.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from store.schema import metadata as target_metadata

config = context.config


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        with create_engine(config.get_main_option("sqlalchemy.url")).connect() as conn:
            _run(conn)
    else:
        _run(connection)


def _run(connection) -> None:
    # render_as_batch: SQLite cannot ALTER most things; batch mode copies the table instead.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
