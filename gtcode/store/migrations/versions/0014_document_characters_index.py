"""an index for "the same document"

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 15:20:00

Every import asks whether a text is there already (corpus.same_document: the documents of its length whose
text is the same). Without an index on `characters` that query read every document's text (SQLite reaches
`characters` through the text's overflow pages), so importing n documents read n times the corpus.
"""
from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_document_characters', 'document', ['characters'])


def downgrade() -> None:
    op.drop_index('ix_document_characters', table_name='document')
