"""Named users: adding, changing, disabling, and signing in with lock-out.

Every change is audited in its own transaction. Sign-in failures count on the user's
row; the fifth in a row locks the account for LOCK_MINUTES, whatever is typed then."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.access.audit import Actor, AuditEvent, AuditTrail, Concerns
from frontdoor.access.passwords import check_new, hash_password, needs_rehash, verify
from frontdoor.access.roles import Role, read_role
from frontdoor.access.tables import UserRow
from frontdoor.local_time import Clock

FAILURES_BEFORE_LOCK = 5
LOCK_MINUTES = 15
# names people and the audit can read, and a shell can pass without quoting
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class User:
    name: str
    display_name: str | None
    role: Role
    created_at: dt.datetime
    disabled_at: dt.datetime | None
    locked_until: dt.datetime | None
    last_sign_in_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    @property
    def label(self) -> str:
        return self.display_name or self.name


def _user(row: UserRow) -> User:
    return User(
        name=row.name,
        display_name=row.display_name,
        role=Role(row.role),
        created_at=row.created_at,
        disabled_at=row.disabled_at,
        locked_until=row.locked_until,
        last_sign_in_at=row.last_sign_in_at,
    )


class UserError(ValueError):
    """A change to users that cannot be made, in words that say what to do."""


class SignInRefused(Exception):
    """One sentence for the person at the keyboard. It never says whether the name or
    the password was wrong."""


def read_name(text: str) -> str:
    name = text.strip().lower()
    if not _NAME.match(name):
        raise UserError(
            f"{text.strip()!r} cannot be a user name: use up to 64 lower-case letters, "
            "digits, dots, dashes or underscores, starting with a letter or digit"
        )
    return name


class UserStore:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock,
        audit: AuditTrail,
        time_zone: str = "Europe/London",
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._audit = audit
        self._zone = ZoneInfo(time_zone)

    # --- reading ---------------------------------------------------------------------
    def count(self) -> int:
        with self._sessions() as session:
            return session.scalar(select(func.count()).select_from(UserRow)) or 0

    def any_admin(self) -> bool:
        with self._sessions() as session:
            found = session.scalar(
                select(UserRow.name)
                .where(UserRow.role == Role.ADMIN.value, UserRow.disabled_at.is_(None))
                .limit(1)
            )
            return found is not None

    def get(self, name: str) -> User | None:
        with self._sessions() as session:
            row = session.get(UserRow, name.strip().lower())
            return _user(row) if row else None

    def all(self) -> list[User]:
        with self._sessions() as session:
            return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.name))]

    # --- changing --------------------------------------------------------------------
    def add(
        self, name: str, role: Role | str, password: str, display_name: str | None = None
    ) -> User:
        name = read_name(name)
        role = role if isinstance(role, Role) else read_role(role)
        check_new(password, name)
        now = self._clock()
        try:
            with self._sessions() as session, session.begin():
                row = UserRow(
                    name=name,
                    display_name=(display_name or "").strip() or None,
                    role=role.value,
                    password_hash=hash_password(password),
                    created_at=now,
                    changed_at=now,
                    failed_sign_ins=0,
                )
                session.add(row)
                session.flush()
                self._audit.record(
                    session,
                    AuditEvent.USER_ADDED,
                    Concerns(about_user=name, detail=f"role {role.value}"),
                )
                return _user(row)
        except IntegrityError:
            raise UserError(
                f"there is already a user {name}: `frontdoor users role` or `users "
                "password` change one"
            ) from None

    def set_role(self, name: str, role: Role | str) -> User:
        role = role if isinstance(role, Role) else read_role(role)
        with self._sessions() as session, session.begin():
            row = self._row(session, name)
            if row.role == Role.ADMIN.value and role != Role.ADMIN:
                self._keep_an_admin(session, row.name)
            before = row.role
            row.role, row.changed_at = role.value, self._clock()
            self._audit.record(
                session,
                AuditEvent.USER_CHANGED,
                Concerns(about_user=row.name, detail=f"role {before} to {role.value}"),
            )
            return _user(row)

    def set_password(self, name: str, password: str) -> User:
        with self._sessions() as session, session.begin():
            row = self._row(session, name)
            check_new(password, row.name)
            row.password_hash = hash_password(password)
            row.changed_at = self._clock()
            # a new password given by an admin unlocks the account
            row.failed_sign_ins, row.locked_until = 0, None
            self._audit.record(
                session,
                AuditEvent.USER_CHANGED,
                Concerns(about_user=row.name, detail="password set"),
            )
            return _user(row)

    def disable(self, name: str) -> User:
        with self._sessions() as session, session.begin():
            row = self._row(session, name)
            if row.disabled_at is not None:
                raise UserError(f"{row.name} is already disabled")
            if row.role == Role.ADMIN.value:
                self._keep_an_admin(session, row.name)
            row.disabled_at = row.changed_at = self._clock()
            self._audit.record(session, AuditEvent.USER_DISABLED, Concerns(about_user=row.name))
            return _user(row)

    def _row(self, session: Session, name: str) -> UserRow:
        row = session.get(UserRow, name.strip().lower())
        if row is None:
            raise UserError(
                f"there is no user {name.strip()!r}: `frontdoor users list` shows who there is"
            )
        return row

    @staticmethod
    def _keep_an_admin(session: Session, leaving: str) -> None:
        others = session.scalar(
            select(func.count())
            .select_from(UserRow)
            .where(
                UserRow.role == Role.ADMIN.value,
                UserRow.disabled_at.is_(None),
                UserRow.name != leaving,
            )
        )
        if not others:
            raise UserError(
                f"{leaving} is the last admin: add another admin first, or nobody could "
                "manage users again"
            )

    # --- signing in ------------------------------------------------------------------
    def sign_in(self, name: str, password: str, workstation: str) -> User:
        """The user, signed in (audited); or SignInRefused, audited too, counting towards
        the lock. A locked or disabled account is refused whatever the password."""
        with self._sessions() as session, session.begin():
            user, refusal = self._try(session, name, password, workstation)
        # raised after the commit: the count towards the lock and the audit row stay
        if refusal is not None:
            raise SignInRefused(refusal)
        assert user is not None
        return user

    def _try(
        self, session: Session, name: str, password: str, workstation: str
    ) -> tuple[User | None, str | None]:
        now = self._clock()
        row = session.get(UserRow, name.strip().lower())
        # checked even for a name that is not there, so a refusal takes as long
        good = verify(row.password_hash if row else None, password)
        no_match = "That name and password do not match a user here."
        if row is None:
            self._refused(session, None, workstation, "no such user")
            return None, no_match
        if row.disabled_at is not None:
            self._refused(session, row, workstation, "disabled")
            return None, f"{row.name} is disabled; an administrator can tell you why."
        if row.locked_until is not None and row.locked_until > now:
            self._refused(session, row, workstation, "locked")
            return None, (
                f"{row.name} is locked after {FAILURES_BEFORE_LOCK} failed sign-ins until "
                f"{self._local(row.locked_until)}; an administrator can unlock it by "
                "setting a new password (frontdoor users password)."
            )
        if not good:
            row.failed_sign_ins = (row.failed_sign_ins or 0) + 1
            detail = f"wrong password ({row.failed_sign_ins} in a row)"
            if row.failed_sign_ins >= FAILURES_BEFORE_LOCK:
                row.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                row.failed_sign_ins = 0
                self._refused(session, row, workstation, f"{detail}; locked")
                return None, (
                    f"That name and password do not match; {row.name} is now locked for "
                    f"{LOCK_MINUTES} minutes after {FAILURES_BEFORE_LOCK} failed sign-ins."
                )
            self._refused(session, row, workstation, detail)
            return None, no_match
        row.failed_sign_ins, row.locked_until, row.last_sign_in_at = 0, None, now
        if needs_rehash(row.password_hash):
            row.password_hash = hash_password(password)
        user = _user(row)
        self._audit.record(
            session, AuditEvent.SIGN_IN, actor=Actor(user.name, user.role.value, workstation)
        )
        return user, None

    def _refused(self, session: Session, row: UserRow | None, workstation: str, why: str) -> None:
        # The name typed is kept only when it is a user's: people type passwords into
        # the name field, and the audit must not keep them.
        who = row.name if row else "(unknown name)"
        self._audit.record(
            session,
            AuditEvent.SIGN_IN_REFUSED,
            Concerns(about_user=row.name if row else None, detail=why),
            actor=Actor(who, row.role if row else "", workstation),
        )

    def _local(self, at: dt.datetime) -> str:
        return at.astimezone(self._zone).strftime("%H:%M")
