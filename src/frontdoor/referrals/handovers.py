"""Producing a referral's handover: refused where the person refused consent to share on
the call, or has withdrawn it since (people/consent.py), unless an override is recorded
(its ground, a reason, who and when; audited as a consent override); each handover
produced is recorded with the override it went under, in the same transaction, so the
record shows every time a person's details left the SPA and why.

Consent not asked on the call (None) does not refuse a handover: the person was referred
on the call, and the rule is a refusal's. The handover says plainly that consent was not
recorded, so the receiving team confirms it before sharing further.

An override recorded for a referral stands for its later handovers (another format, or
the same one again): each is recorded with that override's id; after a withdrawal, only
an override recorded since it stands (the person's later word is a new refusal). An
override is only for a refusal; asking for one where consent was given or not asked, and
not withdrawn, is a mistake, refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Literal, cast, get_args

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.access.audit import AuditEvent, AuditTrail, Concerns
from frontdoor.access.views import record_contact_viewed
from frontdoor.interactions.model import Contact
from frontdoor.local_time import Clock
from frontdoor.people.consent import Withdrawal, standing_withdrawal
from frontdoor.referrals.handover import (
    GROUNDS,
    ConsentOverride,
    ConsentShown,
    Ground,
    Handover,
    HandoverTerms,
    build_handover,
)
from frontdoor.referrals.handover_html import render_html
from frontdoor.referrals.handover_text import render_text
from frontdoor.referrals.model import Referral
from frontdoor.referrals.store import ReferralError, to_referral
from frontdoor.referrals.tables import ConsentOverrideRow, HandoverRow, ReferralRow
from frontdoor.referrals.triage_path import ScriptVersions

HandoverFormat = Literal["text", "html", "fhir"]
FORMATS: tuple[HandoverFormat, ...] = get_args(HandoverFormat)


class ConsentRefused(ReferralError):
    """The person refused consent to share and no override is recorded."""


class UnknownReferral(ReferralError):
    """No referral has this id."""


@dataclass(frozen=True)
class OverrideAsked:
    """Share although the person refused: on this ground, for this reason."""

    ground: Ground
    reason: str


@dataclass(frozen=True)
class Produced:
    handover: Handover
    format: HandoverFormat
    content: str


@dataclass(frozen=True)
class HandoverRecord:
    """A handover produced, as the record keeps it."""

    id: int
    referral_id: str
    format: HandoverFormat
    by: str
    at: dt.datetime
    override: ConsentOverride | None


def render(handover: Handover, format: HandoverFormat) -> str:
    if format == "text":
        return render_text(handover)
    if format == "html":
        return render_html(handover)
    # fhir.resources takes half a second to import: only when a bundle is asked for
    from frontdoor.referrals.handover_fhir import render_fhir

    return render_fhir(handover)


def to_override(row: ConsentOverrideRow) -> ConsentOverride:
    return ConsentOverride(row.id, cast(Ground, row.ground), row.reason, row.by, row.at)


def _checked(override: OverrideAsked) -> OverrideAsked:
    if override.ground not in GROUNDS:
        raise ReferralError(
            f"an override's ground is {' or '.join(GROUNDS)}, not {override.ground!r}"
        )
    if not override.reason.strip():
        raise ReferralError("an override needs a reason: say why the person's refusal is set aside")
    return OverrideAsked(override.ground, override.reason.strip())


class Handovers:
    """Handovers over the referrals' tables: `contact` reads the contact a referral was
    made in (the record's), `scripts` finds the script versions it recorded."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock,
        contact: Callable[[str], Contact],
        scripts: ScriptVersions,
        terms: HandoverTerms,
        audit: AuditTrail | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._contact = contact
        self._scripts = scripts
        self.terms = terms
        # each handover produced, override recorded and preview shown is audited
        self._audit = audit

    @contextmanager
    def _unit(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def _read(self, referral_id: str) -> tuple[Referral, Contact]:
        with self._sessions() as session:
            row = session.get(ReferralRow, referral_id.strip().upper())
            referral = to_referral(row) if row is not None else None
        if referral is None:
            raise UnknownReferral(f"there is no referral {referral_id.strip()!r}")
        return referral, self._contact(referral.contact_id)

    @staticmethod
    def _last_override(
        session: Session, referral_id: str, since: Withdrawal | None = None
    ) -> ConsentOverrideRow | None:
        """The override that stands for the referral: the last one, and after a
        withdrawal the last one recorded since."""
        query = select(ConsentOverrideRow).where(ConsentOverrideRow.referral_id == referral_id)
        if since is not None:
            query = query.where(ConsentOverrideRow.at >= since.withdrawn_at)
        return session.scalars(query.order_by(ConsentOverrideRow.id.desc()).limit(1)).first()

    def preview(self, referral_id: str, by: str) -> Handover:
        """The handover as it would read now, for the handler's own screen: nothing is
        recorded, and a refusal is shown as one (see `produce` to hand it over)."""
        referral, contact = self._read(referral_id)
        if self._audit is not None:  # the whole of the contact is about to be shown
            record_contact_viewed(
                self._audit,
                contact.id,
                referral.person_id,
                "handover preview",
                referral_id=referral.id,
            )
        override = None
        consent: ConsentShown = "given" if contact.consent_share else "not_asked"
        with self._sessions() as session:
            withdrawal = standing_withdrawal(session, contact.person_id)
            if contact.consent_share is False or withdrawal is not None:
                row = self._last_override(session, referral.id, withdrawal)
                override = to_override(row) if row is not None else None
                consent = "overridden" if override is not None else "refused"
        return build_handover(
            referral,
            contact,
            self._scripts,
            self.terms,
            consent=consent,
            produced_at=self._clock(),
            produced_by=by,
            override=override,
            withdrawn_at=withdrawal.withdrawn_at if withdrawal is not None else None,
        )

    def produce(
        self,
        referral_id: str,
        format: HandoverFormat,
        by: str | None = None,
        override: OverrideAsked | None = None,
        *,
        destination: str | None = None,
    ) -> Produced:
        """The handover in `format`, recorded as produced by `by` (default: whoever is
        signed in, as the audit names them), and the override, when one is given; audited
        with where it goes (`destination`: a file, the terminal). ConsentRefused when the
        person refused and no override is recorded; ReferralError for anything else that
        cannot be done."""
        if format not in FORMATS:
            raise ReferralError(f"a handover is {', '.join(FORMATS)}, not {format!r}")
        by = (by or "").strip() or (self._audit.actor.user if self._audit is not None else "")
        if not by:
            raise ReferralError("say who is producing the handover")
        referral, contact = self._read(referral_id)
        asked = _checked(override) if override is not None else None
        now = self._clock()
        with self._unit() as session:
            # read in the transaction that records the handover: a withdrawal recorded
            # meanwhile on another workstation is not missed
            withdrawal = standing_withdrawal(session, contact.person_id)
            refused = contact.consent_share is False or withdrawal is not None
            if asked is not None and not refused:
                given = "given" if contact.consent_share else "not asked"
                raise ReferralError(
                    f"{referral.id}: consent to share was {given} on the call and has not "
                    "been withdrawn since, so there is no refusal to override"
                )
            kept: ConsentOverrideRow | None = None
            if asked is not None:
                kept = ConsentOverrideRow(
                    referral_id=referral.id,
                    ground=asked.ground,
                    reason=asked.reason,
                    by=by.strip(),
                    at=now,
                )
                session.add(kept)
                session.flush()
            elif refused:
                kept = self._last_override(session, referral.id, withdrawal)
                if kept is None:
                    said = (
                        f"withdrew consent to share on {withdrawal.withdrawn_at:%Y-%m-%d}"
                        if withdrawal is not None
                        else "refused consent to share on the call"
                    )
                    raise ConsentRefused(
                        f"{referral.id}: the person {said}, so no handover is produced "
                        "unless an override is recorded with its ground (vital interests "
                        "or safeguarding) and a reason"
                    )
            row = HandoverRow(
                referral_id=referral.id,
                format=format,
                by=by.strip(),
                at=now,
                override_id=kept.id if kept is not None else None,
            )
            session.add(row)
            session.flush()
            consent: ConsentShown = (
                "overridden" if refused else "given" if contact.consent_share else "not_asked"
            )
            handover = build_handover(
                referral,
                contact,
                self._scripts,
                self.terms,
                consent=consent,
                produced_at=now,
                produced_by=by.strip(),
                number=row.id,
                override=to_override(kept) if kept is not None else None,
                withdrawn_at=withdrawal.withdrawn_at if withdrawal is not None else None,
            )
            # rendered inside the transaction: a handover that could not be written out
            # is not recorded as produced
            produced = Produced(handover, format, render(handover, format))
            if self._audit is not None:  # last: see append_many
                self._audit.record_many(
                    session, self._audited(referral, asked, format, destination), at=now
                )
            return produced

    @staticmethod
    def _audited(
        referral: Referral,
        asked: OverrideAsked | None,
        format: HandoverFormat,
        destination: str | None,
    ) -> list[tuple[AuditEvent, Concerns]]:
        about = Concerns(
            contact_id=referral.contact_id, person_id=referral.person_id, referral_id=referral.id
        )
        rows = [
            (AuditEvent.HANDOVER_PRODUCED, replace(about, detail=format, destination=destination))
        ]
        if asked is not None:  # its ground, never its reason: that is free text
            rows.insert(
                0, (AuditEvent.CONSENT_OVERRIDE, replace(about, detail=f"{asked.ground}: handover"))
            )
        return rows

    def recorded(self, referral_id: str) -> list[HandoverRecord]:
        """Every handover produced of a referral, oldest first, with its override."""
        with self._sessions() as session:
            overrides = {
                o.id: to_override(o)
                for o in session.scalars(
                    select(ConsentOverrideRow).where(ConsentOverrideRow.referral_id == referral_id)
                )
            }
            rows = session.scalars(
                select(HandoverRow)
                .where(HandoverRow.referral_id == referral_id)
                .order_by(HandoverRow.id)
            )
            return [
                HandoverRecord(
                    r.id,
                    r.referral_id,
                    cast(HandoverFormat, r.format),
                    r.by,
                    r.at,
                    overrides.get(r.override_id) if r.override_id is not None else None,
                )
                for r in rows
            ]
