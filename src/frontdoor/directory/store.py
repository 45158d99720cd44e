"""The directory's tables: save (update in place by id), edit, mark checked, and the
change history of every entry (who changed which field, when, from what, to what)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import JSON, Row, Text, bindparam, cast, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.access.audit import AuditEvent, AuditTrail, Concerns
from frontdoor.db.chunks import in_chunks
from frontdoor.db.fits import misfits
from frontdoor.directory.details import DetailsUnavailable
from frontdoor.directory.listed import EligibilityColumns, Listed, tag_words
from frontdoor.directory.model import Service
from frontdoor.directory.tables import ServiceChangeRow, ServiceRow

# Fields kept as columns. All but `source` are compared and their changes recorded:
# `source` says where an entry first came from, and moving feeds is not a change to it.
FIELDS = tuple(f for f in Service.model_fields if f != "id")
COMPARED = tuple(f for f in FIELDS if f != "source")


class DirectoryError(Exception):
    """An edit the directory refuses (no such service)."""


@dataclass
class SaveReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Change:
    at: dt.datetime
    by: str
    action: str
    field_name: str | None
    previous: str | None
    replacement: str | None


def row_values(service: Service) -> dict[str, Any]:
    """A service as the services table keeps it (all but the id and `updated_at`)."""
    return service.model_dump(mode="json", exclude={"id"}) | {"assured_date": service.assured_date}


# The services a search shows, read as the handler types: Core rows, not the ORM's
# objects; the JSON columns as their text, parsed in one call for all the rows (one
# parse per value cost more than the query); the statement made once (making it per call
# cost as much as running it).
_JSON_FIELDS = tuple(f for f in FIELDS if isinstance(ServiceRow.__table__.c[f].type, JSON))
_PLAIN_FIELDS = ("id", *(f for f in FIELDS if f not in _JSON_FIELDS))
_BY_IDS = select(
    *(getattr(ServiceRow, f) for f in _PLAIN_FIELDS),
    *(cast(getattr(ServiceRow, f), Text) for f in _JSON_FIELDS),
).where(ServiceRow.id.in_(bindparam("ids", expanding=True)))


def _services_from(rows: Sequence[Row[Any]]) -> Iterator[Service]:
    """Services from rows of _BY_IDS, as stored (as _to_service reads them)."""
    plain, each = len(_PLAIN_FIELDS), len(_JSON_FIELDS)
    texts = [text if text is not None else "null" for row in rows for text in row[plain:]]
    parsed = json.loads(f"[{','.join(texts)}]")
    for number, row in enumerate(rows):
        values = dict(zip(_PLAIN_FIELDS, row[:plain], strict=True))
        values.update(zip(_JSON_FIELDS, parsed[number * each : (number + 1) * each], strict=True))
        yield Service.model_validate(values, context={"stored": True})


# what the index reads, JSON as its text (cast: PostgreSQL's driver would parse it)
_LISTED = select(
    ServiceRow.id,
    ServiceRow.name,
    ServiceRow.organisation,
    ServiceRow.description,
    cast(ServiceRow.tags, Text),
    ServiceRow.status,
    ServiceRow.assured_date,
    cast(ServiceRow.areas, Text),
    ServiceRow.min_age,
    ServiceRow.max_age,
    cast(ServiceRow.caller_types, Text),
    cast(ServiceRow.hours, Text),
    cast(ServiceRow.hours_exceptions, Text),
    ServiceRow.open_on_bank_holidays,
)


def _to_service(row: ServiceRow) -> Service:
    # as stored: an entry an older release kept (a long id on SQLite) is still shown
    return Service.model_validate(
        {"id": row.id, **{f: getattr(row, f) for f in FIELDS}}, context={"stored": True}
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, default=str, ensure_ascii=False)


# who made a change: a command's words ("import of FILE"), cut to what the column keeps
BY_LENGTH = 200


def _refuse_unkeepable(services: list[Service]) -> None:
    table = ServiceRow.__table__
    found = [
        f"{service.id[:120]}: {name} {why}"
        for service in services
        for name, why in misfits(table, {"id": service.id, **row_values(service)})
    ]
    if found:
        raise DirectoryError(
            "the directory cannot keep these services as they are: " + "; ".join(found)
        )


def _changed(service_id: str, what: str) -> tuple[AuditEvent, Concerns]:
    return AuditEvent.DIRECTORY_CHANGED, Concerns(service_id=service_id, detail=what)


class DirectoryStore:
    """With `audit`, each service added, changed or checked is audited, one row each, in
    the transaction that changes it."""

    def __init__(self, sessions: sessionmaker[Session], audit: AuditTrail | None = None) -> None:
        self._sessions = sessions
        self._audit = audit

    def _audited(
        self, session: Session, items: list[tuple[AuditEvent, Concerns]], now: dt.datetime
    ) -> None:
        """Last in the unit of work (see append_many)."""
        if self._audit is not None and items:
            self._audit.record_many(session, items, at=now)

    def save(
        self,
        services: list[Service],
        now: dt.datetime,
        by: str,
        progress: Callable[[int], None] | None = None,
    ) -> SaveReport:
        """Add new services and update changed ones in place, keeping each change.
        Services are checked as the model checks them when it is built; one made without
        that check (`model_copy`) that a column cannot keep is refused here, by its id,
        before anything is written, rather than by the database in the middle."""
        _refuse_unkeepable(services)
        by = by[:BY_LENGTH]
        report = SaveReport()
        with self._sessions() as session, session.begin():
            existing = {
                r.id: r
                for r in session.scalars(
                    select(ServiceRow).where(ServiceRow.id.in_([s.id for s in services]))
                )
            }
            for done, service in enumerate(services, start=1):
                row = existing.get(service.id)
                if row is None:
                    session.add(ServiceRow(id=service.id, updated_at=now, **row_values(service)))
                    report.added.append(service.id)
                elif self._apply(session, row, service, now, by, "update"):
                    report.updated.append(service.id)
                else:
                    report.unchanged.append(service.id)
                if progress and done % 100 == 0:
                    progress(100)
            # the new services exist before their "create" changes refer to them
            session.flush()
            session.add_all(
                ServiceChangeRow(service_id=sid, at=now, by=by, action="create")
                for sid in report.added
            )
            self._audited(
                session,
                [_changed(sid, "added") for sid in report.added]
                + [_changed(sid, "changed") for sid in report.updated],
                now,
            )
            if progress:
                progress(len(services) % 100)
        return report

    @staticmethod
    def _apply(
        session: Session, row: ServiceRow, service: Service, now: dt.datetime, by: str, action: str
    ) -> bool:
        before = _to_service(row)
        changed = [f for f in COMPARED if getattr(before, f) != getattr(service, f)]
        if not changed:
            return False
        old = before.model_dump(mode="json")
        new = service.model_dump(mode="json")
        for name in changed:
            session.add(
                ServiceChangeRow(
                    service_id=row.id,
                    at=now,
                    by=by,
                    action=action,
                    field_name=name,
                    previous_value=_text(old[name]),
                    replacement_value=_text(new[name]),
                )
            )
        for name, value in row_values(service).items():
            if name != "source":
                setattr(row, name, value)
        row.updated_at = now
        return True

    def update(self, service: Service, now: dt.datetime, by: str) -> bool:
        """A service lead's correction; False when nothing changed."""
        _refuse_unkeepable([service])
        with self._sessions() as session, session.begin():
            row = session.get(ServiceRow, service.id)
            if row is None:
                raise DirectoryError(f"there is no service {service.id}")
            changed = self._apply(session, row, service, now, by, "update")
            if changed:
                self._audited(session, [_changed(service.id, "changed")], now)
            return changed

    def mark_checked(self, service_id: str, now: dt.datetime, by: str, today: dt.date) -> Service:
        """Someone checked the entry with the service: it is current as of today."""
        with self._sessions() as session, session.begin():
            row = session.get(ServiceRow, service_id)
            if row is None:
                raise DirectoryError(f"there is no service {service_id}")
            checked = _to_service(row).model_copy(update={"assured_date": today, "assured_by": by})
            self._apply(session, row, checked, now, by, "assure")
            self._audited(session, [_changed(service_id, "checked")], now)
            return checked

    def get(self, service_id: str) -> Service | None:
        with self._sessions() as session:
            row = session.get(ServiceRow, service_id)
            return _to_service(row) if row else None

    def services(self, ids: Sequence[str]) -> dict[str, Service]:
        """The services of `ids` that exist, by id: one query for a screenful (a thousand
        ids at a time for more). What the search index reads for the services it shows."""
        found: dict[str, Service] = {}
        try:
            with self._sessions() as session:
                for part in in_chunks(ids):
                    rows = session.connection().execute(_BY_IDS, {"ids": part}).all()
                    found.update((s.id, s) for s in _services_from(rows))
        except SQLAlchemyError as exc:
            raise DetailsUnavailable(
                "the directory's entries cannot be read: the database did not answer"
            ) from exc
        return found

    def listed(self, batch: int = 2000) -> Iterator[Listed]:
        """Every service as the search index reads it, `batch` rows at a time (a
        server-side cursor on PostgreSQL), never all held at once, and without making a
        whole `Service` of each (see listed.py)."""
        with self._sessions() as session:
            rows = session.connection().execute(
                _LISTED.execution_options(yield_per=batch, stream_results=True)
            )
            for row in rows:
                (service_id, name, organisation, description, tags, status, assured) = row[:7]
                kind = EligibilityColumns(*row[7:])
                yield Listed(
                    service_id,
                    name,
                    organisation,
                    description,
                    tag_words(tags),
                    status == "active",
                    assured,
                    kind.parts,
                    partial(kind.service, service_id, name),
                )

    def all(self) -> list[Service]:
        with self._sessions() as session:
            rows = session.scalars(select(ServiceRow).order_by(ServiceRow.name, ServiceRow.id))
            return [_to_service(r) for r in rows]

    def not_checked_since(self, cutoff: dt.date) -> list[Service]:
        """Entries last checked before `cutoff` (or never), oldest first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(ServiceRow)
                .where((ServiceRow.assured_date < cutoff) | ServiceRow.assured_date.is_(None))
                .order_by(
                    ServiceRow.assured_date.is_not(None), ServiceRow.assured_date, ServiceRow.name
                )
            )
            return [_to_service(r) for r in rows]

    def changes(self, service_id: str) -> list[Change]:
        with self._sessions() as session:
            rows = session.scalars(
                select(ServiceChangeRow)
                .where(ServiceChangeRow.service_id == service_id)
                .order_by(ServiceChangeRow.at, ServiceChangeRow.id)
            )
            return [
                Change(r.at, r.by, r.action, r.field_name, r.previous_value, r.replacement_value)
                for r in rows
            ]

    def stamp(self) -> tuple[int, int]:
        """Changes whenever the directory does, from any workstation or command: every
        write adds rows to the change history and none removes any. The count catches a
        change committed after a later-numbered one (PostgreSQL hands out ids before
        commit); the highest id is there for the reader. Costs one indexed count."""
        with self._sessions() as session:
            count, highest = session.execute(
                select(func.count(ServiceChangeRow.id), func.max(ServiceChangeRow.id))
            ).one()
            return int(count), int(highest or 0)

    def ids(self) -> frozenset[str]:
        with self._sessions() as session:
            return frozenset(session.scalars(select(ServiceRow.id)))

    def count(self) -> int:
        with self._sessions() as session:
            return int(session.scalar(select(func.count(ServiceRow.id))) or 0)
