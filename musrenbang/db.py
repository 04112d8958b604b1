"""Statements that run on almost every request, prepared once per database connection.

PostgreSQL plans a statement every time it is sent as text; for the small statements of a poll
or a page answered from the cache, planning is most of the database's work (a join of five
tables: 0.3 ms of planning, 0.05 ms of execution). ``execute_prepared`` sends ``PREPARE`` once
per persistent connection and ``EXECUTE`` afterwards.

Inside a transaction (``atomic``) the plain statement is sent instead: should a prepared
statement have vanished (a connection pooler that resets sessions), the error would spoil the
caller's transaction. Outside one, a vanished statement is prepared again.
"""

import hashlib
import weakref

from django.db import DatabaseError, connection

# Per raw DB-API connection (weakly held: a closed connection takes its names with it).
_PREPARED: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()


def execute_prepared(cursor, sql: str, params: list) -> None:
    """Execute ``sql`` (``%s`` placeholders) with ``params``, prepared on this connection."""
    if connection.in_atomic_block:
        cursor.execute(sql, params)
        return
    names = _PREPARED.setdefault(connection.connection, set())
    name = _name(sql)
    for attempt in (1, 2):
        if name not in names:
            cursor.execute(f"PREPARE {name} AS {_numbered(sql)}")  # no params: sent as is
            names.add(name)
        try:
            placeholders = f"({', '.join(['%s'] * len(params))})" if params else ""
            cursor.execute(f"EXECUTE {name}{placeholders}", params)
            return
        except DatabaseError as error:
            names.discard(name)
            if attempt == 2 or name not in str(error):
                raise


def _name(sql: str) -> str:
    return "mb_" + hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:20]


def _numbered(sql: str) -> str:
    """``%s`` placeholders as PostgreSQL's ``$1, $2, ...``."""
    parts = [part.replace("%%", "%") for part in sql.split("%s")]
    return "".join(f"{part}${n}" for n, part in enumerate(parts[:-1], start=1)) + parts[-1]


def is_prepared(sql: str) -> bool:
    """Whether ``sql`` is prepared on the current connection (for tests)."""
    return _name(sql) in _PREPARED.get(connection.connection, set())


def read_parts(parts: list[tuple[str, list]]) -> tuple:
    """The values of scalar SQL ``parts`` (``(sql, params)`` each) read in one prepared
    statement (marks and fingerprints registered by several apps)."""
    if not parts:
        return ()
    sql = "SELECT " + ", ".join(f"({part_sql})" for part_sql, _params in parts)
    params = [param for _sql, part_params in parts for param in part_params]
    with connection.cursor() as cursor:
        execute_prepared(cursor, sql, params)
        return tuple(cursor.fetchone())
