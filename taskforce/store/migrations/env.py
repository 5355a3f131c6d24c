"""Alembic environment: always run on the connection the app hands over."""

from alembic import context

from taskforce.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the app never runs Alembic without a connection
    raise RuntimeError("Run migrations through taskforce.store.database.upgrade().")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters tables by copy-and-move
)
with context.begin_transaction():
    context.run_migrations()
