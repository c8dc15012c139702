"""Alembic environment: runs on the connection gtcode hands over, or on $GTCODE_DB_URL."""

import os

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from gtcode.store.schema import UNMODELLED  # also registers the tables

target_metadata = SQLModel.metadata


def _modelled(name, type_, _parent_names) -> bool:
    """Autogenerate leaves alone what gtcode made by hand (the FTS5 tables, their shadow tables and the
    PostgreSQL GIN index)."""
    return not (name and name.startswith(UNMODELLED))


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    engine = create_engine(os.environ["GTCODE_DB_URL"])
    with engine.begin() as conn:
        _run_on(conn)


def _run_on(connection) -> None:
    batch = connection.dialect.name == "sqlite"
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=batch,
                      include_name=_modelled)
    with context.begin_transaction():
        context.run_migrations()


run()
