"""Querysets of the core models; `visible_to(user)` is the one way any page, export or API reads them."""

from __future__ import annotations

import contextlib
import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from liaison import prepared
from liaison.lru import Kept
from liaison.scoping import scope_for


def read_beside(instance: models.Model, fields: tuple[str, ...], rows: models.QuerySet, *, kept_as: str) -> None:
    """Set `instance`'s foreign keys `fields` (all to `rows`' model) to their rows, read in one plain query.

    For a detail page whose thing is read in the user's scope: joining its people into that query made PostgreSQL
    spend longer planning it than reading it. The query is kept compiled under `kept_as` (`by_ids`: `rows` reads no
    values of its own), since a detail page asks it on every visit. A field naming nobody stays None, and nothing is
    read for it."""
    wanted = sorted({getattr(instance, f"{field}_id") for field in fields} - {None})
    found = by_ids(("beside", kept_as), rows, wanted)
    for field in fields:
        pk = getattr(instance, f"{field}_id")
        if pk is not None:
            type(instance)._meta.get_field(field).set_cached_value(instance, found[pk])


def set_prefetched(instance: models.Model, name: str, rows: list[models.Model]) -> None:
    """Give `instance`'s many-to-many `name` these rows, as `prefetch_related` would (`instance.name.all()` then reads
    no database): for rows read by kept SQL, which prefetching cannot be."""
    manager = getattr(instance, name)
    related = manager.get_queryset()
    related._result_cache, related._prefetch_done = list(rows), True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[manager.prefetch_cache_name] = related


def compiled(ids: models.QuerySet) -> RawSQL | None:
    """A subquery of ids (a union of scoped arms, usually) compiled to SQL once, for `pk__in`.

    Django resolves and relabels a queryset each time it is nested in another query, and a list nests its scope in
    both its count and its page; for the unions of subqueries that scope the largest tables that Python work costs
    more than PostgreSQL takes to run them. The SQL is the same either way. None when it can match nothing."""
    try:
        sql, params = ids.query.get_compiler(using=ids.db).as_sql()
    except EmptyResultSet:
        return None
    return RawSQL(sql, tuple(params))


def compiled_once(build: Callable[..., models.QuerySet]) -> Callable[..., RawSQL | None]:
    """`compiled`, kept for each set of arguments: for scope subqueries that are a pure function of their
    arguments (the database alias first, then ids from the user's scope, the user's own id), built without
    reading the database (which raises) or the clock. The same arguments give the same SQL, so it is written once
    per process rather than once per request."""

    @lru_cache(maxsize=2048)
    def cached(using: str, *args) -> RawSQL | None:
        from django.db import connections

        with connections[using].execute_wrapper(_refuse_queries):
            return compiled(build(using, *args))

    return cached


class KeptQuery:
    """A queryset compiled to SQL once: `rows()` runs that SQL and returns what iterating the queryset would (model
    instances with their select_related, or values), without building and compiling the queryset again.

    For the few queries a page runs on every visit whose SQL is a pure function of a handful of values (the user, the
    ids of their scope, a status list): Django spends longer building and compiling such a query than PostgreSQL
    takes to plan and run it. Made by `kept_query`, which also says what the key must hold."""

    def __init__(self, queryset: models.QuerySet):
        if queryset._prefetch_related_lookups:
            raise ValueError("A kept query runs one statement: read what it would prefetch on its own.")
        if queryset._known_related_objects:
            # A related manager's queryset (board.meetings) hands its instance to every row it reads: kept, it would
            # hold one request's object and give it to the rows of every later one.
            raise ValueError("A kept query is built from a model's own manager, not from an instance's related one.")
        self.queryset = queryset
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            self.sql, self.params = compiler.as_sql()
        except EmptyResultSet:
            self.sql, self.params = None, ()
        # What compiling worked out about the columns, which turning rows into objects reads.
        self.state = {k: v for k, v in compiler.__dict__.items() if k not in ("query", "connection", "using")}

    def rows(self, params: list | tuple | None = None) -> list:
        """Its rows; with `params`, run with those in place of the ones it was compiled with (as many, each standing
        where its counterpart stood: for a query whose only parameters are a list of ids, `by_ids`)."""
        if self.sql is None:
            return []
        if params is not None and len(params) != len(self.params):
            raise ValueError("A kept query runs with as many parameters as it was compiled with.")
        # A new compiler (it holds this thread's connection) over the kept query, which nothing here changes.
        compiler = self.queryset.query.get_compiler(using=self.queryset.db)
        compiler.__dict__.update(self.state)
        sql, params = prepared.statement(
            compiler.connection, self.sql, tuple(params) if params is not None else self.params
        )
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        # The queryset's own iterable, handed a stand-in whose query gives that compiler (copying the queryset
        # itself would evaluate it).
        kept = self.queryset
        stand_in = type(kept)(kept.model, _Compiled(kept.query, compiler), using=kept._db, hints=kept._hints)
        stand_in._fields, stand_in._known_related_objects = kept._fields, kept._known_related_objects
        return list(kept._iterable_class(stand_in))


class _Compiled:
    def __init__(self, query, compiler):
        self._query, self._compiler = query, compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def __getattr__(self, name):
        return getattr(self._query, name)


_kept_queries = Kept(2048)


def kept_query(key: tuple, build: Callable[[], models.QuerySet]) -> KeptQuery:
    """`build()`'s queryset as a `KeptQuery`, compiled the first time `key` is asked for in this process.

    `key` must name everything the SQL depends on: what the query is (a name) and each value `build` reads (the
    user's id and `scope_key(scope_for(user))` for a scoped query, a date where it filters on one). `build` may not
    read the database (it raises) or the clock: the same key must always give the same SQL. Liaison has one
    database, so the alias is not part of the key."""
    return _kept(key, lambda: KeptQuery(build()))


def _kept(key: tuple, make: Callable):
    found = _kept_queries.get(key)
    if found is not None:
        return found
    from django.db import connections

    with contextlib.ExitStack() as refusing:
        for connection in connections.all():
            refusing.enter_context(connection.execute_wrapper(_refuse_queries))
        found = make()
    _kept_queries.put(key, found)
    return found


# Ids no row has (a bigint's far end), compiled in place of the ones `by_ids` is asked for and swapped for them.
_STAND_IN = -(2**62)


def by_ids(key: tuple, rows: models.QuerySet, ids: list[int]) -> dict[int, models.Model]:
    """`rows.in_bulk(ids)`, by SQL kept under `key` and the number of ids: compiled once with stand-in ids, then run
    with these. `key` names what `rows` is and every value its own parameters hold (a scope: the user's id and
    `scope_key`), as for `kept_query`."""
    # An id past a 64-bit key (a hand-typed address) names no row, and SQLite refuses to be asked for it.
    ids = [pk for pk in dict.fromkeys(ids) if _STAND_IN < pk < 2**63]
    if not ids:
        return {}
    stand_ins = {_STAND_IN - n: n for n in range(len(ids))}
    kept = kept_query((*key, "by-ids", len(ids)), lambda: rows.order_by().filter(pk__in=list(stand_ins)))
    params = [ids[stand_ins[p]] if isinstance(p, int) and p in stand_ins else p for p in kept.params]
    return {row.pk: row for row in kept.rows(params=params)}


def kept_count(key: tuple, build: Callable[[], models.QuerySet], *, cap: int | None = None) -> int:
    """How many rows `build()`'s queryset has, counted by SQL kept under `key` as `kept_query`'s (same rules):
    `.count()` builds and compiles its query again on every call. With `cap`, at most `cap` + 1 are counted."""
    if cap is not None:
        capped = kept_query((*key, "capped", cap), lambda: build().order_by().values("pk")[: cap + 1])
        if capped.sql is None:
            return 0
        from django.db import connections

        connection = connections[capped.queryset.db]
        with connection.cursor() as cursor:
            cursor.execute(
                *prepared.statement(connection, f'SELECT COUNT(*) FROM ({capped.sql}) "capped"', capped.params)
            )
            return cursor.fetchone()[0]

    def counting() -> models.QuerySet:
        return build().order_by().values(_all=models.Value(1)).annotate(n=models.Count("*")).values_list("n", flat=True)

    found = kept_query((*key, "count"), counting).rows()
    return found[0] if found else 0


def capped_count(queryset: models.QuerySet, cap: int) -> RawSQL:
    """How many rows `queryset` has, counted up to `cap` + 1, as an expression to annotate another query with: read
    in the same statement as that query's rows (a page's list and its "more than" count, one round trip)."""
    counted = compiled(queryset.order_by().values("pk")[: cap + 1])
    if counted is None:
        return RawSQL("0", (), output_field=models.IntegerField())
    return RawSQL(f'SELECT COUNT(*) FROM ({counted.sql}) "capped"', counted.params, output_field=models.IntegerField())


class KeptCounts:
    """Several counts read in one statement, `SELECT (SELECT COUNT(*) FROM (…)), (…)`: for a home panel that asks
    a few small questions on every visit, one round trip instead of one each. Made by `kept_counts`."""

    def __init__(self, querysets: list[models.QuerySet]):
        self.db = querysets[0].db
        parts, params = [], []
        for n, queryset in enumerate(querysets):
            counted = compiled(queryset.order_by().values("pk"))
            if counted is None:
                parts.append("0")
                continue
            parts.append(f'(SELECT COUNT(*) FROM ({counted.sql}) "counted{n}")')
            params.extend(counted.params)
        self.sql, self.params = "SELECT " + ", ".join(parts), tuple(params)

    def values(self) -> list[int]:
        from django.db import connections

        connection = connections[self.db]
        with connection.cursor() as cursor:
            cursor.execute(*prepared.statement(connection, self.sql, self.params))
            return list(cursor.fetchone())


def kept_counts(key: tuple, build: Callable[[], list[models.QuerySet]]) -> list[int]:
    """How many rows each of `build()`'s querysets has, in one statement kept under `key` (`kept_query`'s rules)."""
    return _kept((key, "counts"), lambda: KeptCounts(build())).values()


def _refuse_queries(execute, sql, params, many, context):
    raise RuntimeError(
        "A scope or kept query read the database while it was being built, so its SQL cannot be kept: build it from "
        "subqueries with its values in the key, "
        "or (an event subject) register it with per_request=True (liaison/event_scopes.py)."
    )


class RegionQuerySet(models.QuerySet):
    def visible_to(self, user) -> RegionQuerySet:
        scope = scope_for(user)
        if scope.national:
            return self.all()
        return self.filter(Q(id__in=scope.region_ids) | Q(districts__id__in=scope.visible_district_ids)).distinct()


class DistrictQuerySet(models.QuerySet):
    def visible_to(self, user) -> DistrictQuerySet:
        scope = scope_for(user)
        if scope.national:
            return self.all()
        return self.filter(id__in=scope.visible_district_ids)

    def editable_by(self, user) -> DistrictQuerySet:
        return self.filter(id__in=scope_for(user).editable_district_ids)


class LocalAuthorityQuerySet(models.QuerySet):
    def visible_to(self, user) -> LocalAuthorityQuerySet:
        scope = scope_for(user)
        if scope.national:
            return self.all()
        in_districts = self.model.districts.through.objects.filter(district_id__in=scope.district_ids).values(
            "localauthority_id"
        )
        return self.filter(Q(id__in=scope.authority_ids) | Q(id__in=in_districts))

    def editable_by(self, user) -> LocalAuthorityQuerySet:
        return self.filter(id__in=scope_for(user).editable_authority_ids)


class OfficeQuerySet(models.QuerySet):
    def visible_to(self, user) -> OfficeQuerySet:
        scope = scope_for(user)
        if scope.national:
            return self.all()
        return self.filter(district_id__in=scope.visible_district_ids)


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user) -> ContactQuerySet:
        """JCP contacts of the user's districts (or their LA's districts) and contacts of the LAs they cover."""
        scope = scope_for(user)
        if scope.national:
            return self.all()
        la_model = self.model._meta.get_field("local_authority").related_model
        in_districts = la_model.districts.through.objects.filter(district_id__in=scope.district_ids).values(
            "localauthority_id"
        )
        return self.filter(
            Q(district_id__in=scope.visible_district_ids)
            | Q(local_authority_id__in=scope.authority_ids)
            | Q(local_authority_id__in=in_districts)
        )

    def editable_by(self, user) -> ContactQuerySet:
        scope = scope_for(user)
        return self.filter(
            Q(district_id__in=scope.editable_district_ids) | Q(local_authority_id__in=scope.editable_authority_ids)
        )

    def active(self, on: datetime.date | None = None) -> ContactQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(active_to__isnull=True) | Q(active_to__gte=on), active_from__lte=on)

    def in_district_network(self, district) -> ContactQuerySet:
        """JCP contacts of the district and contacts of every LA that sits in it."""
        return self.filter(Q(district=district) | Q(local_authority__districts=district)).distinct()

    def unconfirmed_since(self, cutoff: datetime.date) -> ContactQuerySet:
        return self.filter(Q(last_confirmed__isnull=True) | Q(last_confirmed__lt=cutoff))


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> InvitationQuerySet:
        """Invitations into the part of the network where the user grants access (liaison/access.py)."""
        from liaison.access import grant_area

        area = grant_area(user)
        if area.empty:
            return self.none()
        return self.filter(area.assignments_q())

    def pending(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now())


# The columns of `EventQuerySet.visible_keys`: the trail is read newest first, and the id breaks ties.
EVENT_KEY = ("pk", "occurred_at")


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Events are append-only and cannot be changed.")

    def delete(self):
        raise TypeError("Events are append-only and cannot be deleted.")

    def visible_to(self, user) -> EventQuerySet:
        """An event about a thing is seen by those who can see the thing (`liaison.event_scopes`); any other event
        by the district and LA it names: district roles see their districts, an LA's events where the LA is theirs
        or sits only in their districts, and an LA role its own LA and the JCP side's district events."""
        if scope_for(user).national:
            return self.all()
        keys = self.visible_keys(user)
        if keys is None:
            return self.none()
        return self.filter(pk__in=RawSQL(f'SELECT "keyed"."pk" FROM ({keys.sql}) "keyed"', keys.params))

    def visible_keys(self, user) -> RawSQL | None:
        """The SQL of `visible_to` for a user who does not see every event, as rows of (pk, occurred_at): a union of
        arms that covering indexes serve without reading an event, so a page of the trail can be chosen from it
        before any event is read (`liaison.pagination.KeyedUnionPaginator`). None when it can match nothing."""
        from liaison.event_scopes import per_request_subjects, registered_subjects

        scope = scope_for(user)
        subjects = registered_subjects()
        fresh = per_request_subjects()
        # Building a dozen apps' scopes costs 10 ms of Python a request, and their SQL is a function of the user and
        # their scope alone (event_scopes.register_event_subject): it is kept for those, and only the scopes that
        # read the database are built each time and joined on.
        parts = [_kept_event_arms(self.db, user, scope, subjects, fresh)]
        for label in sorted(fresh):
            arm = self.model.objects.filter(subject_type=label, subject_id__in=subjects[label](user).values("pk"))
            parts.append(compiled(arm.order_by().values(*EVENT_KEY)))
        parts = [part for part in parts if part is not None]
        if not parts:
            return None
        return RawSQL(
            " UNION ".join(part.sql for part in parts), tuple(param for part in parts for param in part.params)
        )


_KEEP_EVENT_SCOPES = 1024
_event_scopes: OrderedDict[tuple, RawSQL | None] = OrderedDict()
_event_scopes_lock = threading.Lock()


def scope_key(scope) -> tuple:
    """What a user's scope is, as a key for SQL kept per scope."""
    assignments = sorted(
        (a.role, a.district_id or 0, a.region_id or 0, a.local_authority_id or 0) for a in scope.assignments
    )
    return (
        scope.national,
        scope.admin,
        scope.roles,
        scope.district_ids,
        scope.region_ids,
        scope.authority_ids,
        scope.authority_district_ids,
        scope.editable_district_ids,
        scope.editable_authority_ids,
        scope.authorities_in_editable_districts,
        tuple(assignments),
    )


def _kept_event_arms(using: str, user, scope, subjects: dict, fresh: frozenset[str]) -> RawSQL | None:
    from django.db import connections

    from liaison.event_scopes import subject_arms
    from liaison.models import Event, LocalAuthority

    placed = dict(sorted(subject_arms().items()))
    key = (
        using,
        user.pk,
        scope_key(scope),
        tuple(sorted(subjects)),
        tuple(sorted(placed)),
        fresh,
        timezone.localdate(),
    )
    with _event_scopes_lock:
        if key in _event_scopes:
            _event_scopes.move_to_end(key)
            return _event_scopes[key]
    with connections[using].execute_wrapper(_refuse_queries):
        authorities_in_districts = (
            LocalAuthority.districts.through.objects.using(using)
            .filter(district_id__in=scope.district_ids)
            .values("localauthority_id")
        )
        unsubjected = Event.objects.using(using).exclude(subject_type__in=sorted(subjects))
        # A union of arms that each an index serves (district, LA, subject), rather than one OR over every row:
        # the events table is the largest in Liaison, and an OR of subplans makes PostgreSQL read all of it.
        arms = [
            unsubjected.filter(district_id__in=scope.district_ids),
            unsubjected.filter(district__isnull=True, local_authority_id__in=authorities_in_districts),
            unsubjected.filter(local_authority_id__in=scope.authority_ids),
            unsubjected.filter(local_authority__isnull=True, district_id__in=scope.visible_district_ids),
        ]
        for label, scoped in sorted(subjects.items()):
            if label in fresh:
                continue
            about = Event.objects.using(using).filter(subject_type=label)
            if label in placed:
                arms.extend(placed[label](user, about))
            else:
                arms.append(about.filter(subject_id__in=scoped(user).values("pk")))
        kept = compiled(
            arms[0].order_by().values(*EVENT_KEY).union(*(arm.order_by().values(*EVENT_KEY) for arm in arms[1:]))
        )
    with _event_scopes_lock:
        _event_scopes[key] = kept
        while len(_event_scopes) > _KEEP_EVENT_SCOPES:
            _event_scopes.popitem(last=False)
    return kept


class AlertQuerySet(models.QuerySet):
    def open(self) -> AlertQuerySet:
        return self.filter(cleared_at__isnull=True)

    def for_user(self, user) -> AlertQuerySet:
        """Alerts naming this user as someone who must act."""
        if not user.is_authenticated:
            return self.none()
        # Exists rather than a join, so that the newest alerts can be read in order from `alert_open_newest` and
        # checked against the user's deliveries one by one (the GPT are told of hundreds).
        deliveries = self.model.recipients.through.objects.filter(alert=OuterRef("pk"), user=user, current=True)
        return self.filter(Exists(deliveries))

    def open_count_for(self, user) -> int:
        """How many open alerts name this user (`open().for_user(user)`), counted from the user's deliveries, which
        their own index serves: the newest-first reading of `for_user` would check every open alert."""
        if not user.is_authenticated:
            return 0
        return self.open_deliveries_for(user).count()

    def open_deliveries_for(self, user) -> models.QuerySet:
        """The user's current deliveries of open alerts: one per alert of `open().for_user(user)`."""
        return self.model.recipients.through.objects.filter(user=user, current=True, alert__cleared_at__isnull=True)

    def visible_to(self, user) -> AlertQuerySet:
        scope = scope_for(user)
        if scope.national:
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(deliveries__user=user)
            | Q(district_id__in=scope.visible_district_ids)
            | Q(local_authority_id__in=scope.authority_ids)
        ).distinct()
