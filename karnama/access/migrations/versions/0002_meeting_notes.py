"""Notes and decisions pinned to data: a note names its snapshot, Jalali year, county ("" = the province) and
subject (a metric or topic key); a decision is a note with an owner, a Jalali due date, a state and the figure it
was taken on. The separate ``decisions`` table of 0001 (never used) is dropped.

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _columns() -> list[sa.Column]:
    return [
        sa.Column("year", sa.Integer, nullable=True),
        sa.Column("county", sa.String(8), nullable=False, server_default=""),
        sa.Column("subject", sa.String(64), nullable=False, server_default=""),
        sa.Column("kind", sa.String(16), nullable=False, server_default="note"),
        sa.Column("owner", sa.String(64), nullable=True),
        sa.Column("due_jalali", sa.String(10), nullable=True),
        sa.Column("state", sa.String(16), nullable=False, server_default="open"),
        sa.Column("value_then", sa.Float, nullable=True),
        sa.Column("updated_utc", sa.String(40), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("notes") as batch:
        for column in _columns():
            batch.add_column(column)
    op.create_index("ix_notes_year_county", "notes", ["year", "county"])
    op.drop_table("decisions")


def downgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("note_id", sa.Integer, sa.ForeignKey("notes.id"), nullable=True),
        sa.Column("created_utc", sa.String(40), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("owner", sa.String(64), nullable=True),
        sa.Column("due_date", sa.String(10), nullable=True),
        sa.Column("status", sa.String(16), nullable=False, server_default="open"),
        sa.Column("counties", sa.Text, nullable=False, server_default="[]"),
    )
    op.drop_index("ix_notes_year_county", "notes")
    with op.batch_alter_table("notes") as batch:
        for column in reversed(_columns()):
            batch.drop_column(column.name)
