"""What `frontdoor contacts export` does once its options are read: in full, the contacts
of people whose withdrawal of consent to share stands left out unless overridden;
pseudonymised, every contact with nothing that names anyone (rights/contacts_out.py).
Audited before the first line is written."""

from __future__ import annotations

from pathlib import Path

import click

from frontdoor.console.commands.common import Refused
from frontdoor.console.commands.export_checks import check_writable, refuse_unaudited
from frontdoor.console.settings import Settings
from frontdoor.console.site_secret import NoSiteSecret, site_pseudonyms
from frontdoor.console.wiring import FrontDoor, search_cleaner
from frontdoor.private_files import open_private
from frontdoor.referrals.handover import Ground


def export_contacts(
    front: FrontDoor,
    settings: Settings,
    out: Path | None,
    *,
    pseudonymise: bool,
    override: Ground | None,
) -> None:
    if pseudonymise and override is not None:
        raise Refused(
            "--override is for an export in full: a pseudonymised export names nobody and "
            "leaves nobody out"
        )
    refuse_unaudited(front)
    if out is not None:
        check_writable(out)
    exporting = front.contacts_out
    if pseudonymise:
        try:
            pseudonyms = site_pseudonyms(settings)
        except NoSiteSecret as exc:
            raise Refused(str(exc)) from None
        plan = exporting.pseudonymised_plan()
        lines = exporting.pseudonymised_lines(pseudonyms, front.library, search_cleaner())
    else:
        plan = exporting.plan(override)
        lines = exporting.lines(plan)
    destination = str(out.absolute()) if out is not None else "standard output"
    exporting.record(plan, destination, override=override, pseudonymised=pseudonymise)
    count = 0
    if out is None:
        for line in lines:
            click.echo(line)
            count += 1
    else:
        with open_private(out) as handle:
            for line in lines:
                handle.write(line + "\n")
                count += 1
        click.echo(f"{count} contact(s) written to {out}", err=True)
    if plan.left_out:
        click.echo(
            f"{plan.left_out} contact(s) about {len(plan.withdrawn)} person(s) who withdrew "
            "consent to share were left out; --override vital_interests or --override "
            "safeguarding includes them (audited for each person)",
            err=True,
        )
