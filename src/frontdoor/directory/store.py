"""The directory's tables: save (update in place by id) and load services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.directory.model import Service
from frontdoor.directory.tables import ServiceRow

_FIELDS = (
    "name",
    "organisation",
    "description",
    "url",
    "email",
    "phones",
    "tags",
    "status",
    "assured_date",
    "source",
)


@dataclass
class SaveReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _to_service(row: ServiceRow) -> Service:
    return Service(
        id=row.id,
        name=row.name,
        organisation=row.organisation,
        description=row.description,
        url=row.url,
        email=row.email,
        phones=list(row.phones or []),
        tags=list(row.tags or []),
        status=row.status,
        assured_date=row.assured_date,
        source=row.source,
    )


class DirectoryStore:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def save(self, services: list[Service], now: dt.datetime) -> SaveReport:
        report = SaveReport()
        with self._sessions() as session, session.begin():
            existing = {
                r.id: r
                for r in session.scalars(
                    select(ServiceRow).where(ServiceRow.id.in_([s.id for s in services]))
                )
            }
            for service in services:
                row = existing.get(service.id)
                values = {f: getattr(service, f) for f in _FIELDS}
                if row is None:
                    session.add(ServiceRow(id=service.id, updated_at=now, **values))
                    report.added.append(service.id)
                elif all(getattr(row, f) == v for f, v in values.items()):
                    report.unchanged.append(service.id)
                else:
                    for f, v in values.items():
                        setattr(row, f, v)
                    row.updated_at = now
                    report.updated.append(service.id)
        return report

    def all(self) -> list[Service]:
        with self._sessions() as session:
            return [
                _to_service(r)
                for r in session.scalars(select(ServiceRow).order_by(ServiceRow.name))
            ]

    def ids(self) -> frozenset[str]:
        with self._sessions() as session:
            return frozenset(session.scalars(select(ServiceRow.id)))

    def count(self) -> int:
        return len(self.ids())
