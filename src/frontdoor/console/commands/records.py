"""`frontdoor contacts` and `frontdoor db`: for administrators."""

from __future__ import annotations

from pathlib import Path

import click

from frontdoor.console.commands.common import common, open_from
from frontdoor.console.settings import Settings
from frontdoor.interactions.export import contact_to_line


@click.group()
def contacts() -> None:
    """The record of contacts, in and out."""


@contacts.command("export")
@click.option("--out", type=click.Path(path_type=Path), help="Write to FILE instead of the screen.")
@common
def contacts_export(settings: Settings, out: Path | None) -> None:
    """Write every contact as JSON Lines (one contact per line)."""
    front = open_from(settings)
    lines = (contact_to_line(c) for c in front.record.all_contacts())
    if out is None:
        for line in lines:
            click.echo(line)
        return
    count = 0
    with out.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line + "\n")
            count += 1
    click.echo(f"{count} contact(s) written to {out}", err=True)


@click.group()
def db() -> None:
    """The database itself."""


@db.command("upgrade")
@common
def db_upgrade(settings: Settings) -> None:
    """Bring the database's schema up to date."""
    from frontdoor.db.engine import make_engine
    from frontdoor.db.migrate import current_revision, upgrade

    engine = make_engine(settings.db)
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    click.echo(f"schema at {after}" + ("" if before == after else f" (was {before or 'empty'})"))
