"""Kept SQL run as server-side prepared statements on PostgreSQL, so that it is planned once per connection.

A page's kept queries (`liaison.querysets.KeptQuery`, `KeptCounts`) are the same SQL on every visit, and for most of
them PostgreSQL took longer to plan than to run (make bench-national: an ERM's home page spent about a millisecond
of its seven planning). A prepared statement is planned afresh for its first five runs, then PostgreSQL keeps a
generic plan where one costs no more than the plans it made. A scope's union, whose plan depends on its ids, would
stay planned each time: it is prepared with its values written in (`inline`), and so planned once per connection.

A statement is prepared on a connection the second time its SQL runs there: a connection closed after each request
(`CONN_MAX_AGE = 0`) never runs one twice, so it never pays for a PREPARE it would not reuse. It is prepared only
outside a transaction (one that PostgreSQL refuses, a parameter it cannot type, is remembered and run as plain SQL,
and an error there would abort the transaction), on a cursor of its own (the PREPARE is not a query of the page's).
Each connection keeps at most `KEEP_PER_CONNECTION`, and at most `SQL_PER_CONNECTION` characters of their SQL, the
least recently run deallocated first: PostgreSQL holds a plan in the session's memory, some tens of KB for a page's
query and about 1 MB for a scope's union of twenty-odd arms (pg_backend_memory_contexts), so a session holds a few
dozen unions at most, not hundreds.
`PREPARED_STATEMENTS=0` in the environment (`LIAISON_PREPARED_STATEMENTS`) turns it off, for a pooler that hands one
session's statements to another (PgBouncer in transaction mode)."""

from __future__ import annotations

import hashlib
import re
import threading
import weakref
from collections import OrderedDict

from django.conf import settings

from liaison.lru import Kept

KEEP_PER_CONNECTION = 256
SQL_PER_CONNECTION = 300_000
_SEEN_LIMIT = 4096
_PLACEHOLDER = re.compile(r"%%|%s")


class _Connection:
    """What one database session holds: the statements prepared in it, and how often other SQL ran there."""

    def __init__(self):
        self.prepared: OrderedDict[str, str] = OrderedDict()
        self.size = 0
        self.seen: dict[str, int] = {}
        self.refused: set[str] = set()


_sessions: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _numbered(sql: str) -> str:
    """Django's SQL (`%s` for each parameter, `%%` for a percent sign) in PostgreSQL's own placeholders."""
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if match.group(0) == "%%":
            return "%"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql)


def statement(connection, sql: str, params: tuple, *, inline: bool = False) -> tuple[str, tuple]:
    """What to send for `sql` with `params` on `connection`: EXECUTE of its prepared statement where it is (or can now
    be) prepared there, else `sql` itself.

    `inline` writes the values into the statement first, for SQL that is a user's own whatever they ask (a scope's
    union of arms, with its page): PostgreSQL plans each such union afresh on every run while it has parameters,
    since its plan depends on the ids, and with none it is planned once per connection."""
    if connection.vendor != "postgresql" or not settings.LIAISON_PREPARED_STATEMENTS:
        return sql, params
    if inline:
        sql, params = _inlined(connection, sql, tuple(params)), ()
    connection.ensure_connection()
    raw = connection.connection
    with _lock:
        session = _sessions.get(raw)
        if session is None:
            session = _sessions[raw] = _Connection()
    name = session.prepared.get(sql)
    if name is not None:
        session.prepared.move_to_end(sql)
    else:
        if sql in session.refused or connection.in_atomic_block or not connection.get_autocommit():
            return sql, params
        runs = session.seen.get(sql, 0) + 1
        if runs < 2:
            if len(session.seen) >= _SEEN_LIMIT:
                session.seen.clear()
            session.seen[sql] = runs
            return sql, params
        name = "liaison_" + hashlib.sha256(sql.encode()).hexdigest()[:24]
        if not _prepare(raw, session, name, sql):
            return sql, params
    if not params:
        return f"EXECUTE {name}", ()
    return f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", tuple(params)


_inlined_sql = Kept(1024)


def _inlined(connection, sql: str, params: tuple) -> str:
    """`sql` with its values written in by the driver (quoted as it quotes them), kept for the same SQL and values;
    a percent sign doubled, as Django's SQL writes one."""
    found = _inlined_sql.get((sql, params))
    if found is None:
        with connection.cursor() as cursor:
            found = cursor.mogrify(sql, params).decode().replace("%", "%%")
        _inlined_sql.put((sql, params), found)
    return found


def _prepare(raw, session: _Connection, name: str, sql: str) -> bool:
    import psycopg2

    session.seen.pop(sql, None)
    if len(sql) > SQL_PER_CONNECTION:
        session.refused.add(sql)
        return False
    with raw.cursor() as cursor:
        while session.prepared and (
            len(session.prepared) >= KEEP_PER_CONNECTION or session.size + len(sql) > SQL_PER_CONNECTION
        ):
            oldest_sql, oldest = session.prepared.popitem(last=False)
            session.size -= len(oldest_sql)
            cursor.execute(f"DEALLOCATE {oldest}")
    try:
        with raw.cursor() as cursor:
            cursor.execute(f"PREPARE {name} AS {_numbered(sql)}")
    except psycopg2.Error:
        # Outside a transaction (autocommit), so nothing else is undone: this SQL is run as it is from now on.
        session.refused.add(sql)
        return False
    session.prepared[sql] = name
    session.size += len(sql)
    return True
