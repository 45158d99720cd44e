"""Loading a contacts file with the referrals its services carry, all or nothing: the
contacts and their referrals in one transaction, and a file refused whole, every bad line
named by its number, when a line is malformed, a referral entry cannot be right
(interchange.py), or names a referral id the record holds with other content.

What a referral entry leaves out is filled by the rules a wrap-up follows: made at the
contact's `ended_at` (else `received_at`), the response time from the script end, the
service or the category, `requested` from then, the next id of the year it was made in.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, select
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.access.audit import AuditEvent, AuditTrail, Concerns, PendingAudit
from frontdoor.db.bulk import insert_rows
from frontdoor.db.chunks import in_chunks
from frontdoor.db.collecting import collected_by_batch
from frontdoor.db.import_days import ImportDays
from frontdoor.db.page_cache import load_page_cache
from frontdoor.db.results_later import results_later
from frontdoor.interactions.jsonl import (
    BadLine,
    BatchReader,
    ContactLine,
    NumberedLine,
    ReferralLine,
    Vocabularies,
)
from frontdoor.interactions.loading import (
    ContactBatches,
    Loaded,
    RolledBack,
    Tuples,
    contact_from_line,
    contact_tuples,
    line_misfits,
)
from frontdoor.interactions.model import Contact, ServiceUsed
from frontdoor.referrals.interchange import (
    ID,
    ReferralEntries,
    note_of,
    referral_to_json,
    second,
)
from frontdoor.referrals.making import (
    MADE_BY_SPA,
    EndTerms,
    ReferralMaker,
    TermsSource,
    keep_ids_above,
    red_flags_of,
    take_ids,
)
from frontdoor.referrals.model import Change, Chase, ChaseKind, Referral
from frontdoor.referrals.states import as_state
from frontdoor.referrals.store import to_referral
from frontdoor.referrals.tables import ReferralChangeRow, ReferralChaseRow, ReferralRow
from frontdoor.response_times import ResponseTime, read_response_time

IMPORTED = "import"  # the source of the history rows a file brought


@dataclass(frozen=True)
class _Wanted:
    number: int
    index: int
    contact: Contact
    used: ServiceUsed
    entry: ReferralLine | None

    @property
    def given_id(self) -> str | None:
        given = (self.entry.id or "").strip().upper() if self.entry else ""
        return given or None


def _given(entry: ReferralLine | None, key: str) -> bool:
    return entry is not None and key in entry.model_fields_set


class RememberedTerms:
    """A load's terms source: each script end's and service's terms looked up once a
    load, not once a referral (a year's file has tens of thousands of referrals and a few
    dozen ends and services). The library and the directory as they stood when it began."""

    def __init__(self, source: TermsSource) -> None:
        self.source = source
        self.ends: dict[tuple[str, int, str], EndTerms | None] = {}
        self.services: dict[str, ResponseTime | None] = {}

    def end_terms(self, script: str, version: int, node: str) -> EndTerms | None:
        key = (script, version, node)
        if key not in self.ends:
            self.ends[key] = self.source.end_terms(script, version, node)
        return self.ends[key]

    def service_respond_within(self, service_id: str) -> ResponseTime | None:
        if service_id not in self.services:
            self.services[service_id] = self.source.service_respond_within(service_id)
        return self.services[service_id]


class ReferralLoader:
    """Makes the referrals a file's lines carry, a batch of lines at a time: what a line
    gives is kept, the rest filled as a wrap-up would. A referral already held (by its
    id, or for that contact's service) is unchanged when it is the same; an id held with
    other content refuses the file (ids are not reused), by line number (`bad`)."""

    def __init__(
        self,
        maker: ReferralMaker,
        now: dt.datetime,
        service_name: Callable[[str], str | None] = lambda _: None,
        chunk: int = 500,
        audit: PendingAudit | None = None,
    ) -> None:
        self.maker = ReferralMaker(maker.rules, RememberedTerms(maker.terms))
        self.audit = audit  # the load's audit rows: each referral made joins them
        self.now = now
        self.service_name = service_name
        self.chunk = chunk
        self.made: list[str] = []
        self.unchanged: list[str] = []
        self.bad: list[BadLine] = []

    def reserve_given_ids(self, session: Session, lines: Iterable[str | bytes]) -> None:
        """Keep each year's counter above the ids the file gives (a first, quick pass:
        only lines that carry a referral are read), so that a referral given no id takes
        none that a later line of the file gives."""
        for year, number in sorted(given_referral_ids(lines).items()):
            keep_ids_above(session, year, number)

    def check(self, session: Session, loaded: list[Loaded]) -> list[_Wanted]:
        """The referrals a batch's lines want made; those that cannot be are noted in
        `bad` (then the caller adds nothing more), those held already as unchanged."""
        wanted = [
            _Wanted(item.number, index, item.contact, used, service.referral)
            for item in loaded
            for index, (service, used) in enumerate(
                zip(item.line.services, item.contact.services, strict=True)
            )
            if used.action == "referred"
        ]
        held_ids = self._held_by_id(session, [w.given_id for w in wanted if w.given_id])
        held_for = self._held_for(session, [i.contact.id for i in loaded if not i.new])
        bad: list[BadLine] = []
        new: list[_Wanted] = []
        for want in wanted:
            where = f"services.{want.index}.referral"
            given = want.given_id
            existing = held_for.get((want.contact.id, want.used.seq or 0))
            if given is not None and given in held_ids:
                if self._same(held_ids[given], want):
                    self.unchanged.append(given)
                else:
                    bad.append(
                        BadLine(
                            want.number,
                            f"{where}: {given} is already held with other content "
                            "(referral ids are not reused)",
                        )
                    )
            elif existing is not None:
                if given is not None:
                    bad.append(
                        BadLine(
                            want.number,
                            f"{where}: contact {want.contact.id} already has {existing} for "
                            f"{want.used.service_id}, not {given}",
                        )
                    )
                else:
                    self.unchanged.append(existing)
            else:
                new.append(want)
        self.bad += bad
        return new

    def _held_by_id(self, session: Session, ids: Sequence[str]) -> dict[str, Referral]:
        held: dict[str, Referral] = {}
        for start in range(0, len(ids), self.chunk):
            part = list(ids[start : start + self.chunk])
            for row in session.scalars(select(ReferralRow).where(ReferralRow.id.in_(part))):
                held[row.id] = to_referral(row)
        return held

    def _held_for(self, session: Session, contact_ids: Sequence[str]) -> dict[tuple[str, int], str]:
        held: dict[tuple[str, int], str] = {}
        for start in range(0, len(contact_ids), self.chunk):
            part = list(contact_ids[start : start + self.chunk])
            query = select(ReferralRow.contact_id, ReferralRow.service_seq, ReferralRow.id)
            for contact_id, seq, referral_id in session.execute(
                query.where(ReferralRow.contact_id.in_(part))
            ):
                held[(contact_id, seq)] = referral_id
        return held

    def _same(self, held: Referral, want: _Wanted) -> bool:
        filled = self.filled(want, held.id)
        return (
            held.contact_id == want.contact.id
            and held.service_id == want.used.service_id
            and referral_to_json(held) == referral_to_json(filled)
        )

    def filled(self, want: _Wanted, referral_id: str) -> Referral:
        """The referral a service entry describes, what it leaves out filled by the
        rules a wrap-up follows."""
        entry, contact, used = want.entry, want.contact, want.used
        given = entry or ReferralLine()
        # the terms a wrap-up would take, looked up only when the entry lacks some (an
        # export gives them all, and a year's file should not ask the directory each time)
        taken = {"reason", "said", "code"} <= given.model_fields_set
        terms = None
        if given.respond_within is None or not taken:
            terms = self.maker.terms_for(contact, used)
        end = terms.end if terms else None
        made_at = (
            second(given.made_at) if given.made_at else contact.ended_at or contact.received_at
        )
        if given.respond_within is not None:
            within, source = read_response_time(given.respond_within), "file"
        else:
            assert terms is not None
            within, source = terms.within, terms.source
        history = tuple(
            Change(as_state(c.state), second(c.at), c.by, note_of(c.note)) for c in given.history
        ) or (Change("requested", made_at, contact.handler or MADE_BY_SPA),)
        return Referral(
            id=referral_id,
            contact_id=contact.id,
            service_id=used.service_id,
            service_name=given.service_name
            or self.service_name(used.service_id)
            or used.service_name,
            made_at=made_at,
            due_at=second(given.due_at) if given.due_at else self.maker.rules.due(made_at, within),
            respond_within=str(within),
            history=history,
            person_id=contact.person_id,
            subject_key=contact.subject_key,
            caller_key=contact.caller_key,
            category=contact.category,
            reason=given.reason if _given(entry, "reason") else end.reason if end else None,
            said=given.said if _given(entry, "said") else end.said if end else None,
            code=given.code if _given(entry, "code") else terms.code if terms else None,
            red_flags=tuple(red_flags_of(contact)),
            consent_share=contact.consent_share,
            due_from=given.due_from or source,
            chases=tuple(
                Chase(c.contact, second(c.at), cast(ChaseKind, c.kind), c.by, note_of(c.note))
                for c in given.chases
            ),
            service_seq=used.seq,
        )

    def add(self, session: Session, new: list[_Wanted]) -> None:
        """The new referrals in a few executemany statements (a year's file has tens of
        thousands). Ids given are kept (the counter is above them: `reserve_given_ids`);
        the rest take the next numbers of the year they were made in, in file order."""
        zone = ZoneInfo(self.maker.rules.time_zone)
        referrals = [self.filled(w, w.given_id or "") for w in new]
        needed: dict[int, list[int]] = {}
        for i, referral in enumerate(referrals):
            if not referral.id:
                needed.setdefault(referral.made_at.astimezone(zone).year, []).append(i)
        for year, places in sorted(needed.items()):
            for place, new_id in zip(places, take_ids(session, year, len(places)), strict=True):
                referrals[place] = replace(referrals[place], id=new_id)
        self._insert(session, referrals)
        self.made += [r.id for r in referrals]

    def write_audit(self, session: Session) -> None:
        """Audit each referral made, last, a chunk a statement, read back from the
        record (see ContactBatches.write_audit)."""
        if self.audit is None:
            return
        columns = (ReferralRow.id, ReferralRow.contact_id, ReferralRow.person_id)
        for part in in_chunks(self.made, self.chunk):
            query = select(*columns, ReferralRow.service_id).where(ReferralRow.id.in_(part))
            held = {row.id: row for row in session.execute(query)}
            for referral_id in part:
                row = held[referral_id]
                self.audit.add(
                    AuditEvent.REFERRAL_MADE,
                    Concerns(
                        contact_id=row.contact_id,
                        person_id=row.person_id,
                        referral_id=referral_id,
                        service_id=row.service_id,
                        detail="imported",
                    ),
                )
            self.audit.write(session)

    def _insert(self, session: Session, referrals: list[Referral]) -> None:
        if not referrals:
            return
        # straight to the driver (db/bulk.py): not through the ORM, nor SQLAlchemy's
        # per-value processing
        connection = session.connection()
        insert_rows(connection, _table(ReferralRow), [_row(r) for r in referrals])
        insert_rows(
            connection,
            _table(ReferralChangeRow),
            [
                {
                    "referral_id": r.id,
                    "seq": seq,
                    "state": c.state,
                    "at": c.at,
                    "by": c.by,
                    "note": c.note,
                    "recorded_at": self.now,
                    "source": IMPORTED,
                }
                for r in referrals
                for seq, c in enumerate(r.history, start=1)
            ],
        )
        chases = [
            {
                "referral_id": r.id,
                "contact_id": c.contact_id,
                "kind": c.kind,
                "at": c.at,
                "by": c.by,
                "note": c.note,
            }
            for r in referrals
            for c in r.chases
        ]
        insert_rows(connection, _table(ReferralChaseRow), chases)


def _table(mapped: type[Any]) -> Table:
    """A mapped class's table, for Core's executemany."""
    return cast(Table, mapped.__table__)


def _row(r: Referral) -> dict[str, Any]:
    return {
        "id": r.id,
        "contact_id": r.contact_id,
        "service_seq": r.service_seq,
        "person_id": r.person_id,
        "subject_key": r.subject_key,
        "caller_key": r.caller_key,
        "category": r.category,
        "service_id": r.service_id,
        "service_name": r.service_name,
        "reason": r.reason,
        "said": r.said,
        "code": r.code,
        "red_flags": list(r.red_flags),
        "consent_share": r.consent_share,
        "respond_within": r.respond_within,
        "due_from": r.due_from,
        "made_at": r.made_at,
        "due_at": r.due_at,
        "state": r.history[-1].state,
        "state_at": r.history[-1].at,
    }


class FileChecks:
    """What a line is checked for beyond its shape (parse_numbered's `check`): that the
    record's columns can keep all of it, on SQLite and PostgreSQL alike (a value one of
    them refuses would abort the whole load), then its referral entries."""

    def __init__(self) -> None:
        self.referrals = ReferralEntries()
        # the contact each line checked makes, by line number, for loading it without
        # making it again (the loader takes a batch's, then `built` is emptied)
        self.built: dict[int, tuple[Contact, Tuples]] = {}

    def __call__(self, number: int, line: ContactLine) -> list[str]:
        contact = contact_from_line(line)
        rows = contact_tuples(contact)
        self.built[number] = (contact, rows)
        # the line's text was looked through as it was read (jsonl._checked)
        return line_misfits(contact, rows) or self.referrals(number, line)

    def take(self, lines: list[NumberedLine]) -> list[tuple[Contact, Tuples]]:
        """The contacts of a batch's good lines, forgetting the batch (and only it: the
        next batch may be being read already)."""
        built = self.built
        taken = [built.pop(n.number) for n in lines]
        # a refused line's contact was made too: forgotten here, with the batch's last
        # good line or the next batch's
        last = lines[-1].number if lines else 0
        for number in [n for n in built if n < last]:
            del built[number]
        return taken


@dataclass
class ContactsFile:
    """What loading a file did: the lines that refused it (nothing loaded), or the
    contacts and referrals added and found unchanged."""

    bad: list[BadLine] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (contact id, reason)
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    referrals_added: list[str] = field(default_factory=list)
    referrals_unchanged: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> bool:
        return not self.bad and not self.refused


def given_referral_ids(lines: Iterable[str | bytes]) -> dict[int, int]:
    """The highest referral id a file gives for each year (year -> number). Lines that
    cannot be read are passed over: the full check refuses them."""
    top: dict[int, int] = {}
    for raw in lines:
        # most lines carry no referral entry: they are not parsed here
        if (b'"referral"' not in raw) if isinstance(raw, bytes) else ('"referral"' not in raw):
            continue
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        services = data.get("services") if isinstance(data, dict) else None
        for service in services if isinstance(services, list) else []:
            entry = service.get("referral") if isinstance(service, dict) else None
            given = entry.get("id") if isinstance(entry, dict) else None
            match = ID.match(given.strip().upper()) if isinstance(given, str) else None
            if match:
                year, number = int(match.group(1)), int(match.group(2))
                top[year] = max(number, top.get(year, 0))
    return top


def load_contacts_file(
    sessions: sessionmaker[Session],
    lines: Iterable[str | bytes],
    vocab: Vocabularies,
    maker: ReferralMaker,
    now: dt.datetime,
    service_name: Callable[[str], str | None] = lambda _: None,
    audit: AuditTrail | None = None,
    batch: int = 2000,
) -> ContactsFile:
    """Every line checked, and the contacts and the referrals they carry loaded in one
    transaction with their audit rows, or nothing (`contacts import`).

    The file is read as it goes, `batch` lines at a time, each batch checked and inserted
    before the next is read, so memory does not grow with the file. Once a line is bad,
    the rest is still checked (every bad line is named) but nothing more is inserted, and
    the transaction is rolled back. What refuses the file is said as a whole-file check
    would say it: the malformed lines when there are any, else the contacts held with
    other content, else the referral entries that cannot be made.

    `lines` is gone through twice (a quick first pass for the referral ids given): a
    list, or `FileLines` for a file on disk, not an iterator."""
    if iter(lines) is lines:
        raise TypeError("load_contacts_file reads its lines twice: give a list or FileLines")
    pending = audit.pending(at=now) if audit is not None else None
    contacts = ContactBatches(pending)
    referrals = ReferralLoader(maker, now, service_name=service_name, audit=pending)
    bad: list[BadLine] = []
    checks = FileChecks()

    def load(session: Session, days: ImportDays, lines: list[NumberedLine]) -> None:
        """One batch's good lines loaded, unless the file is refused already."""
        built = checks.take(lines)
        if bad or not lines:
            return  # refused for its lines: the rest is only read and checked
        loaded = contacts.check(session, lines, built)
        if contacts.result.refused:
            return
        if not referrals.bad:
            loaded = contacts.add(session, loaded)
            days.forget(item.contact.received_at for item in loaded if item.new)
        new = referrals.check(session, loaded)
        if not referrals.bad:
            referrals.add(session, new)

    try:
        with (
            sessions() as session,
            session.begin(),
            collected_by_batch() as collect,
            load_page_cache(session.connection()),
        ):
            referrals.reserve_given_ids(session, lines)
            days = ImportDays(session.connection())
            reader = BatchReader(lines, vocab, checks, size=batch)
            # the next batch read while the server inserts the last (PostgreSQL)
            with results_later(session.connection(), meanwhile=reader.read_ahead):
                for part in reader:
                    bad += part.bad
                    load(session, days, part.lines)
                    del part  # the batch let go (its lines held nowhere else), collected
                    collect()
            if bad or contacts.result.refused or referrals.bad:
                raise RolledBack  # the kept days' triggers with everything else
            days.finish()
            # last: see append_many
            contacts.write_audit(session)
            referrals.write_audit(session)
    except RolledBack:
        if bad:
            return ContactsFile(bad=bad)
        if contacts.result.refused:
            return ContactsFile(refused=contacts.result.refused)
        return ContactsFile(bad=sorted(referrals.bad, key=lambda b: b.number))
    return ContactsFile(
        added=contacts.result.added,
        unchanged=contacts.result.unchanged,
        referrals_added=referrals.made,
        referrals_unchanged=referrals.unchanged,
    )
