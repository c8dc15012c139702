"""The sentences of a project's documents in its ``.qdpx`` file: gtcode's own note, so that an import of a file of
ours keeps the sentences the codings were made on and does not split every text again.

Export writes, for each source it carries, the digest of the text and its sentences as gaps and lengths
(``[gap before sentence 1, its length, gap before sentence 2, ...]``) as JSON in a project note named
``gtcode sentences``. Import takes a source's sentences from there only when the digest is that of the text
it read and the spans fit it (in order, inside the text, not empty); any other source is split as usual.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from sqlmodel import Session

from gtcode.exchange.refi import RefiProject
from gtcode.store.tables import SegmentRow

SENTENCES_NOTE = "gtcode sentences"
FORMAT = 1
_SEGMENT = SegmentRow.__table__


def digest(text: str) -> str:
    """What a source's text is recognised by (its sentences are kept only for that very text)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def sentences_text(session: Session, documents: Iterable[tuple[int, str, str]]) -> str | None:
    """The note text for ``documents`` given as ``(document id, source guid, text)``; None without any.
    One read of the sentences (columns, in document order) for all of them."""
    from sqlalchemy import select

    documents = list(documents)
    guid_of = {document_id: (guid, text) for document_id, guid, text in documents}
    spans: dict[int, list[int]] = {}
    ends: dict[int, int] = {}
    rows = session.execute(select(_SEGMENT.c.document_id, _SEGMENT.c.start, _SEGMENT.c.end)
                           .order_by(_SEGMENT.c.document_id, _SEGMENT.c.idx))
    for document_id, start, end in rows:
        if document_id not in guid_of:
            continue  # a hold-out document the export leaves out
        flat = spans.setdefault(document_id, [])
        flat += (start - ends.get(document_id, 0), end - start)
        ends[document_id] = end
    if not spans:
        return None
    sources = {guid_of[d][0]: {"digest": digest(guid_of[d][1]), "spans": flat} for d, flat in spans.items()}
    return json.dumps({"format": FORMAT, "sources": sources}, separators=(",", ":"))


def read_sentences(refi: RefiProject) -> dict[str, tuple[str, list[int]]]:
    """Per source guid, the digest and flat gaps/lengths the file's note carries (empty without a readable note)."""
    note = next((n for n in refi.notes if n.name == SENTENCES_NOTE and not n.target_guids), None)
    if note is None:
        return {}
    try:
        data = json.loads(note.text)
        sources = data["sources"] if data.get("format") == FORMAT else {}
        return {str(guid): (str(entry["digest"]), entry["spans"]) for guid, entry in sources.items()
                if isinstance(entry, dict) and isinstance(entry.get("spans"), list)}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


def spans_for(carried: dict[str, tuple[str, list[int]]], guid: str, text: str) -> list[tuple[int, int]] | None:
    """The sentences the file carries for a source with this text, or None when they do not fit it."""
    entry = carried.get(guid)
    if entry is None or entry[0] != digest(text):
        return None
    flat = entry[1]
    if len(flat) % 2 or not all(type(n) is int and n >= 0 for n in flat):
        return None
    spans, position = [], 0
    for gap, length in zip(flat[::2], flat[1::2]):
        start = position + gap
        position = start + length
        if not length or position > len(text):
            return None
        spans.append((start, position))
    return spans
