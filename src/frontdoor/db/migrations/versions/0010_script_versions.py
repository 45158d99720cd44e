"""The script library lives in the shared database: every version of every script as its
lead wrote it, who submitted and approved it, and every change, so that every workstation
runs the same published version and any past call can be traced to the exact text that
guided it (spec/script-governance.md). The bundled library is published into it by
`frontdoor db upgrade` and by the console's first start, not here: a migration keeps to
the schema.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

from frontdoor.db.base import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "script_versions",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("script", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("submitted_by", sa.String(200), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("approved_by", sa.String(200)),
        sa.Column("approved_at", UTCDateTime()),
        sa.Column("ended_by", sa.String(200)),
        sa.Column("ended_at", UTCDateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_script_versions"),
        sa.UniqueConstraint("script", "version", name="uq_script_versions_script"),
    )
    op.create_index("ix_script_versions_script", "script_versions", ["script"])
    op.create_index("ix_script_versions_state", "script_versions", ["state"])
    op.create_table(
        "script_changes",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("script", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("action", sa.String(12), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_script_changes"),
    )


def downgrade() -> None:
    op.drop_table("script_changes")
    op.drop_index("ix_script_versions_state", "script_versions")
    op.drop_index("ix_script_versions_script", "script_versions")
    op.drop_table("script_versions")
