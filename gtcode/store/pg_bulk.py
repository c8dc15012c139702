"""PostgreSQL's bulk path: rows written with one ``COPY ... FROM STDIN`` in the unit of work's own transaction, and
the ids they need taken from the table's sequence in one statement.

Every bulk insert on PostgreSQL comes here (``changes.insert_rows``: documents, sentences, attributes, codes,
codings; ``search.index_sentences``: the index rows). COPY streams the rows in one statement, where an
``executemany`` has the server parse, bind and run the ``INSERT`` once per row (4-5x the time on an import's
sentences). Triggers and constraints apply as to an ``INSERT``; the rows are visible at once to the rest of
the transaction, and a rolled-back unit of work leaves none of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, Table


def copy_rows(connection: Connection, table: Table, names: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Write ``rows`` (each a sequence of values in the order of ``names``, already through its column type's
    bind processor) into ``table`` with one COPY on ``connection``. A failure is raised as any statement's
    is (``DBAPIError``, through the engine's ``handle_error`` listeners, so a full disk is a StorageError and
    a lost race a Conflict)."""
    quote = connection.dialect.identifier_preparer.quote
    sql = f"COPY {quote(table.name)} ({', '.join(quote(name) for name in names)}) FROM STDIN"
    driver = connection.connection.driver_connection
    cursor = driver.cursor()
    try:
        with cursor.copy(sql) as copy:
            write = copy.write_row
            for row in rows:
                write(row)
    except driver.Error as error:
        # the one way into SQLAlchemy's error handling for a statement it did not send itself
        connection._handle_dbapi_exception(error, sql, None, cursor, None)
    finally:
        cursor.close()


def take_ids(connection: Connection, table: str, key: str, count: int) -> list[int]:
    """``count`` new ids from the sequence of ``table``'s ``key`` column, ascending, never given before (nobody
    else gets them, whatever happens to this transaction). The sequence's name is looked up once per database
    connection: ``pg_get_serial_sequence`` in the query itself ran once per id taken."""
    sequences = connection.connection.info.setdefault("gtcode_sequences", {})
    sequence = sequences.get((table, key))
    if sequence is None:
        sequence = sequences[(table, key)] = connection.exec_driver_sql(
            "SELECT pg_get_serial_sequence(%s, %s)", (table, key)).scalar_one()
    ids = connection.exec_driver_sql("SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                                     (sequence, count)).scalars().all()
    return sorted(ids)
