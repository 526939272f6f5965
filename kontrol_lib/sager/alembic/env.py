"""Alembic environment of the case store (configured from Python in ``migrations.alembic_config``).

At runtime ``migrations.migrer`` hands over the store's open connection in
``config.attributes["connection"]``: Alembic then works inside that transaction (it commits or
rolls back with the caller). From the developer command line
(``python -m kontrol_lib.sager.alembic_kommando ...``) the store is ``-x db=URL`` (or
``config.attributes["url"]``, the throw-away store for ``revision --autogenerate``); ``--sql``
writes the SQL instead of running it. Either way :func:`migrations.forbered` runs first: the
migrator's lock, and a store of the release before Alembic is stamped at 0001.
"""

from __future__ import annotations

from alembic import context

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.sager import migrations, schema
from kontrol_lib.sager.lager import opret_engine, standard_url

config = context.config

OPTIONS = dict(
    target_metadata=schema.metadata,
    compare_type=True,
    compare_server_default=True,
    render_as_batch=True,      # autogenerate: ALTERs SQLite cannot do become batch (table copy)
)


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("db") or config.attributes.get("url")
    if not url:
        raise KontrolFejl("Angiv sagslageret med -x db=URL før kommandoen "
                          "(fx -x db=sqlite:///kontrol.sqlite current)")
    return standard_url(url)


def _run(connection) -> None:
    migrations.forbered(connection, context.script)
    context.configure(connection=connection,
                      on_version_apply=config.attributes.get("on_version_apply", ()), **OPTIONS)
    with context.begin_transaction():    # no-op inside the caller's transaction
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=_url(), literal_binds=True, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = opret_engine(_url())
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
