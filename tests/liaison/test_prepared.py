"""Kept SQL runs as a prepared statement on PostgreSQL from its second run on a connection (liaison/prepared.py):
the same rows as the queryset, never prepared inside a transaction, SQL PostgreSQL will not prepare run as it is,
and no more than a few hundred statements kept in a session."""

import uuid

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from liaison import prepared
from liaison.models import Contact
from liaison.querysets import by_ids, kept_counts, kept_query
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _unique(queryset):
    # Its own SQL (a column alias no other test uses), so no earlier test has run or prepared it on this connection.
    return queryset.annotate(**{f"k_{uuid.uuid4().hex}": F("pk")})


def _in_session() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def _sent(run) -> tuple[list, str]:
    with CaptureQueriesContext(connection) as captured:
        rows = run()
    assert len(captured) == 1
    return rows, captured.captured_queries[0]["sql"]


def test_kept_sql_is_prepared_on_its_second_run_and_gives_the_same_rows(postgres_only, world):
    for n in range(3):
        ContactFactory(district=world.d1, name=f"Contact {n}")
    shown = _unique(Contact.objects.select_related("role", "district").filter(district=world.d1).order_by("name"))
    kept = kept_query(("prepared", uuid.uuid4().hex), lambda: shown)

    def names():
        return [(c.name, c.role.name, c.district.name) for c in kept.rows()]

    expected = [(c.name, c.role.name, c.district.name) for c in shown]
    first, sql = _sent(names)
    assert first == expected and not sql.startswith("EXECUTE")
    second, sql = _sent(names)
    assert second == expected and sql.startswith("EXECUTE liaison_")
    assert sql.split()[1] in _in_session()
    # Run again with other values in place of its own (by_ids): the same statement, other rows.
    ids = [c.pk for c in Contact.objects.filter(district=world.d1)]
    rows = _unique(Contact.objects.all())
    key = ("prepared-by-ids", uuid.uuid4().hex)
    assert set(by_ids(key, rows, ids[:2])) == set(ids[:2])
    assert set(by_ids(key, rows, ids[1:3])) == set(ids[1:3])
    counts = kept_counts(("prepared-counts", uuid.uuid4().hex), lambda: [_unique(Contact.objects.all())])
    assert counts == [Contact.objects.count()]


def test_nothing_is_prepared_inside_a_transaction(postgres_only, world):
    kept = kept_query(("prepared-atomic", uuid.uuid4().hex), lambda: _unique(Contact.objects.all()))
    with transaction.atomic():
        for _ in range(3):
            _, sql = _sent(kept.rows)
            assert not sql.startswith("EXECUTE")
    # Outside it again: the next run is the second the session counts, and prepares it.
    kept.rows()
    _, sql = _sent(kept.rows)
    assert sql.startswith("EXECUTE")


def test_sql_postgresql_will_not_prepare_runs_as_it_is(postgres_only):
    # Parameters whose types nothing in the statement gives ("operator is not unique: unknown + unknown").
    untyped = f"SELECT %s + %s AS k_{uuid.uuid4().hex}"
    for _ in range(3):
        sql, params = prepared.statement(connection, untyped, (1, 2))
        assert (sql, params) == (untyped, (1, 2))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            assert cursor.fetchone() == (3,)


def test_a_session_keeps_its_most_recently_run_statements(postgres_only, monkeypatch):
    monkeypatch.setattr(prepared, "KEEP_PER_CONNECTION", 2)
    names = []
    for _ in range(3):
        sql = f"SELECT COUNT(*) AS k_{uuid.uuid4().hex} FROM liaison_contact WHERE id > %s"
        prepared.statement(connection, sql, (0,))
        sent, _ = prepared.statement(connection, sql, (0,))
        names.append(sent.split()[1])
    in_session = _in_session()
    assert names[0] not in in_session and {names[1], names[2]} <= in_session


def test_a_session_keeps_no_more_sql_than_its_budget(postgres_only, monkeypatch):
    # A scope's union plan takes about 1 MB of the session's memory: the budget is counted in characters of SQL.
    long_ones = [
        f"SELECT COUNT(*) AS k_{uuid.uuid4().hex} FROM liaison_contact WHERE id > %s" + " " * 400 for _ in range(3)
    ]
    monkeypatch.setattr(prepared, "SQL_PER_CONNECTION", 2 * len(long_ones[0]) + 10)
    names = []
    for sql in long_ones:
        prepared.statement(connection, sql, (0,))
        sent, _ = prepared.statement(connection, sql, (0,))
        names.append(sent.split()[1])
    in_session = _in_session()
    assert names[0] not in in_session and {names[1], names[2]} <= in_session
    # Longer than the whole budget: never prepared.
    huge = long_ones[0].replace("COUNT(*)", "COUNT(*) " + " " * 2000)
    for _ in range(3):
        assert prepared.statement(connection, huge, (0,)) == (huge, (0,))


def test_switched_off_nothing_is_prepared(postgres_only, settings):
    settings.LIAISON_PREPARED_STATEMENTS = False
    sql = f"SELECT COUNT(*) AS k_{uuid.uuid4().hex} FROM liaison_contact WHERE id > %s"
    for _ in range(3):
        assert prepared.statement(connection, sql, (0,)) == (sql, (0,))


def test_placeholders_are_numbered_and_percent_signs_kept():
    assert prepared._numbered("SELECT 'a%%' LIKE %s, %s, %s") == "SELECT 'a%' LIKE $1, $2, $3"


def test_sql_with_its_values_written_in_is_prepared_once_and_keeps_its_percent_signs(postgres_only, world):
    # A scope's union with its page (KeyedUnionPaginator, the queue's head): the values in the statement itself.
    ContactFactory(district=world.d1, name="50% of 100%s")
    ContactFactory(district=world.d1, name="Another")
    sql = (
        f"SELECT name AS k_{uuid.uuid4().hex} FROM liaison_contact WHERE district_id = %s "
        "AND name LIKE %s AND name <> %s ORDER BY name LIMIT %s"
    )
    params = (world.d1.pk, "%\\%%", "it's", 5)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        expected = cursor.fetchall()
    assert expected == [("50% of 100%s",)]
    sent = []
    for _ in range(3):
        statement, values = prepared.statement(connection, sql, params, inline=True)
        sent.append(statement)
        assert values == ()
        with connection.cursor() as cursor:
            cursor.execute(statement, values)
            assert cursor.fetchall() == expected
    assert not sent[0].startswith("EXECUTE") and str(world.d1.pk) in sent[0]
    assert sent[1] == sent[2] and sent[1].startswith("EXECUTE liaison_") and sent[1].split()[1] in _in_session()
