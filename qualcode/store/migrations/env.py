"""Alembic environment: runs on the connection qualcode hands over, never from an ini file."""

from alembic import context

from qualcode.store.orm import Base

connection = context.config.attributes.get("connection")
if connection is None:  # autogenerate from the command line during development
    from sqlalchemy import create_engine

    connection = create_engine(context.config.get_main_option("sqlalchemy.url")).connect()

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
