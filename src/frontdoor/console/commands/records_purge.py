"""`frontdoor records purge --before DATE [--dry-run]`: the personal data of contacts older
than the retention schedule removed, the MI's figures kept (rights/purge.py). For
administrators; audited with its counts."""

from __future__ import annotations

import datetime as dt

import click

from frontdoor.access.roles import Role
from frontdoor.console.commands.common import Refused, common
from frontdoor.console.commands.signing import as_option, open_signed_in
from frontdoor.console.settings import Settings
from frontdoor.console.site_secret import NoSiteSecret, site_pseudonyms
from frontdoor.rights.purge import PurgeRefused

# what each count is, in the order the purge gives them
WORDS = {
    "contacts": "contacts purged",
    "kept_for_referrals": "contacts kept whole: their referral changed on or after DATE",
    "keys_pseudonymised": "caller and subject keys replaced by pseudonyms",
    "names": "names removed",
    "dates_of_birth": "dates of birth removed",
    "nhs_numbers": "NHS numbers removed",
    "postcodes_cut": "postcodes cut to the district",
    "notes": "contact notes removed",
    "typed_answers": "typed answers removed",
    "search_texts_cleaned": "search texts cleaned",
    "later_contacts_linked": "later contacts given a purged contact's pseudonym",
    "referrals": "referrals purged",
    "referral_notes": "referral notes removed",
    "chase_notes": "chase notes removed",
    "follow_ups": "follow-ups purged",
    "override_reasons": "consent override reasons removed",
    "people": "people emptied (no contact kept refers to them)",
    "person_keys": "person keys removed",
    "withdrawal_notes": "consent withdrawal notes removed",
    "queue_numbers": "caller numbers in queue events replaced",
}


@click.group()
def records() -> None:
    """The record under the retention schedule."""


@records.command("purge")
@click.option(
    "--before",
    required=True,
    metavar="DATE",
    help="Purge contacts received before this local date (YYYY-MM-DD): at most today "
    "less retention_years.",
)
@click.option("--dry-run", is_flag=True, help="Count what would be purged; change nothing.")
@as_option
@common
def records_purge(settings: Settings, before: str, dry_run: bool, as_user: str | None) -> None:
    """Remove the personal data of contacts received before DATE: names, dates of birth,
    numbers, postcodes beyond the district, notes, typed answers; keep what the MI counts,
    with caller and subject keys replaced by keyed pseudonyms (the site secret:
    FRONTDOOR_SITE_SECRET or site_secret_file), so that the figures do not change."""
    try:
        day = dt.date.fromisoformat(before)
    except ValueError:
        raise Refused(f"--before takes a date as YYYY-MM-DD, not {before!r}") from None
    front = open_signed_in(settings, as_user, frozenset({Role.ADMIN}), "records purge")
    try:
        purge = front.purge()
        try:
            purge.check(day)
            done = purge.run(day, site_pseudonyms(settings), dry_run=dry_run)
        except (PurgeRefused, NoSiteSecret) as exc:
            raise Refused(str(exc)) from None
    finally:
        front.engine.dispose()
    if dry_run:
        click.echo(f"A purge before {day} would change (nothing was changed, --dry-run):")
    else:
        click.echo(f"Purged before {day}:")
    for kind, count in done.counts.items():
        click.echo(f"  {count:>8}  {WORDS.get(kind, kind)}")
