"""What the application's own PostgreSQL role may do: everything a workstation needs on
every table of the schema (read, add, change, remove rows), less where a table says
otherwise. The tables that say otherwise are given by the rooms that own them (the
audit's: only added to); db/ knows none of our tables.

Run by the owner of the tables, the one who runs `frontdoor db upgrade`, so that the
workstations connect as a role that cannot change the schema or rewrite the audit. A
SQLite file has no roles: its file permissions are what protect it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, inspect, text

# What a workstation does to the rows of a table, unless the table says otherwise.
ROW_RIGHTS = ("SELECT", "INSERT", "UPDATE", "DELETE")
# Alembic's record of the schema's revision: read when a workstation starts, written only
# by `db upgrade`.
SCHEMA_RIGHTS = {"alembic_version": ("SELECT",)}


class GrantRefused(Exception):
    """The grant cannot be made as asked, in words that say what to do."""


@dataclass(frozen=True)
class Granted:
    role: str
    schema: str
    # table -> the rights the role has on it now (and no others)
    tables: dict[str, tuple[str, ...]]
    sequences: int


def _superuser(connection: Connection, role: str) -> bool | None:
    """Whether the role is a superuser; None when there is no such role."""
    found = connection.execute(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = :role"), {"role": role}
    ).one_or_none()
    return None if found is None else bool(found[0])


def grant_app_role(
    engine: Engine, role: str, limited: Mapping[str, tuple[str, ...]] = SCHEMA_RIGHTS
) -> Granted:
    """Give `role` what the application needs on this database, in one transaction: CONNECT,
    USAGE on the schema, ROW_RIGHTS on every table but those `limited` names (exactly
    their rights, every other revoked), and the sequences' USAGE and SELECT. Run again
    after every `db upgrade`: a table a migration adds has no grant until then."""
    if engine.dialect.name != "postgresql":
        raise GrantRefused("roles and grants are PostgreSQL's; give a postgresql+psycopg:// URL")
    quote = engine.dialect.identifier_preparer.quote
    who = quote(role)
    with engine.begin() as connection:
        superuser = _superuser(connection, role)
        if superuser is None:
            raise GrantRefused(
                f"there is no role {role!r} on this server: make it first (CREATE ROLE "
                f"{who} LOGIN PASSWORD '...'), then grant"
            )
        owner = connection.execute(text("SELECT current_user")).scalar_one()
        if role == owner:
            raise GrantRefused(
                f"{role!r} owns the tables, so grants do not bind it: give the role the "
                "workstations connect as, not the owner"
            )
        if superuser:
            raise GrantRefused(
                f"{role!r} is a superuser, which no grant binds: make the workstations "
                "connect as an ordinary role"
            )
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
        database = connection.execute(text("SELECT current_database()")).scalar_one()
        tables = sorted(inspect(connection).get_table_names(schema=schema))
        connection.execute(text(f"GRANT CONNECT ON DATABASE {quote(database)} TO {who}"))
        connection.execute(text(f"GRANT USAGE ON SCHEMA {quote(schema)} TO {who}"))
        rights: dict[str, tuple[str, ...]] = {}
        for table in tables:
            allowed = limited.get(table, ROW_RIGHTS)
            name = f"{quote(schema)}.{quote(table)}"
            # from nothing each time, so a second run after a change of mind leaves
            # exactly what is listed (TRUNCATE, REFERENCES, TRIGGER never given)
            connection.execute(text(f"REVOKE ALL ON {name} FROM {who}"))
            connection.execute(text(f"GRANT {', '.join(allowed)} ON {name} TO {who}"))
            rights[table] = allowed
        sequences = inspect(connection).get_sequence_names(schema=schema)
        for sequence in sequences:
            name = f"{quote(schema)}.{quote(sequence)}"
            connection.execute(text(f"GRANT USAGE, SELECT ON SEQUENCE {name} TO {who}"))
    return Granted(role, schema, rights, len(sequences))
