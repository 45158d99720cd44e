"""`frontdoor referrals handover ID [--format text|html|fhir] [--out FILE]`: what the team
receiving a referral needs, so nobody asks the person to tell their story again.

Exit 0 written (and recorded); 1 refused, because the person refused consent to share and
no override is recorded; 2 bad usage (no such referral, an override without a reason, an
override where there is no refusal, a folder for --out that does not exist, a user who
may not). The person recorded is the signed-in user (docs/access.md); before the first
user, `--by`, else FRONTDOOR_USER, else the login name.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from frontdoor.access.roles import Permission, roles_for
from frontdoor.console.commands.common import Refused, common, signed_in, who_is_using
from frontdoor.console.commands.signing import as_option, open_signed_in
from frontdoor.console.crash import EXIT_PROBLEMS
from frontdoor.console.settings import Settings
from frontdoor.private_files import write_private
from frontdoor.referrals.handover import GROUNDS, Ground
from frontdoor.referrals.handovers import (
    FORMATS,
    ConsentRefused,
    HandoverFormat,
    OverrideAsked,
    UnknownReferral,
)
from frontdoor.referrals.store import ReferralError


def _check_writable(out: Path) -> None:
    """Said before anything is recorded: a handover recorded as produced is written."""
    folder = out.absolute().parent
    if not folder.is_dir():
        raise Refused(f"cannot write {out}: the folder {folder} does not exist")
    if not os.access(out if out.exists() else folder, os.W_OK):
        raise Refused(f"cannot write {out}: you may not write there")


@click.command("handover")
@click.argument("referral_id", metavar="ID")
@click.option(
    "--format",
    "format_",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text to read out or paste, html to attach, fhir for a FHIR R4 Bundle (JSON).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to FILE (readable by you only) instead of the terminal.",
)
@click.option(
    "--override",
    "ground",
    type=click.Choice(GROUNDS),
    help="Hand over although the person refused consent to share, on this ground "
    "(recorded with --reason and who).",
)
@click.option("--reason", help="Why the refusal is set aside (needed with --override).")
@click.option(
    "--by",
    metavar="NAME",
    help="Who is producing it, before the first user exists (default: FRONTDOOR_USER, else "
    "your login name); once there are users, whoever signed in.",
)
@as_option
@common
def handover_command(
    settings: Settings,
    referral_id: str,
    format_: HandoverFormat,
    out: Path | None,
    ground: Ground | None,
    reason: str | None,
    by: str | None,
    as_user: str | None,
) -> None:
    """The handover summary of referral ID, recorded as produced."""
    if reason is not None and ground is None:
        raise Refused("--reason goes with --override vital_interests or --override safeguarding")
    if ground is not None and not (reason or "").strip():
        raise Refused(f"--override {ground} needs --reason TEXT: say why the refusal is set aside")
    if out is not None:
        _check_writable(out)
    override = OverrideAsked(ground, reason or "") if ground is not None else None
    front = open_signed_in(
        settings,
        as_user,
        roles_for(Permission.REFERRALS),
        "referrals handover",
        check_library=False,
    )
    try:
        producer = who_is_using(settings, by, front)
        if signed_in(front) and by is not None and by.strip() != producer:
            raise Refused(
                f"a handover is recorded as produced by whoever signed in ({producer}): "
                "leave out --by"
            )
        produced = front.handovers.produce(
            referral_id,
            format_,
            producer,
            override=override,
            destination=str(out.absolute()) if out is not None else "terminal",
        )
    except ConsentRefused as exc:
        click.echo(f"frontdoor: refused: {exc}", err=True)
        click.echo(
            "frontdoor: to share for the person's vital interests or for safeguarding, give "
            "--override vital_interests|safeguarding --reason TEXT",
            err=True,
        )
        sys.exit(EXIT_PROBLEMS)
    except UnknownReferral as exc:
        raise Refused(f"{exc}: 'frontdoor referrals list' shows the referrals") from None
    except ReferralError as exc:
        raise Refused(str(exc)) from None
    finally:
        front.engine.dispose()
    if out is None:
        click.echo(produced.content, nl=False)
        return
    write_private(out, produced.content)
    click.echo(
        f"{produced.handover.referral.id}: {format_} handover written to {out} "
        f"(handover {produced.handover.number} in the record)"
    )
