"""Undo and redo of changes to the code system, persisted in the database.

A change records, for every row it touched, the row before and after. Undo writes the
"before" states back (newest first); redo writes the "after" states. A row changed by
someone else since then makes undo refuse rather than overwrite their work. Undoing or redoing
someone else's change is for owners, and the hold-out rule holds for the rows written back: an undo
never puts a coding made while building onto a document held out since (``blinding.check_coding_place``).

Counters are not undone: the project's ``next_numbers`` (code and relationship numbers) only grow, so
a number freed by undo is never given to another code. Versions are not written back either: undo and
redo count one more version of each row they update or put back, so a view that showed the row before is stale.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from datetime import datetime
from itertools import chain
from operator import itemgetter
from typing import Any

from sqlalchemy import DateTime, delete, select as sa_select, update
from sqlmodel import Session, SQLModel, select

from gtcode.services.blinding import check_coding_place
from gtcode.services.errors import Conflict, GtcodeError
from gtcode.services.project import note_written
from gtcode.services.roles import check_undo
from gtcode.store import pg_bulk
from gtcode.store.tables import (
    AssignmentRow, AttributeRow, CaseAttributeRow, CaseRow, ChangeRow, CodeExampleRow, CodeRow, CodingRow,
    DimensionValueRow, DocumentRow, EvidenceRow, MemoLinkRow, MemoRow, ParadigmEntryRow, ProjectRow, PropertyRow,
    RelationshipRow, RelationTypeRow, SamplingRow, SearchIndexRow, SegmentRow, SlotEvidenceRow, utcnow,
)

TRACKED: dict[str, type[SQLModel]] = {
    model.__tablename__: model
    for model in (CodeRow, CodingRow, MemoRow, MemoLinkRow, ParadigmEntryRow, RelationshipRow, EvidenceRow,
                  SlotEvidenceRow, ProjectRow,
                  RelationTypeRow, PropertyRow, DimensionValueRow, CodeExampleRow, SamplingRow,
                  DocumentRow, AttributeRow, SegmentRow, SearchIndexRow, AssignmentRow, CaseRow, CaseAttributeRow)
}  # ^ documents (retitle, kind, attributes, delete with their sentences and search index rows) and cases
# table -> (column, table it points at): the foreign keys the order of a change's rows must respect
_REFERENCES = {table: [(fk.parent.name, fk.column.table.name) for fk in model.__table__.foreign_keys]
               for table, model in TRACKED.items()}
IGNORED_COLUMNS = {"version", "next_numbers"}  # not compared by undo/redo
COUNTERS = {"next_numbers"}


def _key_column(model: type[SQLModel]):
    """The one primary-key column of a tracked table (``id``, or ``name`` for relation types)."""
    return next(iter(model.__table__.primary_key.columns))


def _key(row: SQLModel):
    return getattr(row, _key_column(type(row)).name)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _encode(row: SQLModel | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {column.name: _plain(getattr(row, column.name)) for column in row.__table__.columns}


def in_chunks(items: list, size: int = 500):
    """``items`` in lists of at most ``size`` (the bound parameters of one ``IN``)."""
    return (items[i:i + size] for i in range(0, len(items), size))


def insert_rows(session: Session, model: type[SQLModel], rows: list[dict]) -> list[dict]:
    """Insert ``rows`` (no ORM object per row) and give each its new id (rows that have one, taken with
    :class:`NewIds`, keep it); the rows get every column, defaults filled in as the ORM would, so the change
    records what is stored. They go in as :func:`insert_values` of their columns.

    The ids are taken first (:func:`new_ids`) and inserted with the rows: an ``INSERT ... RETURNING`` that must
    keep the rows' order runs one statement per row on SQLite. The hold-out guard sees no ORM rows here:
    callers check the places first (``blinding.check_coding_place``)."""
    if not rows:
        return rows
    plan = _InsertPlan.of(model, session.get_bind().dialect)
    key = plan.key
    if key not in rows[0]:
        for values, row_id in zip(rows, new_ids(session, model, len(rows))):
            values[key] = row_id
    for values in rows:
        for name, make in plan.defaults:
            if name not in values:
                values[name] = make()
    insert_values(session, model, list(map(itemgetter(*plan.names), rows)))  # every table has two columns or more
    return rows


def insert_values(session: Session, model: type[SQLModel], rows: Iterable[tuple]) -> None:
    """Insert ``rows`` given as tuples of every column's value in the table's order (``model.__table__.columns``,
    the id included: from :func:`new_ids` or :class:`NewIds`), each value through its column type's own bind
    processor (what SQLAlchemy's executemany does, without its per-row parameter building).

    On SQLite straight to the driver, many rows to a statement (``INSERT ... VALUES (...), (...)``: SQLite's
    per-statement work, AUTOINCREMENT's counter among it, is paid per block, not per row); on PostgreSQL in
    one COPY (``store.pg_bulk.copy_rows``), taking the rows as it sends them (``rows`` may be a generator
    whose work then overlaps the server's storing of the rows before). The hold-out guard sees no rows here:
    callers check the places first."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    rows = chain((first,), rows)
    plan = _InsertPlan.of(model, session.get_bind().dialect)
    processors = plan.processors
    if any(processors):
        rows = (tuple(value if process is None or value is None else process(value)
                      for value, process in zip(row, processors)) for row in rows)
    connection = session.connection()
    if plan.sql is None:
        pg_bulk.copy_rows(connection, model.__table__, plan.names, rows)
    else:
        rows = list(rows)
        block = plan.block
        whole = len(rows) - len(rows) % block
        if whole:
            connection.exec_driver_sql(plan.statement(block), [tuple(chain.from_iterable(rows[at:at + block]))
                                                               for at in range(0, whole, block)])
        if whole < len(rows):
            connection.exec_driver_sql(plan.statement(len(rows) - whole), tuple(chain.from_iterable(rows[whole:])))
    note_written(session, model.__tablename__)


SQLITE_VARIABLES = 999  # the bound values an SQLite statement may hold (the library's lowest default limit)


class _InsertPlan:
    """How :func:`insert_rows` inserts a table's rows on one dialect: its defaults, and on SQLite the statements
    (``block`` rows to one, at most ``SQLITE_VARIABLES`` values), column order and each column's bind processor
    (made once per table and dialect)."""

    _plans: dict[tuple[type, str], _InsertPlan] = {}

    def __init__(self, model: type[SQLModel], dialect) -> None:
        table = model.__table__
        self.key = _key_column(model).name
        defaults = []
        for column in table.columns:
            field = None if column.primary_key else model.model_fields.get(column.name)
            if field is not None and field.default_factory is not None:
                defaults.append((column.name, field.default_factory))
            elif field is not None and not field.is_required():
                defaults.append((column.name, lambda value=field.default: value))
        self.defaults = tuple(defaults)
        self.names = tuple(column.name for column in table.columns)
        self.processors = tuple(column.type._cached_bind_processor(dialect) for column in table.columns)
        self.sql = None
        self.block = min(100, SQLITE_VARIABLES // len(self.names))
        self._statements: dict[int, str] = {}
        if dialect.name == "sqlite":
            quote = dialect.identifier_preparer.quote
            self.sql = f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in self.names)}) VALUES "

    def statement(self, rows: int) -> str:
        """The SQLite statement inserting ``rows`` rows."""
        sql = self._statements.get(rows)
        if sql is None:
            one = f"({', '.join('?' for _ in self.names)})"
            sql = self._statements[rows] = self.sql + ", ".join([one] * rows)
        return sql

    @classmethod
    def of(cls, model: type[SQLModel], dialect) -> _InsertPlan:
        plan = cls._plans.get((model, dialect.name))
        if plan is None:
            plan = cls._plans[(model, dialect.name)] = cls(model, dialect)
        return plan


def insert_codings(session: Session, recorder: "ChangeRecorder", rows: list[dict]) -> list[dict]:
    """Insert codings given as column dicts in bulk (an import, auto-coding): the hold-out rule checked for
    their places as a flush would check ORM rows, one executemany, recorded for undo as inserted."""
    if rows:
        check_coding_place(session, {(row["document_id"], row["phase"]) for row in rows})
        recorder.inserted(CodingRow, insert_rows(session, CodingRow, rows))
    return rows


def new_ids(session: Session, model: type[SQLModel], count: int) -> list[int]:
    """``count`` ids no row of the table ever had, for rows inserted with them in this unit of work: from the
    table's sequence on PostgreSQL; on SQLite above both the AUTOINCREMENT counter and the highest id (the
    unit of work holds the database's write lock from its start, ``BEGIN IMMEDIATE``, so nobody else takes
    them; an explicit id above the counter moves the counter, so they are never given again)."""
    table, key = model.__tablename__, _key_column(model)
    if session.get_bind().dialect.name == "postgresql":
        return pg_bulk.take_ids(session.connection(), table, key.name, count)
    quote = session.get_bind().dialect.identifier_preparer.quote  # one statement through the driver: it runs
    first = session.connection().exec_driver_sql(  # for every document of an import
        f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), "
        f"coalesce((SELECT max({quote(key.name)}) FROM {quote(table)}), 0)) + 1", (table,)).scalar()
    return list(range(first, first + count))


class NewIds:
    """Ids for rows a unit of work inserts later with :func:`insert_rows`, taken as they are needed (how many is
    not known ahead): on SQLite :func:`new_ids` is asked once per table and the ids after its first are counted
    on (nothing else inserts into the table meanwhile: the unit holds the write lock, and these rows are not
    in it yet); on PostgreSQL each call takes them from the table's sequence."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._counted = session.get_bind().dialect.name == "sqlite"
        self._next: dict[type[SQLModel], int] = {}

    def take(self, model: type[SQLModel], count: int) -> list[int]:
        """``count`` new ids of ``model``'s table, ascending."""
        if not self._counted:
            return new_ids(self.session, model, count) if count else []
        first = self._next.get(model)
        if first is None:
            (first,) = new_ids(self.session, model, 1)
        self._next[model] = first + count
        return list(range(first, first + count))


def _decode(model: type[SQLModel], values: dict[str, Any]) -> dict[str, Any]:
    decoded = {}
    for column in model.__table__.columns:
        if column.name not in values:  # a column added since the change was recorded keeps its default
            continue
        value = values[column.name]
        if value is not None and isinstance(getattr(column.type, "impl", column.type), DateTime):
            value = datetime.fromisoformat(value)
        decoded[column.name] = value
    return decoded


def change_entries(rows: list[dict], blocks: bool = False) -> list[dict]:
    """The entries of a change's stored ``rows``, one per row, ``{"table", "id", "before", "after"}``: a block of
    rows inserted in bulk is stored once as ``{"table", "columns", "inserted": [values, ...]}`` (an import's
    200,000 codings without their column names 200,000 times) and is given here as one entry per row (kept
    whole with ``blocks``)."""
    out: list[dict] = []
    for entry in rows:
        if "inserted" not in entry or blocks:
            out.append(entry)
            continue
        table, columns = entry["table"], entry["columns"]
        key = columns.index(_key_column(TRACKED[table]).name)
        out.extend({"table": table, "id": values[key], "before": None, "after": dict(zip(columns, values))}
                   for values in entry["inserted"])
    return out


class ChangeRecorder:
    """Collects the rows a unit of work touches, then stores them as one undoable change."""

    def __init__(self, session: Session, description: str, coder: str):
        self.session = session
        self.description = description
        self.coder = coder
        self._before: dict[tuple[str, int], dict | None] = {}
        self._order: list[tuple[str, int] | int] = []  # rows touched or made, and (an int) blocks inserted in bulk
        self._held: list[SQLModel] = []  # the session's identity map is weak: keep rows for save() to find
        self._blocks: list[tuple[str, list[str], list[list]]] = []  # rows inserted in bulk: (table, columns, values)
        self._bulk: dict[str, set] = {}  # the keys of the rows inserted in bulk, per table

    def _recorded(self, key: tuple[str, int]) -> bool:
        return key in self._before or key[1] in self._bulk.get(key[0], ())

    def touch(self, row: SQLModel) -> None:
        """Call before changing or deleting an existing row."""
        key = (row.__tablename__, _key(row))
        if not self._recorded(key):
            self._before[key] = _encode(row)
            self._order.append(key)

    def created(self, row: SQLModel) -> None:
        """Call after adding a new row (flushed, so it has an id)."""
        if _key(row) is None:
            self.session.flush()
        self._held.append(row)
        key = (row.__tablename__, _key(row))
        if not self._recorded(key):
            self._before[key] = None
            self._order.append(key)

    def put(self, existing: SQLModel | None, model: type[SQLModel], keys: dict, **values) -> SQLModel:
        """``existing`` with ``values`` set (its old state recorded when they change), or when there is none, a new
        ``model`` row of ``keys`` and ``values``, added and recorded."""
        if existing is None:
            row = model(**keys, **values)
            self.session.add(row)
            self.created(row)
            return row
        if any(getattr(existing, key) != value for key, value in values.items()):
            self.touch(existing)
            for key, value in values.items():
                setattr(existing, key, value)
            self.session.add(existing)
        return existing

    def delete(self, rows) -> None:
        """Delete ``rows``, recorded, and flush (so what they pointed at can go next)."""
        for row in rows:
            self.touch(row)
            self.session.delete(row)
        self.session.flush()

    def delete_where(self, model: type[SQLModel], column: str, values: list) -> None:
        """Delete, recorded, every row of ``model`` whose ``column`` holds one of ``values``."""
        for chunk in in_chunks(list(values)):
            self.delete(self.session.exec(select(model).where(getattr(model, column).in_(chunk))).all())

    def repoint(self, model: type[SQLModel], column: str, old: int, new: int, keys: tuple[str, ...]) -> None:
        """Point ``model``'s rows at ``new`` instead of ``old`` in ``column`` (recorded); a row whose ``keys`` a row
        at ``new`` has already is deleted instead, so no twin is made."""
        pointer = getattr(model, column)
        have = {tuple(getattr(row, key) for key in keys)
                for row in self.session.exec(select(model).where(pointer == new)).all()}
        for row in self.session.exec(select(model).where(pointer == old)).all():
            self.touch(row)
            if tuple(getattr(row, key) for key in keys) in have:
                self.session.delete(row)
            else:
                setattr(row, column, new)
                self.session.add(row)

    def inserted(self, model: type[SQLModel], rows: list[dict]) -> None:
        """Call after inserting ``rows`` (every column, the id included) in bulk with :func:`insert_rows`; they
        are recorded as inserted, so the unit of work must not change them afterwards. They are kept as lists
        of values under one list of column names (a block, see :func:`change_entries`)."""
        if not rows:
            return
        table = model.__tablename__
        key = _key_column(model).name
        names = [column.name for column in model.__table__.columns]
        moments = [index for index, column in enumerate(model.__table__.columns)
                   if isinstance(getattr(column.type, "impl", column.type), DateTime)]
        done = self._bulk.setdefault(table, set())
        block = None
        if self._order and isinstance(self._order[-1], int) and self._blocks[self._order[-1]][0] == table:
            block = self._blocks[self._order[-1]][2]  # the same table again: one block
        for values in rows:
            if values[key] in done or (table, values[key]) in self._before:
                continue
            done.add(values[key])
            after = [values[name] for name in names]
            for index in moments:
                if isinstance(after[index], datetime):
                    after[index] = after[index].isoformat()
            if block is None:
                self._order.append(len(self._blocks))
                self._blocks.append((table, names, []))
                block = self._blocks[-1][2]
            block.append(after)

    def save(self) -> ChangeRow:
        """Store the change; what was undone before it can no longer be redone (a new change ends redo) and is
        kept, marked superseded, for the audit trail."""
        self.session.flush()
        entries = []
        for item in self._order:
            if isinstance(item, int):
                table, names, values = self._blocks[item]
                entries.append({"table": table, "columns": names, "inserted": values})
                continue
            table, row_id = item
            after = _encode(self.session.get(TRACKED[table], row_id))
            entries.append({"table": table, "id": row_id, "before": self._before[(table, row_id)], "after": after})
        self.session.execute(update(ChangeRow).where(ChangeRow.undone == True, ChangeRow.superseded == False)  # noqa: E712
                             .values(superseded=True))
        change = ChangeRow(description=self.description, coder=self.coder, rows=_in_dependency_order(entries))
        self.session.add(change)
        self.session.flush()
        return change


def _in_dependency_order(entries: list[dict]) -> list[dict]:
    """A change's rows in an order redo can apply forwards and undo backwards: a deleted row after every row that
    pointed at it before the change (a row can be touched long before it goes, e.g. a merged code's relationship
    repointed, then folded into its twin); else the order they were first touched in."""
    deleted = {(e["table"], e["id"]): i for i, e in enumerate(entries)  # a block (rows inserted) deletes nothing
               if "inserted" not in e and e["after"] is None and e["before"]}
    if not deleted:
        return entries
    successors: dict[int, list[int]] = {}
    indegree = [0] * len(entries)
    late = False
    for i, entry in enumerate(entries):
        for column, table in _REFERENCES[entry["table"]] if entry.get("before") else ():
            j = deleted.get((table, entry["before"].get(column)))
            if j is not None and j != i:
                successors.setdefault(i, []).append(j)
                indegree[j] += 1
                late |= i > j
    if not late:
        return entries
    ready = [i for i, count in enumerate(indegree) if count == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for j in successors.get(i, ()):
            indegree[j] -= 1
            if indegree[j] == 0:
                heapq.heappush(ready, j)
    placed = set(order)
    return [entries[i] for i in order] + [entry for i, entry in enumerate(entries) if i not in placed]


def _same(current: dict | None, expected: dict | None) -> bool:
    if current is None or expected is None:
        return current is expected
    keys = (set(current) | set(expected)) - IGNORED_COLUMNS
    return all(current.get(k) == expected.get(k) for k in keys)


def _apply(session: Session, entries: list[dict], state: str, check: str) -> None:
    """Put each entry's rows in ``state`` after checking they are in ``check``; a block (rows inserted in bulk) is
    checked and deleted (undo) or put back (redo) a chunk of rows at a time."""
    redoing = state == "after"
    for entry in entries:
        if "inserted" in entry:
            (_check_absent if redoing else _check_block)(session, entry)
            continue
        model = TRACKED[entry["table"]]
        current = _encode(session.get(model, entry["id"]))
        if not _same(current, entry[check]):
            raise _changed_since(entry["table"], entry["id"])
    check_coding_place(session, [place for entry in entries for place in _places(entry, state)])
    for entry in entries:
        if "inserted" in entry:
            (_insert_block if redoing else _delete_block)(session, entry)
            continue
        model, row_id, values = TRACKED[entry["table"]], entry["id"], entry[state]
        table = model.__table__
        key = _key_column(model)
        exists = session.execute(sa_select(key).where(key == row_id)).first() is not None
        if values is None:
            if exists:
                session.execute(delete(table).where(key == row_id))
        elif exists:
            decoded = {k: v for k, v in _decode(model, values).items() if k not in COUNTERS}
            if "version" in decoded:
                decoded["version"] = table.c.version + 1
            session.execute(update(table).where(key == row_id).values(**decoded))
        else:
            _insert_back(session, model, entry, values)
        session.flush()
    session.expire_all()


def _places(entry: dict, state: str) -> Iterable[tuple[int, str | None]]:
    """Where an entry's rows land in ``state``, for the hold-out rule (``_place``): a block's rows land only when
    redone."""
    if "inserted" not in entry:
        place = _place(entry["table"], entry[state])
        return () if place is None else (place,)
    if state != "after" or entry["table"] not in _PLACED:
        return ()
    columns = entry["columns"]
    return {place for values in entry["inserted"]
            if (place := _place(entry["table"], dict(zip(columns, values)))) is not None}


def _changed_since(table: str, row_id: Any) -> Conflict:
    """The refusal of an undo or redo whose row is no longer as the change left it."""
    return Conflict(f"{table} {row_id} was changed since: undo/redo stopped, nothing changed")


def _block(entry: dict) -> tuple[Any, Any, dict]:
    """A block's table, key column and rows as inserted (column dicts by key)."""
    model = TRACKED[entry["table"]]
    key, columns = _key_column(model), entry["columns"]
    at = columns.index(key.name)
    return model.__table__, key, {values[at]: dict(zip(columns, values)) for values in entry["inserted"]}


def _check_block(session: Session, entry: dict) -> None:
    """Every row of a block still as it was inserted (read as columns, no ORM object per row)."""
    table, key, rows = _block(entry)
    seen = set()
    for chunk in in_chunks(list(rows)):
        for found in session.execute(sa_select(table).where(key.in_(chunk))).mappings():
            row_id = found[key.name]
            seen.add(row_id)
            if not _same({name: _plain(value) for name, value in found.items()}, rows[row_id]):
                raise _changed_since(entry["table"], row_id)
    if len(seen) < len(rows):
        raise _changed_since(entry["table"], min(set(rows) - seen))


def _one_run(ids: list) -> bool:
    """Whether sorted ``ids`` are every integer from the first to the last (as a bulk insert takes them)."""
    return bool(ids) and isinstance(ids[0], int) and ids[-1] - ids[0] + 1 == len(ids)


def _delete_block(session: Session, entry: dict) -> None:
    """Delete a block's rows (checked by ``_check_block``): one statement when their keys are one run of ids, as
    bulk inserts take them, else one per chunk."""
    table, key, rows = _block(entry)
    ids = sorted(rows)
    if _one_run(ids):  # every id in the run is one of them
        session.execute(delete(table).where(key.between(ids[0], ids[-1])))
    else:
        for chunk in in_chunks(ids):
            session.execute(delete(table).where(key.in_(chunk)))


def _check_absent(session: Session, entry: dict) -> None:
    """No row holds the id of any of a block's rows (to be put back by redo): a row made since in its place stops
    the redo, as a row changed since stops an undo."""
    table, key, rows = _block(entry)
    ids = sorted(rows)
    if _one_run(ids):  # one read of its range
        taken = session.execute(sa_select(key).where(key.between(ids[0], ids[-1])).limit(1)).scalar()
    else:
        taken = next((found for chunk in in_chunks(ids)
                      for found in session.execute(sa_select(key).where(key.in_(chunk)).limit(1)).scalars()), None)
    if taken is not None:
        raise _changed_since(entry["table"], taken)


def _insert_block(session: Session, entry: dict) -> None:
    """Put a block's rows (checked absent by ``_check_absent``) back under their own ids in bulk (``insert_rows``:
    many rows to a statement on SQLite, one COPY on PostgreSQL), each one version on from what it had, as
    ``_insert_back`` puts one row back; refused as a whole when what a row names is gone."""
    from sqlalchemy.exc import IntegrityError

    model = TRACKED[entry["table"]]
    columns = [column for column in entry["columns"] if column in model.__table__.columns]  # dropped since: left out
    at = [entry["columns"].index(column) for column in columns]
    moments = [n for n, column in enumerate(columns)
               if isinstance(getattr(model.__table__.c[column].type, "impl", model.__table__.c[column].type), DateTime)]
    version = columns.index("version") if "version" in columns else None
    rows = []
    for values in entry["inserted"]:
        row = [values[n] for n in at]
        for n in moments:
            if row[n] is not None:
                row[n] = datetime.fromisoformat(row[n])
        if version is not None:
            row[version] += 1
        rows.append(dict(zip(columns, row)))
    try:
        with session.begin_nested():
            insert_rows(session, model, rows)
    except IntegrityError:
        ids = sorted(row[_key_column(model).name] for row in rows)
        raise Conflict(f"{entry['table']} {ids[0]}-{ids[-1]} cannot come back: a row made since is the same as one "
                       "of them, or what one of them names is gone; undo/redo stopped, nothing changed") from None


def _place(table: str, values: dict | None) -> tuple[int, str | None] | None:
    """Where a row written back lands, for the hold-out rule: a coding's document and phase, a document memo's
    document, a memo's link to a document (``blinding.check_coding_place``)."""
    if values is None:
        return None
    if table == CodingRow.__tablename__:
        return values["document_id"], values.get("phase", "building")
    if table in (MemoRow.__tablename__, MemoLinkRow.__tablename__) and values.get("target_kind") == "document":
        return values["target_id"], None
    return None


_PLACED = (CodingRow.__tablename__, MemoRow.__tablename__, MemoLinkRow.__tablename__)  # tables ``_place`` places


def _insert_back(session: Session, model: type[SQLModel], entry: dict, values: dict) -> None:
    """Put a removed row back under its own id; refused when a row made since holds its place (a duplicate)."""
    from sqlalchemy.exc import IntegrityError

    decoded = _decode(model, values)
    if "version" in decoded:  # one more version than the row had: a version is never shown for two states
        decoded["version"] += 1
    try:
        with session.begin_nested():
            session.execute(model.__table__.insert().values(**decoded))
    except IntegrityError:
        raise Conflict(f"{entry['table']} {entry['id']} cannot come back: a row made since takes its "
                       "place, or what it names is gone; undo/redo stopped, nothing changed") from None


def undo(session: Session) -> str:
    """Revert the newest change not yet undone; returns its description."""
    # LIMIT 1: an ORM result is read whole before .first() picks a row (the whole undo log otherwise)
    change = session.exec(select(ChangeRow).where(ChangeRow.undone == False)  # noqa: E712
                          .order_by(ChangeRow.id.desc()).limit(1)).first()
    if change is None:
        raise GtcodeError("nothing to undo")
    check_undo(session, change, redo=False)
    _apply(session, list(reversed(change_entries(change.rows, blocks=True))), "before", "after")
    change.undone, change.undone_at = True, utcnow()
    session.add(change)
    return change.description


def redo(session: Session) -> str:
    """Apply again the change undone most recently; returns its description."""
    change = session.exec(select(ChangeRow).where(ChangeRow.undone == True, ChangeRow.superseded == False)  # noqa: E712
                          .order_by(ChangeRow.id).limit(1)).first()
    if change is None:
        raise GtcodeError("nothing to redo")
    check_undo(session, change, redo=True)
    _apply(session, change_entries(change.rows, blocks=True), "after", "before")
    change.undone, change.undone_at = False, None
    session.add(change)
    return change.description


def history(session: Session, limit: int = 50) -> list[tuple[int, str, bool]]:
    """Recent changes as (id, description, undone), newest first."""
    rows = session.exec(select(ChangeRow).order_by(ChangeRow.id.desc()).limit(limit)).all()
    return [(row.id, row.description, row.undone) for row in rows]
