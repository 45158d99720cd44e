"""People in their own table: the person index, the exact keys each person is known by,
and the handler's decisions on possible matches. A contact gets a person beside its keys;
contacts already held are linked by their exact subject key (one person per key).

Revision ID: 0007
Revises: 0006
"""

import datetime as dt
import re
import uuid
from typing import Any

import sqlalchemy as sa
from alembic import op

from frontdoor.db.base import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# The keys as the record wrote them when this migration was made (kept here, not imported,
# so that this migration does the same whatever later code does).
_NHS = re.compile(r"\d{10}")
_DEMOGRAPHIC = re.compile(
    r"(?P<name>[^|]+)\|(?P<dob>\d{4}-\d{2}-\d{2})\|(?P<postcode>[A-Z\d]{5,7})"
)
_PHONE = re.compile(r"\+?\d{7,}")


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200)),
        sa.Column("dob", sa.Date),
        sa.Column("postcode", sa.String(10)),
        sa.Column("district", sa.String(5)),
        sa.Column("nhs_number", sa.String(10)),
        sa.Column("phone", sa.String(120)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
    )
    for column in ("dob", "district", "phone"):
        op.create_index(f"ix_people_{column}", "people", [column])
    op.create_table(
        "person_keys",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("person_id", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_person_keys"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_person_keys_person_id_people"
        ),
    )
    op.create_index("ix_person_keys_person_id", "person_keys", ["person_id"])
    op.create_table(
        "person_decisions",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("contact_id", sa.String(40), nullable=False),
        sa.Column("person_id", sa.String(40), nullable=False),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("decided_by", sa.String(80), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_person_decisions"),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_person_decisions_contact_id_contacts"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_person_decisions_person_id_people"
        ),
    )
    op.create_index("ix_person_decisions_contact_id", "person_decisions", ["contact_id"])
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("person_id", sa.String(40)))
        batch.add_column(sa.Column("person_link", sa.String(12)))
        batch.create_foreign_key("fk_contacts_person_id_people", "people", ["person_id"], ["id"])
        batch.create_index("ix_contacts_person_id", ["person_id"])
    _link_contacts_by_subject_key()


def _details_of_key(key: str) -> dict[str, Any]:
    if _NHS.fullmatch(key):
        return {"nhs_number": key}
    found = _DEMOGRAPHIC.fullmatch(key)
    if found is None:
        return {}
    try:
        dob = dt.date.fromisoformat(found["dob"])
    except ValueError:
        return {}
    postcode = found["postcode"]
    return {
        "name": found["name"].title(),
        "dob": dob,
        "postcode": f"{postcode[:-3]} {postcode[-3:]}",
        "district": postcode[:-3],
    }


def _link_contacts_by_subject_key() -> None:
    """One person for each subject key the record holds, with the details its contacts
    last gave (or, for an imported contact, what its key says); each contact linked to the
    person of its key."""
    connection = op.get_bind()
    contacts = sa.table(
        "contacts",
        sa.column("subject_key", sa.String),
        sa.column("subject_name", sa.String),
        sa.column("subject_dob", sa.Date),
        sa.column("subject_postcode", sa.String),
        sa.column("subject_nhs_number", sa.String),
        sa.column("caller_key", sa.String),
        sa.column("received_at", UTCDateTime()),
        sa.column("person_id", sa.String),
        sa.column("person_link", sa.String),
    )
    people: dict[str, dict[str, Any]] = {}
    rows = connection.execute(
        sa.select(contacts)
        .where(contacts.c.subject_key.is_not(None))
        .order_by(contacts.c.received_at)
    )
    for row in rows:
        person = people.get(row.subject_key)
        if person is None:
            person = people[row.subject_key] = {
                "id": f"p-{uuid.uuid4().hex[:16]}",
                "name": None,
                "dob": None,
                "postcode": None,
                "district": None,
                "nhs_number": None,
                "phone": None,
                "created_at": row.received_at,
                **_details_of_key(row.subject_key),
            }
        # the latest contact's details win where it gave them
        given = {
            "name": row.subject_name,
            "dob": row.subject_dob,
            "nhs_number": row.subject_nhs_number,
            "phone": row.caller_key
            if row.caller_key and _PHONE.fullmatch(row.caller_key)
            else None,
        }
        if row.subject_postcode:
            given["postcode"] = row.subject_postcode
            given["district"] = row.subject_postcode.split(" ")[0]
        person.update({k: v for k, v in given.items() if v is not None})
        person["updated_at"] = row.received_at
    if not people:
        return
    people_table = sa.table(
        "people",
        *(sa.column(c) for c in ("id", "name", "postcode", "district", "nhs_number", "phone")),
        sa.column("dob", sa.Date),
        sa.column("created_at", UTCDateTime()),
        sa.column("updated_at", UTCDateTime()),
    )
    keys_table = sa.table("person_keys", sa.column("key"), sa.column("person_id"))
    connection.execute(sa.insert(people_table), list(people.values()))
    connection.execute(
        sa.insert(keys_table),
        [{"key": key, "person_id": person["id"]} for key, person in people.items()],
    )
    connection.execute(
        sa.update(contacts)
        .where(contacts.c.subject_key.is_not(None))
        .values(
            person_id=sa.select(keys_table.c.person_id)
            .where(keys_table.c.key == contacts.c.subject_key)
            .scalar_subquery(),
            person_link="subject_key",
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.drop_index("ix_contacts_person_id")
        batch.drop_constraint("fk_contacts_person_id_people", type_="foreignkey")
        batch.drop_column("person_link")
        batch.drop_column("person_id")
    op.drop_index("ix_person_decisions_contact_id", "person_decisions")
    op.drop_table("person_decisions")
    op.drop_index("ix_person_keys_person_id", "person_keys")
    op.drop_table("person_keys")
    for column in ("dob", "district", "phone"):
        op.drop_index(f"ix_people_{column}", "people")
    op.drop_table("people")
